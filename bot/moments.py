"""One moment, from the words a member typed, in their own time zone.

    in 20 minutes · in 3 days at 10:00 · tomorrow at 9 · today 17:00 · tonight
    on 12 March at 15:00 · Tue 1 Dec 2026 at 15:00 · 2027-03-12 · next Friday · at 17:00

A small grammar says exactly which words are the time, so whatever follows is the
member's own text, untouched ("in 1 hour 🎉 party" keeps its emoji; "in 1 minute
tomorrow me" is due in a minute). A day without a time means 9:00; a time without a day,
or a date without a year, means the next one to come; a weekday is the coming one
(`next` skips today). The words are English's and the member's language's (bot.time_words):
"mañana a las 9", "demain à 9h", "amanhã às 3 da tarde", "le 3 mars", "dans 2 heures".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot import wall_clock
from bot.action_ids import whole_number
from bot.i18n import _
from bot.time_words import (
    MAX_WHEN_WORDS,
    ORDINAL_DAY,
    WEEK,
    YEAR,
    ImpossibleTime,
    Vocabulary,
    check_date,
    day_name,
    month_name,
    plain,
    time_of_day,
    unreadable,
    vocabulary,
)

DEFAULT_HOUR = 9
EVENING_HOUR = 20
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
MAX_AMOUNT = 1000


def read_moment(words: list[str], zone: str, now: datetime) -> tuple[datetime, int]:
    """The moment (UTC, to the second) the first words name, and how many words that took."""
    lowered = [plain(w).rstrip(",") for w in words[:MAX_WHEN_WORDS]]
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    said = vocabulary()
    relative = _relative(lowered, said, local_now, tz)
    if relative is not None:
        moment, size = relative
    else:  # "em 3 de março": Portuguese says "in" before a date too
        reading = _Said(lowered, said, tz)
        size = reading.read()
        if not size:
            raise unreadable(words)
        moment = reading.resolve(local_now)
    return moment.astimezone(UTC).replace(microsecond=0), size


def amount(word: str, said: Vocabulary) -> int | None:
    """A count in figures or words ("2", "an", "deux")."""
    return said.words.numbers.get(word) or whole_number(word, 1, MAX_AMOUNT)


def _relative(
    words: list[str], said: Vocabulary, local_now: datetime, tz: ZoneInfo
) -> tuple[datetime, int] | None:
    """`in <n> <unit> [and <n> <unit>]… [at <time>]`: from now, days and longer on the wall
    clock. None when the words do not start that way."""
    position = said.phrase(words, 0, said.words.in_)
    if not position:
        return None
    counted = position
    shift: dict[str, int] = {}
    while position + 1 < len(words):
        count, unit = amount(words[position], said), said.unit(said.words.units, words[position + 1])
        if count is None or unit is None or unit in shift:
            break
        shift[unit] = count
        position += 2
        if words[position : position + 1] and words[position] in said.words.and_:
            position += 1
    if not shift:
        return None
    if position > counted and words[position - 1] in said.words.and_:  # "in 2 hours and then…"
        position -= 1
    wall = any(unit in shift for unit in ("days", "weeks", "months", "years"))
    local = local_now + relativedelta(
        years=shift.get("years", 0),
        months=shift.get("months", 0),
        weeks=shift.get("weeks", 0),
        days=shift.get("days", 0),
    )
    at = said.phrase(words, position, said.words.at) if wall else 0
    found = time_of_day(words, position + at, said, after_at=True) if at else None
    if found:
        (hour, minute), size = found
        local = local.replace(hour=hour, minute=minute, second=0)
        position += at + size
    exact = timedelta(**{k: v for k, v in shift.items() if k in ("seconds", "minutes", "hours")})
    start = wall_clock.moment(local, tz) if wall else local_now.astimezone(UTC)
    return start + exact, position


@dataclass
class _Said:
    """What the words of a one-off time said, read left to right."""

    words: list[str]
    said: Vocabulary
    zone: ZoneInfo
    position: int = 0
    days_from_today: int | None = None
    evening: bool = False
    weekday: int | None = None
    skip_today: bool = False
    day_month: tuple[int, int] | None = None
    year: int | None = None
    at: tuple[int, int] | None = None

    def read(self) -> int:
        self._time()
        if self._day() and self.at is None:
            self._time()
        return self.position

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.words[index] if index < len(self.words) else ""

    def _take(self, options: frozenset[str]) -> bool:
        if self._peek() in options:
            self.position += 1
            return True
        return False

    def _phrase(self, phrases: frozenset[tuple[str, ...]]) -> tuple[str, ...]:
        """The phrase of `phrases` at the position, taken; () when none is there."""
        size = self.said.phrase(self.words, self.position, phrases)
        self.position += size
        return tuple(self.words[self.position - size : self.position])

    def _day(self) -> bool:
        words = self.said.words
        relative = self._phrase(frozenset(words.days_from_today))
        if relative:
            self.days_from_today, self.evening = words.days_from_today[relative], relative in words.evening
            return True
        start = self.position
        self._take(words.on)
        if self._peek() in words.next | words.this and self.said.weekday(self._peek(1)):
            self.skip_today = self._peek() in words.next
            self.position += 1
        if weekday := self.said.weekday(self._peek()):
            self.weekday = WEEK.index(weekday)
            self.position += 1
            if self._phrase(words.next_after):
                self.skip_today = True
            self._read_date()
            return True
        if self._peek() in words.the and ORDINAL_DAY.match(self._peek(1)):  # "no dia 3 de março"
            self.position += 1
        if self._read_date():
            return True
        self.position, self.skip_today = start, False
        return False

    def _read_date(self) -> bool:
        """`12 March [2027]`, `12th of March`, `March 12 [2027]`, or `2027-03-12`."""
        iso = ISO_DATE.match(self._peek())
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            if not 1 <= month <= 12:
                raise ImpossibleTime(
                    _("\u201c{date}\u201d has no month {month}.").format(date=self._peek(), month=month),
                    "2027-03-12",
                )
            check_date(day, month, year)
            self.day_month, self.year = (day, month), year
            self.position += 1
            return True
        months, of = self.said.months, self.said.words.of
        first, second = ORDINAL_DAY.match(self._peek()), months.get(self._peek())
        if first and (named := months.get(self._peek(2 if self._peek(1) in of else 1))):
            month, day = named, int(first.group(1))
            self.position += 3 if self._peek(1) in of else 2
        elif second and (day_word := ORDINAL_DAY.match(self._peek(1))):
            month, day = second, int(day_word.group(1))
            self.position += 2
        else:
            return False
        between = 1 if self._peek() in self.said.words.before_year else 0  # "3 de marzo de 2027"
        if YEAR.match(self._peek(between)):
            self.year = int(self._peek(between))
            self.position += between + 1
        check_date(day, month, self.year)
        self.day_month = (day, month)
        return True

    def _time(self) -> bool:
        start = self.position
        after_at = bool(self._phrase(self.said.words.at))
        found = time_of_day(self.words, self.position, self.said, after_at=after_at)
        if found is None:
            self.position = start
            return False
        self.at, size = found
        self.position += size
        return True

    def resolve(self, now: datetime) -> datetime:
        """The moment (UTC): the next one to come where the words leave a choice."""
        today = now.date()
        if self.day_month is not None:
            day = self._calendar_day(today, now)
            self._check_weekday(day)
            return self._at(day)
        if self.days_from_today is not None:
            return self._at(today + timedelta(days=self.days_from_today))
        if self.weekday is None:  # a time alone: today, or tomorrow once it has passed
            return self._next(today, now, timedelta(days=1))
        ahead = (self.weekday - today.weekday()) % 7 or (7 if self.skip_today else 0)
        return self._next(today + timedelta(days=ahead), now, timedelta(days=7))

    def _next(self, day: date, now: datetime, later: timedelta) -> datetime:
        moment = self._at(day)
        return moment if moment > now else self._at(day + later)

    def _at(self, day: date) -> datetime:
        hour, minute = self.at or ((EVENING_HOUR, 0) if self.evening else (DEFAULT_HOUR, 0))
        return wall_clock.moment(datetime.combine(day, time(hour, minute)), self.zone)

    def _calendar_day(self, today: date, now: datetime) -> date:
        """The day and month said, in the year said, else the next year it is still to come."""
        assert self.day_month is not None
        day, month = self.day_month
        if self.year is not None:
            return date(self.year, month, day)
        for year in range(today.year, today.year + 9):  # 29 February: the next leap year
            if day <= calendar.monthrange(year, month)[1] and self._at(date(year, month, day)) > now:
                return date(year, month, day)
        return date(today.year, month, day)

    def _check_weekday(self, day: date) -> None:
        if self.weekday is not None and day.weekday() != self.weekday:
            named = {"day": day.day, "month": month_name(day.month), "year": day.year}
            raise ImpossibleTime(
                _("{day} {month} {year} is a {weekday}, not a {expected}.").format(
                    **named, weekday=day_name(day.weekday()), expected=day_name(self.weekday)
                ),
                _("/alumni remind me on {weekday} {day} {month} at 10:00 send the report").format(
                    **named, weekday=day_name(day.weekday())
                ),
            )
