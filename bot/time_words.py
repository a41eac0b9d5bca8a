"""The words times are made of, in each language, and what to say when they make no time.

Shared by one-off moments (bot.moments) and repeats (bot.when): one grammar reads every
language through the tables here, English's and the member's own merged, so English always
still works. Weekday and month names come from Babel (CLDR); the rest are short lists. Words
are compared lower case and without accents ("miércoles", "Miercoles" and "MIÉRCOLES" are one
word). A clock time or a date that cannot exist ("25:99", "13pm", "31 February") is refused with
the reason, never read as something else.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from babel import Locale

from bot.errors import UserError
from bot.i18n import N_, _, babel_locale, current_language, current_locale

# Examples in the member's language: translations give phrases that read in that language.
EXAMPLES = N_('"in 20 minutes", "tomorrow at 9", "on 12 March at 15:00", "every weekday at 9:00"')
EXAMPLE = N_("/alumni remind me tomorrow at 9 send the report")
MAX_WHEN_WORDS = 8
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # date.weekday() order, as Babel numbers days

# "9", "15:00", "9.30", "9h30", "9h", "3pm", "3:30pm"
CLOCK = re.compile(r"^([0-9]{1,2})(?:[:.h]([0-9]{2}))?(am|pm|h)?$")
# "3", "3rd", "1er" (French), "1º" (Spanish and Portuguese)
ORDINAL_DAY = re.compile(r"^([0-9]{1,2})(st|nd|rd|th|er|º|°|o)?$")
YEAR = re.compile(r"^(19|2[0-9])[0-9]{2}$")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """What one language says for each part of the grammar (lower case, without accents).
    Phrases are tuples of words; weekday and month names are added from Babel."""

    days_from_today: Mapping[Phrase, int] = field(default_factory=dict)
    evening: frozenset[Phrase] = frozenset()  # today, in the evening
    at: frozenset[Phrase] = frozenset()
    in_: frozenset[Phrase] = frozenset()  # "in 2 hours"
    on: frozenset[str] = frozenset()
    next: frozenset[str] = frozenset()  # before a weekday: skips today
    this: frozenset[str] = frozenset()
    next_after: frozenset[Phrase] = frozenset()  # after a weekday ("lundi prochain")
    of: frozenset[str] = frozenset()  # between a day and its month
    before_year: frozenset[str] = frozenset()  # between a month and its year
    and_: frozenset[str] = frozenset()
    numbers: Mapping[str, int] = field(default_factory=dict)  # amounts and intervals in words
    units: Mapping[str, str] = field(default_factory=dict)  # relativedelta's names
    noon: frozenset[str] = frozenset()
    midnight: frozenset[str] = frozenset()
    am: frozenset[Phrase] = frozenset()  # after a clock time: "9 am", "9 de la mañana"
    pm: frozenset[Phrase] = frozenset()  # "3 pm", "3 de la tarde", "8h du soir"
    every: frozenset[Phrase] = frozenset()
    other: frozenset[str] = frozenset()  # "every other week"
    weekday_unit: frozenset[Phrase] = frozenset()  # Monday to Friday
    rule_units: Mapping[str, str] = field(default_factory=dict)  # RRULE frequencies
    ordinals: Mapping[str, int] = field(default_factory=dict)  # "first Tuesday"; -1 is the last
    the: frozenset[str] = frozenset()  # before a day of the month
    last_day: frozenset[Phrase] = frozenset()  # of the month
    of_the_month: frozenset[Phrase] = frozenset()  # "the last Friday of the month"
    weekdays: Mapping[str, str] = field(default_factory=dict)  # beyond Babel's names
    months: Mapping[str, int] = field(default_factory=dict)  # beyond Babel's names


def _phrases(*texts: str) -> frozenset[Phrase]:
    return frozenset(tuple(text.split()) for text in texts)


ENGLISH = Words(
    days_from_today={("today",): 0, ("tonight",): 0, ("tomorrow",): 1, ("yesterday",): -1},
    evening=_phrases("tonight"),
    at=_phrases("at"),
    in_=_phrases("in"),
    on=frozenset({"on"}),
    next=frozenset({"next"}),
    this=frozenset({"this"}),
    of=frozenset({"of"}),
    and_=frozenset({"and"}),
    numbers={"a": 1, "an": 1, "one": 1},
    units={
        "second": "seconds",
        "sec": "seconds",
        "minute": "minutes",
        "min": "minutes",
        "hour": "hours",
        "hr": "hours",
        "day": "days",
        "week": "weeks",
        "month": "months",
        "year": "years",
    },
    noon=frozenset({"noon"}),
    midnight=frozenset({"midnight"}),
    am=_phrases("am"),
    pm=_phrases("pm"),
    every=_phrases("every"),
    other=frozenset({"other"}),
    weekday_unit=_phrases("weekday", "workday"),
    rule_units={
        "minute": "MINUTELY",
        "hour": "HOURLY",
        "day": "DAILY",
        "week": "WEEKLY",
        "month": "MONTHLY",
        "year": "YEARLY",
    },
    ordinals={
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "last": -1,
    },
    the=frozenset({"the"}),
    last_day=_phrases("last day"),
    of_the_month=_phrases("of the month", "of the months"),
    weekdays={"tues": "TU", "thurs": "TH"},
    months={"sept": 9},
)

SPANISH = Words(
    days_from_today={
        ("hoy",): 0,
        ("esta", "noche"): 0,
        ("manana",): 1,
        ("pasado", "manana"): 2,
        ("ayer",): -1,
    },
    evening=_phrases("esta noche"),
    at=_phrases("a las", "a la", "a", "al"),
    in_=_phrases("en", "dentro de"),
    on=frozenset({"el", "los"}),
    next=frozenset({"proximo", "proxima"}),
    this=frozenset({"este", "esta"}),
    next_after=_phrases("proximo", "proxima", "que viene"),
    of=frozenset({"de"}),
    before_year=frozenset({"de", "del"}),
    and_=frozenset({"y"}),
    numbers={"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3},
    units={
        "segundo": "seconds",
        "minuto": "minutes",
        "min": "minutes",
        "hora": "hours",
        "dia": "days",
        "semana": "weeks",
        "mes": "months",
        "meses": "months",
        "ano": "years",
    },
    noon=frozenset({"mediodia"}),
    midnight=frozenset({"medianoche"}),
    am=_phrases("de la manana"),
    pm=_phrases("de la tarde", "de la noche"),
    every=_phrases("todos los", "todas las", "cada"),
    weekday_unit=_phrases("dia laborable", "dias laborables", "dia habil", "dias habiles"),
    rule_units={
        "minuto": "MINUTELY",
        "hora": "HOURLY",
        "dia": "DAILY",
        "semana": "WEEKLY",
        "mes": "MONTHLY",
        "meses": "MONTHLY",
        "ano": "YEARLY",
    },
    ordinals={
        "primer": 1,
        "primero": 1,
        "primera": 1,
        "segundo": 2,
        "segunda": 2,
        "tercer": 3,
        "tercero": 3,
        "tercera": 3,
        "cuarto": 4,
        "cuarta": 4,
        "ultimo": -1,
        "ultima": -1,
    },
    the=frozenset({"el", "dia"}),
    last_day=_phrases("ultimo dia"),
    of_the_month=_phrases("del mes", "de cada mes"),
    months={"setiembre": 9},
)

FRENCH = Words(
    days_from_today={
        ("aujourd'hui",): 0,
        ("ce", "soir"): 0,
        ("demain",): 1,
        ("apres-demain",): 2,
        ("apres", "demain"): 2,
        ("hier",): -1,
    },
    evening=_phrases("ce soir"),
    at=_phrases("a"),
    in_=_phrases("dans"),
    on=frozenset({"le"}),
    this=frozenset({"ce"}),
    next_after=_phrases("prochain", "prochaine"),
    and_=frozenset({"et"}),
    numbers={"un": 1, "une": 1, "deux": 2, "trois": 3},
    units={
        "seconde": "seconds",
        "minute": "minutes",
        "min": "minutes",
        "heure": "hours",
        "jour": "days",
        "semaine": "weeks",
        "mois": "months",
        "an": "years",
        "annee": "years",
    },
    noon=frozenset({"midi"}),
    midnight=frozenset({"minuit"}),
    am=_phrases("du matin"),
    pm=_phrases("de l'apres-midi", "du soir"),
    every=_phrases("tous les", "toutes les", "chaque"),
    weekday_unit=_phrases("jour ouvre", "jours ouvres", "jour de semaine", "jours de semaine"),
    rule_units={
        "minute": "MINUTELY",
        "heure": "HOURLY",
        "jour": "DAILY",
        "semaine": "WEEKLY",
        "mois": "MONTHLY",
        "an": "YEARLY",
        "annee": "YEARLY",
    },
    ordinals={
        "premier": 1,
        "premiere": 1,
        "1er": 1,
        "deuxieme": 2,
        "second": 2,
        "seconde": 2,
        "troisieme": 3,
        "quatrieme": 4,
        "dernier": -1,
        "derniere": -1,
    },
    the=frozenset({"le"}),
    last_day=_phrases("dernier jour"),
    of_the_month=_phrases("du mois", "de chaque mois"),
)

PORTUGUESE = Words(
    days_from_today={
        ("hoje",): 0,
        ("hoje", "a", "noite"): 0,
        ("esta", "noite"): 0,
        ("amanha",): 1,
        ("depois", "de", "amanha"): 2,
        ("ontem",): -1,
    },
    evening=_phrases("hoje a noite", "esta noite"),
    at=_phrases("as", "a", "ao"),
    in_=_phrases("em", "daqui a"),
    on=frozenset({"na", "no", "em"}),
    next=frozenset({"proxima", "proximo"}),
    this=frozenset({"esta", "este", "nesta", "neste"}),
    next_after=_phrases("que vem"),
    of=frozenset({"de"}),
    before_year=frozenset({"de"}),
    and_=frozenset({"e"}),
    numbers={"um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3},
    units={
        "segundo": "seconds",
        "minuto": "minutes",
        "min": "minutes",
        "hora": "hours",
        "dia": "days",
        "semana": "weeks",
        "mes": "months",
        "meses": "months",
        "ano": "years",
    },
    noon=frozenset({"meio-dia"}),
    midnight=frozenset({"meia-noite"}),
    am=_phrases("da manha"),
    pm=_phrases("da tarde", "da noite"),
    every=_phrases("todo", "toda", "todos os", "todas as", "cada", "a cada"),
    weekday_unit=_phrases("dia util", "dias uteis"),
    rule_units={
        "minuto": "MINUTELY",
        "hora": "HOURLY",
        "dia": "DAILY",
        "semana": "WEEKLY",
        "mes": "MONTHLY",
        "meses": "MONTHLY",
        "ano": "YEARLY",
    },
    ordinals={
        "primeiro": 1,
        "primeira": 1,
        "segundo": 2,
        "segunda": 2,
        "terceiro": 3,
        "terceira": 3,
        "quarto": 4,
        "quarta": 4,
        "ultimo": -1,
        "ultima": -1,
    },
    the=frozenset({"no", "dia"}),
    last_day=_phrases("ultimo dia"),
    of_the_month=_phrases("do mes", "de cada mes"),
)

TABLES: dict[str, Words] = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH, "pt": PORTUGUESE}


def plain(word: str) -> str:
    """A word as the tables hold it: lower case, accents off, typographic apostrophes straight."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _calendar_names(locale: Locale, extra_days: Mapping[str, str], extra_months: Mapping[str, int]) -> Words:
    """Babel's weekday names (and, for Portuguese, "segunda" for "segunda-feira") and its month
    names, wide and abbreviated, with the dots of abbreviations left off."""
    days = dict(extra_days)
    for width in ("wide", "abbreviated"):
        for number, name in locale.days["format"][width].items():
            for word in (plain(name).rstrip("."), plain(name).split("-")[0]):
                days.setdefault(word, WEEK[number])
    months = dict(extra_months)
    for width in ("wide", "abbreviated"):
        for number, name in locale.months["format"][width].items():
            months.setdefault(plain(name).rstrip("."), number)
    return Words(weekdays=days, months=months)


