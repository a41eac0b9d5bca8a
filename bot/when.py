"""Reading "when" from what members type, in their own time zone.

One-off times go to dateparser ("in 20 minutes", "tomorrow at 9", "on 12 March at 15:00",
"next Friday"). Repeats start with "every" and become an RFC 5545 RRULE for dateutil
("every weekday at 9:00", "every first Tuesday at 15:00", "every 2 weeks on Monday at 10",
"every month on the 1st"). A day without a time means 9:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot import recurrence
from bot.errors import UserError

EXAMPLES = '"in 20 minutes", "tomorrow at 9", "on 12 March at 15:00", "every weekday at 9:00"'
DEFAULT_HOUR = 9
MIN_GAP = timedelta(minutes=15)
MAX_WHEN_WORDS = 8

DAYS = {
    "monday": "MO", "mon": "MO", "tuesday": "TU", "tue": "TU", "tues": "TU", "wednesday": "WE",
    "wed": "WE", "thursday": "TH", "thu": "TH", "thurs": "TH", "friday": "FR", "fri": "FR",
    "saturday": "SA", "sat": "SA", "sunday": "SU", "sun": "SU",
}  # fmt: skip
DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": -1}  # fmt: skip
UNITS = {"minute": "MINUTELY", "hour": "HOURLY", "day": "DAILY", "week": "WEEKLY", "month": "MONTHLY",
         "year": "YEARLY"}  # fmt: skip
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")  # fmt: skip
TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
MONTH_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
BARE_AT = re.compile(r"\bat (\d{1,2})(?=$|\s)")
HAS_TIME = re.compile(r"\d[:.h]\d|\d\s*(am|pm)\b|\b(noon|midnight|tonight|minutes?|hours?|seconds?)\b")


@dataclass(frozen=True)
class When:
    first: datetime  # UTC
    rule: str = ""  # RRULE without DTSTART; "" when it happens once
    anchor: datetime | None = None  # the rule's DTSTART, UTC
    repeats: str = ""  # how the rule reads: "every first Tuesday at 15:00"


def parse_when(words: list[str], zone: str, now: datetime) -> tuple[When, list[str]]:
    """Read a time from the start of `words`; return it and the words left over."""
    if words and words[0].lower() == "every":
        when, rest = _repeating(words[1:], zone, now)
    else:
        when, rest = _once(words, zone, now)
    if when.first <= now:
        raise UserError(
            f"That time is in the past ({_local(when.first, zone):%a %d %b %Y %H:%M} your time).",
            "/alumni remind me tomorrow at 9:00 send the report",
        )
    return when, rest


def _once(words: list[str], zone: str, now: datetime) -> tuple[When, list[str]]:
    base = _local(now, zone).replace(tzinfo=None)
    settings = {
        "TIMEZONE": zone,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
    }
    for size in range(min(MAX_WHEN_WORDS, len(words)), 0, -1):
        text = BARE_AT.sub(r"at \1:00", " ".join(words[:size]).lower())
        if _ends_in_bare_number(text):
            continue
        found = dateparser.parse(text, languages=["en"], settings=settings)
        if found is not None:
            local = found.astimezone(ZoneInfo(zone))
            if local.time() == datetime.min.time() and not HAS_TIME.search(text):
                local = local.replace(hour=DEFAULT_HOUR)
            return When(local.astimezone(UTC).replace(microsecond=0)), words[size:]
    raise unreadable(words)


def _ends_in_bare_number(text: str) -> bool:
    """ "in 20 minutes 5" is not a time; a year ("12 March 2027") is."""
    last = text.rsplit(" ", 1)[-1]
    return last.isdigit() and not 1900 <= int(last) <= 2999


def _repeating(words: list[str], zone: str, now: datetime) -> tuple[When, list[str]]:
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
    return When(first, rule, anchor, phrase), words[reader.position :]


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
        word = self._peek()
        if word.isdigit() and int(word) > 0:
            self.parts["INTERVAL"] = word
            self.phrase.append(word)
            self.position += 1
        elif word == "other":
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
        found = MONTH_DAY.match(self._peek())
        if not found or not 1 <= int(found.group(1)) <= 31:
            self.position = start
            return False
        self.position += 1
        day = int(found.group(1))
        self.parts["BYMONTHDAY"] = str(day)
        month = self._peek()[:3]
        names = [m[:3] for m in MONTHS]
        if month in names:
            self.position += 1
            self.parts |= {"FREQ": "YEARLY", "BYMONTH": str(names.index(month) + 1)}
            self.phrase.append(f"on {day} {MONTHS[names.index(month)].title()}")
        else:
            self.phrase.append(f"on the {day}{_suffix(day)}")
        return True

    def _time(self) -> None:
        coarse = self.parts.get("FREQ") not in ("MINUTELY", "HOURLY")
        hour, minute = (DEFAULT_HOUR, 0) if coarse else (None, None)
        if self._take("at"):
            found = TIME.match(self._peek())
            if self._take("noon"):
                hour, minute = 12, 0
            elif self._take("midnight"):
                hour, minute = 0, 0
            elif found and (parsed := _clock(found)):
                hour, minute = parsed
                self.position += 1
                if self._peek() in ("am", "pm"):
                    hour, minute = _clock(TIME.match(f"{found.group(0)}{self._peek()}")) or (hour, minute)
                    self.position += 1
            else:
                raise unreadable(self.words)
        if hour is not None:
            self.parts |= {"BYHOUR": str(hour), "BYMINUTE": str(minute), "BYSECOND": "0"}
            self.phrase.append(f"at {hour:02d}:{minute:02d}")


def _clock(found: re.Match[str] | None) -> tuple[int, int] | None:
    if found is None:
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def unreadable(words: list[str]) -> UserError:
    shown = " ".join(words[:MAX_WHEN_WORDS]) or "(nothing)"
    return UserError(f"I can't tell when \u201c{shown}\u201d is. Times I understand: {EXAMPLES}.",
                     "/alumni remind me tomorrow at 9 send the report")  # fmt: skip
