"""Roundtables: made from a closed time-slot poll, announced with RSVP buttons and an .ics
file, and recalled 24 hours and 1 hour before to those Going or Maybe (schedule kind
"roundtables.remind", bot.scheduling); at the end, a check-in asks who came ("insights.who_came",
bot.features.insights.attendance). What the channel reads is in the language being spoken (the
caller speaks the channel's), as is each member's reminder (the caller speaks theirs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.action_ids import action_id
from bot.config import RoundtableSettings
from bot.features.polls.calendar import Invitation, invitation
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
from storage.models import Poll, Roundtable
from storage.unit_of_work import UnitOfWork

REMINDER = "roundtables.remind"
CHECK_IN = "insights.who_came"  # asked by the insights feature (bot.features.insights.attendance)
BEFORE = (timedelta(hours=24), timedelta(hours=1))
MINUTES = 60
RSVP = {"going": N_("Going"), "maybe": N_("Maybe"), "no": N_("Can't")}


def channel_of(roundtable: Roundtable) -> Public:
    return Public(ChannelRef(roundtable.platform, roundtable.workspace, roundtable.channel_id))


async def from_slot_poll(
    uow: UnitOfWork, poll: Poll, scores: list[SlotScore], now: datetime, settings: RoundtableSettings
) -> list[Post]:
    """The roundtable at the best slot, announced; found again when a timer runs twice."""
    best = best_slot(scores)
    if best is None:
        text = _("No roundtable on \u201c{topic}\u201d: nobody could make any of the times.").format(
            topic=poll.question
        )
        where = Public(ChannelRef(poll.platform, poll.workspace, poll.channel_id))
        return [Post(Message.of(text), where, language=current_language())]
    roundtable = await uow.roundtables.of_poll(poll.id)
    if roundtable is None:
        roundtable = await uow.roundtables.add(
            Roundtable(
                topic=poll.question,
                starts_at=scores[best].starts_at,
                minutes=MINUTES,
                poll_id=poll.id,
                platform=poll.platform,
                workspace=poll.workspace,
                channel_id=poll.channel_id,
                created_at=now,
            )
        )
        for before in BEFORE:
            if roundtable.starts_at - before > now:
                await uow.schedules.add(
                    REMINDER, roundtable.id, roundtable.starts_at - before, now, platform=poll.platform
                )
        ends_at = roundtable.starts_at + timedelta(minutes=roundtable.minutes)
        await uow.schedules.add(CHECK_IN, roundtable.id, ends_at, now, platform=poll.platform)
    planner = await uow.people.get(poll.creator_id) if poll.creator_id else None
    organiser = planner.display_name if planner else _("the facilitators")
    return [
        Post(
            announcement(roundtable, {}, settings.join_url),
            channel_of(roundtable),
            language=current_language(),
        ),
        Post(
            calendar_file(roundtable, now, organiser, settings),
            channel_of(roundtable),
            language=current_language(),
        ),
    ]


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
