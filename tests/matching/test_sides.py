"""Rounds with two sides (alumni with a newer cohort): pairs only across, a trio may hold two of one side."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.features.matching.matcher import RoundRequest, RoundResult, Weights, match_round
from bot.features.matching.matcher.hours import WorkingDay
from bot.features.matching.matcher.model import pair_key
from bot.features.matching.matcher.scoring import Scorer
from tests.matching.networks import rounds
from tests.matching.test_candidate_graph import SMALL
from tests.matching.test_pairing import matched_pairs, matchings, member

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def two_sided(draw: st.DrawFn, max_size: int = 12, avoid: bool = True, even: bool = False) -> RoundRequest:
    request = draw(rounds(max_size=max_size, avoid=avoid))
    ids = [c.person_id for c in request.candidates]
    if even:  # two sides of one size: no trio
        assume(len(ids) % 2 == 0)
        first = frozenset(draw(st.permutations(ids))[: len(ids) // 2])
    else:
        first = frozenset(i for i in ids if draw(st.booleans()))
    return replace(request, sides=(first, frozenset(ids) - first))


def side_of(request: RoundRequest, person_id: int) -> int:
    assert request.sides is not None
    return 0 if person_id in request.sides[0] else 1


def larger_side(request: RoundRequest) -> int:
    assert request.sides is not None
    return int(len(request.sides[1]) > len(request.sides[0]))


@SETTINGS
@given(two_sided())
def test_every_pair_is_across_and_a_trio_holds_two_only_from_the_larger_side(request):
    result = match_round(request)
    for a, b in matched_pairs(result):
        assert side_of(request, a) != side_of(request, b)
    for group in result.groups:
        sides = sorted(side_of(request, m) for m in group.members)
        if len(group.members) == 3:
            assert sides in ([0, 0, 1], [0, 1, 1])
            assert side_of(request, group.extra) == larger_side(request)
    placed = [m for g in result.groups for m in g.members]
    assert sorted(placed + list(result.unmatched)) == sorted(c.person_id for c in request.candidates)
    grouped = {pair_key(a, b) for g in result.groups for a, b in combinations(g.members, 2)}
    assert not grouped & request.history.avoid


@SETTINGS
@given(two_sided(avoid=False))
def test_the_smaller_side_is_placed_and_the_larger_adds_one_to_a_trio(request):
    result = match_round(request)
    first, second = request.sides
    smaller, larger = sorted((first, second), key=len)
    placed = {m for g in result.groups for m in g.members}
    if not smaller:
        assert result.groups == ()
        return
    assert smaller <= placed
    eligible = [c for c in request.candidates if c.person_id in larger and not c.was_extra_last_round]
    nobody_fair = all(c.was_extra_last_round for c in request.candidates)
    trio = len(larger) > len(smaller) and (bool(eligible) or nobody_fair)
    assert len(placed) == 2 * len(smaller) + trio


@settings(max_examples=60, deadline=None)
@given(two_sided(max_size=8, even=True))
def test_a_two_sided_matching_is_the_best_of_all_matchings_across(request):
    scorer = Scorer(request, Weights(), WorkingDay())
    index = {p.person_id: i for i, p in enumerate(scorer.people)}

    def weight(a, b):
        return scorer.weight(index[a], index[b])

    def value(pairs):
        return (len(pairs), sum(weight(a, b) for a, b in pairs))

    people = [c.person_id for c in request.candidates]
    best = max((value(m) for m in matchings(people, weight)), default=(0, 0))
    assert value(matched_pairs(match_round(request))) == best


@settings(max_examples=20, deadline=None)
@given(two_sided(max_size=40, avoid=False))
def test_a_candidate_graph_in_parts_keeps_to_the_sides_and_places_as_many(request):
    limits = replace(SMALL, part_size=12)
    result = match_round(request, limits=limits)
    complete = match_round(request)
    assert all(side_of(request, a) != side_of(request, b) for a, b in matched_pairs(result))
    assert len(result.unmatched) == len(complete.unmatched)


def test_alumni_meet_the_new_cohort_and_the_odd_alumna_joins_a_trio():
    alumni = [member(1, "osm"), member(2, "odi"), member(3, "okfn")]
    cohort = [member(4, "gfw"), member(5, "wri")]
    request = RoundRequest([*alumni, *cohort], sides=(frozenset({1, 2, 3}), frozenset({4, 5})))
    result = match_round(request)
    assert result.unmatched == ()
    pair, trio = sorted(result.groups, key=lambda g: len(g.members))
    assert len({pair.members[0] in (4, 5), pair.members[1] in (4, 5)}) == 2
    assert result.extra in (1, 2, 3) and sum(m in (4, 5) for m in trio.members) == 1


def test_more_alumni_than_the_cohort_can_meet_are_left_for_next_round():
    request = RoundRequest(
        [member(k, f"org{k}") for k in range(1, 6)], sides=(frozenset({1, 2, 3, 4}), frozenset({5}))
    )
    result = match_round(request)
    assert [len(g.members) for g in result.groups] == [3]
    assert len(result.unmatched) == 2 and 5 not in result.unmatched


def test_a_member_on_neither_side_or_both_is_refused():
    people = [member(1, "osm"), member(2, "odi")]
    with pytest.raises(ValueError, match="exactly one side"):
        match_round(RoundRequest(people, sides=(frozenset({1}), frozenset())))
    with pytest.raises(ValueError, match="exactly one side"):
        match_round(RoundRequest(people, sides=(frozenset({1, 2}), frozenset({2}))))


def test_a_two_sided_round_with_one_side_empty_pairs_nobody():
    people = [member(1, "osm"), member(2, "odi")]
    result = match_round(RoundRequest(people, sides=(frozenset({1, 2}), frozenset())))
    assert result == RoundResult((), (1, 2))
