"""One-on-one peer matching: who meets whom this round.

How pairs are chosen. Each round, everyone who has opted in (and is not paused) is paired with one
other member; if the number is odd, one pair becomes a trio, and the person added to it is never
the same person two rounds in a row. The bot weighs the pairings of the whole round at once and
picks the set of pairs that is best overall, not pair by pair (a round of thousands is solved in
parts of about 2,000 members, each with the same mix of places as the whole). It favours, in this order:
people you have never been paired with (you meet someone again only when there is no other way to
pair everyone), someone from another organisation (a colleague only as a last resort, or never if
the network has chosen so), working hours that overlap so you can talk live, someone from another
part of the world, and finally topics you share or something one of you knows that the other wants
to learn. Your "please don't pair me with" list is private and always respected. The introduction
tells you why you were matched: the topics, your local times side by side, or, when your working
hours don't meet, a suggestion to exchange messages instead. The same members and the same round
always give the same pairs, so a round can be previewed before it is sent. A round may have two
sides (alumni with a new cohort): then everyone is paired across, and the trio, if any, holds two
members of the larger side.

The code is pure (no database, no chat platform): `match_round(RoundRequest(...))` returns the groups.
"""

from bot.features.matching.matcher.candidates import GraphLimits
from bot.features.matching.matcher.hours import WorkingDay
from bot.features.matching.matcher.model import (
    Candidate,
    Group,
    History,
    Offer,
    Overlap,
    Reasons,
    RoundRequest,
    RoundResult,
)
from bot.features.matching.matcher.solver import match_round
from bot.features.matching.matcher.weights import Weights

__all__ = [
    "Candidate",
    "GraphLimits",
    "Group",
    "History",
    "Offer",
    "Overlap",
    "Reasons",
    "RoundRequest",
    "RoundResult",
    "Weights",
    "WorkingDay",
    "match_round",
]
