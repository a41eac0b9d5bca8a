"""Reading "when" from what members type, in their own time zone.

One-off times are read by bot.moments ("in 20 minutes", "tomorrow at 9", "on 12 March at
15:00", "next Friday"). Repeats start with "every" and become an RFC 5545 RRULE for dateutil
("every weekday at 9:00", "every first Tuesday at 15:00", "every 2 weeks on Monday at 10",
"every month on the 1st"). A day without a time means 9:00. Whatever follows the time is
returned exactly as typed: it is the member's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import recurrence, wall_clock
from bot.errors import UserError
from bot.i18n import _, current_language, join_list, ngettext, pgettext
from bot.moments import DEFAULT_HOUR, amount, read_moment
from bot.time_words import (
    ORDINAL_DAY,
    WEEK,
    ImpossibleTime,
    PastTime,
    Vocabulary,
    check_date,
    day_name,
    month_name,
    plain,
    time_of_day,
    unreadable,
    vocabulary,
)

MIN_GAP = timedelta(minutes=15)
MAX_INTERVAL = 999
WORD = re.compile(r"\S+")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
# Saturday and Sunday, for languages whose words agree with the day (Portuguese: "todo sábado",
# but "toda segunda-feira").
WEEKEND = ("SA", "SU")


@dataclass(frozen=True)
class When:
    first: datetime  # UTC
    rule: str = ""  # RRULE without DTSTART; "" when it happens once
    anchor: datetime | None = None  # the rule's DTSTART, UTC
    repeats: str = ""  # how the rule reads: "every first Tuesday at 15:00"


def parse_when(text: str, zone: str, now: datetime) -> tuple[When, str]:
    """Read a time from the start of `text`; return it and the rest of `text` as typed."""
    spans = list(WORD.finditer(text))
    words = [span.group() for span in spans]
    every = repeat_words(words)
    if every:
        when, size = _repeating(words[every:], zone, now)
        size += every
    else:
        moment, size = read_moment(words, zone, now)
        when = When(moment)
    if when.first <= now:
        raise PastTime(
            _("That time is in the past ({time} your time).").format(time=wall_clock.shown(when.first, zone)),
            _("/alumni remind me tomorrow at 9:00 send the report"),
        )
    return when, text[spans[size - 1].end() :].strip()


def repeat_words(words: list[str]) -> int:
    """How many of the first words say "every" ("every", "todos los", "tous les"); 0 if none."""
    said = vocabulary()
    return said.phrase([plain(w) for w in words[:2]], 0, said.words.every)


def _repeating(words: list[str], zone: str, now: datetime) -> tuple[When, int]:
    reader = _RuleReader([plain(w).strip(",") for w in words], vocabulary())
    parts = reader.read()
    rule = ";".join(f"{key}={value}" for key, value in parts.items())
    anchor = now.replace(second=0, microsecond=0)
    first = recurrence.next_after(rule, anchor, zone, now)
    if first is None:
        raise unreadable(words)
    gap = recurrence.shortest_gap(rule, anchor, zone)
    if gap is not None and gap < MIN_GAP:
        raise UserError(
            _("Reminders can repeat at most every 15 minutes."),
            _("/alumni remind me every 30 minutes stretch"),
        )
    return When(first, rule, anchor, describe(rule)), reader.position


class _RuleReader:
    """Reads "every [N] <unit | weekday(s) | first Tuesday> [on ...] [at <time>]" into RRULE parts."""

    def __init__(self, words: list[str], said: Vocabulary) -> None:
        self.words = words
        self.said = said
        self.position = 0
        self.parts: dict[str, str] = {}

    def read(self) -> dict[str, str]:
        words = self.said.words
        self._interval()
        # An ordinal before a weekday first: Portuguese "segunda" is Monday and "second".
        if not (self._unit() or self._nth_weekday() or self._weekday_list()):
            raise unreadable(self.words)
        if self._take(words.on) and not (self._nth_weekday() or self._weekday_list() or self._month_day()):
            raise unreadable(self.words)
        self._phrase(words.of_the_month)
        self._time()
        return self.parts

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.words[index] if index < len(self.words) else ""

    def _take(self, options: frozenset[str]) -> bool:
        if self._peek() in options:
            self.position += 1
            return True
        return False

    def _phrase(self, phrases: frozenset[tuple[str, ...]]) -> bool:
        size = self.said.phrase(self.words, self.position, phrases)
        self.position += size
        return size > 0

    def _interval(self) -> None:
        interval = amount(self._peek(), self.said) if self._peek() else None
        if interval is not None and interval <= MAX_INTERVAL:
            self.parts["INTERVAL"] = str(interval)
            self.position += 1
        elif self._take(self.said.words.other):
            self.parts["INTERVAL"] = "2"

    def _unit(self) -> bool:
        if self._phrase(self.said.words.weekday_unit):
            self.parts |= {"FREQ": "WEEKLY", "BYDAY": ",".join(WEEKDAYS)}
            return True
        unit = self.said.unit(self.said.words.rule_units, self._peek())
        if unit is None:
            return False
        self.parts = {"FREQ": unit, **self.parts}
        self.position += 1
        return True

    def _weekday_list(self) -> bool:
        days: list[str] = []
        while (day := self.said.weekday(self._peek())) or (days and self._peek() in self.said.words.and_):
            if day:
                days.append(day)
            self.position += 1
        if not days:
            return False
        if self.words[self.position - 1] in self.said.words.and_:  # "lundi et puis…": the member's
            self.position -= 1
        self.parts = {"FREQ": self.parts.get("FREQ", "WEEKLY"), **self.parts, "BYDAY": ",".join(days)}
        return True

    def _nth_weekday(self) -> bool:
        start = self.position
        self._take(self.said.words.the)
        number, day = self.said.words.ordinals.get(self._peek()), self.said.weekday(self._peek(1))
        if number is None or day is None:
            self.position = start
            return False
        self.position += 2
        self.parts = {"FREQ": "MONTHLY", **{k: v for k, v in self.parts.items() if k != "FREQ"}}
        self.parts["BYDAY"] = f"{number:+d}{day}"
        return True

    def _month_day(self) -> bool:
        start = self.position
        self._take(self.said.words.the)
        if self._phrase(self.said.words.last_day):
            self.parts["BYMONTHDAY"] = "-1"
            return True
        found = ORDINAL_DAY.match(self._peek())
        if not found:
            self.position = start
            return False
        self.position += 1
        day = int(found.group(1))
        of = 1 if self._peek() in self.said.words.of and self.said.months.get(self._peek(1)) else 0
        month = self.said.months.get(self._peek(of))
        if month:
            check_date(day, month, None)
            self.position += of + 1
            self.parts |= {"FREQ": "YEARLY", "BYMONTH": str(month)}
        elif not 1 <= day <= 31:
            raise ImpossibleTime(
                _("No month has a {ordinal} day.").format(ordinal=ordinal(day)),
                _("/alumni remind me every month on the 1st pay"),
            )
        self.parts["BYMONTHDAY"] = str(day)
        return True

    def _time(self) -> None:
        coarse = self.parts.get("FREQ") not in ("MINUTELY", "HOURLY")
        hour, minute = (DEFAULT_HOUR, 0) if coarse else (None, None)
        words = self.said.words
        if self._phrase(words.at):
            found = time_of_day(self.words, self.position, self.said, after_at=True)
            if found is None:
                raise unreadable(self.words)
            (hour, minute), size = found
            self.position += size
        if hour is not None:
            self.parts |= {"BYHOUR": str(hour), "BYMINUTE": str(minute), "BYSECOND": "0"}


def describe(rule: str) -> str:
    """How a rule reads in the language being spoken: "every first Tuesday at 15:00"."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    every = _every(parts)
    if "BYHOUR" not in parts:
        return every
    at = f"{int(parts['BYHOUR']):02d}:{int(parts.get('BYMINUTE', '0')):02d}"
    return _("{every} at {time}").format(every=every, time=at)


