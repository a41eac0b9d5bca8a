"""A big round is solved in parts: each part a small sample of the whole round, with the same mix of
sides, time zones and regions, so that what is best within each part is close to what is best for
the round. A matching's cost grows faster than its size; parts of a fixed size make it grow linearly.
"""

from __future__ import annotations

import numpy as np

from bot.features.matching.matcher.scoring import Ints, Scorer


def split(scorer: Scorer, size: int) -> list[Ints]:
    """Members dealt in turn to parts of about `size`, class by class; every part even but one."""
    count = max(1, round(scorer.size / size))
    members = np.arange(scorer.size, dtype=np.int64)
    if count == 1:
        return [members]
    dealt = members[np.argsort(scorer.class_of, kind="stable")]  # members are in a seeded shuffle already
    parts = [dealt[k::count] for k in range(count)]
    odd = [k for k, part in enumerate(parts) if len(part) % 2]
    first = scorer.size % 2  # an odd round keeps one odd part, for the trio's stand-in
    for giver, taker in zip(odd[first::2], odd[first + 1 :: 2], strict=True):
        parts[taker] = np.append(parts[taker], parts[giver][-1])
        parts[giver] = parts[giver][:-1]
    return parts
