"""What the core tells whoever watches its work: events, timers and deliveries, as they happen.

The core only calls these methods; how the figures are kept and shown is the adapters'
business (adapters/metrics.py serves them to Prometheus). Nothing here is module-level
state: a runtime hands its own `Metrics` to the core, the sender and the schedule runner,
and until it does they report to `UNWATCHED`, which keeps nothing.
"""

from __future__ import annotations

from typing import Literal, Protocol

# How an event ended: handled, refused with a message to the member (bad input, a form to
# fix), failed (a bug or an outage: the member was told nothing was saved), or handled before.
EventOutcome = Literal["ok", "bad_input", "failed", "duplicate"]


class Metrics(Protocol):
    def event_received(self, platform: str, kind: str) -> None:
        """The core began handling an event of `kind` (Command, Action, FormSubmitted, MemberJoined)."""

    def event_processed(self, platform: str, kind: str, outcome: EventOutcome, seconds: float) -> None:
        """The core finished an event, in `seconds` including the answers to the member."""

    def delivery_stored(self, platform: str, repeat: bool) -> None:
        """A platform delivery was written to the inbox; `repeat`: its key was known (a retry)."""

    def timer_fired(self, kind: str, lateness_seconds: float) -> None:
        """A timed occurrence fired this long after its due time."""

    def outbox_delivered(self, platform: str) -> None:
        """The platform took an outbox item."""

    def outbox_refused(self, platform: str, retrying: bool) -> None:
        """The platform refused an outbox item: it is tried again later, or given up on."""


class Unwatched:
    """Keeps nothing: the core's figures before a runtime watches it (feature tests, tools)."""

    def event_received(self, platform: str, kind: str) -> None:
        pass

    def event_processed(self, platform: str, kind: str, outcome: EventOutcome, seconds: float) -> None:
        pass

    def delivery_stored(self, platform: str, repeat: bool) -> None:
        pass

    def timer_fired(self, kind: str, lateness_seconds: float) -> None:
        pass

    def outbox_delivered(self, platform: str) -> None:
        pass

    def outbox_refused(self, platform: str, retrying: bool) -> None:
        pass


UNWATCHED: Metrics = Unwatched()
