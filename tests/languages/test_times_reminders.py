"""A reminder with a time typed in Spanish, French or Portuguese, through the real core, router
and schedule runner on SQLite and PostgreSQL: due when the member meant, in their own words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.core import Core
from bot.events import Actor
from bot.outbound import Direct, Ephemeral
from bot.refs import MemberRef
from bot.scheduling import ScheduleRunner
from tests.support.chat import PLATFORM, WORKSPACE, Clock, Conversation, RecordingChat
from tests.support.timers import fire


@pytest.fixture
def runner(core: Core, settings: Settings, clock: Clock) -> ScheduleRunner:
    return ScheduleRunner(core.database, core.router, settings, clock)


def londoner(talk: Conversation, name: str, locale: str) -> None:
    """`name` in London, with the locale their platform gives (Slack's es-419, Discord's pt-BR)."""
    key = name.lower()
    talk.members[key] = Actor(
        MemberRef(PLATFORM, WORKSPACE, key), name, timezone="Europe/London", locale=locale
    )


@pytest.mark.parametrize(
    ("locale", "typed", "what", "confirmed"),
    [
        ("es-419", "mañana a las 9 llamar a Ana", "llamar a Ana", "Te lo recordaré: «llamar a Ana»"),
        ("fr", "demain à 9h appeler Ana", "appeler Ana", "Je vous le rappellerai : « appeler Ana »"),
        ("pt-BR", "amanhã às 9 ligar para a Ana", "ligar para a Ana", "Vou lembrar você: “ligar para a Ana”"),
    ],
)
async def test_a_reminder_typed_in_the_members_language_comes_when_they_meant(
    talk: Conversation,
    runner: ScheduleRunner,
    clock: Clock,
    chat: RecordingChat,
    locale: str,
    typed: str,
    what: str,
    confirmed: str,
) -> None:
    londoner(talk, "Ana", locale)
    [confirm] = await talk.say("Ana", f"/alumni remind me {typed}")
    assert isinstance(confirm.item.to, Ephemeral)
    # The member's text, as typed after the time, in a confirmation in their language.
    assert confirm.text.startswith(confirmed) and "remind" not in confirm.text
    assert "2026-11-25T09:00:00+00:00" in confirm.text  # 9:00 tomorrow in London (GMT)
    clock.current = datetime(2026, 11, 25, 8, 59, tzinfo=UTC)
    assert await fire(runner, chat) == []
    clock.current = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Direct(talk.ref("Ana")) and what in delivered.text


@pytest.mark.parametrize(
    ("locale", "typed", "first", "repeats"),
    [
        ("es-419", "todos los lunes a las 9 reunión", "2026-11-30T09:00:00+00:00", "cada lunes a las 09:00"),
        ("fr", "tous les lundis à 9h réunion", "2026-11-30T09:00:00+00:00", "chaque lundi à 09:00"),
        (
            "pt-BR",
            "toda segunda às 9 reunião",
            "2026-11-30T09:00:00+00:00",
            "toda segunda-feira às 09:00",
        ),
    ],
)
async def test_a_repeat_typed_in_the_members_language_reads_back_in_it(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat,
    locale: str, typed: str, first: str, repeats: str,
) -> None:  # fmt: skip
    londoner(talk, "Ana", locale)
    [confirm] = await talk.say("Ana", f"/alumni remind me {typed}")
    assert first in confirm.text and repeats in confirm.text
    clock.current = datetime(2026, 11, 30, 9, 0, 1, tzinfo=UTC)
    [delivered] = await fire(runner, chat)
    assert typed.split()[-1] in delivered.text
    [listing] = await talk.say("Ana", "/alumni reminders")
    assert "2026-12-07T09:00:00+00:00" in listing.text and repeats in listing.text


@pytest.mark.parametrize(
    ("locale", "typed", "problem", "example"),
    [
        ("es-419", "mañana a las 25:00 x", "«25:00» no es una hora del día", "mañana a las 9"),
        ("fr", "quand tu veux x", "Je ne sais pas quand tombe « quand tu veux x ».", "demain à 9h"),
        ("pt-BR", "ontem x", "Esse horário já passou (", "amanhã às 9:00"),
    ],
)
async def test_a_bad_time_is_explained_privately_in_the_members_language(
    talk: Conversation, locale: str, typed: str, problem: str, example: str
) -> None:
    londoner(talk, "Ana", locale)
    [refused] = await talk.say("Ana", f"/alumni remind me {typed}")
    assert isinstance(refused.item.to, Ephemeral)
    assert problem in refused.text and example in refused.text
