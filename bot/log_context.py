"""Which event a log line belongs to: its kind and delivery id, never its contents.

The core tags each event it handles; a log formatter reads the tag (adapters/logs.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.events import Event, kind_of


@dataclass(frozen=True)
class EventTag:
    kind: str
    delivery_id: str | None


_current: ContextVar[EventTag | None] = ContextVar("alumni_bot_event", default=None)


@contextmanager
def tagged(event: Event) -> Iterator[None]:
    """Log lines written while handling `event` carry its kind and delivery id."""
    token = _current.set(EventTag(kind_of(event), event.delivery_id))
    try:
        yield
    finally:
        _current.reset(token)


def current_event() -> EventTag | None:
    return _current.get()
