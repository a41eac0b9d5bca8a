"""Peer matching at 100 to 10,000 members: our matcher beside networkx and a random-shuffle bot.

    .venv/bin/python bench/matching.py [--sizes 100,1000,5000,10000] [--seed 7]

Needs the bench extra (`pip install -e '.[bench]'`). Networks are generated: organisations of
Zipf-like sizes with home regions skewed to Europe and North America, time zones from regions,
3-6 topics each, 10 prior rounds of history. Every matcher runs in a fresh process, so its peak
memory (RSS high-water mark) is its own.

Total weight is compared with an upper bound on the best possible matching:
- n <= 5,000: the assignment relaxation, half the best assignment (scipy linear_sum_assignment)
  over the full weight matrix (a matching is an assignment made of swaps);
- beyond: half the sum of each member's best possible partner weight.
"Weight" counts every tier (dominated by never-met and other-organisation); "fit" counts only
hours, regions and topics, against the same kind of bound over the fit of every allowed pair.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import networkx
import numpy
from scipy.optimize import linear_sum_assignment

from bot.matching import Candidate, GraphLimits, History, RoundRequest, Weights, WorkingDay, match_round
from bot.matching.candidates import edges_for
from bot.matching.hours import overlap
from bot.matching.model import pair_key
from bot.matching.scoring import Scorer
from bot.matching.solver import RoundGraph

ON = date(2025, 3, 18)
REGION_SHARE = {
    "Europe": 0.38,
    "North America": 0.27,
    "Africa": 0.11,
    "Asia": 0.11,
    "Latin America & Caribbean": 0.09,
    "Oceania": 0.04,
}
ZONES = {
    "Europe": "Europe/London Europe/Paris Europe/Berlin Europe/Madrid Europe/Rome Europe/Warsaw "
    "Europe/Lisbon Europe/Athens Europe/Helsinki Europe/Kyiv Europe/Amsterdam Europe/Stockholm",
    "North America": "America/New_York America/Chicago America/Denver America/Los_Angeles "
    "America/Toronto America/Vancouver America/Halifax",
    "Africa": "Africa/Nairobi Africa/Lagos Africa/Johannesburg Africa/Cairo Africa/Accra Africa/Kampala "
    "Africa/Dakar Africa/Addis_Ababa",
    "Asia": "Asia/Kolkata Asia/Tokyo Asia/Singapore Asia/Manila Asia/Jakarta Asia/Seoul Asia/Dubai "
    "Asia/Karachi Asia/Dhaka",
    "Latin America & Caribbean": "America/Sao_Paulo America/Mexico_City America/Bogota "
    "America/Argentina/Buenos_Aires America/Lima America/Santiago",
    "Oceania": "Australia/Sydney Australia/Perth Pacific/Auckland Pacific/Fiji",
}
TOPICS = [f"topic{k:02d}" for k in range(60)]
ROUNDS = 10
RECENT = 3  # the shuffle bot avoids pairs from this many latest rounds


def network(n: int, seed: int) -> RoundRequest:
    rng = random.Random(seed)
    regions = list(REGION_SHARE)
    organisations = max(n // 8, 2)
    org_weights = [1 / (rank + 1) ** 1.1 for rank in range(organisations)]
    homes = rng.choices(regions, [REGION_SHARE[r] for r in regions], k=organisations)
    topic_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(TOPICS))]
    people = []
    for person in range(n):
        org = rng.choices(range(organisations), org_weights)[0]
        region = homes[org] if rng.random() < 0.85 else rng.choice(regions)
        topics = set()
        count = rng.randint(3, 6)
        while len(topics) < count:
            topics.add(rng.choices(TOPICS, topic_weights)[0])
        ordered = sorted(topics)
        rng.shuffle(ordered)
        split = rng.randint(1, count - 1)
        people.append(
            Candidate(
                person_id=1000 + person,
                organisation=f"org{org}",
                region=region,
                timezone=rng.choice(ZONES[region].split()),
                expertise=frozenset(ordered[:split]),
                learning=frozenset(ordered[split:]),
            )
        )
    met = []
    for round_number in range(1, ROUNDS + 1):
        ids = [p.person_id for p in people]
        rng.shuffle(ids)
        met.extend((a, b, round_number) for a, b in zip(ids[::2], ids[1::2], strict=False))
    if n % 2:
        extra = rng.randrange(n)
        people[extra] = _with_extra(people[extra])
    avoid = [(rng.choice(people).person_id, rng.choice(people).person_id) for _ in range(n // 50)]
    return RoundRequest(people, History.of(met, avoid), ON, seed)


def _with_extra(person: Candidate) -> Candidate:
    return Candidate(
        person.person_id, person.organisation, person.region, person.timezone,
        person.expertise, person.learning, was_extra_last_round=True,
    )


def shuffle_bot(request: RoundRequest) -> list[tuple[int, ...]]:
    """What common pairing bots do: shuffle, then pair in order, skipping recent and avoided pairs."""
    rng = random.Random(request.seed)
    recent = {key for key, r in request.history.met.items() if r > ROUNDS - RECENT}
    blocked = recent | request.history.avoid
    left = [p.person_id for p in request.candidates]
    rng.shuffle(left)
    groups: list[tuple[int, ...]] = []
    while len(left) >= 2:
        first = left.pop(0)
        k = next((k for k, other in enumerate(left) if pair_key(first, other) not in blocked), 0)
        groups.append((first, left.pop(k)))
    if left:
        groups[-1] = (*groups[-1], left.pop())
    return groups


@dataclass
class Figures:
    seconds: float
    peak_mb: float
    before_mb: float
    groups: list[tuple[int, ...]]
    unmatched: int


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def run_ours(n: int, seed: int) -> Figures:
    request = network(n, seed)
    before = _peak_mb()
    start = time.perf_counter()
    result = match_round(request)
    seconds = time.perf_counter() - start
    return Figures(seconds, _peak_mb(), before, [g.members for g in result.groups], len(result.unmatched))


def run_shuffle(n: int, seed: int) -> Figures:
    request = network(n, seed)
    before = _peak_mb()
    start = time.perf_counter()
    groups = shuffle_bot(request)
    return Figures(time.perf_counter() - start, _peak_mb(), before, groups, 0)


def run_solvers_on_same_graph(n: int, seed: int) -> tuple[float, float, int]:
    """Seconds for rustworkx and networkx on our graph for this round, and its edge count."""
    scorer = Scorer(network(n, seed), Weights(), WorkingDay())
    graph = RoundGraph(scorer, verify_optimum=False)
    graph.add(edges_for(scorer, GraphLimits()))
    start = time.perf_counter()
    graph.solve()
    ours = time.perf_counter() - start
    nx_graph = networkx.Graph()
    nx_graph.add_nodes_from(range(graph.nodes))
    nx_graph.add_weighted_edges_from(graph.edges)
    start = time.perf_counter()
    networkx.max_weight_matching(nx_graph, maxcardinality=True)
    return ours, time.perf_counter() - start, len(graph.edges)


def in_fresh_process(function, *args):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


@dataclass
class Quality:
    weight_pct: float
    fit_pct: float
    repeats: int
    cross_org: float
    cross_region: float
    mean_hours: float


def weight_matrices(scorer: Scorer) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Every pair's weight and fit (0 where they may not be paired, and on the diagonal: unmatched)."""
    n = scorer.size
    weight = numpy.zeros((n, n))
    fit = numpy.zeros((n, n))
    tiers = scorer.tiers
    for i in range(n):
        row = numpy.array([-1 if w is None else w for w in scorer.row_from(i)], dtype=numpy.float64)
        allowed = row >= 0
        weight[i] = numpy.where(allowed, row, 0)
        earned = numpy.zeros(n)
        others = [j for j in range(n) if allowed[j]]
        earned[others] = [
            tiers.new_pair * (pair_key(i, j) not in scorer.met)
            + tiers.other_organisation * (j not in scorer.colleagues[i])
            for j in others
        ]
        fit[i] = numpy.where(allowed, row - earned, 0)
    return weight, fit


