"""A matched group's time to meet, in messages: the introduction's "When" (each reader's own
time, a calendar file, the group's meeting link), the other times one member proposes, and
the time another member accepts. The times themselves come from `meeting_time` (pure)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from bot import wall_clock
from bot.action_ids import Number, action_id
from bot.config import MatchingSettings
from bot.features.matching.meeting_time import MEETING, Attendee
from bot.features.matching.weekends import weekend_of
from bot.features.polls.calendar import CalendarEvent, calendar_file
from bot.geo import zone_of
from bot.i18n import N_, _, join_list
from bot.messages import (
    Actions,
    Attachment,
    Block,
    Button,
    Inline,
    Link,
    Message,
    Rich,
    Section,
    Strong,
    Timestamp,
    filled,
    rich,
)
from storage.models import MatchGroup, Person

ROOM_BYTES = 10  # 80 random bits: a room nobody finds by guessing
# A proposed time travels in its button as minutes since 1970 (UTC).
MINUTE = Number(1, 99_999_999)
ANOTHER_TIME = N_("Another time")
ORGANISER = "alumni-bot"


def attendees(people: Sequence[Person]) -> list[Attendee]:
    return [Attendee(zone_of(p), weekend_of(p.country, p.locale)) for p in people]


def room_code() -> str:
    return secrets.token_hex(ROOM_BYTES)


def meeting_url(group: MatchGroup, settings: MatchingSettings) -> str:
    template = settings.meeting_url_template
    return template.replace("{pair}", group.meeting_code) if template and group.meeting_code else ""


def when_blocks(
    group: MatchGroup, people: Sequence[Person], settings: MatchingSettings, stamp: datetime
) -> tuple[Block, ...]:
    """The introduction's suggested time; nothing when the group shares no working hours."""
    if group.meets_at is None:
        return ()
    return (
        Section(meeting_line(_("\U0001f5d3 A time to meet:"), group.meets_at, group, people, settings)),
        calendar(group.meets_at, group, people, settings, stamp),
        Actions((Button(_(ANOTHER_TIME), action_id("match", "another", group.id)),)),
    )


def meeting_line(
    label: str, at: datetime, group: MatchGroup, people: Sequence[Person], settings: MatchingSettings
) -> Rich:
    url = meeting_url(group, settings)
    when = filled(
        _(
            "{time} for {minutes} minutes, inside the working hours you share and on none of your "
            "weekends: {local}."
        ),
        time=Timestamp(at, "full"),
        minutes=str(MEETING.seconds // 60),
        local=local_times(at, people),
    )
    where = (" ", *filled(_("Meet at {link}."), link=Link(url, url))) if url else ()
    return rich(Strong(label), " ", *when, *where)


def local_times(moment: datetime, people: Sequence[Person]) -> str:
    """ "Wed, 4:00 PM for Ana (Africa/Nairobi), Wed, 10:00 AM for Bruno (America/Sao_Paulo)", as the
    language being spoken writes a weekday and a time."""
    return ", ".join(
        _("{time} for {name} ({zone})").format(
            time=wall_clock.shown(moment, zone_of(p), "weekday"), name=p.display_name, zone=zone_of(p)
        )
        for p in people
    )


def calendar(
    at: datetime, group: MatchGroup, people: Sequence[Person], settings: MatchingSettings, stamp: datetime
) -> Attachment:
    url = meeting_url(group, settings)
    names = join_list([p.display_name for p in people])
    how = (
        _("Meet at {url}").format(url=url)
        if url
        else _("Agree where to talk in your conversation with alumni-bot.")
    )
    event = CalendarEvent(
        uid=f"match-{group.id}-{group.meeting_code or 'group'}@alumni-bot",
        summary=_("Alumni match: {names}").format(names=names),
        description=_("Your one-on-one match this round: {names}.\n{how}").format(names=names, how=how),
        starts_at=at,
        minutes=MEETING.seconds // 60,
        organiser=ORGANISER,
        url=url,
        sequence=group.reschedules,
    )
    return Attachment(calendar_file(event, stamp), f"match-{group.id}.ics", "text/calendar")


def proposal(
    group: MatchGroup, proposer: Person, times: Sequence[datetime], people: Sequence[Person]
) -> Message:
    """The other times one member proposes, as buttons the others accept with one press."""
    lines: list[Inline] = [
        Strong(_("{name} proposes another time.").format(name=proposer.display_name)),
        " ",
        _("The others, choose one:"),
    ]
    for number, at in enumerate(times, 1):
        lines.append("\n")
        lines.extend(
            filled(
                _("Option {number}: {time} ({local})"),
                number=str(number),
                time=Timestamp(at, "full"),
                local=local_times(at, people),
            )
        )
    buttons = tuple(
        Button(
            _("Option {number}").format(number=number),
            action_id("match", "meet", group.id, minute_of(at)),
            "primary",
        )
        for number, at in enumerate(times, 1)
    )
    return Message((Section(rich(*lines)), Actions(buttons)))


def agreed(
    group: MatchGroup, chooser: Person, people: Sequence[Person], settings: MatchingSettings, stamp: datetime
) -> Message:
    assert group.meets_at is not None
    return Message(
        (
            Section(
                meeting_line(
                    _("\U0001f5d3 {name} chose:").format(name=chooser.display_name),
                    group.meets_at,
                    group,
                    people,
                    settings,
                )
            ),
            calendar(group.meets_at, group, people, settings, stamp),
            Actions((Button(_(ANOTHER_TIME), action_id("match", "another", group.id)),)),
        )
    )


def minute_of(at: datetime) -> int:
    return int(at.timestamp()) // 60


def at_minute(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


def stored(times: Sequence[datetime]) -> str:
    return " ".join(str(minute_of(t)) for t in times)


def proposed(group: MatchGroup) -> list[datetime]:
    return [at_minute(int(m)) for m in group.proposed_times.split()]