def _every(parts: dict[str, str]) -> str:
    n, frequency = int(parts.get("INTERVAL", "1")), parts["FREQ"]
    days = parts.get("BYDAY", "")
    if days == ",".join(WEEKDAYS) and n == 1:
        return _("every weekday")
    if days and days[0] in "+-":
        nth, code = int(days[:-2]), days[-2:]
        weekend, day = code in WEEKEND, day_name(WEEK.index(code))
        if n == 1:
            return _every_nth(nth, weekend).format(day=day)
        return _on(weekend).format(
            every=_unit_phrase(frequency, n), days=_the_nth(nth, weekend).format(day=day)
        )
    if days:
        codes = days.split(",")
        names = join_list([day_name(WEEK.index(d)) for d in codes])
        if frequency == "WEEKLY" and n == 1:
            every = (
                pgettext("Saturday or Sunday", "every {days}") if codes[0] in WEEKEND else _("every {days}")
            )
            return every.format(days=names)
        return _on(codes[0] in WEEKEND).format(every=_unit_phrase(frequency, n), days=names)
    if "BYMONTH" in parts:
        return _("every year on {day} {month}").format(
            day=parts["BYMONTHDAY"], month=month_name(int(parts["BYMONTH"]))
        )
    if parts.get("BYMONTHDAY") == "-1":
        return ngettext("every month on the last day", "every {n} months on the last day", n).format(n=n)
    if "BYMONTHDAY" in parts:
        return ngettext("every month on the {ordinal}", "every {n} months on the {ordinal}", n).format(
            n=n, ordinal=ordinal(int(parts["BYMONTHDAY"]))
        )
    return _unit_phrase(frequency, n)


