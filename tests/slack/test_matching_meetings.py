"""A time to meet on Slack (bolt against the fake Slack): the introduction in the pair's group DM
carries the time in each reader's zone, the "Another time" button and the .ics as an uploaded
file; the other member accepts a proposed time with one press."""

from __future__ import annotations

from icalendar import Calendar

from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_the_introduction_has_its_calendar_file_and_another_times_buttons_on_slack(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.set_up_profile("UANA", "Ana Lima")
    await slack.set_up_profile(
        "UBEN", "Ben Okafor", organisation="OKF", country="Brazil", timezone="America/Sao_Paulo"
    )
    for user in ("UANA", "UBEN"):
        await slack.command(user, "match join")
    await slack.command("UCAROL", "match run")
    intro = next(m for m in fake.messages if m.channel == "GUANAUBEN")
    assert "A time to meet:" in intro.words and "<!date^1795611600^" in intro.words  # 25 Nov 13:00 UTC
    [upload] = [u for u in fake.called("files.completeUploadExternal") if u["channel_id"] == "GUANAUBEN"]
    [ics] = [data for data in fake.uploads.values() if data.startswith(b"BEGIN:VCALENDAR")]
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "PUBLISH" and "match-" in str(upload["files"])
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt.isoformat() == "2026-11-25T13:00:00+00:00"

    await slack.press("UANA", intro, "Another time")
    offer = [m for m in fake.messages if m.channel == "GUANAUBEN"][-1]
    assert "Ana Lima proposes another time" in offer.words
    await slack.press("UBEN", offer, "Option 1")
    chosen = [m for m in fake.messages if m.channel == "GUANAUBEN"][-1]
    assert "Ben Okafor chose:" in chosen.words and "<!date^1795525200^" in chosen.words  # 24 Nov 13:00
