"""A matching round end to end on Slack: members opt in through the bolt app, a facilitator
runs the round, each pair gets one group DM, and the check-in's buttons work (fake Slack)."""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.app import SlackBot
from bot.config import Settings
from bot.core import Core
from bot.scheduling import ScheduleRunner
from tests.support.chat import Clock
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_round_on_slack_introduces_in_a_group_dm_and_checks_in(
    slack: SlackDriver, slack_bot: SlackBot, fake: FakeSlack, core: Core, settings: Settings, clock: Clock
) -> None:
    await slack.set_up_profile("UANA", "Ana Lima", expertise="licensing")
    await slack.set_up_profile(
        "UBEN", "Ben Okafor", organisation="OKF", country="Brazil", learning="licensing"
    )
    for user in ("UANA", "UBEN"):
        await slack.command(user, "match join")
        assert "You're in" in slack.last_for(user).words
    await slack.command("UANA", "match run")
    assert "Only facilitators can run matching rounds" in slack.last_for("UANA").words
    await slack.command("UCAROL", "match run")
    intro = next(m for m in fake.messages if m.channel == "GUANAUBEN")
    assert "Ana Lima knows licensing, which Ben Okafor wants to learn" in intro.words
    assert "<!date^" in intro.words  # the overlapping hours in each reader's own time
    clock.current += timedelta(days=7)
    await ScheduleRunner(core.database, core.router, settings, clock).fire_due("slack")
    await slack.settle()
    checkin = [m for m in fake.messages if m.channel == "GUANAUBEN"][-1]
    assert "did you meet?" in checkin.words
    await slack.press("UBEN", checkin, "Yes")
    assert "Thanks, noted" in slack.last_for("UBEN").words
    await slack.command("UCAROL", "match history")
    assert "1 met (100%)" in slack.last_for("UCAROL").words
