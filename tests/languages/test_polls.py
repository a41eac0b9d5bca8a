"""Polls and roundtables in Spanish, French and Portuguese, through the real core, router and
schedule runner on SQLite and PostgreSQL: a poll and what the channel reads speak the channel's
language, each voter's own confirmations theirs, a roundtable reminder its member's."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from bot.app import build_router
from bot.config import BotSettings, FacilitatorSettings, Settings
from bot.core import Core
from bot.events import Actor
from bot.outbound import Direct, Ephemeral, Public, Update
from bot.refs import MemberRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from tests.languages.english import english_left
from tests.support.chat import PLATFORM, WORKSPACE, Clock, Conversation, RecordingChat
from tests.support.timers import fire

LOCALES = {"es": "es-419", "fr": "fr", "pt": "pt-BR"}
SLOTS = {
    "es": "martes 1 dic a las 15:00, jueves 3 dic a las 12:00",
    "fr": "mardi 1 déc à 15h, jeudi 3 décembre à 12h",
    "pt": "ter 1 dez às 15:00, qui 3 dez às 12:00",
}


def speaks(talk: Conversation, name: str, language: str, timezone: str = "UTC") -> None:
    """`name` as their platform gives them: with the locale of `language`."""
    key = name.lower()
    talk.members[key] = Actor(
        MemberRef(PLATFORM, WORKSPACE, key), name, timezone=timezone, locale=LOCALES[language]
    )


def conversation(database: Database, clock: Clock, channel: str) -> tuple[Conversation, ScheduleRunner]:
    settings = Settings(
        facilitators=FacilitatorSettings(members=(f"{PLATFORM}:fay",)),
        bot=BotSettings(channel_language=channel),
    )
    core = Core(settings, database, build_router(), clock)
    return Conversation(core, RecordingChat()), ScheduleRunner(database, core.router, settings, clock)


def number_in(text: str) -> str:
    found = re.search(r"close (\d+)", text)
    assert found is not None, text
    return found[1]


def no_english(text: str, language: str) -> None:
    left = english_left(text, language)
    assert not left, f"English left in {language}: {left}\n{text}"


@pytest.mark.parametrize("channel", ["es", "fr", "pt"])
async def test_a_poll_speaks_the_channel_and_each_voter_their_own_language(
    database: Database, clock: Clock, channel: str
) -> None:
    talk, runner = conversation(database, clock, channel)
    voter = {"es": "fr", "fr": "pt", "pt": "es"}[channel]  # someone reading another language
    speaks(talk, "Fay", channel)
    speaks(talk, "Ana", voter)
    confirm, poll = await talk.say("Fay", '/alumni poll "Tema?" "Open licences" "Maps" --anonymous')
    assert isinstance(poll.item.to, Public) and poll.item.language == channel  # what the outbox adds too
    no_english(confirm.text, channel)
    no_english(poll.text, channel)
    expected = {
        "es": ("Elige una opción.", "Encuesta n.º", "0 votantes", "anónima", "Retirar mi voto"),
        "fr": ("Choisissez une option.", "Sondage n°", "0 votant·e", "anonyme", "Retirer mon vote"),
        "pt": ("Escolha uma opção.", "Enquete nº", "0 votante", "anônima", "Retirar meu voto"),
    }[channel]
    assert all(words in poll.text for words in expected[:4]), poll.text
    assert expected[4] in [b.label for b in poll.buttons()]

    [mine] = await talk.press("Ana", poll, "Maps")
    assert isinstance(mine.item.to, Ephemeral)
    no_english(mine.text, voter)
    assert {
        "es": "Tu voto ahora: “Maps”.",
        "fr": "Votre vote à présent : “Maps”.",
        "pt": "Seu voto agora: “Maps”.",
    }[voter] in mine.text
    [edit] = await fire(runner, talk.chat)
    assert (
        edit.item.to == Update(poll.ref)
        and {"es": "1 votante", "fr": "1 votant·e", "pt": "1 votante"}[channel] in edit.text
    )
    no_english(edit.text, channel)
    # A share reads as the channel's language writes a percentage.
    assert {"es": "1 (100\u00a0%)", "fr": "1 (100\u00a0%)", "pt": "1 (100%)"}[channel] in edit.text

    [withdrawn] = await talk.press("Fay", poll, expected[4])
    no_english(withdrawn.text, channel)  # Fay reads the channel's language too
    final, results = await talk.press(
        "Fay",
        poll,
        {"es": "Cerrar la encuesta", "fr": "Clore le sondage", "pt": "Encerrar a enquete"}[channel],
    )
    assert final.item.to == Update(poll.ref) and isinstance(results.item.to, Public)
    assert final.item.language == results.item.language == channel
    assert {"es": "Resultados finales:", "fr": "Résultats finaux :", "pt": "Resultados finais:"}[
        channel
    ] in results.text
    no_english(results.text, channel)

    [export] = await talk.say("Fay", f"/alumni poll export {number_in(confirm.text)}")
    no_english(export.text, channel)
    header = next(csv.reader(io.StringIO(export.attachments[0].data.decode())))
    assert (
        header
        == {
            "es": ["opción", "respuesta", "votos"],
            "fr": ["option", "réponse", "votes"],
            "pt": ["opção", "resposta", "votos"],
        }[channel]
    )


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
async def test_a_facilitators_mistakes_are_told_in_their_language(
    database: Database, clock: Clock, language: str
) -> None:
    talk, _runner = conversation(database, clock, "en")
    speaks(talk, "Fay", language)
    for typed in (
        '/alumni poll "Lunch?" "Pizza"',
        '/alumni poll "Lunch?" "Pizza" "Soup" --closes yesterday at 9',
        '/alumni poll "Lunch?" "Pizza" "Pizza"',
        '/alumni poll "Lunch?',
        "/alumni poll close",
        '/alumni roundtable plan "Maps" --slots whenever, later',
        "/alumni roundtable dance",
    ):
        [said] = await talk.say("Fay", typed)
        assert isinstance(said.item.to, Ephemeral)
        no_english(said.text, language)
    opened = await talk.say("Fay", "/alumni poll")
    form = opened[0].form
    assert form.title == {"es": "Nueva encuesta", "fr": "Nouveau sondage", "pt": "Nova enquete"}[language]
    await talk.submit("Fay", form, question="Lunch?", options="Pizza\nSoup", closes="someday")
    for problem in talk.last_outcome.form_errors.values():
        no_english(problem, language)
    # The example in the translated error reads in the member's language, and works as typed.
    [closing] = await talk.say("Fay", '/alumni poll "Lunch?" "Pizza" "Soup" --closes every day at 9')
    example = re.search(r"[«“] ?(.+?) ?[»”]\.", closing.text)
    assert example is not None
    confirm, _poll = await talk.say("Fay", f'/alumni poll "Lunch?" "Pizza" "Soup" --closes {example[1]}')
    no_english(confirm.text, language)


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
async def test_a_roundtable_is_planned_announced_and_recalled_in_each_readers_language(
    database: Database, clock: Clock, language: str
) -> None:
    talk, runner = conversation(database, clock, language)
    other = {"es": "pt", "fr": "es", "pt": "fr"}[language]
    speaks(talk, "Fay", language)
    speaks(talk, "Ana", other)
    confirm, poll = await talk.say(
        "Fay", f'/alumni roundtable plan "Open licences" --slots {SLOTS[language]}'
    )
    no_english(confirm.text, language)
    no_english(poll.text, language)
    yes = {"es": "2 Sí", "fr": "2 Oui", "pt": "2 Sim"}[language]
    [mine] = await talk.press("Ana", poll, yes)
    no_english(mine.text, other)
    [who] = await talk.press(
        "Fay", poll, {"es": "Quién votó", "fr": "Qui a voté", "pt": "Quem votou"}[language]
    )
    assert {"es": ": nadie", "fr": ": personne", "pt": ": ninguém"}[language] in who.text  # slot 1
    no_english(who.text, language)
    closed = await talk.press(
        "Fay",
        poll,
        {"es": "Cerrar la encuesta", "fr": "Clore le sondage", "pt": "Encerrar a enquete"}[language],
    )
    *_results, announced, calendar = closed
    for sent in closed:
        no_english(sent.text, language)
    ics = Calendar.from_ical(calendar.attachments[0].data).walk("VEVENT")[0]
    summary = {
        "es": "Mesa redonda: Open licences",
        "fr": "Table ronde : Open licences",
        "pt": "Mesa-redonda: Open licences",
    }
    assert str(ics["summary"]) == summary[language]
    no_english(str(ics["description"]), language)

    going = {"es": "Voy", "fr": "J’y serai", "pt": "Vou"}
    answer, updated = await talk.press("Ana", announced, going[language])
    assert (
        isinstance(updated.item.to, Update) and f"{going[language]} 1" in updated.text
    )  # the channel's words
    assert going[other] in answer.text  # Ana's own
    no_english(answer.text, other)
    [listing] = await talk.say("Ana", "/alumni roundtables")
    no_english(listing.text, other)

    clock.current = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a day before
    [reminder] = [s for s in await fire(runner, talk.chat) if isinstance(s.item.to, Direct)]
    assert {
        "es": "Mesa redonda «Open licences»",
        "fr": "Table ronde « Open licences »",
        "pt": "Mesa-redonda “Open licences”",
    }[other] in reminder.text
    no_english(reminder.text, other)


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
async def test_suggestions_in_each_language(database: Database, clock: Clock, language: str) -> None:
    talk, _runner = conversation(database, clock, language)
    speaks(talk, "Ana", language)
    speaks(talk, "Fay", language)
    [thanks] = await talk.say("Ana", '/alumni roundtable suggest "Licensing for open data"')
    [again] = await talk.say("Ana", '/alumni roundtable suggest "Licensing for open data"')
    [too_few] = await talk.say("Fay", "/alumni roundtable poll")
    for sent in (thanks, again, too_few):
        no_english(sent.text, language)
    await talk.say("Fay", '/alumni roundtable suggest "Data portals"')
    confirm, poll = await talk.say("Fay", "/alumni roundtable poll")
    no_english(confirm.text, language)
    no_english(poll.text, language)


async def test_help_for_roundtables_reads_and_types_in_the_members_language(
    database: Database, clock: Clock
) -> None:
    talk, _runner = conversation(database, clock, "en")
    speaks(talk, "Ana", "es")
    [help_text] = await talk.say("Ana", "/alumni help roundtable")
    assert "Sugerir un tema para una mesa redonda" in help_text.text
    assert '/alumni roundtable suggest "Licencias para datos abiertos"' in help_text.text
    no_english(help_text.text, "es")
    [thanks] = await talk.say("Ana", '/alumni roundtable suggest "Licencias para datos abiertos"')
    assert "¡Gracias! «Licencias para datos abiertos» está en la lista" in thanks.text
