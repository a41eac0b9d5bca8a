"""Local wall-clock times as moments, where the clocks change.

A local time the clocks skip (01:30 on the London spring-forward night) is read as the
moment of the jump: 02:00 BST, "just after the jump". A time that happens twice (the hour
repeated in autumn) is its first occurrence. Every reader of member times (one-off times,
repeats, snoozes) goes through `moment`, so all of them agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo


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
