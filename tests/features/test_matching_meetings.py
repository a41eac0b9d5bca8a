"""A time to meet, through the real core and router on SQLite and PostgreSQL: the introduction's
suggested time (each reader's zone, off everyone's weekend), its .ics, its meeting link, and
"another time" proposed by one member and accepted by another with one press."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from bot.config import FacilitatorSettings, Invalid, MatchingSettings, Settings
from tests.features.test_matching import PEOPLE, groups
from tests.support.chat import Conversation, Sent

ROOM = re.compile(r"https://meet\.jit\.si/alumni-([0-9a-f]{20})\b")


@pytest.fixture
def settings() -> Settings:
    return Settings(
        facilitators=FacilitatorSettings(members=("test:fay",)),
        matching=MatchingSettings(meeting_url_template="https://meet.jit.si/alumni-{pair}"),
    )


async def matched(talk: Conversation, people: dict[str, dict[str, str]]) -> list[Sent]:
    for name, profile in people.items():
        await talk.join(name)
        await talk.set_up_profile(name, **profile)
        await talk.say(name, "/alumni match join")
    return groups(await talk.say("Fay", "/alumni match run"))


def event_of(sent: Sent) -> Calendar:
    [ics] = sent.attachments
    assert ics.mime == "text/calendar" and ics.filename.endswith(".ics")
    assert all(len(line) <= 75 for line in ics.data.split(b"\r\n"))  # RFC 5545 folding
    calendar = Calendar.from_ical(ics.data)
    assert calendar["METHOD"] == "PUBLISH"
    return calendar


async def test_the_introduction_suggests_a_time_in_each_readers_zone_with_a_calendar_file_and_a_room(
    talk,
) -> None:
    [intro] = await matched(talk, {n: PEOPLE[n] for n in ("Ana", "Bruno")})
    # Tuesday 09:00 UTC now; Nairobi and São Paulo share 12:00-15:00 UTC: its middle, a day ahead.
    assert "A time to meet: 2026-11-25T13:00:00+00:00 for 30 minutes" in intro.text
    assert (
        "Wed, 4:00\u202fPM for Ana (Africa/Nairobi), Wed, 10:00\u202fAM for Bruno (America/Sao_Paulo)"
        in intro.text
    )
    [room] = ROOM.findall(intro.text)
    [event] = event_of(intro).walk("VEVENT")
    assert event["DTSTART"].dt.isoformat() == "2026-11-25T13:00:00+00:00"
    assert event["DTEND"].dt.isoformat() == "2026-11-25T13:30:00+00:00"
    assert str(event["URL"]) == f"https://meet.jit.si/alumni-{room}" and event["SEQUENCE"] == 0
    assert [b.label for b in intro.buttons()] == ["Another time"]


async def test_each_pair_has_its_own_unguessable_room(talk) -> None:
    intros = await matched(talk, PEOPLE | {"Dara": dict(PEOPLE["Dara"], timezone="Europe/Paris")})
    rooms = {room for intro in intros for room in ROOM.findall(intro.text)}
    assert len(intros) == 2 and len(rooms) == 2


async def test_no_weekend_of_either_member_friday_and_saturday_in_riyadh(talk, clock) -> None:
    clock.advance(days=2)  # Thursday 26 November 09:00 UTC: a day ahead is Friday
    pair = {
        "Ana": dict(organisation="KAUST", country="Saudi Arabia", timezone="Asia/Riyadh"),
        "Chen": dict(PEOPLE["Chen"]),
    }
    [intro] = await matched(talk, pair)
    # Friday and Saturday are Riyadh's weekend, Saturday and Sunday London's: Monday.
    assert "A time to meet: 2026-11-30T11:30:00+00:00" in intro.text
    assert (
        "Mon, 2:30\u202fPM for Ana (Asia/Riyadh), Mon, 11:30\u202fAM for Chen (Europe/London)" in intro.text
    )


async def test_no_shared_hours_no_time_and_the_asynchronous_suggestion(talk) -> None:
    [intro] = await matched(talk, {n: PEOPLE[n] for n in ("Ana", "Dara")})
    assert "asynchronous exchange" in intro.text and "A time to meet" not in intro.text
    assert intro.attachments == [] and intro.buttons() == []


async def test_another_time_is_proposed_by_one_and_accepted_by_the_other(talk) -> None:
    [intro] = await matched(talk, {n: PEOPLE[n] for n in ("Ana", "Bruno")} | {"Chen": PEOPLE["Chen"]})
    everyone = set(intro.item.to.members)
    [offer] = await talk.press("Ana", intro, "Another time")
    assert set(offer.item.to.members) == everyone
    assert "Ana proposes another time. The others, choose one:" in offer.text
    assert "Option 2: 2026-11-26T13:00:00+00:00" in offer.text
    assert [b.label for b in offer.buttons()] == ["Option 1", "Option 2", "Option 3"]
    [own] = await talk.press("Ana", offer, "Option 1")
    assert "You proposed these times: the others choose one" in own.text and own.item.to.member == talk.ref(
        "Ana"
    )
    [stranger] = await talk.press("Dara", offer, "Option 1")
    assert "for the members of this match only" in stranger.text
    [told] = await talk.press("Bruno", offer, "Option 2")
    assert set(told.item.to.members) == everyone
    assert "Bruno chose: 2026-11-26T13:00:00+00:00" in told.text
    [event] = event_of(told).walk("VEVENT")
    assert event["DTSTART"].dt.isoformat() == "2026-11-26T13:00:00+00:00" and event["SEQUENCE"] == 1
    assert event["UID"] == event_of(intro).walk("VEVENT")[0]["UID"]  # the same event, moved
    [stale] = await talk.press("Chen", offer, "Option 3")
    assert "Those times are no longer on offer" in stale.text


async def test_times_cannot_move_once_the_round_is_over(talk, clock) -> None:
    [intro] = await matched(talk, {n: PEOPLE[n] for n in ("Ana", "Bruno")})
    await talk.say("Fay", "/alumni match end")
    [over] = await talk.press("Bruno", intro, "Another time")
    assert "That round is over" in over.text


@pytest.mark.parametrize("template", ["meet.jit.si/alumni-{pair}", "https://meet.jit.si/alumni"])
def test_a_meeting_url_template_is_an_address_with_the_pairs_room_in_it(template: str) -> None:
    with pytest.raises(Invalid, match="with \\{pair\\} in it"):
        MatchingSettings(meeting_url_template=template)
