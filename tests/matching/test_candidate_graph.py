"""Big rounds use a candidate graph; it must keep everyone matchable, even on skewed networks."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings

from bot.features.matching.matcher import (
    Candidate,
    GraphLimits,
    History,
    RoundRequest,
    Weights,
    WorkingDay,
    match_round,
)
from bot.features.matching.matcher.candidates import candidate_edges
from bot.features.matching.matcher.model import pair_key
from bot.features.matching.matcher.scoring import Scorer
from bot.features.matching.matcher.solver import RoundGraph
from tests.matching.networks import PLACES, TOPICS, rounds

SMALL = GraphLimits(complete_up_to=10, overall=2, own_region=1, pool=6, per_class=2, per_topic=1)


def skewed(size: int = 240) -> RoundRequest:
    """Nine in ten members in one European city, the rest in Lagos: everyone's best partners are in Lagos."""
    people = [
        Candidate(k, f"org{k % 17}", "Africa", "Africa/Lagos", frozenset({"maps"}))
        if k % 10 == 0
        else Candidate(k, f"org{k % 17}", "Europe", "Europe/Berlin", frozenset({"r"}), frozenset({"maps"}))
        for k in range(size)
    ]
    return RoundRequest(people, seed=1)


def test_keeping_only_each_members_best_candidates_leaves_most_of_the_crowded_region_alone():
    request = skewed()
    scorer = Scorer(request, Weights(), WorkingDay())
    everyone = np.arange(scorer.size)
    graph = RoundGraph(scorer, everyone, stand_in=None, verify_optimum=False)
    graph.add(candidate_edges(scorer, GraphLimits(own_region=0, per_class=30), everyone))  # the exact top 8
    left = len(request.candidates) - len(graph.solve())  # solve() maps each matched member to a partner
    assert left > 150


def test_best_candidates_within_their_own_region_pair_everyone():
    result = match_round(skewed(), limits=GraphLimits(complete_up_to=100))
    assert result.unmatched == ()
    assert sum(len(g.members) for g in result.groups) == 240
    lagos = [g for g in result.groups if any(m % 10 == 0 for m in g.members)]
    assert all(g.reasons.other_regions for g in lagos)  # Lagos members still get their best partners


def test_whoever_the_candidate_graph_leaves_out_is_paired_in_a_second_pass():
    result = match_round(skewed(), limits=GraphLimits(complete_up_to=100, own_region=0))
    assert result.unmatched == ()


@settings(max_examples=80, deadline=None)
@given(rounds(max_size=40, avoid=False))
def test_a_candidate_graph_still_places_everyone_once_without_repeats_or_colleagues_when_avoidable(request):
    result = match_round(request, limits=SMALL)
    complete = match_round(request)
    assert len(result.unmatched) == len(complete.unmatched)
    members = [m for g in result.groups for m in g.members]
    assert sorted(members + list(result.unmatched)) == sorted(c.person_id for c in request.candidates)
    repeats = [pair_key(*g.members[:2]) in request.history.met for g in result.groups]
    assert sum(repeats) == sum(pair_key(*g.members[:2]) in request.history.met for g in complete.groups)


def network(size: int, seed: int) -> RoundRequest:
    """A network big enough for parts: 40 organisations, six places, ten rounds of history."""
    rng = random.Random(seed)
    people = []
    for k in range(size):
        region, zone = rng.choice(PLACES)
        knows, *wants = rng.sample(TOPICS, 3)
        people.append(Candidate(k, f"org{k % 40}", region, zone, frozenset({knows}), frozenset(wants)))
    met = []
    for round_number in range(1, 11):
        ids = list(range(size))
        rng.shuffle(ids)
        met += [(a, b, round_number) for a, b in zip(ids[::2], ids[1::2], strict=False)]
    return RoundRequest(people, History.of(met), seed=seed)


@pytest.mark.parametrize("size", [600, 601])
def test_a_round_in_parts_places_everyone_with_no_repeat_and_no_colleague(size):
    request = network(size, seed=size)
    result = match_round(request, limits=GraphLimits(complete_up_to=50, part_size=100))
    organisation = {c.person_id: c.organisation for c in request.candidates}
    pairs = [(a, b) for g in result.groups for a, b in combinations(g.members, 2)]
    assert result.unmatched == ()
    assert sorted(m for g in result.groups for m in g.members) == list(range(size))
    assert not [pair for pair in pairs if pair_key(*pair) in request.history.met]
    assert not [(a, b) for a, b in pairs if organisation[a] == organisation[b]]


@settings(max_examples=60, deadline=None)
@given(rounds(max_size=30))
def test_plain_pairs_are_exactly_the_new_pairs_of_two_organisations_that_do_not_avoid_each_other(request):
    scorer = Scorer(request, Weights(), WorkingDay())
    people = scorer.people
    left, right = np.divmod(np.arange(scorer.size**2, dtype=np.int64), max(scorer.size, 1))
    expected = [
        i != j
        and people[i].organisation != people[j].organisation
        and pair_key(people[i].person_id, people[j].person_id) not in request.history.met
        and pair_key(people[i].person_id, people[j].person_id) not in request.history.avoid
        for i, j in zip(left.tolist(), right.tolist(), strict=True)
    ]
    assert scorer.plain_mask(left, right).tolist() == expected
