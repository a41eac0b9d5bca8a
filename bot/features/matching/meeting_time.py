"""A time to meet for a matched pair or trio: inside everyone's working hours, on none of their
weekends, within the next 7 days. Pure: the same members at the same moment get the same times.

Each shared working window (one per day) offers one time: the one nearest the window's middle,
on the half hour, so nobody is asked for their first or last minutes at work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.matching.matcher.hours import WorkingDay, overlap

MEETING = timedelta(minutes=30)
HORIZON = timedelta(days=7)
NOTICE = timedelta(hours=24)  # the first suggestion leaves a day to read the introduction
STEP = timedelta(minutes=30)
OTHER_TIMES = 3
WORKING_DAY = WorkingDay()  # 09:00-18:00, as the matcher counts overlaps


@dataclass(frozen=True)
class Attendee:
    zone: str  # IANA time zone
    weekend: frozenset[int]  # datetime.weekday() numbers


def times_to_meet(
    attendees: Sequence[Attendee], now: datetime, day: WorkingDay = WORKING_DAY, length: timedelta = MEETING
) -> list[datetime]:
    """Every time (UTC) to meet in (now, now + 7 days], one per shared working window, earliest first."""
    zones = [a.zone for a in attendees]
    today = now.astimezone(ZoneInfo(zones[0])).date()
    found: set[datetime] = set()
    for offset in range(-1, HORIZON.days + 2):  # windows near the horizon's ends, in any zone
        window = overlap(zones, today + timedelta(days=offset), day)
        if window is not None:
            chosen = best_in(window.start, window.end, attendees, now, length)
            if chosen is not None:
                found.add(chosen)
    return sorted(found)


def suggested(attendees: Sequence[Attendee], now: datetime) -> datetime | None:
    """The time the introduction suggests: the first a day or more ahead, else the first."""
    times = times_to_meet(attendees, now)
    return next((t for t in times if t >= now + NOTICE), times[0] if times else None)


def other_times(attendees: Sequence[Attendee], now: datetime, current: datetime | None) -> list[datetime]:
    """Up to 3 times other than `current`, the earliest first."""
    return [t for t in times_to_meet(attendees, now) if t != current][:OTHER_TIMES]


def best_in(
    start: datetime, end: datetime, attendees: Sequence[Attendee], now: datetime, length: timedelta
) -> datetime | None:
    """The start nearest the window's middle that fits the window, the horizon and everyone's week."""
    middle = start + (end - start - length) / 2
    aligned = [start + (-(start - start.replace(minute=0, second=0, microsecond=0)) % STEP)]
    while aligned[-1] + STEP + length <= end:
        aligned.append(aligned[-1] + STEP)
    fitting = [t for t in aligned if t + length <= end] or [start]  # a window too short to align
    for moment in sorted(fitting, key=lambda t: (abs(t - middle), t)):
        if now < moment <= now + HORIZON and all(is_working_day(a, moment, length) for a in attendees):
            return moment
    return None


def is_working_day(attendee: Attendee, moment: datetime, length: timedelta) -> bool:
    zone = ZoneInfo(attendee.zone)
    days = {moment.astimezone(zone).weekday(), (moment + length).astimezone(zone).weekday()}
    return not days & attendee.weekend
