"""Roundtables end to end: suggestions, a time-slot poll, the chosen slot, RSVPs, reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from icalendar import Calendar, Event

from bot.config import RoundtableSettings
from bot.messages import Timestamp
from bot.outbound import Public, Update
from storage.database import Database
from storage.models import RoundtableSuggestion
from tests.support.chat import Conversation, Sent
from tests.support.databases import count
from tests.support.timers import fire

SLOTS = "Tue 1 Dec at 15:00, Wed 2 Dec at 6:00, Thu 3 Dec at 12:00"
PLAN = f'/alumni roundtable plan "Open licences" --slots {SLOTS}'


async def people(talk: Conversation) -> None:
    for name, zone in (("Fay", "UTC"), ("Ana", "Africa/Nairobi"), ("Bo", "America/Vancouver"), ("Cy", "UTC")):
        talk.member(name, timezone=zone)


async def test_a_roundtable_planned_end_to_end(talk, runner, clock, chat) -> None:
    await people(talk)
    confirm, poll = await talk.say("Fay", PLAN)
    assert "Time poll #" in confirm.text
    assert "1. 2026-12-01T15:00:00+00:00\nYes 0 \u00b7 If need be 0 \u00b7 No 0" in poll.text
    assert [b.label for b in poll.buttons()][:3] == ["1 Yes", "1 If need be", "1 No"]
    await talk.press("Ana", poll, "1 Yes")
    await talk.press("Ana", poll, "3 Yes")
    await talk.press("Bo", poll, "1 If need be")
    [mine] = await talk.press("Bo", poll, "3 Yes")
    assert "Your answers now:\n1. 2026-12-01T15:00:00+00:00: If need be\n3." in mine.text
    await talk.press("Cy", poll, "2 Yes")
    [edit] = await fire(runner, chat)
    # 15:00 UTC is 07:00 in Vancouver; 06:00 UTC is 22:00 the day before there; 12:00 UTC is 04:00.
    assert "Yes 1 \u00b7 If need be 1 \u00b7 No 0 \u00b7 late for 1 of 3" in edit.text
    assert "late for 1 of 3" in edit.text.split("3. ")[1]
    closed = await talk.press("Fay", poll, "Close poll")
    final, results, announced, calendar = closed
    assert final.item.to == Update(poll.ref) and final.buttons() == []
    assert isinstance(results.item.to, Public)
    # Slot 3 has the most Yes (2): it becomes the roundtable.
    assert "Roundtable: Open licences\n2026-12-03T12:00:00+00:00 (your time), 60 minutes" in announced.text
    assert [b.label for b in announced.buttons()] == ["Going", "Maybe", "Can't"]
    [ics] = calendar.attachments
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert ics.filename.endswith(".ics") and str(event["summary"]) == "Roundtable: Open licences"
    assert event.decoded("dtstart").isoformat() == "2026-12-03T12:00:00+00:00"

    [answer, updated] = await talk.press("Ana", announced, "Going")  # redrawn in its outbox lane
    assert (
        updated.item.to == Update(announced.ref) and "Going 1 \u00b7 Maybe 0 \u00b7 Can't 0" in updated.text
    )
    assert "Your answer: Going." in answer.text
    await talk.press("Bo", announced, "Maybe")
    await talk.press("Cy", announced, "Can't")
    [listing] = await talk.say("Ana", "/alumni roundtables")
    assert "Open licences\n2026-12-03T12:00:00+00:00 \u00b7 you: Going" in listing.text
    [home] = await talk.say("Cy", "/alumni home")
    assert "Next roundtable" in home.text and "you: Can't" in home.text

    clock.advance(seconds=1)
    assert await fire(runner, chat) == []  # the final edit was shown once
    clock.current = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # 24 hours before
    day_before = await fire(runner, chat)
    assert sorted(s.item.to.member.user_id for s in day_before) == ["ana", "bo"]
    clock.current = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    hour_before = await fire(runner, chat)
    assert len(hour_before) == 2 and "Roundtable \u201cOpen licences\u201d starts" in hour_before[0].text


async def test_suggestions_become_one_poll(talk) -> None:
    await talk.say("Ana", '/alumni roundtable suggest "Licensing for open data"')
    [thanks] = await talk.say("Bo", "/alumni roundtable suggest Data portals that last")
    assert "\u201cData portals that last\u201d is on the list" in thanks.text
    [refused] = await talk.say("Ana", "/alumni roundtable poll")
    assert "Only facilitators can put topics to a poll." in refused.text
    confirm, poll = await talk.say("Fay", "/alumni roundtable poll")
    assert "with 2 topics" in confirm.text
    assert [b.label for b in poll.buttons()][:2] == ["Licensing for open data", "Data portals that last"]
    [none] = await talk.say("Fay", "/alumni roundtable poll")
    assert "at least 2 open suggestions (there are 0)" in none.text


async def test_a_topic_suggested_twice_is_already_suggested(talk, database) -> None:
    [thanks] = await talk.say("Ana", '/alumni roundtable suggest "Licensing for open data"')
    assert thanks.text.startswith("Thanks!")
    [again] = await talk.say("Ana", "/alumni roundtable suggest licensing FOR open  data")
    assert "\u201cLicensing for open data\u201d is already suggested (by you)" in again.text
    assert "Thanks" not in again.text
    [theirs] = await talk.say("Bo", '/alumni roundtable suggest "Licensing for open data"')
    assert "already suggested (by someone else)" in theirs.text
    assert await count(database, RoundtableSuggestion) == 1


async def test_who_voted_shows_slots_in_the_readers_time(talk) -> None:
    await people(talk)
    _, poll = await talk.say("Fay", PLAN)
    await talk.press("Ana", poll, "1 Yes")
    await talk.press("Bo", poll, "1 If need be")
    [who] = await talk.press("Fay", poll, "Who voted")
    assert "1. 2026-12-01T15:00:00+00:00: Ana (Yes), Bo (If need be)" in who.text
    assert "UTC" not in who.text
    [section] = who.message.blocks
    assert any(isinstance(part, Timestamp) for part in section.text)  # each platform shows the reader's zone


def calendar_of(closed: list[Sent]) -> tuple[bytes, Event]:
    [ics] = closed[-1].attachments
    return ics.data, Calendar.from_ical(ics.data).walk("VEVENT")[0]


async def test_the_calendar_file_says_what_who_and_how_to_join(talk, core) -> None:
    await people(talk)
    _, poll = await talk.say("Fay", PLAN)
    await talk.press("Ana", poll, "3 Yes")
    data, event = calendar_of(await talk.press("Fay", poll, "Close poll"))
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH"
    assert "Open licences" in str(event["description"]) and "organised by Fay" in str(event["description"])
    assert "Fay shares the link" in str(event["description"])
    assert str(event["organizer"]) == "mailto:noreply@alumni-bot.invalid"
    assert event["organizer"].params["CN"] == "Fay"
    assert "url" not in event
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()  # round trip
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # RFC 5545 3.1: lines of 75 octets

    url = "https://meet.example.org/alumni-roundtables-" + "x" * 60  # long: folded
    core.settings = replace(
        core.settings, roundtables=RoundtableSettings(join_url=url, organiser_email="team@example.org")
    )
    _, poll = await talk.say("Fay", f'/alumni roundtable plan "Ma\u00e7\u00e3s e mapas" --slots {SLOTS}')
    await talk.press("Ana", poll, "1 Yes")
    closed = await talk.press("Fay", poll, "Close poll")
    data, event = calendar_of(closed)
    assert str(event["url"]) == url and f"How to join: {url}" in str(event["description"])
    assert str(event["organizer"]) == "mailto:team@example.org"
    assert "Ma\u00e7\u00e3s e mapas" in str(event["summary"])
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert f"Join: {url}" in closed[-2].text  # the announcement says it too


async def test_no_slot_anyone_can_make_makes_no_roundtable(talk, runner, clock, chat) -> None:
    _, poll = await talk.say("Fay", PLAN)
    await talk.press("Ana", poll, "1 No")
    *_, told = await talk.press("Fay", poll, "Close poll")
    assert "No roundtable on \u201cOpen licences\u201d" in told.text


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('/alumni roundtable plan "Maps" --slots Tue 1 Dec at 15:00, flibbertigibbet', "I can't tell when"),
        ('/alumni roundtable plan "Maps" --slots Tue 1 Dec at 15:00, yesterday at 9', "Slot 2"),
        ('/alumni roundtable plan "Maps" --slots Tue 1 Dec at 15:00', "Give 2 to 6 times"),
        ('/alumni roundtable plan "Maps" --slots every Monday, Tue 1 Dec', "must be one moment"),
        ('/alumni roundtable plan "' + "m" * 201 + '" --slots Tue 1 Dec, Wed 2 Dec', "A topic has 1 to 200"),
        ('/alumni roundtable plan "Maps" --slots Tue 1 Dec at 9, Tue 1 Dec at 9:00', "the same time"),
        ('/alumni roundtable plan "Maps"', "Give the times to choose from after --slots"),
    ],
)
async def test_bad_plans_are_told_privately_and_save_nothing(
    talk, database: Database, command, problem
) -> None:
    [reply] = await talk.say("Fay", command)
    assert problem in reply.text and "Try: /alumni roundtable plan" in reply.text
    async with database.unit_of_work() as uow:
        assert await uow.polls.get(1) is None


async def test_only_facilitators_plan(talk) -> None:
    [refused] = await talk.say("Ana", PLAN)
    assert "Only facilitators can plan roundtables." in refused.text


async def test_rsvps_are_in_my_data_and_go_with_forget_me(talk) -> None:
    _, poll = await talk.say("Fay", PLAN)
    await talk.press("Ana", poll, "2 Yes")
    *_, announced, _calendar = await talk.press("Fay", poll, "Close poll")
    await talk.press("Ana", announced, "Going")
    await talk.say("Ana", '/alumni roundtable suggest "Maps"')
    await talk.say("Ana", "/alumni my-data")
    exported = next(
        s for s in talk.seen_by("Ana") if s.attachments and "my-data" in s.attachments[0].filename
    )
    exported = exported.attachments[0].data.decode()
    assert '"answer": "going"' in exported and '"topic": "Maps"' in exported
    [confirm] = await talk.say("Ana", "/alumni forget-me")
    await talk.press("Ana", confirm, "Delete my data")
    [listing] = await talk.say("Ana", "/alumni roundtables")
    assert "you: no answer yet" in listing.text
