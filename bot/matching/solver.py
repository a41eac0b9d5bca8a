"""One round: an exact maximum-weight matching over the pairs the candidates module offers, then the trio."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import rustworkx

from bot.matching.candidates import Edge, GraphLimits, edges_between, edges_for
from bot.matching.hours import WorkingDay
from bot.matching.model import Group, RoundRequest, RoundResult, pair_key
from bot.matching.scoring import Scorer
from bot.matching.weights import Weights

_WEIGHTS, _DAY, _LIMITS = Weights(), WorkingDay(), GraphLimits()


def match_round(
    request: RoundRequest,
    weights: Weights = _WEIGHTS,
    day: WorkingDay = _DAY,
    limits: GraphLimits = _LIMITS,
    verify_optimum: bool = False,
) -> RoundResult:
    """Pairs (and at most one trio) for everyone in the request, favouring what `Weights` describes."""
    scorer = Scorer(request, weights, day)
    if scorer.size < 2:
        return RoundResult((), tuple(p.person_id for p in scorer.people))
    graph = RoundGraph(scorer, verify_optimum)
    graph.add(edges_for(scorer, limits))
    partner = graph.solve()
    if scorer.size > limits.complete_up_to:
        partner = graph.repair_compromises(graph.match_leftovers(partner))
    return _result(scorer, partner, graph.stand_in)


class RoundGraph:
    """The matching graph. An odd round gets a stand-in node joined (at weight 0) to everyone who was
    not last round's extra member: whoever the solver gives it becomes this round's extra member."""

    def __init__(self, scorer: Scorer, verify_optimum: bool) -> None:
        self.scorer = scorer
        self.verify_optimum = verify_optimum
        self.stand_in = scorer.size if scorer.size % 2 else None
        self.nodes = scorer.size + scorer.size % 2
        self.edges: list[Edge] = []
        if self.stand_in is not None:
            self.add(self.stand_in_edges(range(scorer.size)))

    def stand_in_edges(self, members: Sequence[int] | range) -> list[Edge]:
        if self.stand_in is None:
            return []
        people = self.scorer.people
        eligible = [i for i in members if not people[i].was_extra_last_round]
        if not eligible and all(p.was_extra_last_round for p in people):
            eligible = list(members)  # everyone was the extra at some point: no fair choice left
        return [(i, self.stand_in, 0) for i in eligible]

    def add(self, edges: list[Edge]) -> None:
        self.edges.extend(edges)

    def solve(self, edges: list[Edge] | None = None) -> dict[int, int]:
        graph = rustworkx.PyGraph()
        graph.add_nodes_from(range(self.nodes))
        graph.add_edges_from(self.edges if edges is None else edges)
        matching = rustworkx.max_weight_matching(
            graph, max_cardinality=True, weight_fn=int, verify_optimum=self.verify_optimum
        )
        return {v: u for a, b in matching for u, v in ((a, b), (b, a))}

    def match_leftovers(self, partner: dict[int, int]) -> dict[int, int]:
        """Whoever the candidate graph left out: first paired among themselves on every pair they
        could form; if some still remain, given every pair they could form with anyone and the round
        solved again."""
        left = self._unmatched(partner)
        if not left:
            return partner
        members = [v for v in left if v != self.stand_in]
        among = edges_between(self.scorer, members, members) + self.stand_in_edges(members)
        partner = partner | self.solve(among)
        still = [v for v in self._unmatched(partner) if v != self.stand_in]
        if not still:
            return partner
        self.add(edges_between(self.scorer, still, range(self.scorer.size)))
        return self.solve()

    def repair_compromises(self, partner: dict[int, int]) -> dict[int, int]:
        """Members paired with someone they met or work with may only lack a better partner in the
        candidate graph: give them every pair they could form and solve the round again."""
        compromised = [
            v
            for v, u in partner.items()
            if self.stand_in not in (u, v) and u not in self.scorer.plain(v, [u])
        ]
        if not compromised:
            return partner
        self.add(edges_between(self.scorer, compromised, range(self.scorer.size)))
        return self.solve()

    def _unmatched(self, partner: dict[int, int]) -> list[int]:
        return [v for v in range(self.nodes) if v not in partner]


def _result(scorer: Scorer, partner: dict[int, int], stand_in: int | None) -> RoundResult:
    pairs = sorted({pair_key(a, b) for a, b in partner.items() if stand_in not in (a, b)})
    extra = partner.get(stand_in) if stand_in is not None else None
    trio_pair = _best_pair_for(scorer, extra, pairs) if extra is not None else None
    left = [i for i in range(scorer.size) if i not in partner]
    if extra is not None and trio_pair is None:
        left.append(extra)
    groups = [_group(scorer, (*pair, extra) if pair == trio_pair else pair, extra) for pair in pairs]
    ids = [p.person_id for p in scorer.people]
    return RoundResult(
        groups=tuple(sorted(groups, key=lambda g: g.members)),
        unmatched=tuple(sorted(ids[i] for i in left)),
    )


def _best_pair_for(scorer: Scorer, extra: int, pairs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The pair the extra member adds most to (both pairs they would form must be allowed)."""
    row = scorer.row_from(extra)
    best: tuple[int, int] | None = None
    best_weight = -1
    for a, b in pairs:
        wa, wb = row[a], row[b]
        if wa is not None and wb is not None and wa + wb > best_weight:
            best, best_weight = (a, b), wa + wb
    return best


def _group(scorer: Scorer, members: tuple[int, ...], extra: int | None) -> Group:
    people = scorer.people
    ordered = sorted(members[:2], key=lambda i: people[i].person_id) + list(members[2:])
    return Group(
        members=tuple(people[i].person_id for i in ordered),
        score=sum(scorer.fit(a, b) for a, b in combinations(members, 2)),
        reasons=scorer.reasons(ordered),
        extra=people[extra].person_id if len(members) == 3 and extra is not None else None,
    )
