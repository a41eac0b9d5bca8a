"""Pair weights for one round, computed fast enough to score every pair of 1,500 members in pure Python.

Members become indices 0..n-1 in a seeded shuffle (the order only breaks ties, so the same request
always gives the same result). What two members share is encoded so one weight costs a few C-level
operations per pair:

- members in the same time zone and region form a *class*; a class-by-class table holds tiers 1-4
  (the new-pair and other-organisation tiers are added to every entry, then taken back for the few
  pairs that met or share an organisation);
- topics become bits. `_wide[i] & _narrow[j]` lines up i's expertise with j's learning (and the
  reverse) `offered_topic` times, and both members' interests `shared_topic` times, so its bit count
  is the topic points of the pair before the cap.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations, filterfalse, permutations
from operator import add

from bot.matching.hours import WorkingDay, overlap, whole_hours
from bot.matching.model import Candidate, Offer, Reasons, RoundRequest, pair_key
from bot.matching.weights import Weights


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
        self._on = request.on
        self._day = day
        index = {c.person_id: i for i, c in enumerate(people)}
        self._index_pairs(request, index)
        self._index_topics()
        self._index_classes()

    def _index_pairs(self, request: RoundRequest, index: dict[int, int]) -> None:
        self.met: dict[tuple[int, int], int] = {}
        self.met_with: dict[int, set[int]] = defaultdict(set)
        for (a, b), round_number in request.history.met.items():
            if a in index and b in index:
                self.met[pair_key(index[a], index[b])] = round_number
                self.met_with[index[a]].add(index[b])
                self.met_with[index[b]].add(index[a])
        self.avoided: dict[int, set[int]] = defaultdict(set)
        for a, b in request.history.avoid:
            if a in index and b in index and a != b:
                self.avoided[index[a]].add(index[b])
                self.avoided[index[b]].add(index[a])
        members_of: dict[str, list[int]] = defaultdict(list)
        for i, person in enumerate(self.people):
            members_of[person.organisation].append(i)
        self.colleagues: list[frozenset[int]] = [frozenset()] * self.size
        for members in members_of.values():
            shared = frozenset(members)
            for i in members:
                self.colleagues[i] = shared

    def _index_topics(self) -> None:
        topics = sorted({t for p in self.people for t in p.expertise | p.learning})
        self.topic_names = topics
        bit = {topic: 1 << k for k, topic in enumerate(topics)}
        width = len(topics)

        def mask(keys: Iterable[str]) -> int:
            return sum(bit[k] for k in keys)

        def lanes(parts: Sequence[int]) -> int:
            return sum(part << (width * k) for k, part in enumerate(parts))

        w = self.weights
        self.interests = [mask(p.expertise | p.learning) for p in self.people]
        self.topics_of = [[k for k in range(width) if mask_ >> k & 1] for mask_ in self.interests]
        self._wide: list[int] = []
        self._narrow: list[int] = []
        for p, interests in zip(self.people, self.interests, strict=True):
            knows, wants = mask(p.expertise), mask(p.learning)
            self._wide.append(lanes([knows, wants] * w.offered_topic + [interests] * w.shared_topic))
            self._narrow.append(lanes([wants, knows] * w.offered_topic + [interests] * w.shared_topic))
        most = width * (2 * w.offered_topic + w.shared_topic)
        self._topic_points = [min(points, w.topics_cap) for points in range(most + 1)]

    def _index_classes(self) -> None:
        keys = sorted({(p.timezone, p.region) for p in self.people})
        number = {key: k for k, key in enumerate(keys)}
        self.class_of = [number[(p.timezone, p.region)] for p in self.people]
        self.class_members: list[list[int]] = [[] for _ in keys]
        for i, c in enumerate(self.class_of):
            self.class_members[c].append(i)
        w, top = self.weights, self.tiers.new_pair + self.tiers.other_organisation
        self.class_regions = [region for _, region in keys]
        self.base = [[0] * len(keys) for _ in keys]
        for a, b in combinations(range(len(keys)), 2):
            hours = min(whole_hours([keys[a][0], keys[b][0]], self._on, self._day), w.overlap_hours_cap)
            other_region = keys[a][1] != keys[b][1]
            self.base[a][b] = self.base[b][a] = top + hours * w.overlap_hour + other_region * w.other_region
        for a, key in enumerate(keys):
            hours = min(whole_hours([key[0], key[0]], self._on, self._day), w.overlap_hours_cap)
            self.base[a][a] = top + hours * w.overlap_hour

    def admissible(self, i: int, j: int) -> bool:
        """May i and j be in one group at all (avoid lists, organisation rule)?"""
        if i == j or j in self.avoided.get(i, ()):
            return False
        return not (self.weights.forbid_same_organisation and j in self.colleagues[i])

    def row_from(self, i: int, start: int = 0) -> list[int | None]:
        """The weight of i with each of start..n-1 (None where they may not be grouped): i's part of
        the complete graph, or everyone for the trio."""
        weights = self._raw(i, self._narrow[start:], self.class_of[start:])
        exceptions = (self.colleagues[i], self.met_with.get(i, ()), self.avoided.get(i, ()))
        for j in {j for found in exceptions for j in found if j >= start}:
            weights[j - start] = self._adjust(i, j, weights[j - start])
        return weights

    def plain(self, i: int, others: Iterable[int]) -> list[int]:
        """`others` without anyone i has met, works with or must avoid: pairs that earn every tier."""
        for excluded in (self.colleagues[i], self.met_with.get(i, ()), self.avoided.get(i, ())):
            others = filterfalse(excluded.__contains__, others)
        return list(others)

    def plain_row(self, i: int, others: list[int]) -> list[int]:
        """The weight of i with each of `others`, all from `plain`."""
        narrow, classes = self._narrow, self.class_of
        return self._raw(i, [narrow[j] for j in others], [classes[j] for j in others])

    def _raw(self, i: int, narrow: list[int], classes: list[int]) -> list[int]:
        """Weights as if every pair were new and from two organisations."""
        topics = map(self._topic_points.__getitem__, map(int.bit_count, map(self._wide[i].__and__, narrow)))
        return list(map(add, topics, map(self.base[self.class_of[i]].__getitem__, classes)))

    def _adjust(self, i: int, j: int, weight: int | None) -> int | None:
        """Take back the tiers a pair does not earn; None if they may not be grouped."""
        if weight is None or not self.admissible(i, j):
            return None
        if j in self.colleagues[i]:
            weight -= self.tiers.other_organisation
        if pair_key(i, j) in self.met:
            weight -= self.tiers.new_pair
        return weight

    def weight(self, i: int, j: int) -> int | None:
        return self._adjust(i, j, self._raw(i, [self._narrow[j]], [self.class_of[j]])[0])

    def fit(self, i: int, j: int) -> int:
        """Tiers 3-5 of an admissible pair: what the group's score shows."""
        weight = self.weight(i, j)
        assert weight is not None
        earned_other_org = j not in self.colleagues[i]
        return weight - self.tiers.new_pair * (pair_key(i, j) not in self.met) - (
            self.tiers.other_organisation * earned_other_org
        )

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
            overlap=overlap([p.timezone for p in people], self._on, self._day),
            other_organisations=len({p.organisation for p in people}) == len(people),
            other_regions=len({p.region for p in people}) > 1,
            met_before=met_before,
        )
