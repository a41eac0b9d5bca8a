"""Which pairs the solver weighs: every pair in a small part of the round, a candidate graph in a big one.

Keeping each member's k best partners is not enough on real networks: when most members live in
one region, everyone's best partners are the few members elsewhere, and the crowded region ends up
with no edges among itself. So each member keeps their best candidates overall *and* their best
within their own region; the solver then re-solves whoever is still left over (see solver.py).

A member's candidates are drawn from the classes (side, time zone, region) that suit their class
best: a window of each such class, and a window of each class's members who share one of the
member's topics. Every member of a class draws from the same classes, so a class's candidates are
chosen and scored as one numpy array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np

from bot.features.matching.matcher.scoring import Ints, Scorer, sorted_unique

Edge = tuple[int, int, int]
_SCATTER = 2654435761  # spreads members' starting points over a list, so nobody becomes everyone's pick


@dataclass(frozen=True)
class GraphLimits:
    complete_up_to: int = 500  # up to this many members, weigh every pair (beyond, the complete graph
    # takes longer to solve than a candidate graph that gives nearly the same pairs)
    part_size: int = 2000  # a bigger round is solved in parts of about this size, each a sample of the whole
    overall: int = 8  # each member's best candidates anywhere...
    own_region: int = 4  # ...and within their own world region
    pool: int = 64  # about this many members scored to choose a member's candidates from...
    per_class: int = 4  # ...taken from each class visited, plus...
    per_topic: int = 4  # ...this many per topic of the member...
    topics: int = 4  # ...for up to this many of their topics


def edges_for(scorer: Scorer, limits: GraphLimits, members: Ints) -> list[Edge]:
    if len(members) <= limits.complete_up_to:
        return complete_edges(scorer, members)
    return candidate_edges(scorer, limits, members)


def complete_edges(scorer: Scorer, members: Ints) -> list[Edge]:
    ordered = members.tolist()
    return edges_between(scorer, ordered, ordered, upper=True)


def edges_between(
    scorer: Scorer, members: Sequence[int], others: Sequence[int] | Ints, upper: bool = False
) -> list[Edge]:
    """Every admissible pair of one of `members` with one of `others` (with `upper`, members and
    others are one list and each pair comes once)."""
    listed = np.asarray(others, dtype=np.int64)
    found: dict[tuple[int, int], int] = {}
    for k, i in enumerate(members):
        rest = listed[k + 1 :] if upper else listed[listed != i]
        if scorer.two_sided:
            rest = rest[scorer.side_of[rest] != scorer.side_of[i]]
        for j, weight in zip(rest.tolist(), scorer.row(i, rest), strict=True):
            if weight is not None:
                found[(i, j) if i < j else (j, i)] = weight
    return [(a, b, w) for (a, b), w in found.items()]


def candidate_edges(scorer: Scorer, limits: GraphLimits, members: Ints) -> list[Edge]:
    draws = _Draws(scorer, limits, members)
    left: list[Ints] = []
    right: list[Ints] = []
    for c in np.flatnonzero(draws.counts).tolist():
        mine = draws.members_of(c)
        for own_region, keep in ((False, limits.overall), (True, limits.own_region)):
            pool = draws.pool(c, mine, own_region)
            if pool.shape[1] == 0 or keep == 0:
                continue
            rows = np.repeat(mine, pool.shape[1]).reshape(pool.shape)
            weights = np.full(pool.shape, -1, dtype=np.int64)
            valid = (pool >= 0) & scorer.plain_mask(rows, np.maximum(pool, 0))
            weights[valid] = scorer.fits(rows[valid], pool[valid])
            best = np.argpartition(-weights, min(keep, pool.shape[1]) - 1, axis=1)[:, :keep]
            chosen = np.take_along_axis(pool, best, axis=1)
            kept = np.take_along_axis(weights, best, axis=1) >= 0
            left.append(np.take_along_axis(rows, best, axis=1)[kept])
            right.append(chosen[kept])
    return _unique_edges(scorer, left, right)


def _unique_edges(scorer: Scorer, left: list[Ints], right: list[Ints]) -> list[Edge]:
    if not left:
        return []
    a, b = np.concatenate(left), np.concatenate(right)
    keys = sorted_unique(np.minimum(a, b) * scorer.size + np.maximum(a, b))
    low, high = keys // scorer.size, keys % scorer.size
    weights = scorer.fits(low, high) + scorer.top
    return list(zip(low.tolist(), high.tolist(), weights.tolist(), strict=True))


class _Draws:
    """The part's members by class, and by class and topic, to draw candidates from."""

    def __init__(self, scorer: Scorer, limits: GraphLimits, members: Ints) -> None:
        self.scorer = scorer
        self.limits = limits
        classes = len(scorer.class_regions)
        of_class = scorer.class_of[members]
        self.by_class = members[np.argsort(of_class, kind="stable")]
        self.counts = np.bincount(of_class, minlength=classes)
        self.starts = np.cumsum(self.counts) - self.counts
        # Postings: who knows each topic (codes 0..T-1) and who wants to learn it (codes T..2T-1), by class.
        topics = self.topic_count = max(scorer.topic_count, 1)
        postings = [(m, t) for m in members.tolist() for t in scorer.known[m]]
        postings += [(m, topics + t) for m in members.tolist() for t in scorer.wanted[m]]
        holders = np.array([m for m, _ in postings], dtype=np.int64)
        keys = scorer.class_of[holders] * 2 * topics + np.array([code for _, code in postings], np.int64)
        self.by_topic = holders[np.argsort(keys, kind="stable")]
        self.topic_counts = np.bincount(keys, minlength=classes * 2 * topics)
        self.topic_starts = np.cumsum(self.topic_counts) - self.topic_counts
        # What each member looks up: those who know what they want to learn, those who want what they know.
        self.lookups = np.full((scorer.size, limits.topics), -1, dtype=np.int64)
        for m in members.tolist():
            codes = ([*scorer.wanted[m], *(topics + t for t in scorer.known[m])])[: limits.topics]
            self.lookups[m, : len(codes)] = codes

    def members_of(self, c: int) -> Ints:
        start = int(self.starts[c])
        return self.by_class[start : start + int(self.counts[c])]

    def pool(self, c: int, mine: Ints, own_region: bool) -> Ints:
        """For each of `mine` (members of class c), a row of members to score (-1: nobody)."""
        classes = self._partner_classes(c, len(mine), own_region)
        if classes.shape[1] == 0:
            return np.empty((len(mine), 0), dtype=np.int64)
        spread = (np.arange(len(mine), dtype=np.int64) * _SCATTER)[:, None]
        limits = self.limits
        window = _windows(self.by_class, self.starts[classes], self.counts[classes], spread, limits.per_class)
        codes = self.lookups[mine]  # (members, lookups)
        keys = classes[:, :, None] * 2 * self.topic_count + np.maximum(codes, 0)[:, None, :]
        counts = np.where(codes[:, None, :] >= 0, self.topic_counts[keys], 0)
        starts = self.topic_starts[keys]
        by_topic = _windows(self.by_topic, starts, counts, spread[..., None], limits.per_topic)
        pool = np.concatenate([window.reshape(len(mine), -1), by_topic.reshape(len(mine), -1)], axis=1)
        return _without_repeats(pool)

    def _partner_classes(self, c: int, members: int, own_region: bool) -> Ints:
        """For each of `members` members of class c, the classes to draw from: the best bands of
        classes for c, in turn from a different starting class for each member, until the classes
        drawn from hold about `pool` members."""
        scorer, limits = self.scorer, self.limits
        region = scorer.class_regions[c]
        eligible = [
            d
            for d in np.flatnonzero(self.counts).tolist()
            if scorer.classes_may_meet(c, d) and (not own_region or scorer.class_regions[d] == region)
        ]
        ranked = sorted(eligible, key=lambda d: -int(scorer.base[c, d]))
        taken: list[Ints] = []
        expected = 0.0
        turn = np.arange(members, dtype=np.int64)
        for _, band_iter in groupby(ranked, key=lambda d: int(scorer.base[c, d])):
            band = np.array(list(band_iter), dtype=np.int64)
            each = float(np.minimum(self.counts[band], limits.per_class).mean())
            take = min(len(band), max(1, int(np.ceil((limits.pool - expected) / each))))
            taken.append(band[(turn[:, None] + np.arange(take)) % len(band)])
            expected += take * each
            if expected >= limits.pool:
                break
        if not taken:
            return np.empty((members, 0), dtype=np.int64)
        return np.concatenate(taken, axis=1)


def _windows(listing: Ints, starts: Ints, counts: Ints, spread: Ints, size: int) -> Ints:
    """Up to `size` consecutive entries (wrapping) of each segment of `listing`, from a point set by
    `spread`; -1 beyond a segment's length."""
    steps = np.arange(size, dtype=np.int64)
    if len(listing) == 0:
        return np.full((*starts.shape, size), -1, dtype=np.int64)
    safe = np.maximum(counts, 1)[..., None]
    offsets = (spread[..., None] % safe + steps) % safe
    picked = listing[np.minimum(starts[..., None] + offsets, len(listing) - 1)]
    return np.where(steps < counts[..., None], picked, -1)


def _without_repeats(pool: Ints) -> Ints:
    """Each row sorted, with entries repeated within the row set to -1."""
    ordered = np.sort(pool, axis=1)
    repeated = np.zeros(ordered.shape, dtype=bool)
    repeated[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
    return np.where(repeated, -1, ordered)