def _on(weekend: bool) -> str:
    """ "{every} on {days}", its words agreeing with the first day."""
    return pgettext("Saturday or Sunday", "{every} on {days}") if weekend else _("{every} on {days}")


def _every_nth(nth: int, weekend: bool) -> str:
    """ "every first {day}" (of each month)."""
    if weekend:
        return {
            1: pgettext("Saturday or Sunday", "every first {day}"),
            2: pgettext("Saturday or Sunday", "every second {day}"),
            3: pgettext("Saturday or Sunday", "every third {day}"),
            4: pgettext("Saturday or Sunday", "every fourth {day}"),
            -1: pgettext("Saturday or Sunday", "every last {day}"),
        }[nth]
    return {
        1: _("every first {day}"),
        2: _("every second {day}"),
        3: _("every third {day}"),
        4: _("every fourth {day}"),
        -1: _("every last {day}"),
    }[nth]


def _the_nth(nth: int, weekend: bool) -> str:
    """ "the first {day}", after "every 2 months on"."""
    if weekend:
        return {
            1: pgettext("Saturday or Sunday", "the first {day}"),
            2: pgettext("Saturday or Sunday", "the second {day}"),
            3: pgettext("Saturday or Sunday", "the third {day}"),
            4: pgettext("Saturday or Sunday", "the fourth {day}"),
            -1: pgettext("Saturday or Sunday", "the last {day}"),
        }[nth]
    return {
        1: _("the first {day}"),
        2: _("the second {day}"),
        3: _("the third {day}"),
        4: _("the fourth {day}"),
        -1: _("the last {day}"),
    }[nth]


def _unit_phrase(frequency: str, n: int) -> str:
    """ "every day", "every 2 weeks"."""
    phrases = {
        "MINUTELY": ngettext("every minute", "every {n} minutes", n),
        "HOURLY": ngettext("every hour", "every {n} hours", n),
        "DAILY": ngettext("every day", "every {n} days", n),
        "WEEKLY": ngettext("every week", "every {n} weeks", n),
        "MONTHLY": ngettext("every month", "every {n} months", n),
        "YEARLY": ngettext("every year", "every {n} years", n),
    }
    return phrases[frequency].format(n=n)


def ordinal(day: int) -> str:
    """A day of the month as the language being spoken counts it: 1st, 1er, 1."""
    language = current_language()
    if language == "fr":
        return "1er" if day == 1 else str(day)
    if language != "en":
        return str(day)
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"
