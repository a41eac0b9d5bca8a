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
from zoneinfo import ZoneInfo

from bot import recurrence
from bot.action_ids import whole_number
from bot.errors import UserError
from bot.moments import DEFAULT_HOUR, read_moment
from bot.time_words import (
    DAYS,
    MONTHS,
    ORDINAL_DAY,
    ImpossibleTime,
    check_date,
    clock,
    month_number,
    unreadable,
)

MIN_GAP = timedelta(minutes=15)
MAX_INTERVAL = 999
WORD = re.compile(r"\S+")

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": -1}  # fmt: skip
UNITS = {"minute": "MINUTELY", "hour": "HOURLY", "day": "DAILY", "week": "WEEKLY", "month": "MONTHLY",
         "year": "YEARLY"}  # fmt: skip


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
    if words and words[0].lower() == "every":
        when, size = _repeating(words[1:], zone, now)
        size += 1
    else:
        moment, size = read_moment(words, zone, now)
        when = When(moment)
    if when.first <= now:
        raise UserError(
            f"That time is in the past ({_local(when.first, zone):%a %d %b %Y %H:%M} your time).",
            "/alumni remind me tomorrow at 9:00 send the report",
        )
    return when, text[spans[size - 1].end() :].strip()


def _repeating(words: list[str], zone: str, now: datetime) -> tuple[When, int]:
    reader = _RuleReader([w.lower().strip(",") for w in words])
    parts, phrase = reader.read()
    rule = ";".join(f"{key}={value}" for key, value in parts.items())
    anchor = now.replace(second=0, microsecond=0)
    first = recurrence.next_after(rule, anchor, zone, now)
    if first is None:
        raise unreadable(words)
    gap = recurrence.shortest_gap(rule, anchor, zone)
    if gap is not None and gap < MIN_GAP:
        raise UserError(
            "Reminders can repeat at most every 15 minutes.", "/alumni remind me every 30 minutes stretch"
        )
    return When(first, rule, anchor, phrase), reader.position


class _RuleReader:
    """Reads "every [N] <unit | weekday(s) | first Tuesday> [on ...] [at <time>]" into RRULE parts."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.position = 0
        self.parts: dict[str, str] = {}
        self.phrase = ["every"]

    def read(self) -> tuple[dict[str, str], str]:
        self._interval()
        if not (self._unit() or self._weekday_list() or self._nth_weekday()):
            raise unreadable(self.words)
        if self._take("on"):
            if not (self._weekday_list() or self._month_day() or self._nth_weekday()):
                raise unreadable(self.words)
        elif self._take("of") and not (self._take("the") and self._take("month", "months")):
            raise unreadable(self.words)
        self._time()
        return self.parts, " ".join(self.phrase)

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.words[index] if index < len(self.words) else ""

    def _take(self, *options: str) -> bool:
        if self._peek() in options:
            self.position += 1
            return True
        return False

    def _interval(self) -> None:
        interval = whole_number(self._peek(), 1, MAX_INTERVAL)
        if interval is not None:
            self.parts["INTERVAL"] = str(interval)
            self.phrase.append(str(interval))
            self.position += 1
        elif self._peek() == "other":
            self.parts["INTERVAL"] = "2"
            self.phrase.append("other")
            self.position += 1

    def _unit(self) -> bool:
        word = self._peek()
        singular = word.removesuffix("s")
        if singular in ("weekday", "workday"):
            self.parts |= {"FREQ": "WEEKLY", "BYDAY": ",".join(WEEKDAYS)}
            self.phrase.append("weekday")
        elif singular in UNITS:
            self.parts = {"FREQ": UNITS[singular], **self.parts}
            self.phrase.append(word)
        else:
            return False
        self.position += 1
        return True

    def _weekday_list(self) -> bool:
        days: list[str] = []
        while (day := DAYS.get(self._peek().removesuffix("s"))) or (days and self._peek() == "and"):
            if day:
                days.append(day)
            self.position += 1
        if not days:
            return False
        after_unit = "FREQ" in self.parts
        self.parts = {"FREQ": self.parts.get("FREQ", "WEEKLY"), **self.parts, "BYDAY": ",".join(days)}
        self.phrase.append(("on " if after_unit else "") + " and ".join(DAY_NAMES[d] for d in days))
        return True

    def _nth_weekday(self) -> bool:
        start = self.position
        self._take("the")
        number, day = ORDINALS.get(self._peek()), DAYS.get(self._peek(1))
        if number is None or day is None:
            self.position = start
            return False
        self.position += 2
        self.parts = {"FREQ": "MONTHLY", **{k: v for k, v in self.parts.items() if k != "FREQ"}}
        self.parts["BYDAY"] = f"{number:+d}{day}"
        self.phrase.append(f"{self.words[self.position - 2]} {DAY_NAMES[day]}")
        return True

    def _month_day(self) -> bool:
        start = self.position
        self._take("the")
        if self._take("last") and self._take("day"):
            self.parts["BYMONTHDAY"] = "-1"
            self.phrase.append("on the last day")
            return True
        found = ORDINAL_DAY.match(self._peek())
        if not found:
            self.position = start
            return False
        self.position += 1
        day, month = int(found.group(1)), month_number(self._peek())
        if month:
            check_date(day, month, None)
            self.position += 1
            self.parts |= {"FREQ": "YEARLY", "BYMONTH": str(month)}
            self.phrase.append(f"on {day} {MONTHS[month - 1].title()}")
        elif 1 <= day <= 31:
            self.phrase.append(f"on the {day}{_suffix(day)}")
        else:
            raise ImpossibleTime(
                f"No month has a {day}{_suffix(day)} day.", "/alumni remind me every month on the 1st pay"
            )
        self.parts["BYMONTHDAY"] = str(day)
        return True

    def _time(self) -> None:
        coarse = self.parts.get("FREQ") not in ("MINUTELY", "HOURLY")
        hour, minute = (DEFAULT_HOUR, 0) if coarse else (None, None)
        if self._take("at"):
            if self._take("noon"):
                hour, minute = 12, 0
            elif self._take("midnight"):
                hour, minute = 0, 0
            elif self._peek(1) in ("am", "pm") and (
                found := clock(self._peek() + self._peek(1), after_at=True)
            ):
                (hour, minute), self.position = found, self.position + 2
            elif found := clock(self._peek(), after_at=True):
                (hour, minute), self.position = found, self.position + 1
            else:
                raise unreadable(self.words)
        if hour is not None:
            self.parts |= {"BYHOUR": str(hour), "BYMINUTE": str(minute), "BYSECOND": "0"}
            self.phrase.append(f"at {hour:02d}:{minute:02d}")


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))
