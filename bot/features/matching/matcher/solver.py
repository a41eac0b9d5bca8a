"""One round: an exact maximum-weight matching over the pairs the candidates module offers, part by
part for a big round (see parts.py), then whoever the parts left over, then the trio."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import combinations

import numpy as np
import rustworkx

from bot.features.matching.matcher.candidates import Edge, GraphLimits, edges_between, edges_for
from bot.features.matching.matcher.hours import WorkingDay
from bot.features.matching.matcher.model import Group, RoundRequest, RoundResult, pair_key
from bot.features.matching.matcher.parts import split
from bot.features.matching.matcher.scoring import Ints, Scorer
from bot.features.matching.matcher.weights import Weights

_WEIGHTS, _DAY, _LIMITS = Weights(), WorkingDay(), GraphLimits()


def match_round(
    request: RoundRequest,
    weights: Weights = _WEIGHTS,
    day: WorkingDay = _DAY,
    limits: GraphLimits = _LIMITS,
    verify_optimum: bool = False,
) -> RoundResult:
    """Pairs (and at most one trio) for everyone in the request, favouring what `Weights` describes."""
    with _cycle_collection_paused():
        scorer = Scorer(request, weights, day)
        if scorer.size < 2:
            return RoundResult((), tuple(p.person_id for p in scorer.people))
        stand_in = _stand_in(scorer)
        parts = split(scorer, limits.part_size)
        home = _home_of_stand_in(scorer, parts)
        partner: dict[int, int] = {}
        for k, part in enumerate(parts):
            partner |= _match_part(scorer, part, stand_in if k == home else None, limits, verify_optimum)
        if len(parts) > 1:
            partner = _rematch_across_parts(scorer, partner, stand_in, limits, verify_optimum)
        return _result(scorer, partner, stand_in)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """A round allocates millions of tuples and no reference cycle: the cyclic collector would only
    scan the request's history over and over (about 6% of a 50,000-member round's CPU time).
    Rounds in several threads at once leave it enabled too: only one that found it enabled
    enables it again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rematch_across_parts(
    scorer: Scorer, partner: dict[int, int], stand_in: int | None, limits: GraphLimits, verify_optimum: bool
) -> dict[int, int]:
    """Whoever a part left over, or paired with someone they met or work with, may find someone better
    among the same members of the other parts: they are matched again, all together, with the trio's
    extra place open again (a part's extra may have been better used on another part's leftover)."""
    members = np.arange(scorer.size, dtype=np.int64)
    partners = np.array([partner.get(i, i) for i in range(scorer.size)], dtype=np.int64)
    paired = partners != members
    extra = partners == scorer.size  # paired with the stand-in
    in_pair = paired & ~extra
    compromised = in_pair & ~scorer.plain_mask(members, np.where(in_pair, partners, members))
    loose = members[~paired | compromised | extra]
    if not len(loose):
        return partner
    again = set(loose.tolist())
    kept = {v: u for v, u in partner.items() if v not in again and u not in again}
    spare = stand_in if stand_in not in kept else None
    return kept | _match_part(scorer, loose, spare, limits, verify_optimum)


def _home_of_stand_in(scorer: Scorer, parts: list[Ints]) -> int:
    """The part whose leftover the trio's extra place serves: an odd one, or in a two-sided round the
    one with the most members of the larger side over those of the other."""
    if not scorer.two_sided:
        return next((k for k, part in enumerate(parts) if len(part) % 2), 0)
    larger = int(2 * int(scorer.side_of.sum()) > scorer.size)
    surplus = [2 * int((scorer.side_of[part] == larger).sum()) - len(part) for part in parts]
    return surplus.index(max(surplus))


def _stand_in(scorer: Scorer) -> int | None:
    """The node whose partner becomes the trio's extra member: in an odd round, or when one side is larger."""
    larger_side = scorer.two_sided and 2 * int(scorer.side_of.sum()) != scorer.size
    return scorer.size if scorer.size % 2 or larger_side else None


def _match_part(
    scorer: Scorer, members: Ints, stand_in: int | None, limits: GraphLimits, verify_optimum: bool
) -> dict[int, int]:
    graph = RoundGraph(scorer, members, stand_in, verify_optimum)
    graph.add(edges_for(scorer, limits, members))
    partner = graph.solve()
    if len(members) > limits.complete_up_to:
        partner = graph.repair_compromises(graph.match_leftovers(partner))
    return partner


