"""Which time slot is fair: who a slot puts outside 08:00-21:00 local, and the best slot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_STARTS = time(8, 0)
DAY_ENDS = time(21, 0)
LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class SlotScore:
    yes: int
    maybe: int
    unsocial: int
    starts_at: datetime


def known_zones(zones: Sequence[str]) -> list[ZoneInfo]:
    found = []
    for zone in zones:
        try:
            found.append(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return found


def is_unsocial(starts_at: datetime, zone: ZoneInfo, length: timedelta = LENGTH) -> bool:
    """True when the session does not fit between 08:00 and 21:00 on one local day."""
    start, end = starts_at.astimezone(zone), (starts_at + length).astimezone(zone)
    day_start = start.replace(hour=DAY_STARTS.hour, minute=0, second=0, microsecond=0)
    day_end = start.replace(hour=DAY_ENDS.hour, minute=0, second=0, microsecond=0)
    return not (day_start <= start and end <= day_end)


def unsocial_count(starts_at: datetime, zones: Sequence[ZoneInfo]) -> int:
    return sum(is_unsocial(starts_at, zone) for zone in zones)


def best_slot(scores: Sequence[SlotScore]) -> int | None:
    """Index of the slot with most Yes, then most If need be, then fewest at unsocial hours,
    then the earliest; None when nobody said Yes or If need be to any slot."""
    if not any(s.yes or s.maybe for s in scores):
        return None
    return min(range(len(scores)), key=lambda i: (-scores[i].yes, -scores[i].maybe, scores[i].unsocial,
                                                  scores[i].starts_at))  # fmt: skip
