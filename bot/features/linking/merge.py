"""Joining two people when a member links their accounts: the dropped profile's introduction
cards come down, ballots are given the kept person's keys (a poll voted from both accounts
keeps one vote, the kept person's), and storage.merging moves every other row."""

from __future__ import annotations

from datetime import datetime

from bot.config import Secret
from bot.features.intro_card.handlers import forget_cards
from bot.features.polls.ballots import ballot_key, voter_key
from bot.features.polls.service import refresh_soon
from bot.outbound import Outbound
from storage import merging
from storage.models import Person
from storage.unit_of_work import UnitOfWork


async def join_people(
    uow: UnitOfWork, poll_secret: Secret | None, kept: Person, dropped: Person, now: datetime
) -> list[Outbound]:
    """Make `dropped` part of `kept`, in the caller's transaction; what to take down in chat."""
    takedowns: list[Outbound] = list(await forget_cards(uow, dropped.id))
    # What the kept profile leaves unsaid, the dropped one may know.
    kept.timezone = kept.timezone or dropped.timezone
    kept.language = kept.language or dropped.language
    kept.locale = kept.locale or dropped.locale
    kept.reach_platform = kept.reach_platform or dropped.reach_platform
    changed = await merge_ballots(uow, poll_secret, kept.id, dropped.id, now)
    await merging.merge_people(uow.session, kept.id, dropped.id)
    for poll in await merging.open_polls(uow.session, changed):  # a vote dropped: one less to show
        await refresh_soon(uow, poll, now)
    return takedowns


async def merge_ballots(
    uow: UnitOfWork, poll_secret: Secret | None, kept: int, dropped: int, now: datetime
) -> set[int]:
    """Move the dropped person's ballots, open and anonymous, to the kept person's keys; the
    polls where a vote was dropped as a duplicate."""
    # Open ballots carry "p<person id>" whatever the poll; anonymous ones a key per poll.
    targets: dict[str, tuple[str, int | None]] = {
        voter_key(None, 0, dropped): (voter_key(None, 0, kept), kept)
    }
    anonymous = await merging.anonymous_polls(uow.session)
    if anonymous:
        key = await ballot_key(poll_secret, uow, now)
        for poll_id in anonymous:
            targets[voter_key(key, poll_id, dropped)] = (voter_key(key, poll_id, kept), None)
    return await merging.rekey_ballots(uow.session, targets)
