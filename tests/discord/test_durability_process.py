"""Nothing lost, nothing twice on Discord: a real `alumni-bot` process killed (-9) or stopped
(SIGTERM) while members vote at 100 clicks a second through the fake Discord, then restarted
(SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import collections
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import select

from storage.database import Database
from storage.models import Identity, Person, PollVote
from tests.discord.driver import APPLICATION_COMMAND, COMPONENT, CY, DiscordDriver, find_component
from tests.discord.fake_discord import FakeDiscord, InteractionLog, Json
from tests.discord.process import DiscordProcess
from tests.discord.test_flows import everything
from tests.support.processes import settled

VOTERS = 300
RATE = 100.0
FIRST_VOTER = 7000
OPTIONS = ("Alpha", "Beta", "Gamma")
STOP_SECONDS = 10  # the default [bot] stop_seconds


async def posted_poll(fake: FakeDiscord, members: DiscordDriver) -> Json:
    asked = members.payload(
        APPLICATION_COMMAND,
        members.command_data("alumni poll", {"poll": '"Which first?" "Alpha" "Beta" "Gamma"'}),
        CY,
    )
    await fake.interact(asked)
    found: list[Json] = await fake.wait_for(
        lambda: [m for m in fake.messages.values() if "Which first?" in everything(m)], within=10
    )
    return found[0]


async def click(fake: FakeDiscord, payload: Json) -> InteractionLog | None:
    """Press as a member would; the interaction, or None when the bot was not connected."""
    try:
        log = await fake.interact(payload)
    except (ConnectionError, RuntimeError):
        return None
    try:
        await asyncio.wait_for(log.answered.wait(), 3)
    except TimeoutError:
        return log
    return log


async def counted(process_database_url: str) -> collections.Counter[str]:
    database = Database(process_database_url)
    async with database.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(Identity.user_id)
            .join(Person, Person.id == Identity.person_id)
            .join(PollVote, PollVote.person_id == Person.id)
        )
        found = collections.Counter(user for (user,) in rows)
    await database.close()
    return found


async def vote_burst(
    fake: FakeDiscord, bot: DiscordProcess, mid_burst: Callable[[], Awaitable[None]]
) -> set[str]:
    """300 members vote at 100 clicks a second; `mid_burst` runs halfway. The voters answered."""
    voters = [FIRST_VOTER + n for n in range(VOTERS)]
    for voter in voters:
        fake.add_member(voter, f"Voter {voter}")
    members = DiscordDriver(fake, None)  # type: ignore[arg-type]  # builds payloads only
    await bot.start()
    poll = await posted_poll(fake, members)
    # Slow REST answers to followups and edits keep work in flight when the stop comes.
    fake.slow = lambda request: 0.3 if request.method == "PATCH" else 0.0

    clicks: list[asyncio.Task[InteractionLog | None]] = []
    started = asyncio.get_running_loop().time()
    for n, voter in enumerate(voters):
        await asyncio.sleep(max(0.0, started + n / RATE - asyncio.get_running_loop().time()))
        if n == VOTERS // 2:
            await mid_burst()
        component = find_component(poll, OPTIONS[n % 3])
        data = {"custom_id": component["custom_id"], "component_type": component["type"]}
        clicks.append(
            asyncio.ensure_future(click(fake, members.payload(COMPONENT, data, voter, message=poll)))
        )
    logs = await asyncio.gather(*clicks)
    answered = {str(log.payload["member"]["user"]["id"]) for log in logs if log and log.callback}
    assert 0 < len(answered) <= VOTERS // 2, f"{len(answered)} answered: the stop was not mid-burst"
    return answered


async def counted_after_a_restart(bot: DiscordProcess, process_database_url: str) -> collections.Counter[str]:
    await bot.start()
    await settled(process_database_url)
    stored = await counted(process_database_url)
    assert await bot.stop() == 0
    return stored


async def test_every_answered_vote_counts_once_after_a_kill_9(
    process_database_url: str, tmp_path: Path, fake: FakeDiscord
) -> None:
    bot = DiscordProcess(process_database_url, tmp_path, fake)
    answered = await vote_burst(fake, bot, bot.kill)
    stored = await counted_after_a_restart(bot, process_database_url)
    assert answered <= set(stored), f"lost {len(answered - set(stored))} answered votes"
    assert set(stored.values()) == {1}
    recovered = re.findall(r"handling (\d+) events received before", bot.log)
    print(
        f"{len(answered)} votes answered before the kill, {recovered} stored events handled after the "
        f"restart, {len(stored)} counted"
    )


async def test_sigterm_mid_burst_exits_0_in_time_and_loses_nothing(
    process_database_url: str, tmp_path: Path, fake: FakeDiscord
) -> None:
    bot = DiscordProcess(process_database_url, tmp_path, fake)
    stopping: dict[str, float] = {}

    async def terminate() -> None:
        started = time.monotonic()
        stopping["status"] = await bot.stop()
        stopping["seconds"] = time.monotonic() - started

    answered = await vote_burst(fake, bot, terminate)
    assert stopping["status"] == 0, bot.log[-3000:]
    assert stopping["seconds"] < STOP_SECONDS + 3, stopping  # [bot] stop_seconds, and the exit itself
    assert "Traceback" not in bot.log
    stored = await counted_after_a_restart(bot, process_database_url)
    assert answered <= set(stored), f"lost {len(answered - set(stored))} answered votes"
    assert set(stored.values()) == {1}
