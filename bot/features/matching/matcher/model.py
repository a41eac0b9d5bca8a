"""What the matcher is given (members, history, avoid lists) and what it returns (groups with reasons)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


def pair_key(a: int, b: int) -> tuple[int, int]:
    """The same key for (a, b) and (b, a)."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member available for this round.

    Topic keys are folded with `bot.text.fold`, so "Open Data" and "open-data" are one topic.
    """

    person_id: int
    organisation: str
    region: str  # one of bot.geo.REGIONS
    timezone: str  # IANA name, e.g. "Africa/Nairobi"
    expertise: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()
    was_extra_last_round: bool = False  # the third member of last round's trio


@dataclass(frozen=True)
class History:
    """Who has already met (with the round they last met in) and who must never be put together."""

    met: Mapping[tuple[int, int], int] = field(default_factory=dict)
    avoid: frozenset[tuple[int, int]] = frozenset()

    @classmethod
    def of(cls, met: Iterable[tuple[int, int, int]] = (), avoid: Iterable[tuple[int, int]] = ()) -> History:
        """From (person, person, round) meetings and (person, person) avoid pairs, in any order."""
        last: dict[tuple[int, int], int] = {}
        for a, b, round_number in met:
            key = pair_key(a, b)
            last[key] = max(round_number, last.get(key, round_number))
        return cls(last, frozenset(pair_key(a, b) for a, b in avoid))


@dataclass(frozen=True)
class RoundRequest:
    """One round to compute: the same request (and seed) always gives the same groups.

    With `sides` (two sets of person ids, e.g. alumni and the 2025 cohort), every pair is formed
    across them; the round's trio may hold two members of the larger side.
    """

    candidates: Sequence[Candidate]
    history: History = field(default_factory=History)
    on: date = date(2025, 1, 6)  # the day whose working hours are compared (time zones change with DST)
    seed: int = 0
    sides: tuple[frozenset[int], frozenset[int]] | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """`giver` knows `topic`, which `receiver` wants to learn."""

    giver: int
    receiver: int
    topic: str


@dataclass(frozen=True, slots=True)
class Overlap:
    """The stretch of the day (in UTC) when everyone in the group is within working hours."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why a group was put together, for the introduction message."""

    shared_topics: tuple[str, ...]
    offers: tuple[Offer, ...]
    overlap: Overlap | None
    other_organisations: bool  # no two members from one organisation
    other_regions: bool  # at least two world regions in the group
    met_before: tuple[tuple[int, int, int], ...]  # (person, person, round) for pairs meeting again

    @property
    def suggest_async(self) -> bool:
        """No shared working hour: the introduction suggests an asynchronous exchange instead of a call."""
        return self.overlap is None


@dataclass(frozen=True, slots=True)
class Group:
    """A pair, or the round's one trio (`extra` is the member added to a pair)."""

    members: tuple[int, ...]
    score: int  # fit of the group: overlapping hours, regions, topics (see Weights), summed over its pairs
    reasons: Reasons
    extra: int | None = None


@dataclass(frozen=True)
class RoundResult:
    groups: tuple[Group, ...]
    unmatched: tuple[int, ...]  # members nobody could be paired with (avoid lists, fewer than 2 members)

    @property
    def extra(self) -> int | None:
        """Who was the third member of a trio this round (not to be the extra again next round)."""
        return next((group.extra for group in self.groups if group.extra is not None), None)
