"""Overlapping working hours between time zones on a given date (daylight saving time included)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.features.matching.matcher.model import Overlap

Window = tuple[datetime, datetime]
_NEIGHBOUR_DAYS = (-1, 0, 1)  # Auckland's Tuesday morning is Los Angeles' Monday afternoon


@dataclass(frozen=True)
class WorkingDay:
    start: time = time(9)
    end: time = time(18)
    shortest_meeting: timedelta = timedelta(minutes=30)  # less overlap than this: meet asynchronously


@functools.lru_cache(maxsize=4096)
def working_window(zone: str, on: date, day: WorkingDay) -> Window:
    """The working day `on`, local to `zone`, in UTC."""
    local = ZoneInfo(zone)
    return (
        datetime.combine(on, day.start, local).astimezone(UTC),
        datetime.combine(on, day.end, local).astimezone(UTC),
    )


def _intersect(window: Window, zone: str, on: date, day: WorkingDay) -> Window | None:
    """The longest part of `window` inside the working hours of `zone` on `on` or a day either side."""
    best: Window | None = None
    for shift in _NEIGHBOUR_DAYS:
        start, end = working_window(zone, on + timedelta(days=shift), day)
        start, end = max(start, window[0]), min(end, window[1])
        if end > start and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
    return best


def overlap(zones: Sequence[str], on: date, day: WorkingDay = WorkingDay()) -> Overlap | None:
    """When everyone in `zones` is at work, around the first zone's working day `on`; None if under
    `day.shortest_meeting`."""
    window: Window | None = working_window(zones[0], on, day)
    for zone in zones[1:]:
        window = _intersect(window, zone, on, day) if window else None
    if window is None or window[1] - window[0] < day.shortest_meeting:
        return None
    return Overlap(*window)


def whole_hours(zones: Sequence[str], on: date, day: WorkingDay = WorkingDay()) -> int:
    found = overlap(zones, on, day)
    return 0 if found is None else int(found.hours)
