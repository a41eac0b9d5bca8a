"""How much each quality of a pair counts: the one place to read or change the matching priorities.

A pair's weight is a sum of integer tiers, each strictly above everything below it:

1. never met before,
2. from another organisation,
3. overlapping working hours (per whole hour, up to a cap),
4. from another world region,
5. shared and complementary topics (capped).

Tiers 1 and 2 hold across the whole round: their weights are scaled by the number of pairs
(`Weights.tiers`), so a round with one fewer repeat (or one fewer same-organisation pair) always
wins, whatever the other pairs lose. That is what makes a repeat or a same-organisation pair a
last resort. Tiers 3 to 5 are strict within a pair (one more hour beats another region plus every
topic), and the round maximises their sum over all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    overlap_hour: int = 42  # per whole hour of shared working time...
    overlap_hours_cap: int = 4  # ...counted up to this many hours (enough for a call)
    other_region: int = 21
    offered_topic: int = 2  # per topic one knows that the other wants to learn (each way)
    shared_topic: int = 1  # per topic both listed (expertise or learning)
    # The most topics can add to a pair. High enough that it rarely binds: when most pairs score the
    # same, the round has many equally good answers and the solver takes 10-20x longer (bench/matching.py).
    topics_cap: int = 20
    forbid_same_organisation: bool = False  # True: never pair two people from one organisation

    def __post_init__(self) -> None:
        values = (
            self.overlap_hour,
            self.overlap_hours_cap,
            self.other_region,
            self.offered_topic,
            self.shared_topic,
            self.topics_cap,
        )
        if min(values) < 0:
            raise ValueError("matching weights must not be negative")
        if self.other_region <= self.topics_cap:
            raise ValueError("other_region must exceed topics_cap, so a region always outweighs topics")
        if self.overlap_hour <= self.other_region + self.topics_cap:
            raise ValueError("overlap_hour must exceed other_region + topics_cap, so an hour outweighs both")

    @property
    def max_fit(self) -> int:
        """The most tiers 3-5 can give one pair."""
        return self.overlap_hour * self.overlap_hours_cap + self.other_region + self.topics_cap

    def tiers(self, members: int) -> Tiers:
        """Round-wide weights of tiers 1 and 2 for a round of `members` people."""
        pairs = max(members // 2, 1)
        other_organisation = self.max_fit * pairs + 1
        new_pair = (other_organisation + self.max_fit) * pairs + 1
        return Tiers(new_pair=new_pair, other_organisation=other_organisation)


@dataclass(frozen=True)
class Tiers:
    new_pair: int
    other_organisation: int
