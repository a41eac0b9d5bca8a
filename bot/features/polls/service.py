"""Voting, refreshing and closing, on one unit of work; callers send what comes back.

Live results are coalesced through the schedules (bot.scheduling): the first vote not yet
shown marks the poll dirty (a conditional update, so one per burst wins) and adds one
"polls.refresh" occurrence due a second after the last edit; the refresh clears the mark
and edits the message with the counts of that moment. Votes share a lock on the poll row
that a refresh takes alone (storage.polls), so a vote either is in the counts a refresh
reads or marks the poll dirty after it: the last vote is always shown, with one edit a
second at most, however many processes take votes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import RoundtableSettings
from bot.features.polls.fairness import SlotScore, known_zones, unsocial_count
from bot.features.polls.render import poll_message
from bot.features.roundtables import service as roundtables
from bot.i18n import current_language
from bot.messages import Message
from bot.outbound import Post, Public, Update
from bot.refs import ChannelRef
from storage.models import Poll
from storage.unit_of_work import UnitOfWork

CLOSE = "polls.close"
REFRESH = "polls.refresh"
EDIT_GAP = timedelta(seconds=1)


def posted_as(poll: Poll) -> str:
    """The name the poll's message is posted under, to update it in place (bot.outbound.Post)."""
    return f"poll:{poll.id}"


def in_place(poll: Poll) -> Update:
    return Update(name=posted_as(poll))


def channel_ref(poll: Poll) -> ChannelRef:
    return ChannelRef(poll.platform, poll.workspace, poll.channel_id)


async def view(uow: UnitOfWork, poll: Poll) -> Message:
    tally, voters = await uow.polls.tally(poll.id)
    return poll_message(poll, tally, voters, await zones_of_voters(uow, poll))


async def zones_of_voters(uow: UnitOfWork, poll: Poll) -> list[ZoneInfo]:
    if poll.kind != "slots" or poll.anonymous:
        return []
    return known_zones(await uow.polls.voter_zones(poll.id))


async def record(
    uow: UnitOfWork,
    poll: Poll,
    voter_key: str,
    person_id: int,
    answers: Mapping[int, str],
    now: datetime,
) -> None:
    """Replace the voter's answers (the poll is locked and open) and have the message refreshed;
    an anonymous poll's ballot keeps no person id."""
    await uow.polls.replace_answers(poll.id, voter_key, None if poll.anonymous else person_id, answers)
    await refresh_soon(uow, poll, now)


async def refresh_soon(uow: UnitOfWork, poll: Poll, now: datetime) -> None:
    # Already dirty (as read under the vote's lock): the refresh to come will show this vote.
    if poll.dirty_since is None and await uow.polls.mark_dirty(poll.id, now):
        due = max(now, poll.shown_at + EDIT_GAP) if poll.shown_at else now
        await uow.schedules.add(REFRESH, poll.id, due, now, platform=poll.platform)


async def refreshed(uow: UnitOfWork, poll: Poll, now: datetime) -> Post:
    """The poll message as it stands, replacing the posted one; the poll is locked."""
    poll.dirty_since, poll.shown_at = None, now
    if poll.anonymous:
        await uow.polls.shuffle_ballots(poll.id)
    return Post(await view(uow, poll), in_place(poll), language=current_language())


async def close(uow: UnitOfWork, poll: Poll, now: datetime, settings: RoundtableSettings) -> list[Post]:
    """Close a locked, open poll and say so. The final edit is the poll message's last: a
    refresh still being sent is ahead of it in the message's outbox lane (both were written
    under the poll's lock, the refresh first), and none is left to come after it."""
    poll.state, poll.closed_at, poll.dirty_since = "closed", now, None
    await uow.schedules.cancel(REFRESH, [poll.id])
    if poll.anonymous:  # the last votes, not yet refreshed, leave voting order too
        await uow.polls.shuffle_ballots(poll.id)
    return await closing_posts(uow, poll, now, settings)


async def closing_posts(
    uow: UnitOfWork, poll: Poll, now: datetime, settings: RoundtableSettings
) -> list[Post]:
    """The final message in place, the results posted, and for a time-slot poll the
    roundtable; the same again when a deadline timer runs a second time."""
    final = await view(uow, poll)
    language = current_language()
    posts = [
        Post(final, in_place(poll), language=language),
        Post(final, Public(channel_ref(poll)), language=language),
    ]
    if poll.kind == "slots":
        posts += await roundtables.from_slot_poll(uow, poll, await slot_scores(uow, poll), now, settings)
    return posts


async def slot_scores(uow: UnitOfWork, poll: Poll) -> list[SlotScore]:
    tally, _ = await uow.polls.tally(poll.id)
    zones = await zones_of_voters(uow, poll)
    scores = []
    for option in poll.options:
        assert option.starts_at is not None  # every option of a slot poll is a time
        counts = tally.get(option.id, {})
        unsocial = unsocial_count(option.starts_at, zones)
        scores.append(SlotScore(counts.get("yes", 0), counts.get("maybe", 0), unsocial, option.starts_at))
    return scores
