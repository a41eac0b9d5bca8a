"""The words times are made of, read one at a time, and what to say when they make no time.

Shared by one-off moments (bot.moments) and repeats (bot.when). A clock time or a date
that cannot exist ("25:99", "13pm", "31 February") is refused with the reason, never
read as something else.
"""

from __future__ import annotations

import calendar
import re

from bot.errors import UserError

EXAMPLES = '"in 20 minutes", "tomorrow at 9", "on 12 March at 15:00", "every weekday at 9:00"'
EXAMPLE = "/alumni remind me tomorrow at 9 send the report"
MAX_WHEN_WORDS = 8

DAYS = {
    "monday": "MO", "mon": "MO", "tuesday": "TU", "tue": "TU", "tues": "TU", "wednesday": "WE",
    "wed": "WE", "thursday": "TH", "thu": "TH", "thurs": "TH", "friday": "FR", "fri": "FR",
    "saturday": "SA", "sat": "SA", "sunday": "SU", "sun": "SU",
}  # fmt: skip
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")  # fmt: skip
# "9", "15:00", "9.30", "9h30", "3pm", "3:30pm"
CLOCK = re.compile(r"^([0-9]{1,2})(?:[:.h]([0-9]{2}))?(am|pm)?$")
ORDINAL_DAY = re.compile(r"^([0-9]{1,2})(st|nd|rd|th)?$")
YEAR = re.compile(r"^(19|2[0-9])[0-9]{2}$")


class ImpossibleTime(UserError):
    """A time or date that does not exist, as opposed to words that are not a time at all."""


def month_number(word: str) -> int | None:
    """1-12 for "march", "mar" or "sept"; None for other words."""
    word = "sep" if word == "sept" else word
    for number, name in enumerate(MONTHS, 1):
        if word == name or (len(word) == 3 and name.startswith(word)):
            return number
    return None


def clock(word: str, *, after_at: bool) -> tuple[int, int] | None:
    """(hour, minute) of a clock word; None when it is not shaped like one ("9" counts only
    after "at"). Shaped like one but impossible ("25:99", "13pm") is refused."""
    found = CLOCK.match(word)
    if found is None or not (after_at or found.group(2) or found.group(3)):
        return None
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if minute > 59 or (hour > 23 if half is None else not 1 <= hour <= 12):
        raise ImpossibleTime(
            f"\u201c{word}\u201d is not a time of day: hours go from 0 to 23 (or 1 to 12 with am or pm) "
            "and minutes from 00 to 59.",
            EXAMPLE,
        )
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return hour, minute


def check_date(day: int, month: int, year: int | None) -> None:
    """Refuse "31 February", "31 April" or "29 February 2027"; a year left out may be a leap one."""
    longest = calendar.monthrange(year if year else 2028, month)[1]
    if not 1 <= day <= longest:
        name = MONTHS[month - 1].title()
        counted = f"{name} {year} has {longest} days" if year else f"{name} has at most {longest} days"
        raise ImpossibleTime(
            f"There is no {day} {name}{f' {year}' if year else ''}: {counted}.",
            "/alumni remind me on 28 February at 10:00 send the report",
        )


def unreadable(words: list[str]) -> UserError:
    shown = " ".join(words[:MAX_WHEN_WORDS]) or "(nothing)"
    return UserError(f"I can't tell when \u201c{shown}\u201d is. Times I understand: {EXAMPLES}.", EXAMPLE)
