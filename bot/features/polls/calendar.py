"""An .ics invitation (RFC 5545, via the icalendar library) for a roundtable or a matched pair's
meeting: what, when, who organises it, and how to join. METHOD:PUBLISH, and icalendar folds
long lines at 75 octets, as the RFC asks. The words are in the language being spoken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from bot.i18n import _, ngettext

PRODUCT = "-//alumni-bot//roundtables//EN"
NO_REPLY = "noreply@alumni-bot.invalid"  # RFC 2606: a domain that never receives mail


@dataclass(frozen=True)
class Invitation:
    uid: str
    topic: str
    starts_at: datetime
    minutes: int
    organiser: str  # the facilitator's name
    organiser_email: str = ""
    join_url: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str
    starts_at: datetime
    minutes: int
    organiser: str
    organiser_email: str = ""
    url: str = ""
    sequence: int = 0  # raised each time the event moves, so calendars replace it


def invitation(event_of: Invitation, stamp: datetime) -> bytes:
    return calendar_file(
        CalendarEvent(
            event_of.uid,
            _("Roundtable: {topic}").format(topic=event_of.topic),
            description(event_of),
            event_of.starts_at,
            event_of.minutes,
            event_of.organiser,
            event_of.organiser_email,
            event_of.join_url,
        ),
        stamp,
    )


def calendar_file(event_of: CalendarEvent, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", event_of.uid)
    event.add("summary", event_of.summary)
    event.add("description", event_of.description)
    event.add("dtstart", event_of.starts_at)
    event.add("dtend", event_of.starts_at + timedelta(minutes=event_of.minutes))
    event.add("dtstamp", stamp)
    event.add("sequence", event_of.sequence)
    organiser = vCalAddress(f"mailto:{event_of.organiser_email or NO_REPLY}")
    organiser.params["cn"] = vText(event_of.organiser)
    event.add("organizer", organiser)
    if event_of.url:
        event.add("url", event_of.url)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def description(event_of: Invitation) -> str:
    about = ngettext(
        "A {minutes}-minute roundtable on \u201c{topic}\u201d, organised by {organiser} with alumni-bot.",
        "A {minutes}-minute roundtable on \u201c{topic}\u201d, organised by {organiser} with alumni-bot.",
        event_of.minutes,
    ).format(minutes=event_of.minutes, topic=event_of.topic, organiser=event_of.organiser)
    join = (
        _("How to join: {link}").format(link=event_of.join_url)
        if event_of.join_url
        else _("How to join: {organiser} shares the link in the channel where it was announced.").format(
            organiser=event_of.organiser
        )
    )
    return f"{about}\n{join}"