def bounds(scorer: Scorer) -> tuple[float, float]:
    """Upper bounds on the weight and on the fit of any matching of the round."""
    if scorer.size <= 5000:
        weight, fit = weight_matrices(scorer)
        return tuple(m[linear_sum_assignment(m, maximize=True)].sum() / 2 for m in (weight, fit))
    best_weight = best_fit = 0.0
    tiers = scorer.tiers
    for i in range(scorer.size):
        row = scorer.row_from(i)
        best_weight += max(w for w in row if w is not None)
        best_fit += max(
            w - tiers.new_pair * (pair_key(i, j) not in scorer.met)
            - tiers.other_organisation * (j not in scorer.colleagues[i])
            for j, w in enumerate(row) if w is not None
        )
    return best_weight / 2, best_fit / 2


def quality(request: RoundRequest, scorer: Scorer, groups: list[tuple[int, ...]], bound: tuple) -> Quality:
    index = {p.person_id: i for i, p in enumerate(scorer.people)}
    person = {p.person_id: p for p in request.candidates}
    pairs = [pair for group in groups for pair in combinations(group, 2)]
    matched_pairs = [group[:2] for group in groups]  # the trio's extra member is not in the matching
    weight = sum(scorer.weight(index[a], index[b]) or 0 for a, b in matched_pairs)
    fit = sum(scorer.fit(index[a], index[b]) for a, b in matched_pairs if scorer.weight(index[a], index[b]))
    hours = [overlap([person[m].timezone for m in group], request.on) for group in groups]
    return Quality(
        weight_pct=100 * weight / bound[0],
        fit_pct=100 * fit / bound[1],
        repeats=sum(pair_key(a, b) in request.history.met for a, b in pairs),
        cross_org=100 * sum(person[a].organisation != person[b].organisation for a, b in pairs) / len(pairs),
        cross_region=100 * sum(person[a].region != person[b].region for a, b in pairs) / len(pairs),
        mean_hours=sum(h.hours if h else 0 for h in hours) / len(groups),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("peak MB: the whole process (interpreter, network, matcher); before: the same without the matcher")
    print(f"{'n':>6} {'matcher':<10} {'seconds':>8} {'peak MB':>8} {'before':>6} {'weight%':>9} {'fit%':>7} "
          f"{'repeats':>7} {'x-org%':>7} {'x-region%':>9} {'hours':>6} {'unmatched':>9}")
    for n in (int(size) for size in args.sizes.split(",")):
        request = network(n, args.seed)
        scorer = Scorer(request, Weights(), WorkingDay())
        start = time.perf_counter()
        bound = bounds(scorer)
        bound_seconds = time.perf_counter() - start
        for name, runner in (("ours", run_ours), ("shuffle", run_shuffle)):
            figures = in_fresh_process(runner, n, args.seed)
            q = quality(request, scorer, figures.groups, bound)
            f = figures
            print(f"{n:>6} {name:<10} {f.seconds:>8.3f} {f.peak_mb:>8.0f} {f.before_mb:>6.0f} "
                  f"{q.weight_pct:>9.4f} {q.fit_pct:>7.2f} {q.repeats:>7} {q.cross_org:>7.1f} "
                  f"{q.cross_region:>9.1f} {q.mean_hours:>6.2f} {f.unmatched:>9}", flush=True)
        kind = "assignment relaxation" if n <= 5000 else "best partner each"
        print(f"{n:>6} bound: {kind}, weight {bound[0]:.0f}, fit {bound[1]:.0f} ({bound_seconds:.1f} s)")
        if n <= 1000:
            ours, theirs, edges = in_fresh_process(run_solvers_on_same_graph, n, args.seed)
            print(f"{n:>6} same graph ({edges} edges): rustworkx {ours:.3f} s, networkx {theirs:.3f} s, "
                  f"{theirs / ours:.0f}x", flush=True)


if __name__ == "__main__":
    main()
