"""What the best matching of a round could reach, to judge the matcher's fit (hours, regions, topics).

- `exact_fit`: the fit of the exact optimum (every pair weighed, with the matcher's own tiers), for
  rounds up to a few thousand members (the solve takes about a minute at 2,000).
- `assignment_bound`: an upper bound on the fit of any matching, for any size. A pair's fit is its
  classes' hours and regions plus its topic points, and i's topic points with anyone of class b are
  at most t_i(b), i's best with that class. So each member choosing a partner *class* (with as many
  members of a choosing b as of b choosing a) scores at least as much as any matching; the bound is
  the Lagrangian dual of that assignment, min over antisymmetric prices of the sum over members of
  their best priced choice. It counts hours and regions exactly, so unlike a bound on the whole weight
  (whose never-met and other-organisation tiers swamp everything else) it shows a loss of fit.
"""

from __future__ import annotations

import numpy as np

from bot.features.matching.matcher.candidates import complete_edges
from bot.features.matching.matcher.scoring import Ints, Scorer
from bot.features.matching.matcher.solver import RoundGraph, _stand_in

ROWS = 256  # members whose topic points with everyone are computed at once
STEPS = 400


def exact_fit(scorer: Scorer) -> int:
    everyone = np.arange(scorer.size, dtype=np.int64)
    graph = RoundGraph(scorer, everyone, _stand_in(scorer), verify_optimum=False)
    graph.add(complete_edges(scorer, everyone))
    partner = graph.solve()
    pairs = {(a, b) for a, b in partner.items() if a < b and graph.stand_in not in (a, b)}
    return sum(scorer.fit(a, b) for a, b in pairs)


def best_topics_by_class(scorer: Scorer) -> Ints:
    """t[i, b]: i's most topic points with any other member of class b (-1: nobody there)."""
    classes = len(scorer.class_regions)
    order = np.argsort(scorer.class_of, kind="stable")
    counts = np.bincount(scorer.class_of, minlength=classes)
    starts = np.cumsum(counts) - counts
    best = np.full((scorer.size, classes), -1, dtype=np.int64)
    present = counts > 0
    for first in range(0, scorer.size, ROWS):
        rows = np.arange(first, min(first + ROWS, scorer.size), dtype=np.int64)
        points = scorer.topic_points(rows[:, None], order[None, :])
        points[rows[:, None] == order[None, :]] = -1  # nobody is their own partner
        best[rows[:, None], np.flatnonzero(present)[None, :]] = np.maximum.reduceat(
            points, starts[present], axis=1
        )
    return best


def assignment_bound(scorer: Scorer) -> float:
    topics = best_topics_by_class(scorer)
    base = scorer.base[scorer.class_of]  # (members, classes)
    gain = np.where(topics >= 0, (base + topics) / 2, -np.inf)
    classes = base.shape[1]
    prices = np.zeros((classes, classes))
    best = np.inf
    for step in range(STEPS):
        priced = gain + prices[scorer.class_of]
        choice = priced.argmax(axis=1)
        best = min(best, float(priced[np.arange(scorer.size), choice].sum()))
        chosen = np.zeros((classes, classes))
        np.add.at(chosen, (scorer.class_of, choice), 1)
        imbalance = chosen - chosen.T  # more of a choosing b than of b choosing a: make b dearer for a
        norm = np.linalg.norm(imbalance)
        if norm == 0:
            break
        prices -= 20 / np.sqrt(step + 1) * imbalance / norm
    return best
