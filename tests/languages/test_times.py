"""Times typed in Spanish, French and Portuguese (English always still reads the same), the
errors for bad ones in the member's language, and times shown as the reader's locale writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import wall_clock
from bot.app import build_router
from bot.errors import UserError
from bot.i18n import _, speaking
from bot.time_words import EXAMPLE, EXAMPLES
from bot.when import When, parse_when

LONDON = "Europe/London"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday, 09:00 in London


def read(language: str, text: str) -> tuple[str, str, str]:
    """(local due time, how the repeat reads, the member's text) of `text` typed in `language`."""
    with speaking(language):
        when, rest = parse_when(text, LONDON, NOW)
    return f"{when.first.astimezone(ZoneInfo(LONDON)):%a %Y-%m-%d %H:%M}", when.repeats, rest


@pytest.mark.parametrize(
    ("language", "text", "due", "rest"),
    [
        ("es", "mañana a las 9 llamar a Ana", "Wed 2026-11-25 09:00", "llamar a Ana"),
        ("es", "Pasado MAÑANA a las 10:30 x", "Thu 2026-11-26 10:30", "x"),
        ("es", "el miercoles x", "Wed 2026-11-25 09:00", "x"),
        ("es", "el próximo martes x", "Tue 2026-12-01 09:00", "x"),
        ("es", "en 2 horas x", "Tue 2026-11-24 11:00", "x"),
        ("es", "en 1 hora y 30 minutos y luego", "Tue 2026-11-24 10:30", "y luego"),
        ("es", "el 3 de marzo a las 15:00 x", "Wed 2027-03-03 15:00", "x"),
        ("es", "3 de marzo de 2028 x", "Fri 2028-03-03 09:00", "x"),
        ("es", "esta noche x", "Tue 2026-11-24 20:00", "x"),
        ("es", "mañana a las 3 de la tarde x", "Wed 2026-11-25 15:00", "x"),
        ("fr", "demain à 9h appeler Ana", "Wed 2026-11-25 09:00", "appeler Ana"),
        ("fr", "après-demain à 9h30 x", "Thu 2026-11-26 09:30", "x"),
        ("fr", "Mardi prochain x", "Tue 2026-12-01 09:00", "x"),
        ("fr", "dans 2 heures x", "Tue 2026-11-24 11:00", "x"),
        ("fr", "dans 3 jours à 10h x", "Fri 2026-11-27 10:00", "x"),
        ("fr", "le 3 mars x", "Wed 2027-03-03 09:00", "x"),
        ("fr", "le 1er décembre à midi x", "Tue 2026-12-01 12:00", "x"),
        ("fr", "ce soir x", "Tue 2026-11-24 20:00", "x"),
        ("fr", "demain à 8h du soir x", "Wed 2026-11-25 20:00", "x"),
        ("fr", "dans 3 jours à midi x", "Fri 2026-11-27 12:00", "x"),
        ("pt", "amanhã às 9 ligar para a Ana", "Wed 2026-11-25 09:00", "ligar para a Ana"),
        ("pt", "depois de amanhã às 9 x", "Thu 2026-11-26 09:00", "x"),
        ("pt", "segunda que vem x", "Mon 2026-11-30 09:00", "x"),
        ("pt", "na sexta-feira às 17h x", "Fri 2026-11-27 17:00", "x"),
        ("pt", "em 2 horas x", "Tue 2026-11-24 11:00", "x"),
        ("pt", "3 de março x", "Wed 2027-03-03 09:00", "x"),
        ("pt", "no dia 3 de marco às 9h30 x", "Wed 2027-03-03 09:30", "x"),
        ("pt", "hoje à noite x", "Tue 2026-11-24 20:00", "x"),
        ("pt", "amanhã às 3 da tarde x", "Wed 2026-11-25 15:00", "x"),
    ],
)
def test_one_off_times_in_the_members_language(language: str, text: str, due: str, rest: str) -> None:
    assert read(language, text) == (due, "", rest)


@pytest.mark.parametrize(
    ("language", "text", "due", "repeats"),
    [
        ("es", "todos los lunes a las 9 x", "Mon 2026-11-30 09:00", "cada lunes a las 09:00"),
        ("es", "cada día a las 8 x", "Wed 2026-11-25 08:00", "cada día a las 08:00"),
        (
            "es",
            "cada 2 semanas el lunes a las 10 x",
            "Mon 2026-12-07 10:00",
            "cada 2 semanas el lunes a las 10:00",
        ),
        ("es", "cada dos semanas el lunes x", "Mon 2026-12-07 09:00", "cada 2 semanas el lunes a las 09:00"),
        (
            "es",
            "cada primer martes a las 15:00 x",
            "Tue 2026-12-01 15:00",
            "cada primer martes a las 15:00",
        ),
        ("es", "todos los meses el día 1 x", "Tue 2026-12-01 09:00", "cada mes, el día 1 a las 09:00"),
        ("es", "todos los lunes a las 8 de la noche x", "Mon 2026-11-30 20:00", "cada lunes a las 20:00"),
        ("fr", "tous les lundis à 9h x", "Mon 2026-11-30 09:00", "chaque lundi à 09:00"),
        ("fr", "chaque jour à 8h x", "Wed 2026-11-25 08:00", "chaque jour à 08:00"),
        (
            "fr",
            "toutes les deux semaines le lundi à 10h x",
            "Mon 2026-12-07 10:00",
            "toutes les 2 semaines le lundi à 10:00",
        ),
        (
            "fr",
            "tous les lundis et mercredis à 9h x",
            "Wed 2026-11-25 09:00",
            "chaque lundi et mercredi à 09:00",
        ),
        ("fr", "tous les mois le 1er x", "Tue 2026-12-01 09:00", "chaque mois, le 1er à 09:00"),
        ("pt", "toda segunda às 9 x", "Mon 2026-11-30 09:00", "toda segunda-feira às 09:00"),
        ("pt", "todo dia às 8 x", "Wed 2026-11-25 08:00", "todo dia às 08:00"),
        (
            "pt",
            "a cada 2 semanas na segunda às 10 x",
            "Mon 2026-12-07 10:00",
            "a cada 2 semanas, na segunda-feira às 10:00",
        ),
        (
            "pt",
            "a cada duas semanas na segunda x",
            "Mon 2026-12-07 09:00",
            "a cada 2 semanas, na segunda-feira às 09:00",
        ),
        (
            "pt",
            "toda primeira terça às 15h x",
            "Tue 2026-12-01 15:00",
            "toda primeira terça-feira às 15:00",
        ),
        ("pt", "todos os dias úteis às 9 x", "Wed 2026-11-25 09:00", "todo dia útil às 09:00"),
    ],
)
def test_repeats_in_the_members_language(language: str, text: str, due: str, repeats: str) -> None:
    assert read(language, text) == (due, repeats, "x")


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_examples_a_member_is_shown_read_in_their_language(language: str) -> None:
    with speaking(language):
        examples = [e.strip('" ') for e in _(EXAMPLES).split('", "')]
        example = _(EXAMPLE).removeprefix("/alumni remind ").split(" ", 1)[1]  # after "me" or "moi"
    for phrase in [*examples, example]:
        read(language, f"{phrase} x")  # raises if the example does not read


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_remind_commands_help_examples_read_in_each_language(language: str) -> None:
    remind = build_router().commands["remind"]
    with speaking(language):
        shown = [_(example) for example in remind.examples]
    for example in shown:
        when = example.removeprefix("/alumni remind ").split(" ", 1)[1]  # after me, @Ana or #general
        assert read(language, when)[2], example  # a time, then what to remind about


@pytest.mark.parametrize(
    ("language", "text", "problem", "example"),
    [
        ("es", "cuando quieras x", "No sé cuándo es «cuando quieras x».", "mañana a las 9"),
        ("es", "mañana a las 25:00 x", "«25:00» no es una hora del día", "mañana a las 9"),
        (
            "es",
            "el 31 de abril x",
            "No existe el 31 de abril: abril tiene como máximo 30 días.",
            "28 de febrero",
        ),
        ("es", "ayer x", "Esa hora ya pasó (", "mañana a las 9:00"),
        ("fr", "quand tu veux x", "Je ne sais pas quand tombe « quand tu veux x ».", "demain à 9h"),
        ("fr", "demain à 9h61 x", "« 9h61 » n’est pas une heure", "demain à 9h"),
        (
            "fr",
            "le lundi 1 décembre 2026 x",
            "Le 1 décembre 2026 est un mardi, pas un lundi.",
            "le mardi 1 décembre",
        ),
        ("fr", "tous les mois le 32 x", "Aucun mois n’a de 32.", "tous les mois le 1er"),
        ("pt", "quando quiser x", "Não sei quando é “quando quiser x”.", "amanhã às 9"),
        (
            "pt",
            "29 de fevereiro de 2027 x",
            "Não existe 29 de fevereiro de 2027: fevereiro de 2027 tem 28 dias.",
            "28 de fevereiro",
        ),
        (
            "pt",
            "a cada 5 minutos x",
            "Um lembrete pode se repetir no máximo a cada 15 minutos.",
            "a cada 30 minutos",
        ),
    ],
)
def test_a_bad_time_is_explained_in_the_members_language(
    language: str, text: str, problem: str, example: str
) -> None:
    with speaking(language), pytest.raises(UserError) as raised:
        parse_when(text, LONDON, NOW)
    with speaking(language):
        said = raised.value.text()
    assert problem in said and example in said.split("\n")[-1]


@pytest.mark.parametrize(
    ("language", "full", "time"),
    [
        ("en", "Tue, Dec 1, 2026, 3:05\u202fPM", "3:05\u202fPM"),
        ("es", "mar, 1 dic 2026, 15:05", "15:05"),
        ("fr", "mar. 1 déc. 2026 15:05", "15:05"),
        ("pt", "ter., 1 de dez. de 2026 15:05", "15:05"),
    ],
)
def test_times_are_shown_as_the_readers_locale_writes_them(language: str, full: str, time: str) -> None:
    moment = datetime(2026, 12, 1, 15, 5, tzinfo=UTC)
    with speaking(language):
        assert wall_clock.shown(moment, LONDON) == full
        assert wall_clock.shown(moment, LONDON, "time") == time
        # On the reader's clock: already the next day in Tokyo.
        assert wall_clock.shown(moment, "Asia/Tokyo", "date") != wall_clock.shown(moment, LONDON, "date")


# English phrases the grammar reads, and member text that is no time word in any language.
ENGLISH_DAYS = st.sampled_from(
    ["tomorrow", "today", "tonight", "next friday", "on Monday", "Tue", "on 12 March", "March 12th 2027",
     "12th of March", "2027-03-12", "sat", "Mar 12", "on 3 mar", "in 2 hours", "in an hour", "in a day",
     "in 3 days", "in 1 hour and 30 minutes", "every day", "every weekday", "every 2 weeks on Monday",
     "every first Tuesday", "every month on the 1st", "every other week", "every last Friday of the month",
     "every month on the last day", "every year on 29 February", "every Monday and Friday", ""]
)  # fmt: skip
ENGLISH_TIMES = st.sampled_from(
    ["", "at 9", "at 9:30", "at 3pm", "at 9 pm", "at noon", "at midnight", "17:00"]
)
MEMBER_TEXT = st.sampled_from(
    ["call Ana", "send the report", "and then rest", "x", "🎉 party", "the 5 things"]
)


def outcome(language: str, text: str) -> tuple[When, str] | str:
    with speaking(language):
        try:
            return parse_when(text, LONDON, NOW)
        except UserError as error:
            return type(error).__name__


@given(ENGLISH_DAYS, ENGLISH_TIMES, MEMBER_TEXT, st.sampled_from(["es", "fr", "pt"]))
def test_english_reads_the_same_in_every_language(day: str, time: str, text: str, language: str) -> None:
    typed = " ".join(part for part in (day, time, text) if part)
    english, other = outcome("en", typed), outcome(language, typed)
    if isinstance(english, tuple) and isinstance(other, tuple):  # a repeat reads in each language
        english, other = (
            (english[0].first, english[0].rule, english[1]),
            (other[0].first, other[0].rule, other[1]),
        )
    assert english == other
