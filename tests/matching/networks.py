"""Small networks for the matcher tests, drawn by hypothesis."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from bot.features.matching.matcher import Candidate, History, RoundRequest

PLACES = [
    ("Europe", "Europe/Lisbon"),
    ("Europe", "Europe/Berlin"),
    ("Africa", "Africa/Nairobi"),
    ("North America", "America/New_York"),
    ("Asia", "Asia/Tokyo"),
    ("Oceania", "Pacific/Auckland"),
]
TOPICS = ["maps", "licensing", "statistics", "python", "advocacy"]


@st.composite
def candidates(draw: st.DrawFn, person_id: int) -> Candidate:
    region, zone = draw(st.sampled_from(PLACES))
    return Candidate(
        person_id=person_id,
        organisation=draw(st.sampled_from(["osm", "odi", "okfn", "gfw"])),
        region=region,
        timezone=zone,
        expertise=draw(st.frozensets(st.sampled_from(TOPICS), max_size=3)),
        learning=draw(st.frozensets(st.sampled_from(TOPICS), max_size=3)),
        was_extra_last_round=draw(st.booleans()),
    )


@st.composite
def rounds(draw: st.DrawFn, max_size: int = 12, avoid: bool = True) -> RoundRequest:
    """A round of up to `max_size` members, some of whom have met; with `avoid`, some avoid lists."""
    size = draw(st.integers(0, max_size))
    people = [draw(candidates(100 + k)) for k in range(size)]
    met: list[tuple[int, int, int]] = []
    avoided: list[tuple[int, int]] = []
    if size > 1:
        ids = st.sampled_from([p.person_id for p in people])
        pairs = st.tuples(ids, ids).filter(lambda pair: pair[0] != pair[1])
        meetings = draw(st.lists(st.tuples(pairs, st.integers(1, 9)), max_size=size * 2))
        met = [(a, b, r) for (a, b), r in meetings]
        if avoid:
            avoided = draw(st.lists(pairs, max_size=size // 2))
    return RoundRequest(people, History.of(met, avoided), date(2025, 3, 12), draw(st.integers(0, 3)))
