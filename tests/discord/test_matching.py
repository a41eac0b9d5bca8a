"""A matching round end to end on Discord: opt in with typed options, a facilitator runs the
round, the pair meets in a private thread, and the check-in (fired by the runtime's own clock)
has working buttons (real discord.py against the fake Discord)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from bot.features.matching.rounds import CHECKIN_KIND
from storage.database import Database
from storage.models import Schedule
from tests.discord.driver import ANA, BO, CY, DiscordDriver
from tests.discord.test_flows import everything, reply, set_up_profile


async def test_a_round_on_discord_meets_in_a_private_thread_and_checks_in(
    discord: DiscordDriver, database: Database
) -> None:
    fake = discord.fake
    await set_up_profile(discord, ANA, "Ana Lima", "maps")
    await set_up_profile(discord, BO, "Bo Chen", "maps")
    for user in (ANA, BO):
        joined = await discord.slash(user, "alumni match", action="join")
        assert "You're in" in everything(reply(joined))
    refused = await discord.slash(ANA, "alumni match", action="preview")
    assert "Only facilitators" in everything(reply(refused))
    ran = await discord.slash(CY, "alumni match", action="run")
    assert "1 introduction on the way" in everything(reply(ran))
    thread_id = next(iter(fake.threads))
    assert sorted(fake.thread_members[thread_id]) == [str(ANA), str(BO)]
    intro = fake.sent("POST", rf"/channels/{thread_id}/messages")[0].body
    assert "you share maps" in everything(intro) and "<t:" in everything(intro)
    async with database.unit_of_work() as uow:  # bring the halfway check-in forward to now
        await uow.session.execute(
            update(Schedule).where(Schedule.kind == CHECKIN_KIND).values(due_at=datetime.now(UTC))
        )

    def check_in() -> list:
        return [m for m in fake.messages.values() if "did you meet?" in everything(m)]

    [message] = await fake.wait_for(check_in, within=10)
    pressed = await discord.press(BO, message, "Not yet")
    assert "Thanks, noted" in everything(reply(pressed))
