"""Roundtables: made from a closed time-slot poll, announced with RSVP buttons and an .ics
file in the poll's channel and in each of its copies' channels (bot.features.polls.copies: one
roundtable, answered from every copy), and recalled 24 hours and 1 hour before to those Going or
Maybe (schedule kind "roundtables.remind", bot.scheduling); at the end, a check-in asks who came
("insights.who_came", bot.features.insights.attendance). What the channel reads is in the
language being spoken (the caller speaks the channel's), as is each member's reminder (the
caller speaks theirs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.action_ids import action_id
from bot.config import RoundtableSettings
from bot.features.polls.calendar import Invitation, invitation
from bot.features.polls.copies import Place, copy_place
from bot.features.polls.fairness import SlotScore, best_slot
from bot.i18n import N_, _, current_language, ngettext
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Link,
    Message,
    Note,
    Section,
    Strong,
    Timestamp,
    filled,
    rich,
)
from bot.outbound import Post, Public
from bot.refs import ChannelRef
from storage.models import ChannelCopy, Poll, Roundtable
from storage.unit_of_work import UnitOfWork

REMINDER = "roundtables.remind"
CHECK_IN = "insights.who_came"  # asked by the insights feature (bot.features.insights.attendance)
BEFORE = (timedelta(hours=24), timedelta(hours=1))
MINUTES = 60
RSVP = {"going": N_("Going"), "maybe": N_("Maybe"), "no": N_("Can't")}


async def places(uow: UnitOfWork, roundtable: Roundtable) -> list[Place]:
    """Where the roundtable is announced: its poll's channel, then each copy's; the announcement
    is posted under each place's name, so an answer on any copy redraws them all."""
    own = Place(
        ChannelRef(roundtable.platform, roundtable.workspace, roundtable.channel_id),
        f"roundtable:{roundtable.id}",
    )
    return [own, *(copy_place(copy) for copy in await uow.copies.of_roundtable(roundtable.id))]


async def from_slot_poll(
    uow: UnitOfWork,
    poll: Poll,
    results: Message,
    scores: list[SlotScore],
    now: datetime,
    settings: RoundtableSettings,
) -> list[Post]:
    """The poll's final `results` posted in each of its channels, then the roundtable at the best
    slot, announced there with its calendar file (in that order, one lane a channel); found
    again when a timer runs twice."""
    language = current_language()
    best = best_slot(scores)
    if best is None:
        text = _("No roundtable on \u201c{topic}\u201d: nobody could make any of the times.").format(
            topic=poll.question
        )
        channels = [ChannelRef(poll.platform, poll.workspace, poll.channel_id)]
        channels += [copy_place(copy).channel for copy in await uow.copies.of_poll(poll.id)]
        return [
            Post(said, Public(channel), language=language)
            for channel in channels
            for said in (results, Message.of(text))
        ]
    roundtable = await uow.roundtables.of_poll(poll.id) or await made(uow, poll, scores[best].starts_at, now)
    planner = await uow.people.get(poll.creator_id) if poll.creator_id else None
    organiser = planner.display_name if planner else _("the facilitators")
    announced = announcement(roundtable, {}, settings.join_url)
    calendar = calendar_file(roundtable, now, organiser, settings)
    return [
        post
        for place in await places(uow, roundtable)
        for post in (
            Post(results, Public(place.channel), language=language, lane=place.name),
            Post(announced, Public(place.channel), place.name, language=language),
            Post(calendar, Public(place.channel), language=language, lane=place.name),
        )
    ]


async def made(uow: UnitOfWork, poll: Poll, starts_at: datetime, now: datetime) -> Roundtable:
    """The roundtable a closed time-slot poll chose, with its timers, in each of the poll's copies."""
    roundtable = await uow.roundtables.add(
        Roundtable(
            topic=poll.question,
            starts_at=starts_at,
            minutes=MINUTES,
            poll_id=poll.id,
            platform=poll.platform,
            workspace=poll.workspace,
            channel_id=poll.channel_id,
            created_at=now,
        )
    )
    await uow.copies.add(
        (
            ChannelCopy(
                roundtable_id=roundtable.id,
                platform=copy.platform,
                workspace=copy.workspace,
                channel_id=copy.channel_id,
            )
            for copy in await uow.copies.of_poll(poll.id)
        ),
        now,
    )
    for before in BEFORE:
        if roundtable.starts_at - before > now:
            await uow.schedules.add(
                REMINDER, roundtable.id, roundtable.starts_at - before, now, platform=poll.platform
            )
    ends_at = roundtable.starts_at + timedelta(minutes=roundtable.minutes)
    await uow.schedules.add(CHECK_IN, roundtable.id, ends_at, now, platform=poll.platform)
    return roundtable


def announcement(roundtable: Roundtable, counts: dict[str, int], join_url: str) -> Message:
    going = [f"{_(label)} {counts.get(answer, 0)}" for answer, label in RSVP.items()]
    number = _("Roundtable #{number}").format(number=roundtable.id)
    length = ngettext(
        "{when} (your time), {minutes} minute", "{when} (your time), {minutes} minutes", roundtable.minutes
    )
    join = ("\n", *filled(_("Join: {link}"), link=Link(join_url, join_url))) if join_url else ()
    return Message(
        (
            Section(
                rich(
                    Strong(_("Roundtable: {topic}").format(topic=roundtable.topic)),
                    "\n",
                    *filled(length, when=Timestamp(roundtable.starts_at), minutes=str(roundtable.minutes)),
                    *join,
                )
            ),
            Note((" \u00b7 ".join([*going, number]),)),
            Actions(
                tuple(
                    Button(
                        _(label),
                        action_id("rt", "rsvp", roundtable.id, answer),
                        "primary" if answer == "going" else "default",
                    )
                    for answer, label in RSVP.items()
                )
            ),
        )
    )


def calendar_file(
    roundtable: Roundtable, now: datetime, organiser: str, settings: RoundtableSettings
) -> Message:
    data = invitation(
        Invitation(
            uid=f"roundtable-{roundtable.id}@alumni-bot",
            topic=roundtable.topic,
            starts_at=roundtable.starts_at,
            minutes=roundtable.minutes,
            organiser=organiser,
            organiser_email=settings.organiser_email,
            join_url=settings.join_url,
        ),
        now,
    )
    return Message.of(
        _("Add the roundtable to your calendar:"),
        Attachment(data, f"roundtable-{roundtable.id}.ics", "text/calendar"),
    )


def reminder(roundtable: Roundtable) -> Message:
    return Message.of(
        Section(
            rich(
                *filled(
                    _("{roundtable} starts {soon} ({when})."),
                    roundtable=Strong(
                        "\u23f0 " + _("Roundtable \u201c{topic}\u201d").format(topic=roundtable.topic)
                    ),
                    soon=Timestamp(roundtable.starts_at, "relative"),
                    when=Timestamp(roundtable.starts_at),
                ),
            )
        )
    )
