"""A reminder end to end on Discord: typed options in, the runtime's clock fires it as a DM
with working buttons (real discord.py against the fake Discord, real time)."""

from __future__ import annotations

from tests.discord.driver import ANA, DiscordDriver
from tests.discord.test_flows import everything, reply

DM_TO_ANA = rf"/channels/{10_000 + ANA}/messages"


async def test_a_reminder_set_with_typed_options_arrives_as_a_dm(discord: DiscordDriver) -> None:
    fake = discord.fake
    confirmed = await discord.slash(ANA, "alumni remind", who="me", when="in 2 seconds", what="stretch")
    assert "I'll remind you: \u201cstretch\u201d" in everything(reply(confirmed))
    assert "<t:" in everything(reply(confirmed))  # the time in each reader's own zone

    def delivered() -> list:
        return [r for r in fake.sent("POST", DM_TO_ANA) if "Reminder" in everything(r.body)]

    [dm] = await fake.wait_for(delivered, within=10)
    assert "stretch" in everything(dm.body)
    message = next(m for m in fake.messages.values() if "Reminder" in everything(m))
    snoozed = await discord.press(ANA, message, "Snooze 15 min")
    assert "Snoozed until" in everything(snoozed.callback["data"])


async def test_every_reminder_in_a_long_list_can_be_cancelled(discord: DiscordDriver) -> None:
    for hours in range(1, 8):  # more than Discord's 5 rows of buttons
        await discord.slash(ANA, "alumni remind", who="me", when=f"in {hours} hours", what=f"task {hours}")
    shown = await discord.slash(ANA, "alumni reminders")
    [row] = reply(shown)["components"]
    [menu] = row["components"]
    assert menu["type"] == 3 and len(menu["options"]) == 7
    assert menu["options"][6]["label"] == "7. task 7"
    message = discord.fake.messages[shown.payload["_original"]]
    cancelled = await discord.press(
        ANA, message, "Cancel a reminder\u2026", value=menu["options"][6]["value"]
    )
    shown = everything(cancelled.callback["data"])
    assert "Cancelled: \u201ctask 7\u201d" in shown and "Your reminders (6)" in shown