@dataclass(frozen=True)
class Vocabulary:
    """English's words and one other language's, merged: where both use a word, English's
    meaning wins, so an English phrase reads the same in every language."""

    words: Words
    weekdays: Mapping[str, str]
    months: Mapping[str, int]

    def phrase(self, words: Sequence[str], position: int, phrases: frozenset[Phrase]) -> int:
        """How many words the longest of `phrases` at `position` takes (0: none is there)."""
        for size in sorted({len(p) for p in phrases}, reverse=True):
            if tuple(words[position : position + size]) in phrases:
                return size
        return 0

    def weekday(self, word: str) -> str | None:
        """ "MO" for "monday", "lundis" or "segundas"; None for other words."""
        return self.weekdays.get(word) or (self.weekdays.get(word[:-1]) if word.endswith("s") else None)

    def unit(self, table: Mapping[str, str], word: str) -> str | None:
        return table.get(word) or (table.get(word[:-1]) if word.endswith("s") else None)


def _merged(first: Words, second: Words) -> Words:
    """`second`'s words, then `first`'s over them."""
    merged: dict[str, Any] = {}
    for name in Words.__dataclass_fields__:
        mine, theirs = getattr(first, name), getattr(second, name)
        merged[name] = {**theirs, **mine} if isinstance(mine, Mapping) else mine | theirs
    return Words(**merged)


