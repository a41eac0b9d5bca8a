"""An .ics invitation for a roundtable (RFC 5545, via the icalendar library)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

PRODUCT = "-//alumni-bot//roundtables//EN"


def invitation(uid: str, topic: str, starts_at: datetime, minutes: int, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("summary", f"Roundtable: {topic}")
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("dtstamp", stamp)
    calendar.add_component(event)
    return calendar.to_ical()
