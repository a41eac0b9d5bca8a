"""A time-slot poll in the terminal: each slot in the reader's own zone, buttons numbered."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.console.render import render_message
from bot.features.polls.render import poll_message
from storage.models import Poll, PollOption

SLOT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_slots_read_in_the_readers_zone_with_late_counts() -> None:
    poll = Poll(id=7, kind="slots", question="Maps", state="open", anonymous=False, hidden=False, multi=True)
    poll.options = [PollOption(id=1, position=0, label="", starts_at=SLOT)]
    message = poll_message(poll, {1: {"yes": 2}}, 2, [ZoneInfo("America/Vancouver"), ZoneInfo("UTC")])
    numbers = itertools.count(1)
    lines = "\n".join(render_message(message, "America/Vancouver", lambda _: next(numbers)))
    assert "1. Tue, Dec 1, 2026, 7:00\u202fAM" in lines  # 15:00 UTC in Vancouver
    assert "Yes 2 · If need be 0 · No 0 · late for 1 of 2" in lines
    assert "[1] 1 Yes  [2] 1 If need be  [3] 1 No" in lines
