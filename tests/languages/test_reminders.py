"""Reminders in Spanish, French and Portuguese through the real core, router and schedule runner
on SQLite and PostgreSQL: the creator reads their own language, a reminder for someone else
arrives in theirs, and no English sentence is left on the way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import FacilitatorSettings, Settings
from bot.core import Core
from bot.events import Actor
from bot.outbound import Direct, Ephemeral
from bot.refs import MemberRef
from bot.scheduling import ScheduleRunner
from tests.languages.english import english_left
from tests.support.chat import PLATFORM, WORKSPACE, Clock, Conversation, RecordingChat
from tests.support.timers import fire

LOCALES = {"es": "es-419", "fr": "fr", "pt": "pt-BR"}


@pytest.fixture
def settings() -> Settings:
    return Settings(facilitators=FacilitatorSettings(members=("test:fay",)))


@pytest.fixture
def runner(core: Core, settings: Settings, clock: Clock) -> ScheduleRunner:
    return ScheduleRunner(core.database, core.router, settings, clock)


def speaker(talk: Conversation, name: str, locale: str, timezone: str = "Europe/London") -> None:
    key = name.lower()
    talk.members[key] = Actor(MemberRef(PLATFORM, WORKSPACE, key), name, timezone=timezone, locale=locale)


@pytest.mark.parametrize(
    ("language", "typed", "confirmed", "button", "snoozed"),
    [
        ("es", "mañana a las 9 llamar", "Te lo recordaré: «llamar»", "Posponer 1 hora", "Pospuesto hasta"),
        ("fr", "demain à 9h appeler", "rappellerai : « appeler »", "Reporter d’1 heure", "Reporté à"),
        ("pt", "amanhã às 9 ligar", "Vou lembrar você: “ligar”", "Adiar 1 hora", "Adiado até"),
    ],
)
async def test_a_member_sets_lists_and_snoozes_a_reminder_in_their_language(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat,
    language: str, typed: str, confirmed: str, button: str, snoozed: str,
) -> None:  # fmt: skip
    speaker(talk, "Ana", LOCALES[language])
    [confirm] = await talk.say("Ana", f"/alumni remind me {typed}")
    assert isinstance(confirm.item.to, Ephemeral) and confirmed in confirm.text
    [listing] = await talk.say("Ana", "/alumni reminders")
    assert await fire(runner, chat) == []  # not due yet
    clock.advance(days=1)
    [delivered] = await fire(runner, chat)
    [answered] = await talk.press("Ana", delivered, button)
    assert snoozed in answered.text
    for sent in (confirm, listing, delivered, answered):
        assert english_left(sent.text, language) == [], sent.text
    assert english_left(" ".join(b.label for b in delivered.buttons()), language) == []
    assert english_left(" ".join(o.label for o in listing.select().options), language) == []


@pytest.mark.parametrize(
    ("language", "problem"),
    [
        ("es", "¿Qué debe decir el recordatorio?"),
        ("fr", "Que doit dire le rappel ?"),
        ("pt", "O que o lembrete deve dizer?"),
    ],
)
async def test_a_reminder_without_words_is_refused_in_the_members_language(
    talk: Conversation, language: str, problem: str
) -> None:
    speaker(talk, "Ana", LOCALES[language])
    [refused] = await talk.say("Ana", "/alumni remind me tomorrow at 9")
    assert isinstance(refused.item.to, Ephemeral) and problem in refused.text
    assert english_left(refused.text, language) == []
    [refused] = await talk.say("Ana", "/alumni remind")
    assert english_left(refused.text, language) == [], refused.text


async def test_a_reminder_for_someone_else_arrives_in_their_language(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat
) -> None:
    speaker(talk, "Ana", "es-419")
    speaker(talk, "Bo", "fr", timezone="Pacific/Auckland")
    await talk.say("Bo", "/alumni help")  # Bo is known to the bot
    [confirm] = await talk.say("Ana", "/alumni remind @Bo tomorrow at 12:00 enviar las diapositivas")
    assert "Se lo recordaré a Bo: «enviar las diapositivas»" in confirm.text
    assert "(tu hora), es decir," in confirm.text and "para Bo en Auckland." in confirm.text
    assert english_left(confirm.text, "es") == []
    clock.current = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Direct(talk.ref("Bo"))
    assert "⏰ Rappel de Ana :" in delivered.text
    labels = [b.label for b in delivered.buttons()]
    assert labels == ["Fait", "Reporter de 15 min", "Reporter d’1 heure", "Demain 9 h"]
    assert english_left(delivered.text, "fr") == []


@pytest.mark.parametrize(
    ("language", "typed", "confirmed"),
    [
        ("es", "yo mañana a las 9 llamar", "Te lo recordaré: «llamar»"),
        ("es", "Mí mañana a las 9 llamar", "Te lo recordaré: «llamar»"),
        ("es", "me mañana a las 9 llamar", "Te lo recordaré: «llamar»"),
        ("fr", "moi demain à 9h appeler", "Je vous le rappellerai : « appeler »"),
        ("pt", "eu amanhã às 9 ligar", "Vou lembrar você: “ligar”"),
        ("pt", "mim amanhã às 9 ligar", "Vou lembrar você: “ligar”"),
    ],
)
async def test_me_is_said_in_the_members_language(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat,
    language: str, typed: str, confirmed: str,
) -> None:  # fmt: skip
    speaker(talk, "Ana", LOCALES[language])
    [confirm] = await talk.say("Ana", f"/alumni remind {typed}")
    assert confirm.text.startswith(confirmed), confirm.text
    clock.advance(days=1)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Direct(talk.ref("Ana"))


async def test_another_languages_me_is_not_english(talk: Conversation) -> None:
    speaker(talk, "Bo", "en-GB")
    [refused] = await talk.say("Bo", "/alumni remind moi tomorrow at 9 call")
    assert "Who should I remind? Start with me, @member" in refused.text and isinstance(
        refused.item.to, Ephemeral
    )


@pytest.mark.parametrize(
    ("language", "typed", "repeats"),
    [
        ("es", "cada 2 semanas el lunes a las 10 x", "luego cada 2 semanas el lunes a las 10:00."),
        ("fr", "tous les 2 mois le premier mardi x", "puis tous les 2 mois le premier mardi à 09:00."),
        ("pt", "todo primeiro sábado às 8 x", "depois todo primeiro sábado às 08:00."),
        ("pt", "toda última sexta às 17h x", "depois toda última sexta-feira às 17:00."),
    ],
)
async def test_a_repeat_is_echoed_in_words_that_read_back(
    talk: Conversation, language: str, typed: str, repeats: str
) -> None:
    speaker(talk, "Ana", LOCALES[language])
    [confirm] = await talk.say("Ana", f"/alumni remind me {typed}")
    assert confirm.text.endswith(repeats), confirm.text
    again = repeats.split(" ", 1)[1].removesuffix(".")
    [typed_back] = await talk.say("Ana", f"/alumni remind me {again} y")
    assert typed_back.text.endswith(repeats), typed_back.text


async def test_a_listing_says_each_repeat_in_the_readers_language(talk: Conversation) -> None:
    speaker(talk, "Ana", "es-419")
    speaker(talk, "Fay", "fr")  # a facilitator: she sees channel reminders too
    await talk.say("Ana", "/alumni remind me cada 2 semanas el lunes a las 10 regar")
    await talk.say("Ana", "/alumni language pt")
    [listing] = await talk.say("Ana", "/alumni reminders")
    assert "depois a cada 2 semanas, na segunda-feira às 10:00" in listing.text
    assert english_left(listing.text, "pt") == [] and "cada 2 semanas el" not in listing.text
    await talk.say("Fay", "/alumni language es")
    await talk.say("Fay", "/alumni remind #general cada primer martes a las 15:00 llamada")
    await talk.say("Fay", "/alumni language fr")
    [listing] = await talk.say("Fay", "/alumni reminders")
    assert "puis chaque premier mardi à 15:00" in listing.text, listing.text
