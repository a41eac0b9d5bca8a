"""Repeating times: an RFC 5545 RRULE read in the owner's IANA zone (dateutil's rrule).

The rule runs on local wall-clock times, so "every Tuesday at 15:00" stays at 15:00
local across daylight-saving changes. A local time that does not exist (the hour the
clocks skip) comes at the jump itself (01:30 on the London spring-forward night is sent
at 02:00 BST, bot.wall_clock); a time that occurs twice (the hour repeated in autumn) is
sent once, at its first occurrence.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot import wall_clock


def parse_rule(rule: str, anchor: datetime, zone: str) -> rrule:
    """The rule with DTSTART at `anchor` (UTC) seen as local time in `zone`."""
    local = anchor.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    parsed = rrulestr(rule, dtstart=local)
    assert isinstance(parsed, rrule)  # a single RRULE, never a set
    return parsed


def next_after(rule: str, anchor: datetime, zone: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (UTC), in UTC; None when the rule has ended."""
    tz = ZoneInfo(zone)
    rules = parse_rule(rule, anchor, zone)
    # Start a little early: a naive local time loses DST's "which one" (fold), so compare in UTC.
    local = rules.after(after.astimezone(tz).replace(tzinfo=None) - timedelta(hours=3))
    while local is not None:
        moment = wall_clock.moment(local, tz)
        if moment > after:
            return moment
        local = rules.after(local)
    return None


def shortest_gap(rule: str, anchor: datetime, zone: str, count: int = 50) -> timedelta | None:
    """The shortest time between two of the next `count` occurrences (None if it happens once)."""
    times: list[datetime] = []
    after = anchor - timedelta(seconds=1)
    while len(times) < count:
        moment = next_after(rule, anchor, zone, after)
        if moment is None:
            break
        times.append(moment)
        after = moment
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return min(gaps) if gaps else None
