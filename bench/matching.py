"""Peer matching at 1,000 to 50,000 members, on two network shapes: time, memory, fit, and the goals.

    .venv/bin/python bench/matching.py [--sizes 1000,2000,5000,10000,20000,50000]
        [--networks zipf,north_south] [--exact-up-to 2000] [--seed 7]

Networks come from bench/matching_networks.py. Each matcher runs in a fresh process; its memory is
the rise of that process's resident high-water mark over what the generated network already held
(the mark is reset just before the matcher starts). Time is wall-clock and CPU: the CPU figure is
what the matcher needs when other work shares the machine; `load` is the 1-minute load average just
after the matcher ran (the machine's cores are shared, so wall time follows the load).

Fit (hours, regions, topics; what `Group.score` shows) is compared with the exact optimum's fit
(every pair weighed, solved exactly in this run, up to --exact-up-to members) and with an upper bound
on any matching's fit at every size (bench/matching_bounds.py). At the sizes that have both, the
exact optimum's share of the bound shows how tight the bound is.

Rows: `ours` (the matcher), `2 sides` (the same members as two sides, alumni and a new cohort: only
timing, memory and placement, since the optimum differs), `shuffle` (what common pairing bots do:
shuffle, then pair in order, skipping pairs from the 3 latest rounds and avoided pairs).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from matching_bounds import assignment_bound, exact_fit
from matching_networks import GENERATORS

from bot.features.matching.matcher import RoundRequest, Weights, WorkingDay, match_round
from bot.features.matching.matcher.hours import overlap
from bot.features.matching.matcher.model import pair_key
from bot.features.matching.matcher.scoring import Scorer

RECENT = 3  # the shuffle bot avoids pairs from this many latest rounds
GOAL_SECONDS = {10_000: 3.0, 50_000: 60.0}
GOAL_MB = {50_000: 1024.0}
GOAL_FIT = (2_000, 99.9)


@dataclass
class Figures:
    wall: float
    cpu: float
    matcher_mb: float
    groups: list[tuple[int, ...]]
    unmatched: int
    load: float


def _memory_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith(field)).split()[1])


Groups = tuple[list[tuple[int, ...]], int]  # the groups and how many were left unmatched


def _measure(request: RoundRequest, run: Callable[[RoundRequest], Groups]) -> Figures:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the current resident size
    before = _memory_kb("VmRSS:")
    wall, cpu = time.perf_counter(), time.process_time()
    groups, unmatched = run(request)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    mb = (_memory_kb("VmHWM:") - before) / 1024
    return Figures(wall, cpu, mb, groups, unmatched, os.getloadavg()[0])


def ours(request: RoundRequest) -> Groups:
    result = match_round(request)
    return [g.members for g in result.groups], len(result.unmatched)


def shuffle_bot(request: RoundRequest) -> Groups:
    rng = random.Random(request.seed)
    latest = max(request.history.met.values(), default=0)
    recent = {key for key, r in request.history.met.items() if r > latest - RECENT}
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
    return groups, 0


def two_sided(request: RoundRequest) -> RoundRequest:
    ids = [c.person_id for c in request.candidates]
    alumni = frozenset(ids[::2])
    return replace(request, sides=(alumni, frozenset(ids) - alumni))


def run(matcher: str, network: str, n: int, seed: int) -> Figures:
    request = GENERATORS[network](n, seed)
    if matcher == "2 sides":
        return _measure(two_sided(request), ours)
    return _measure(request, shuffle_bot if matcher == "shuffle" else ours)


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


@dataclass
class Quality:
    fit: int
    repeats: int
    same_organisation: int
    cross_region: float
    mean_hours: float
    without_hours: int


def quality(request: RoundRequest, scorer: Scorer, groups: list[tuple[int, ...]]) -> Quality:
    index = {p.person_id: i for i, p in enumerate(scorer.people)}
    person = {p.person_id: p for p in request.candidates}
    pairs = [pair for group in groups for pair in combinations(group, 2)]
    matched = [group[:2] for group in groups]  # the trio's extra member is not in the matching
    hours = [overlap([person[m].timezone for m in group], request.on) for group in groups]
    return Quality(
        fit=sum(scorer.fit(index[a], index[b]) for a, b in matched),
        repeats=sum(pair_key(a, b) in request.history.met for a, b in pairs),
        same_organisation=sum(person[a].organisation == person[b].organisation for a, b in pairs),
        cross_region=100 * sum(person[a].region != person[b].region for a, b in pairs) / len(pairs),
        mean_hours=sum(h.hours if h else 0 for h in hours) / len(groups),
        without_hours=sum(h is None for h in hours),
    )


HEADER = (
    f"{'n':>6} {'network':<12} {'matcher':<8} {'wall s':>7} {'cpu s':>7} {'load':>5} {'MB':>6} "
    f"{'fit%opt':>8} {'fit%bnd':>8} {'repeats':>7} {'same-org':>8} {'x-region%':>9} {'hours':>6} "
    f"{'no-hours':>8} {'unmatched':>9}"
)


def row(
    n: int, network: str, matcher: str, f: Figures, q: Quality | None, exact: int | None, bound: float
) -> str:
    head = f"{n:>6} {network:<12} {matcher:<8} {f.wall:>7.2f} {f.cpu:>7.2f} {f.load:>5.1f} "
    head += f"{f.matcher_mb:>6.0f} "
    if q is None:
        return head + f"{'-':>8} {'-':>8} {'-':>7} {'-':>8} {'-':>9} {'-':>6} {'-':>8} {f.unmatched:>9}"
    of_exact = f"{100 * q.fit / exact:>8.3f}" if exact else f"{'-':>8}"
    no_hours = f"{q.without_hours} ({100 * q.without_hours / len(f.groups):.0f}%)"
    return head + (
        f"{of_exact} {100 * q.fit / bound:>8.3f} {q.repeats:>7} {q.same_organisation:>8} "
        f"{q.cross_region:>9.1f} {q.mean_hours:>6.2f} {no_hours:>8} {f.unmatched:>9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,5000,10000,20000,50000")
    parser.add_argument("--networks", default=",".join(GENERATORS))
    parser.add_argument("--exact-up-to", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        "MB: the matcher's own peak memory; fit%opt: of the exact optimum's fit; fit%bnd: of the upper bound"
    )
    print("hours: mean shared working hours per group; no-hours: groups with no shared half hour")
    print(HEADER, flush=True)
    ours_at: dict[tuple[str, int], tuple[Figures, Quality, int | None]] = {}
    for n in (int(size) for size in args.sizes.split(",")):
        for network in args.networks.split(","):
            request = GENERATORS[network](n, args.seed)
            scorer = Scorer(request, Weights(), WorkingDay())
            start = time.process_time()
            bound = assignment_bound(scorer)
            bound_seconds = time.process_time() - start
            exact = exact_fit(scorer) if n <= args.exact_up_to else None
            exact_seconds = time.process_time() - start - bound_seconds
            for matcher in ("ours", "2 sides", "shuffle"):
                figures: Figures = in_fresh_process(run, matcher, network, n, args.seed)
                q = None if matcher == "2 sides" else quality(request, scorer, figures.groups)
                print(row(n, network, matcher, figures, q, exact, bound), flush=True)
                if matcher == "ours" and q is not None:
                    ours_at[(network, n)] = (figures, q, exact)
            note = f"{n:>6} {network:<12} bound {bound:.0f} ({bound_seconds:.1f} s)"
            if exact is not None:
                share = 100 * exact / bound
                note += f"; exact optimum {exact} ({exact_seconds:.1f} s) = {share:.3f}% of the bound"
            print(note, flush=True)
    print_goals(ours_at)


def print_goals(ours_at: dict[tuple[str, int], tuple[Figures, Quality, int | None]]) -> None:
    print("\nGoals (ours), and how far from each:")
    for (network, n), (f, q, exact) in sorted(ours_at.items(), key=lambda item: (item[0][1], item[0][0])):
        checks = []
        if n in GOAL_SECONDS:
            goal = GOAL_SECONDS[n]
            checks.append(
                f"time <= {goal:.0f} s: wall {f.wall:.2f} s ({goal - f.wall:+.2f} to spare), "
                f"cpu {f.cpu:.2f} s ({goal - f.cpu:+.2f}), load {f.load:.1f}"
            )
        if n in GOAL_MB:
            spare = GOAL_MB[n] - f.matcher_mb
            checks.append(f"memory <= {GOAL_MB[n]:.0f} MB: {f.matcher_mb:.0f} MB ({spare:+.0f} to spare)")
        if n == GOAL_FIT[0] and exact:
            pct = 100 * q.fit / exact
            spare = pct - GOAL_FIT[1]
            checks.append(f"fit >= {GOAL_FIT[1]}% of exact: {pct:.3f}% ({spare:+.3f} points to spare)")
        checks.append(f"repeats {q.repeats} (goal 0), unmatched {f.unmatched} (goal 0)")
        print(f"{n:>6} {network:<12} " + "; ".join(checks))
    sizes = sorted({n for _, n in ours_at})
    for network in sorted({network for network, _ in ours_at}):
        if len(sizes) > 1 and (network, sizes[0]) in ours_at and (network, sizes[-1]) in ours_at:
            small, large = ours_at[(network, sizes[0])][0], ours_at[(network, sizes[-1])][0]
            times = sizes[-1] / sizes[0]
            grew = large.cpu / small.cpu
            print(f"growth {network}: {times:.0f}x the members took {grew:.1f}x the cpu time")


if __name__ == "__main__":
    main()
