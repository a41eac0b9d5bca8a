"""Pair weights for one round, computed for many pairs at once with numpy.

Members become indices 0..n-1 in a seeded shuffle (the order only breaks ties, so the same request
always gives the same result). What two members share is encoded so weights come in bulk:

- members in the same side, time zone and region form a *class*; a class-by-class table holds
  tiers 3-4 (hours and regions) of every pair of classes;
- topics become bits in rows of 64-bit words; a pair's topic points are bit counts of the ANDs of
  one member's expertise with the other's learning (each way) and of both members' interests.

Tiers 1 and 2 (never met, other organisation) are added to every weight, then taken back for the
few pairs that met or share an organisation (`row`); pairs that earn every tier are *plain*.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations, permutations

import numpy as np
from numpy.typing import NDArray

from bot.features.matching.matcher.hours import WorkingDay, overlap, whole_hours
from bot.features.matching.matcher.model import Candidate, Offer, Overlap, Reasons, RoundRequest, pair_key
from bot.features.matching.matcher.weights import Weights

Ints = NDArray[np.int64]
_WORD = 64
_GOLDEN = 0x9E3779B97F4A7C15  # 2^64 / the golden ratio: spreads consecutive keys evenly


class Scorer:
    def __init__(self, request: RoundRequest, weights: Weights, day: WorkingDay) -> None:
        people = sorted(request.candidates, key=lambda c: c.person_id)
        ids = [c.person_id for c in people]
        if len(set(ids)) != len(ids):
            raise ValueError("a member is listed twice in the round")
        random.Random(request.seed).shuffle(people)
        self.people: list[Candidate] = people
        self.size = len(people)
        self.weights = weights
        self.tiers = weights.tiers(self.size)
        self.top = self.tiers.new_pair + self.tiers.other_organisation  # what a plain pair earns beyond fit
        self._on = request.on
        self._day = day
        self._overlaps: dict[tuple[str, ...], Overlap | None] = {}
        index = {c.person_id: i for i, c in enumerate(people)}
        self.side_of: Ints = np.array([_side(request, c.person_id) for c in people], dtype=np.int64)
        self.two_sided = request.sides is not None
        self._index_pairs(request, index)
        self._index_topics()
        self._index_classes()

    def _index_pairs(self, request: RoundRequest, index: dict[int, int]) -> None:
        met = request.history.met
        ids = np.fromiter((v for key in met for v in key), np.int64, 2 * len(met)).reshape(-1, 2)
        rounds = np.fromiter(met.values(), np.int64, len(met))
        left, right = self._indices(ids[:, 0]), self._indices(ids[:, 1])
        known = (left >= 0) & (right >= 0)
        low, high = np.minimum(left, right)[known], np.maximum(left, right)[known]
        self.met: dict[tuple[int, int], int] = dict(
            zip(zip(low.tolist(), high.tolist(), strict=True), rounds[known].tolist(), strict=True)
        )
        self.avoided: dict[int, set[int]] = defaultdict(set)
        for a, b in request.history.avoid:
            if a in index and b in index and a != b:
                self.avoided[index[a]].add(index[b])
                self.avoided[index[b]].add(index[a])
        organisations = {name: k for k, name in enumerate(sorted({p.organisation for p in self.people}))}
        self.organisation_of: Ints = np.array([organisations[p.organisation] for p in self.people], np.int64)
        # Pairs that met or avoid each other, as sorted keys i * n + j (both orders), for bulk look-ups.
        avoided = np.array([(i, j) for i, others in self.avoided.items() for j in others], np.int64)
        firsts = np.concatenate([low, high, avoided.reshape(-1, 2)[:, 0]])
        seconds = np.concatenate([high, low, avoided.reshape(-1, 2)[:, 1]])
        self._unplain_keys = sorted_unique(firsts * self.size + seconds)
        # A bitmap of hashed keys in front of them: most pairs looked up are plain, and one random
        # read of the bitmap rules them out where a binary search makes about twenty.
        bits = max(10, (16 * len(self._unplain_keys)).bit_length())
        self._shift = np.uint64(64 - bits)
        self._maybe_unplain = np.zeros(1 << bits, dtype=bool)
        self._maybe_unplain[self._slots(self._unplain_keys)] = True

    def _indices(self, person_ids: Ints) -> Ints:
        """Each person id's member index, -1 for ids not in the round."""
        if not self.size:
            return np.full(len(person_ids), -1, dtype=np.int64)
        ids = np.array([p.person_id for p in self.people], dtype=np.int64)
        order = np.argsort(ids)
        found = order[np.minimum(np.searchsorted(ids[order], person_ids), self.size - 1)]
        indices: Ints = np.where(ids[found] == person_ids, found, -1)
        return indices

    def _slots(self, keys: Ints) -> Ints:
        """Fibonacci hashing of pair keys onto the bitmap."""
        slots: Ints = ((keys.astype(np.uint64) * np.uint64(_GOLDEN)) >> self._shift).astype(np.int64)
        return slots

    def _index_topics(self) -> None:
        topics = sorted({t for p in self.people for t in p.expertise | p.learning})
        bit = {topic: k for k, topic in enumerate(topics)}
        words = max(1, -(-len(topics) // _WORD))

        def masks(indices: list[list[int]]) -> NDArray[np.uint64]:
            found = np.zeros((self.size, words * _WORD), dtype=np.uint8)
            rows = [i for i, own in enumerate(indices) for _ in own]
            found[rows, [k for own in indices for k in own]] = 1
            packed = np.packbits(found, axis=1, bitorder="little")
            return np.ascontiguousarray(packed).view(np.uint64)

        self.known = [sorted(bit[t] for t in p.expertise) for p in self.people]
        self.wanted = [sorted(bit[t] for t in p.learning) for p in self.people]
        self._knows, self._wants = masks(self.known), masks(self.wanted)
        self._interests = self._knows | self._wants
        self.topic_count = len(topics)

    def _index_classes(self) -> None:
        sides = self.side_of.tolist()
        of_member = [(s, p.timezone, p.region) for s, p in zip(sides, self.people, strict=True)]
        keys = sorted(set(of_member))
        number = {key: k for k, key in enumerate(keys)}
        self.class_of: Ints = np.array([number[key] for key in of_member], dtype=np.int64)
        self.class_regions = [region for _, _, region in keys]
        self.class_sides = [side for side, _, _ in keys]
        w = self.weights
        self.base: Ints = np.zeros((len(keys), len(keys)), dtype=np.int64)
        for a, b in combinations(range(len(keys)), 2):
            hours = min(whole_hours([keys[a][1], keys[b][1]], self._on, self._day), w.overlap_hours_cap)
            other_region = keys[a][2] != keys[b][2]
            self.base[a, b] = self.base[b, a] = hours * w.overlap_hour + other_region * w.other_region
        for a, key in enumerate(keys):
            hours = min(whole_hours([key[1], key[1]], self._on, self._day), w.overlap_hours_cap)
            self.base[a, a] = hours * w.overlap_hour

    def colleagues(self, i: int, j: int) -> bool:
        return bool(self.organisation_of[i] == self.organisation_of[j])

    def classes_may_meet(self, a: int, b: int) -> bool:
        """Whether members of classes a and b may be paired at all: across the sides of a two-sided round."""
        return not self.two_sided or self.class_sides[a] != self.class_sides[b]

    def admissible(self, i: int, j: int, in_trio: bool = False) -> bool:
        """May i and j be in one group at all (avoid lists, organisation rule, sides but in a trio)?"""
        if i == j or j in self.avoided.get(i, ()):
            return False
        if self.two_sided and not in_trio and self.side_of[i] == self.side_of[j]:
            return False
        return not (self.weights.forbid_same_organisation and self.colleagues(i, j))

    def fits(self, left: Ints, right: Ints) -> Ints:
        """Tiers 3-5 (hours, regions, topics) of each pair left[k], right[k]."""
        fit: Ints = self.base[self.class_of[left], self.class_of[right]] + self.topic_points(left, right)
        return fit

    def topic_points(self, left: Ints, right: Ints) -> Ints:
        """Tier 5 (shared and offered topics, capped) of each pair left[k], right[k] (or broadcast)."""
        w = self.weights
        knows, wants = self._knows, self._wants
        offered = _bits(knows[left] & wants[right]) + _bits(wants[left] & knows[right])
        shared = _bits(self._interests[left] & self._interests[right])
        points: Ints = np.minimum(offered * w.offered_topic + shared * w.shared_topic, w.topics_cap)
        return points

    def plain_mask(self, left: Ints, right: Ints) -> NDArray[np.bool_]:
        """Which pairs earn every tier and break no rule: across sides, new, other organisations."""
        plain: NDArray[np.bool_] = (left != right) & (
            self.organisation_of[left] != self.organisation_of[right]
        )
        if len(self._unplain_keys):
            keys = left * self.size + right
            suspects = np.nonzero(plain & self._maybe_unplain[self._slots(keys)])
            looked_up = keys[suspects]
            found = np.searchsorted(self._unplain_keys, looked_up)
            plain[suspects] = self._unplain_keys[np.minimum(found, len(self._unplain_keys) - 1)] != looked_up
        if self.two_sided:
            plain &= self.side_of[left] != self.side_of[right]
        return plain

    def row(self, i: int, others: Sequence[int] | Ints, in_trio: bool = False) -> list[int | None]:
        """The weight of i with each of `others` (None where they may not be grouped; `in_trio`: as the
        trio's extra member, who may join someone from their own side)."""
        right = np.asarray(others, dtype=np.int64)
        left = np.full(len(right), i, dtype=np.int64)
        weights: list[int | None] = (self.fits(left, right) + self.top).tolist()
        for k in np.flatnonzero(~self.plain_mask(left, right)).tolist():
            weights[k] = self._adjust(i, int(right[k]), weights[k], in_trio)
        return weights

    def _adjust(self, i: int, j: int, weight: int | None, in_trio: bool) -> int | None:
        """Take back the tiers a pair does not earn; None if they may not be grouped."""
        if weight is None or not self.admissible(i, j, in_trio):
            return None
        if self.colleagues(i, j):
            weight -= self.tiers.other_organisation
        if pair_key(i, j) in self.met:
            weight -= self.tiers.new_pair
        return weight

    def weight(self, i: int, j: int) -> int | None:
        return self.row(i, [j])[0]

    def fit(self, i: int, j: int) -> int:
        """Tiers 3-5 of a pair: what the group's score shows."""
        return int(self.fits(np.array([i]), np.array([j]))[0])

    def _overlap(self, zones: tuple[str, ...]) -> Overlap | None:
        if zones not in self._overlaps:
            self._overlaps[zones] = overlap(zones, self._on, self._day)
        return self._overlaps[zones]

    def reasons(self, group: Sequence[int]) -> Reasons:
        people = [self.people[i] for i in group]
        shared: set[str] = set()
        offers: list[Offer] = []
        for a, b in combinations(people, 2):
            shared |= (a.expertise | a.learning) & (b.expertise | b.learning)
        for a, b in permutations(people, 2):
            offers.extend(Offer(a.person_id, b.person_id, t) for t in sorted(a.expertise & b.learning))
        met_before = tuple(
            (self.people[i].person_id, self.people[j].person_id, self.met[pair_key(i, j)])
            for i, j in combinations(group, 2)
            if pair_key(i, j) in self.met
        )
        return Reasons(
            shared_topics=tuple(sorted(shared)),
            offers=tuple(offers),
            overlap=self._overlap(tuple(p.timezone for p in people)),
            other_organisations=len({p.organisation for p in people}) == len(people),
            other_regions=len({p.region for p in people}) > 1,
            met_before=met_before,
        )


def _side(request: RoundRequest, person_id: int) -> int:
    if request.sides is None:
        return 0
    first, second = (person_id in side for side in request.sides)
    if first == second:
        raise ValueError("in a round with two sides, each member must be on exactly one side")
    return 0 if first else 1


def sorted_unique(keys: Ints) -> Ints:
    """`np.unique(keys)`, by a plain sort: numpy 2's hashing `unique` is over 100x slower on a million
    pair keys."""
    ordered = np.sort(keys)
    kept: Ints = ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])] if len(ordered) else ordered
    return kept


def _bits(words: NDArray[np.uint64]) -> Ints:
    """Set bits per row (summed over the row's words)."""
    counts: Ints = np.bitwise_count(words).sum(axis=-1, dtype=np.int64)
    return counts
