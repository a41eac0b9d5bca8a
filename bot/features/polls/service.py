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
from bot.features.polls.copies import Place, copy_place
from bot.features.polls.fairness import SlotScore, known_zones, unsocial_count
from bot.features.polls.render import poll_message
from bot.features.roundtables import service as roundtables
from bot.i18n import current_language
from bot.messages import Message
from bot.outbound import Post, Public
from bot.refs import ChannelRef
from storage.models import Poll
from storage.unit_of_work import UnitOfWork

CLOSE = "polls.close"
REFRESH = "polls.refresh"
EDIT_GAP = timedelta(seconds=1)


def posted_as(poll: Poll) -> str:
    """The name the poll's message is posted under, to update it in place (bot.outbound.Post)."""
    return f"poll:{poll.id}"


def channel_ref(poll: Poll) -> ChannelRef:
    return ChannelRef(poll.platform, poll.workspace, poll.channel_id)


async def places(uow: UnitOfWork, poll: Poll) -> list[Place]:
    """Where the poll is shown: its own channel, then each copy's (bot.features.polls.copies)."""
    copies = [copy_place(copy) for copy in await uow.copies.of_poll(poll.id)]
    return [Place(channel_ref(poll), posted_as(poll)), *copies]


async def everywhere(uow: UnitOfWork, poll: Poll, message: Message) -> list[Post]:
    """`message` in place of every copy of the poll's message, each in its own outbox lane."""
    return [Post(message, place.update(), language=current_language()) for place in await places(uow, poll)]


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
    platform: str,
) -> None:
    """Replace the voter's answers (the poll is locked and open) and have the messages refreshed;
    an anonymous poll's ballot keeps no person id, nor the platform it came from."""
    if poll.anonymous:
        await uow.polls.replace_answers(poll.id, voter_key, None, answers, "")
    else:
        await uow.polls.replace_answers(poll.id, voter_key, person_id, answers, platform)
    await refresh_soon(uow, poll, now)


async def refresh_soon(uow: UnitOfWork, poll: Poll, now: datetime) -> None:
    # Already dirty (as read under the vote's lock): the refresh to come will show this vote.
    if poll.dirty_since is None and await uow.polls.mark_dirty(poll.id, now):
        due = max(now, poll.shown_at + EDIT_GAP) if poll.shown_at else now
        await uow.schedules.add(REFRESH, poll.id, due, now, platform=poll.platform)


async def refreshed(uow: UnitOfWork, poll: Poll, now: datetime) -> list[Post]:
    """The poll message as it stands, replacing every posted copy; the poll is locked."""
    poll.dirty_since, poll.shown_at = None, now
    if poll.anonymous:
        await uow.polls.shuffle_ballots(poll.id)
    return await everywhere(uow, poll, await view(uow, poll))


async def close(uow: UnitOfWork, poll: Poll, now: datetime, settings: RoundtableSettings) -> list[Post]:
    """Close a locked, open poll and say so. The final edit is the poll message's last: a
    refresh still being sent is ahead of it in each message's outbox lane (both were written
    under the poll's lock, the refresh first), and none is left to come after it."""
    poll.state, poll.closed_at, poll.dirty_since = "closed", now, None
    await uow.schedules.cancel(REFRESH, [poll.id])
    if poll.anonymous:  # the last votes, not yet refreshed, leave voting order too
        await uow.polls.shuffle_ballots(poll.id)
    return await closing_posts(uow, poll, now, settings)


async def closing_posts(
    uow: UnitOfWork, poll: Poll, now: datetime, settings: RoundtableSettings
) -> list[Post]:
    """The final message in place and the results posted, in every copy's channel too, and for a
    time-slot poll the roundtable; the same again when a deadline timer runs a second time."""
    final = await view(uow, poll)
    posts = await everywhere(uow, poll, final)
    if poll.kind == "slots":
        return posts + await roundtables.from_slot_poll(
            uow, poll, final, await slot_scores(uow, poll), now, settings
        )
    return posts + [
        Post(final, Public(place.channel), language=current_language()) for place in await places(uow, poll)
    ]


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
