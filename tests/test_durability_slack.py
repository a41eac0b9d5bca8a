"""Nothing lost, nothing twice, with real `alumni-bot` processes in Slack HTTP mode: kill -9
under load, SIGTERM under load, two processes behind one load balancer, a matching round killed
while its introductions go out or while its progress is edited, and two processes delivering one
round (fake Slack on 127.0.0.1, SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import collections
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.features.matching.rounds import ROUND_KIND
from storage.database import Database
from storage.models import Identity, MatchRound, Person, PollVote, Schedule
from tests.support.fake_slack import FakeMessage, FakeSlack
from tests.support.processes import settled
from tests.support.slack_process import FACILITATOR, SlackProcess, burst, seed_members, vote_body

VOTERS = 300
RATE = 100.0  # clicks a second
OPTIONS = ("Alpha", "Beta", "Gamma")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


async def posted_poll(bot: SlackProcess, fake: FakeSlack) -> FakeMessage:
    assert await bot.command(FACILITATOR, 'poll "Which first?" "Alpha" "Beta" "Gamma"') == 200
    await fake.wait_for(lambda: any("Which first?" in m.words for m in fake.messages), within=15)
    return next(m for m in fake.messages if "Which first?" in m.words)


def votes(voters: int, poll: FakeMessage, fake: FakeSlack) -> list[str]:
    return [vote_body(fake, f"UV{n:03d}", poll, OPTIONS[n % 3]) for n in range(voters)]


async def counted(process_database_url: str) -> collections.Counter[str]:
    """Votes stored per Slack user."""
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


def acknowledged(statuses: list[int]) -> set[str]:
    return {f"UV{n:03d}" for n, status in enumerate(statuses) if status == 200}


async def test_every_vote_acknowledged_before_a_kill_9_counts_once(
    process_database_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    bot = SlackProcess(process_database_url, tmp_path, fake)
    await bot.start()
    poll = await posted_poll(bot, fake)
    fake.delays["response_url"] = 0.5  # slow answers: work piles up behind the acknowledgements
    statuses = await burst([bot], votes(VOTERS, poll, fake), RATE, at={VOTERS // 2: bot.kill})
    acked = acknowledged(statuses)
    assert 0 < len(acked) < VOTERS, f"{len(acked)} acknowledged: the kill was not mid-burst"

    await bot.start()
    await settled(process_database_url)
    stored = await counted(process_database_url)
    assert acked <= set(stored), f"lost {len(acked - set(stored))} acknowledged votes"
    assert set(stored.values()) == {1}
    recovered = re.findall(r"handling (\d+) events received before", bot.log)
    print(f"{len(acked)} votes acknowledged before the kill; {recovered} handled after the restart")
    assert recovered and int(recovered[0]) > 0  # the kill left acknowledged work undone


async def test_sigterm_under_load_exits_0_in_time_and_loses_nothing(
    process_database_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    bot = SlackProcess(process_database_url, tmp_path, fake, stop_seconds=5)
    await bot.start()
    poll = await posted_poll(bot, fake)
    fake.delays["response_url"] = 0.3
    stopping: dict[str, object] = {}

    async def terminate() -> None:
        started = time.monotonic()
        stopping["status"] = await bot.stop()
        stopping["seconds"] = time.monotonic() - started

    statuses = await burst([bot], votes(VOTERS, poll, fake), RATE, at={VOTERS // 2: terminate})
    assert stopping["status"] == 0, bot.log[-3000:]
    assert stopping["seconds"] < bot.stop_seconds + 3, stopping  # stop_seconds, and start-up of the exit
    assert "Traceback" not in bot.log
    acked = acknowledged(statuses)

    await bot.start()
    await settled(process_database_url)
    stored = await counted(process_database_url)
    assert acked <= set(stored) and set(stored.values()) == {1}


async def test_two_processes_behind_a_load_balancer_handle_each_event_once(
    process_postgres_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    bots = [
        SlackProcess(process_postgres_url, tmp_path, fake),
        SlackProcess(process_postgres_url, tmp_path, fake),
    ]
    await asyncio.gather(*(bot.start() for bot in bots))
    poll = await posted_poll(bots[0], fake)
    statuses = await burst(bots, votes(VOTERS, poll, fake), RATE)
    assert statuses == [200] * VOTERS
    await settled(process_postgres_url)
    stored = await counted(process_postgres_url)
    assert await asyncio.gather(*(bot.stop() for bot in bots)) == [0, 0]
    assert set(stored) == {f"UV{n:03d}" for n in range(VOTERS)} and set(stored.values()) == {1}
    answers = collections.Counter(c.args.get("text", "") for c in fake.calls if c.method == "response_url")
    assert sum(n for text, n in answers.items() if "Your vote now" in text) == VOTERS


async def test_a_round_killed_while_its_introductions_go_out_introduces_each_group_once(
    process_database_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    members = await seed_members(process_database_url, 40)
    bot = SlackProcess(process_database_url, tmp_path, fake)
    await bot.start()
    fake.delays["chat.postMessage"] = 0.3  # a slow platform: introductions go out over seconds
    assert await bot.command(FACILITATOR, "match run") == 200

    def introduced() -> list[FakeMessage]:
        return [m for m in fake.messages if "matched this round" in m.words]

    await fake.wait_for(lambda: len(introduced()) >= 4, within=20)
    await bot.kill()
    sent_before = len(introduced())
    await bot.start()
    await settled(process_database_url)
    await bot.stop()

    by_conversation = collections.defaultdict(list)
    for message in introduced():
        by_conversation[message.channel].append(message)
    assert len(by_conversation) == 20, sorted(by_conversation)  # 40 members: 20 pairs
    assert all(sum(member in c for c in by_conversation) == 1 for member in members)
    # Slack's history, searched by the key in each post's metadata, shows what arrived before
    # the kill: nothing is sent twice, not even marked.
    assert all(len(messages) == 1 for messages in by_conversation.values()), {
        c: len(m) for c, m in by_conversation.items() if len(m) > 1
    }
    print(
        f"{sent_before} of 20 introductions went out before the kill; the rest after the restart; "
        f"{bot.log.count('had arrived before a stop')} found already posted by their metadata"
    )


async def test_a_scheduled_round_with_two_processes_survives_a_kill_9_of_one(
    process_postgres_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    members = await seed_members(process_postgres_url, 40)
    bots = [
        SlackProcess(process_postgres_url, tmp_path, fake),
        SlackProcess(process_postgres_url, tmp_path, fake),
    ]
    await asyncio.gather(*(bot.start() for bot in bots))
    assert await bots[0].command(FACILITATOR, "match schedule alumni weekly") == 200
    await fake.wait_for(lambda: any("Rounds for alumni" in m.words for m in fake.messages), within=10)
    fake.delays["chat.postMessage"] = 0.3
    database = Database(process_postgres_url)
    async with database.unit_of_work() as uow:  # the next Monday is now
        await uow.session.execute(
            update(Schedule).where(Schedule.kind == ROUND_KIND).values(due_at=datetime.now(UTC))
        )

    def introduced() -> list[FakeMessage]:
        return [m for m in fake.messages if "matched this round" in m.words]

    await fake.wait_for(lambda: len(introduced()) >= 4, within=20)
    await bots[0].kill()
    await settled(process_postgres_url, within=90)  # the survivor takes over after the outbox's lease
    async with database.unit_of_work() as uow:
        rounds = await uow.session.scalar(select(func.count()).select_from(MatchRound))
    await database.close()
    assert await bots[1].stop() == 0
    assert rounds == 1
    conversations = collections.Counter(m.channel for m in introduced())
    assert len(conversations) == 20 and all(sum(m in c for c in conversations) == 1 for m in members)
    assert set(conversations.values()) == {1}, conversations


def progress_edits(fake: FakeSlack) -> list[str]:
    """The texts of the facilitator's progress message's edits, in the order Slack got them."""
    return [str(c["text"]) for c in fake.called("chat.update") if c["channel"] == f"D{FACILITATOR}"]


def sent_counts(edits: list[str]) -> list[int]:
    """How many introductions each edit says went out ("Sent all 20" at the end)."""
    return [int(found) for edit in edits for found in re.findall(r"Sent (\d+) of", edit)]


async def test_a_round_killed_while_its_progress_is_edited_ends_with_one_right_summary(
    process_database_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    await seed_members(process_database_url, 40)
    bot = SlackProcess(process_database_url, tmp_path, fake)
    await bot.start()
    fake.delays["chat.update"] = 2.0  # the edit hangs, and the process is killed meanwhile
    assert await bot.command(FACILITATOR, "match run") == 200
    await fake.wait_for(lambda: bool(progress_edits(fake)), within=20)
    await bot.kill()
    await asyncio.sleep(2.5)  # Slack applied the edit; its answer never reached the bot
    fake.delays.clear()
    await bot.start()
    await settled(process_database_url)
    await bot.stop()

    [progress] = [m for m in fake.messages if m.channel == f"D{FACILITATOR}" and m.updates]
    assert progress.text == "Sent all 20 introductions."
    edits = progress_edits(fake)
    assert edits.count("Sent all 20 introductions.") == 1 and edits[-1] == progress.text, edits
    assert sent_counts(edits) == sorted(sent_counts(edits)), edits


async def test_two_processes_delivering_one_round_edit_its_progress_in_order(
    process_postgres_url: str, tmp_path: Path, fake: FakeSlack
) -> None:
    await seed_members(process_postgres_url, 200)
    bots = [
        SlackProcess(process_postgres_url, tmp_path, fake),
        SlackProcess(process_postgres_url, tmp_path, fake),
    ]
    await asyncio.gather(*(bot.start() for bot in bots))
    fake.delays["chat.postMessage"] = 0.5  # introductions take a while: both processes deliver them
    assert await bots[0].command(FACILITATOR, "match run") == 200
    await settled(process_postgres_url, within=90)
    assert [await bot.stop() for bot in bots] == [0, 0]

    edits = progress_edits(fake)
    assert edits[-1] == "Sent all 100 introductions." and edits.count(edits[-1]) == 1, edits
    assert sent_counts(edits) == sorted(sent_counts(edits)), edits
