"""Odd characters, impossible times and verbatim text, signed, through the Slack HTTP entry point."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core import FAILED
from storage.database import Database
from storage.models import Poll, PollOption, Reminder, RoundtableSuggestion, Schedule
from tests.support.chat import Clock
from tests.support.databases import count
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import HttpSlackDriver


async def texts(database: Database, column: object) -> list[str]:
    async with database.unit_of_work() as uow:
        return list(await uow.session.scalars(select(column)))


def quiet(caplog: pytest.LogCaptureFixture, fake: FakeSlack) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not [m for m in fake.messages if FAILED in m.words]


async def test_nul_and_control_characters_are_dropped_the_same_on_every_database(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    database = http_slack.bot.core.database
    await http_slack.command("UANA", "remind me in 2 hours call\x00 the\x07 caf\u0065\u0301")
    await http_slack.command("UCAROL", 'poll "Lunch\x00?" "Pi\x00zza" "Sa\x1blad"')
    await http_slack.command("UANA", 'roundtable suggest "Open\x00 data\x7f"')
    quiet(caplog, fake)
    assert await texts(database, Reminder.text) == ["call the caf\u00e9"]  # and NFC: one "é"
    assert await texts(database, Poll.question) == ["Lunch?"]
    assert sorted(await texts(database, PollOption.label)) == ["Pizza", "Salad"]
    assert await texts(database, RoundtableSuggestion.topic) == ["Open data"]


@pytest.mark.parametrize(
    ("typed", "saved", "due_in"),
    [
        ("in 2 hours '; DROP TABLE reminders; --", "'; DROP TABLE reminders; --", timedelta(hours=2)),
        ("in 1 hour \U0001f389 party", "\U0001f389 party", timedelta(hours=1)),
        ("in 1 minute second reminder", "second reminder", timedelta(minutes=1)),
        ("in 1 minute tomorrow me", "tomorrow me", timedelta(minutes=1)),
        ("in 3 days to  call   mum\nand dad", "call   mum\nand dad", timedelta(days=3)),
    ],
)
async def test_a_reminder_says_exactly_what_followed_the_time(
    http_slack: HttpSlackDriver,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    clock: Clock,
    typed: str,
    saved: str,
    due_in: timedelta,
) -> None:
    await http_slack.command("UANA", f"remind me {typed}")
    quiet(caplog, fake)
    database = http_slack.bot.core.database
    assert await texts(database, Reminder.text) == [saved]
    assert await texts(database, Schedule.due_at) == [clock.now() + due_in]
    confirmation = http_slack.last_for("UANA")
    assert confirmation.only_for == "UANA" and f"\u201c{saved}\u201d" in confirmation.words


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('poll "Q?" "a" "b" --closes tomorrow at 25:99', "\u201c25:99\u201d is not a time of day"),
        ('poll "Q?" "a" "b" --closes 31 February at 10:00', "There is no 31 February"),
        ('poll "Q?" "a" "b" --closes tomorrow at 13pm', "\u201c13pm\u201d is not a time of day"),
        ("remind me tomorrow at 24:00 call", "\u201c24:00\u201d is not a time of day"),
        ("remind me on 2027-02-29 call", "There is no 29 February 2027"),
        ("remind me every day at 9:61 stretch", "\u201c9:61\u201d is not a time of day"),
        ("remind me every year on 30 February cake", "There is no 30 February"),
        ('roundtable plan "Maps" --slots 31 April 2030 at 15:00, 2 May 2030 at 9:00', "There is no 31 April"),
        ('roundtable plan "Maps" --slots 1 May 2030 at 25:00, 2 May 2030 at 9:00', "is not a time of day"),
    ],
)
async def test_impossible_times_are_refused_with_the_reason(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture, command: str, problem: str
) -> None:
    await http_slack.command("UCAROL", command)
    reply = http_slack.last_for("UCAROL")
    assert reply.only_for == "UCAROL" and problem in reply.words and "Try: /alumni " in reply.words
    quiet(caplog, fake)
    database = http_slack.bot.core.database
    assert (
        await count(database, Poll) == await count(database, Reminder) == await count(database, Schedule) == 0
    )
    assert not [m for m in fake.messages if m.only_for is None]