class RoundGraph:
    """The matching graph of some members. An odd round gets a stand-in node joined (at weight 0) to
    everyone who was not last round's extra member (and is on the larger side of a two-sided round):
    whoever the solver gives it becomes this round's extra member."""

    def __init__(self, scorer: Scorer, members: Ints, stand_in: int | None, verify_optimum: bool) -> None:
        self.scorer = scorer
        self.members = members
        self.verify_optimum = verify_optimum
        self.stand_in = stand_in
        self.nodes: list[int] = members.tolist() + ([] if stand_in is None else [stand_in])
        self.edges: list[Edge] = []
        self.add(self.stand_in_edges(members.tolist()))

    def stand_in_edges(self, members: Sequence[int]) -> list[Edge]:
        if self.stand_in is None:
            return []
        people, sides = self.scorer.people, self.scorer.side_of
        if self.scorer.two_sided:
            larger = int(2 * int(sides.sum()) > self.scorer.size)
            members = [i for i in members if sides[i] == larger]
        eligible = [i for i in members if not people[i].was_extra_last_round]
        if not eligible and all(p.was_extra_last_round for p in people):
            eligible = list(members)  # everyone was the extra at some point: no fair choice left
        return [(i, self.stand_in, 0) for i in eligible]

    def add(self, edges: list[Edge]) -> None:
        self.edges.extend(edges)

    def solve(self, edges: list[Edge] | None = None) -> dict[int, int]:
        index = {v: k for k, v in enumerate(self.nodes)}
        graph = rustworkx.PyGraph()
        graph.add_nodes_from(range(len(self.nodes)))
        chosen = self.edges if edges is None else edges
        graph.add_edges_from([(index[a], index[b], w) for a, b, w in chosen])
        matching = rustworkx.max_weight_matching(
            graph, max_cardinality=True, weight_fn=int, verify_optimum=self.verify_optimum
        )
        nodes = self.nodes
        return {nodes[v]: nodes[u] for a, b in matching for u, v in ((a, b), (b, a))}

    def match_leftovers(self, partner: dict[int, int]) -> dict[int, int]:
        """Whoever the candidate graph left out: first paired among themselves on every pair they
        could form; if some still remain, given every pair they could form with anyone in the part
        and the part solved again."""
        left = [v for v in self._unmatched(partner) if v != self.stand_in]
        among = edges_between(self.scorer, left, left, upper=True) if self._could_pair(left) else []
        if self.stand_in is not None and self.stand_in not in partner:
            among += self.stand_in_edges(left)
        if among:
            partner = partner | self.solve(among)
        still = [v for v in self._unmatched(partner) if v != self.stand_in]
        spare_stand_in = self.stand_in is not None and self.stand_in not in partner
        if not still or (self.scorer.two_sided and not self._could_pair(still) and not spare_stand_in):
            return partner  # in a two-sided round, a surplus on one side cannot be placed
        self.add(edges_between(self.scorer, still, self.members))
        return self.solve()

    def repair_compromises(self, partner: dict[int, int]) -> dict[int, int]:
        """Members paired with someone they met or work with may only lack a better partner in the
        candidate graph: give them every pair they could form and solve the part again."""
        pairs = [(v, u) for v, u in partner.items() if self.stand_in not in (u, v)]
        if not pairs:
            return partner
        left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
        compromised = left[~self.scorer.plain_mask(left, right)]
        if not len(compromised):
            return partner
        self.add(edges_between(self.scorer, compromised.tolist(), self.members))
        return self.solve()

    def _could_pair(self, left: list[int]) -> bool:
        """Whether two of `left` might be paired: in a two-sided round, only if both sides are among them
        (so a big round's surplus on one side is not weighed against everyone)."""
        if not self.scorer.two_sided:
            return len(left) > 1
        return len({int(self.scorer.side_of[v]) for v in left}) > 1

    def _unmatched(self, partner: dict[int, int]) -> list[int]:
        return [v for v in self.nodes if v not in partner]


def _result(scorer: Scorer, partner: dict[int, int], stand_in: int | None) -> RoundResult:
    pairs = sorted({pair_key(a, b) for a, b in partner.items() if stand_in not in (a, b)})
    extra = partner.get(stand_in) if stand_in is not None else None
    trio_pair = _best_pair_for(scorer, extra, pairs) if extra is not None else None
    left = [i for i in range(scorer.size) if i not in partner]
    if extra is not None and trio_pair is None:
        left.append(extra)
    members = [(*pair, extra) if pair == trio_pair and extra is not None else pair for pair in pairs]
    scores = _scores(scorer, members)
    groups = [_group(scorer, group, score, extra) for group, score in zip(members, scores, strict=True)]
    ids = [p.person_id for p in scorer.people]
    return RoundResult(
        groups=tuple(sorted(groups, key=lambda g: g.members)),
        unmatched=tuple(sorted(ids[i] for i in left)),
    )


def _best_pair_for(scorer: Scorer, extra: int, pairs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The pair the extra member adds most to (both pairs they would form must be allowed)."""
    row = scorer.row(extra, range(scorer.size), in_trio=True)
    best: tuple[int, int] | None = None
    best_weight = -1
    for a, b in pairs:
        wa, wb = row[a], row[b]
        if wa is not None and wb is not None and wa + wb > best_weight:
            best, best_weight = (a, b), wa + wb
    return best


def _scores(scorer: Scorer, groups: Sequence[tuple[int, ...]]) -> list[int]:
    """Each group's fit summed over its pairs (all groups' pairs weighed at once)."""
    pairs = [(k, a, b) for k, group in enumerate(groups) for a, b in combinations(group, 2)]
    if not pairs:
        return []
    owner, left, right = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
    scores: list[int] = np.bincount(owner, scorer.fits(left, right), len(groups)).astype(np.int64).tolist()
    return scores


def _group(scorer: Scorer, members: tuple[int, ...], score: int, extra: int | None) -> Group:
    people = scorer.people
    ordered = sorted(members[:2], key=lambda i: people[i].person_id) + list(members[2:])
    return Group(
        members=tuple(people[i].person_id for i in ordered),
        score=score,
        reasons=scorer.reasons(ordered),
        extra=people[extra].person_id if len(members) == 3 and extra is not None else None,
    )
