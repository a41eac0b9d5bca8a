"""Anonymous ballots: nothing stored says who voted, or in what order; the key is the
installation's own secret, made once and shared by every process on the database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import OperationalError

from bot.app import build_router
from bot.config import ConfigError, Secret, Secrets, Settings, load_settings
from bot.core import Core
from bot.features.polls.ballots import KEY_NAME
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.models import InstallationSecret, PollVote
from tests.support.chat import Clock, Conversation, RecordingChat, Sent
from tests.support.timers import fire


async def anonymous_poll(talk: Conversation) -> Sent:
    [_, poll] = await talk.say("Fay", '/alumni poll "Happy?" "Yes" "No" "Maybe" --multi --anonymous')
    return poll


async def vote_in_turn(talk: Conversation, poll: Sent) -> None:
    for n in range(8):
        await talk.press(f"M{n}", poll, ("Yes", "No", "Maybe")[n % 3])
    await talk.press("M2", poll, "Yes")  # a second choice, and a change of mind
    await talk.press("M0", poll, "No")


async def test_ballots_are_kept_in_key_order_with_no_sequence_and_no_voter(
    talk: Conversation, database: Database, runner: ScheduleRunner, clock: Clock
) -> None:
    await vote_in_turn(talk, await anonymous_poll(talk))
    clock.advance(seconds=2)
    await fire(runner, talk.chat)  # the message's refresh stores the ballots afresh
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(lambda c: inspect(c).get_columns("poll_votes"))
        if database.engine.dialect.name == "sqlite":
            ddl = await connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'poll_votes'"))
            assert "WITHOUT ROWID" in ddl
            with pytest.raises(OperationalError):
                await connection.execute(text("SELECT rowid FROM poll_votes"))
            stored = (
                await connection.execute(text("SELECT voter_key, person_id, platform FROM poll_votes"))
            ).all()
        else:  # rows as they lie in the table, with the transaction that wrote each
            stored = (
                await connection.execute(
                    text(
                        "SELECT voter_key, person_id, platform, xmin::text AS tx"
                        " FROM poll_votes ORDER BY ctid"
                    )
                )
            ).all()
            assert len({row.tx for row in stored}) == 1  # all written by the refresh
    keys = [row.voter_key for row in stored]
    assert len(set(keys)) == 8 and keys == sorted(keys)
    assert all(row.person_id is None and row.platform == "" for row in stored)  # not even where from
    assert {c["name"] for c in columns} == {
        "poll_id",
        "voter_key",
        "option_id",
        "answer",
        "person_id",
        "platform",
    }


async def test_the_key_is_made_once_and_every_process_uses_it(
    talk: Conversation, database: Database, settings: Settings, clock: Clock
) -> None:
    poll = await anonymous_poll(talk)
    await talk.press("Ana", poll, "Yes")
    # A second bot process on the same database: Ana's vote there replaces hers, never adds one.
    other = Conversation(Core(settings, database, build_router(), clock), RecordingChat())
    await other.press("Ana", poll, "No")
    async with database.unit_of_work() as uow:
        secrets = list(await uow.session.scalars(select(InstallationSecret)))
        votes = list(await uow.session.scalars(select(PollVote)))
    assert [s.name for s in secrets] == [KEY_NAME] and len(secrets[0].value) >= 64
    assert len({v.voter_key for v in votes}) == 1


async def test_a_configured_key_is_used_and_none_is_made(
    database: Database, settings: Settings, clock: Clock
) -> None:
    configured = replace(settings, secrets=Secrets(poll_secret=Secret("k" * 40)))
    talk = Conversation(Core(configured, database, build_router(), clock), RecordingChat())
    poll = await anonymous_poll(talk)
    await talk.press("Ana", poll, "Yes")
    async with database.unit_of_work() as uow:
        assert not list(await uow.session.scalars(select(InstallationSecret)))
        assert len(list(await uow.session.scalars(select(PollVote)))) == 1


def test_a_short_configured_key_stops_start_up() -> None:
    with pytest.raises(ConfigError, match="ALUMNI_BOT_POLL_SECRET: expected at least 32 characters"):
        load_settings(None, environ={"ALUMNI_BOT_POLL_SECRET": "short"})