@cache
def _vocabulary(language: str) -> Vocabulary:
    english = _merged(ENGLISH, _calendar_names(babel_locale("en"), ENGLISH.weekdays, ENGLISH.months))
    own = TABLES.get(language)
    if own is None or language == "en":
        words = english
    else:
        words = _merged(
            english, _merged(own, _calendar_names(babel_locale(language), own.weekdays, own.months))
        )
    # A name another language shares with an English month or weekday ("mar", mardi) keeps
    # its English meaning: "Mar 12" is still 12 March.
    weekdays = {w: d for w, d in words.weekdays.items() if w in english.weekdays or w not in english.months}
    months = {w: m for w, m in words.months.items() if w in english.months or w not in english.weekdays}
    return Vocabulary(words, weekdays, months)


def vocabulary() -> Vocabulary:
    """The words of the language being spoken, with English's."""
    return _vocabulary(current_language())


class ImpossibleTime(UserError):
    """A time or date that does not exist, as opposed to words that are not a time at all."""


class PastTime(UserError):
    """A time that has already passed."""


def month_number(word: str) -> int | None:
    """1-12 for "march", "mar", "sept", "marzo" or "mars"; None for other words."""
    return vocabulary().months.get(word)


def month_name(month: int) -> str:
    """The month's name as the language being spoken writes it in a date ("April", "abril")."""
    return str(current_locale().months["format"]["wide"][month])


