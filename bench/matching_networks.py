"""Generated networks for bench/matching.py: two shapes, so a matcher tuned on one is checked on the other.

- `zipf`: organisations of Zipf-like sizes with home regions skewed to Europe and North America,
  time zones from regions, 3-6 of 60 topics each (popular topics much more common), 10 prior rounds.
- `north_south`: many small organisations (1-6 members), half the members in the global North and
  half in the South, half of everyone in two crowded time zones with no whole working hour in common
  (Kolkata and São Paulo), 1-4 of 40 equally common topics each, 6 prior rounds.

Both add avoid lists (one pair per 50 members) and last round's extra member for odd sizes.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from bot.features.matching.matcher import Candidate, History, RoundRequest

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
NORTH = ("Europe", "North America", "Asia")
SOUTH = ("Africa", "Latin America & Caribbean", "Oceania")
CROWDED = {"North": ("Asia", "Asia/Kolkata"), "South": ("Latin America & Caribbean", "America/Sao_Paulo")}
ZIPF_ROUNDS = 10
NORTH_SOUTH_ROUNDS = 6


def zipf(n: int, seed: int) -> RoundRequest:
    rng = random.Random(seed)
    regions = list(REGION_SHARE)
    organisations = max(n // 8, 2)
    org_weights = [1 / (rank + 1) ** 1.1 for rank in range(organisations)]
    homes = rng.choices(regions, [REGION_SHARE[r] for r in regions], k=organisations)
    topics = [f"topic{k:02d}" for k in range(60)]
    topic_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(topics))]
    people = []
    for person in range(n):
        org = rng.choices(range(organisations), org_weights)[0]
        region = homes[org] if rng.random() < 0.85 else rng.choice(regions)
        chosen: set[str] = set()
        count = rng.randint(3, 6)
        while len(chosen) < count:
            chosen.add(rng.choices(topics, topic_weights)[0])
        people.append(
            _member(rng, 1000 + person, f"org{org}", region, rng.choice(ZONES[region].split()), chosen)
        )
    return _with_history(rng, people, ZIPF_ROUNDS, seed)


def north_south(n: int, seed: int) -> RoundRequest:
    rng = random.Random(seed)
    topics = [f"subject{k:02d}" for k in range(40)]
    people = []
    org = 0
    while len(people) < n:
        hemisphere = rng.choice(("North", "South"))
        for _ in range(min(rng.randint(1, 6), n - len(people))):
            if rng.random() < 0.5:
                region, zone = CROWDED[hemisphere]
            else:
                region = rng.choice(NORTH if hemisphere == "North" else SOUTH)
                zone = rng.choice(ZONES[region].split())
            chosen = set(rng.sample(topics, rng.randint(1, 4)))
            people.append(_member(rng, 1000 + len(people), f"group{org}", region, zone, chosen))
        org += 1
    return _with_history(rng, people, NORTH_SOUTH_ROUNDS, seed)


GENERATORS = {"zipf": zipf, "north_south": north_south}


def _member(
    rng: random.Random, person_id: int, org: str, region: str, zone: str, topics: set[str]
) -> Candidate:
    ordered = sorted(topics)
    rng.shuffle(ordered)
    split = rng.randint(1, len(ordered) - 1) if len(ordered) > 1 else rng.randint(0, 1)
    return Candidate(person_id, org, region, zone, frozenset(ordered[:split]), frozenset(ordered[split:]))


def _with_history(rng: random.Random, people: list[Candidate], rounds: int, seed: int) -> RoundRequest:
    met = []
    for round_number in range(1, rounds + 1):
        ids = [p.person_id for p in people]
        rng.shuffle(ids)
        met.extend((a, b, round_number) for a, b in zip(ids[::2], ids[1::2], strict=False))
    if len(people) % 2:
        extra = rng.randrange(len(people))
        people[extra] = replace(people[extra], was_extra_last_round=True)
    avoid = [(rng.choice(people).person_id, rng.choice(people).person_id) for _ in range(len(people) // 50)]
    return RoundRequest(people, History.of(met, avoid), ON, seed)
