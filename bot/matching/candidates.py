"""Which pairs the solver weighs: every pair up to about 1,500 members, a candidate graph beyond.

Keeping each member's k best partners is not enough on real networks: when most members live in
one region, everyone's best partners are the few members elsewhere, and the crowded region ends up
with no edges among itself. So each member keeps their best candidates overall *and* their best
within their own region; the solver then re-solves whoever is still left over (see solver.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from heapq import nlargest
from itertools import chain, groupby, islice

from bot.matching.model import pair_key
from bot.matching.scoring import Scorer

Edge = tuple[int, int, int]
_SCATTER = 2654435761  # spreads members' starting points over a list, so nobody becomes everyone's pick


@dataclass(frozen=True)
class GraphLimits:
    complete_up_to: int = 500  # up to this many members, weigh every pair (measured: beyond, the complete
    # graph takes longer to solve than a candidate graph that gives the same pairs; see bench/matching.py)
    overall: int = 8  # each member's best candidates anywhere...
    own_region: int = 4  # ...and within their own world region
    pool: int = 64  # members scored to choose a member's candidates from
    per_class: int = 6  # taken from each time zone visited, plus...
    per_topic: int = 3  # ...this many per topic of the member


def edges_for(scorer: Scorer, limits: GraphLimits) -> list[Edge]:
    if scorer.size <= limits.complete_up_to:
        return complete_edges(scorer)
    return candidate_edges(scorer, limits)


def complete_edges(scorer: Scorer) -> list[Edge]:
    edges: list[Edge] = []
    for i in range(scorer.size):
        row = scorer.row_from(i, i + 1)
        edges.extend((i, j, w) for j, w in enumerate(row, i + 1) if w is not None)
    return edges


def edges_between(scorer: Scorer, members: Iterable[int], others: Sequence[int] | range) -> list[Edge]:
    """Every admissible pair of one of `members` with one of `others`."""
    found: dict[tuple[int, int], int] = {}
    for i in members:
        row = scorer.row_from(i)
        for j in others:
            if row[j] is not None:
                found[pair_key(i, j)] = row[j]
    return [(a, b, w) for (a, b), w in found.items()]


def candidate_edges(scorer: Scorer, limits: GraphLimits) -> list[Edge]:
    walks = _Walks(scorer)
    found: dict[tuple[int, int], int] = {}
    for i in range(scorer.size):
        for own_region, keep in ((False, limits.overall), (True, limits.own_region)):
            pool = scorer.plain(i, dict.fromkeys(walks.pool(i, own_region, limits)))
            weights = scorer.plain_row(i, pool)
            for k in nlargest(keep, range(len(pool)), key=weights.__getitem__):
                found[pair_key(i, pool[k])] = weights[k]
    return [(a, b, w) for (a, b), w in found.items()]


class _Walks:
    """For each class (time zone and region), the other classes in bands of equal weight, best first."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        classes = range(len(scorer.class_members))
        self.bands: list[list[list[int]]] = []
        self.own_bands: list[list[list[int]]] = []
        for c in classes:
            ranked = sorted(classes, key=lambda other, c=c: -scorer.base[c][other])
            bands = [list(band) for _, band in groupby(ranked, key=scorer.base[c].__getitem__)]
            self.bands.append(bands)
            region = scorer.class_regions[c]
            own = [[d for d in band if scorer.class_regions[d] == region] for band in bands]
            self.own_bands.append([band for band in own if band])
        self.postings: list[dict[int, list[int]]] = [defaultdict(list) for _ in classes]
        for i, c in enumerate(scorer.class_of):
            for topic in scorer.topics_of[i]:
                self.postings[c][topic].append(i)

    def pool(self, i: int, own_region: bool, limits: GraphLimits) -> list[int]:
        """Members to score for i: from the best bands down, some of each class and of each of i's
        topics, until a band ends with enough of them."""
        c = self.scorer.class_of[i]
        pool: list[int] = []
        for band in (self.own_bands if own_region else self.bands)[c]:
            start = i % len(band)
            for d in chain(band[start:], band[:start]):
                pool.extend(_window(self.scorer.class_members[d], i, limits.per_class))
                for topic in self.scorer.topics_of[i]:
                    pool.extend(_window(self.postings[d].get(topic, ()), i, limits.per_topic))
                if len(pool) >= 2 * limits.pool:
                    return pool
            if len(pool) >= limits.pool:
                return pool
        return pool


def _window(members: Sequence[int], i: int, size: int) -> Sequence[int]:
    if len(members) <= size:
        return members
    start = (i * _SCATTER) % len(members)
    return list(islice(chain(members[start:], members[:start]), size))
