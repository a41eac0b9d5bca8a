"""Local wall-clock times as moments, where the clocks change.

A local time the clocks skip (01:30 on the London spring-forward night) is read as the
moment of the jump: 02:00 BST, "just after the jump". A time that happens twice (the hour
repeated in autumn) is its first occurrence. Every reader of member times (one-off times,
repeats, snoozes) goes through `moment`, so all of them agree; every time shown to a member
goes through `shown`, in the reader's language.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time

from bot.i18n import current_locale

# full: weekday, date and time; date: weekday and date; day: weekday, day and month and time;
# weekday: weekday and time; time: the time alone.
Style = Literal["full", "date", "day", "weekday", "time"]


def moment(local: datetime, zone: str | tzinfo) -> datetime:
    """The UTC moment of the wall-clock time `local` (its own tzinfo ignored) in `zone`."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
        return first.astimezone(UTC)
    return _jump(naive, tz)


def _jump(naive: datetime, tz: tzinfo) -> datetime:
    """The moment the clocks jumped over `naive`: between the gap's two readings (with the
    offsets after and before the change), the first second with the new offset."""
    before = int(naive.replace(tzinfo=tz, fold=1).timestamp())  # read with the new offset: earlier
    after = int(naive.replace(tzinfo=tz, fold=0).timestamp())  # read with the old one: later
    new_offset = datetime.fromtimestamp(after, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == new_offset:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


# How a moment is shown to a reader: CLDR skeletons, so each language orders the parts its own way.
DATE_SKELETONS = {"full": "yMMMEd", "date": "yMMMEd", "day": "MMMEd", "weekday": "E"}


def shown(moment: datetime, zone: str | tzinfo, style: Style = "full") -> str:
    """`moment` on the wall clock of `zone`, as the language being spoken writes it: its weekday
    and month names, and 12- or 24-hour as that language does ("Tue, Dec 1, 2026, 3:00 PM",
    "mar, 1 dic 2026, 15:00"). The one place a time is formatted for a member."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = moment.astimezone(tz)
    locale = current_locale()
    clock = format_time(local, "short", locale=locale)
    if style == "time":
        return clock
    day = format_skeleton(DATE_SKELETONS[style], local, locale=locale)
    if style == "date":
        return day
    return str(locale.datetime_formats["short"]).format(clock, day)