def day_name(weekday: int) -> str:
    """The weekday's name (0 is Monday) as the language being spoken writes it."""
    return str(current_locale().days["format"]["wide"][weekday])


def clock(word: str, *, after_at: bool) -> tuple[int, int] | None:
    """(hour, minute) of a clock word; None when it is not shaped like one ("9" counts only
    after "at"). Shaped like one but impossible ("25:99", "13pm") is refused."""
    found = CLOCK.match(word)
    if found is None or not (after_at or found.group(2) or found.group(3)):
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if minute > 59 or (hour > 23 if half in (None, "h") else not 1 <= hour <= 12):
        raise ImpossibleTime(
            _(
                "\u201c{word}\u201d is not a time of day: hours go from 0 to 23 (or 1 to 12 with am or pm) "
                "and minutes from 00 to 59."
            ).format(word=word),
            _(EXAMPLE),
        )
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return hour, minute


def time_of_day(
    words: Sequence[str], position: int, said: Vocabulary, *, after_at: bool
) -> tuple[tuple[int, int], int] | None:
    """(hour, minute) of the clock words at `position` ("noon", "9 pm", "15:00", "3 de la
    tarde") and how many words they take; None when no time of day is there."""
    word = words[position] if position < len(words) else ""
    if word in said.words.noon:
        return (12, 0), 1
    if word in said.words.midnight:
        return (0, 0), 1
    for half in ("am", "pm"):
        size = said.phrase(words, position + 1, getattr(said.words, half))
        if size and (found := clock(word.removesuffix("h") + half, after_at=True)):
            return found, 1 + size
    found = clock(word, after_at=after_at)
    return (found, 1) if found else None


def check_date(day: int, month: int, year: int | None) -> None:
    """Refuse "31 February", "31 April" or "29 February 2027"; a year left out may be a leap one."""
    longest = calendar.monthrange(year if year else 2028, month)[1]
    if 1 <= day <= longest:
        return
    name = month_name(month)
    if year:
        problem = _("There is no {day} {month} {year}: {month} {year} has {longest} days.")
    else:
        problem = _("There is no {day} {month}: {month} has at most {longest} days.")
    raise ImpossibleTime(
        problem.format(day=day, month=name, year=year, longest=longest),
        _("/alumni remind me on 28 February at 10:00 send the report"),
    )


def unreadable(words: list[str]) -> UserError:
    shown = " ".join(words[:MAX_WHEN_WORDS]) or _("(nothing)")
    return UserError(
        _("I can't tell when \u201c{shown}\u201d is. Times I understand: {examples}.").format(
            shown=shown, examples=_(EXAMPLES)
        ),
        _(EXAMPLE),
    )
