"""A poll on Discord: typed text in, an embed with button rows out, votes edit it in place."""

from __future__ import annotations

from tests.discord.driver import ANA, CY, DiscordDriver
from tests.discord.test_flows import everything, reply


async def test_a_poll_posts_votes_privately_and_closes(discord: DiscordDriver) -> None:
    fake = discord.fake
    refused = await discord.slash(ANA, "alumni poll", poll='"Which topic?" "Maps" "Portals"')
    assert "Only facilitators can use /alumni poll." in everything(reply(refused))
    await discord.slash(CY, "alumni poll", poll='"Which topic?" "Maps" "Portals"')
    poll = next(m for m in fake.messages.values() if "Which topic?" in everything(m))
    labels = [c["label"] for row in poll["components"] for c in row["components"]]
    assert labels == ["Maps", "Portals", "Withdraw my vote", "Who voted", "Close poll"]
    voted = await discord.press(ANA, poll, "Maps")
    assert "Your vote now: “Maps”." in everything(reply(voted)) and reply(voted)["flags"] == 64

    def edited() -> list:
        return [m for m in fake.messages.values() if "1 (100%)" in everything(m)]

    await fake.wait_for(edited, within=10)  # the runtime's clock refreshes the message
    closed = await discord.press(CY, poll, "Close poll")
    assert closed.callback is not None
    final = fake.messages[poll["id"]]
    assert "Final results: Which topic?" in everything(final) and not final.get("components")
