"""A reminder end to end on Slack: the real bolt app in, the runner fires it through the
Slack adapter's chat as a DM whose buttons work (fake Slack Web API on 127.0.0.1)."""

from __future__ import annotations

from adapters.slack.app import SlackBot
from bot.config import Settings
from bot.core import Core
from bot.scheduling import ScheduleRunner
from tests.support.chat import Clock
from tests.support.slack_driver import SlackDriver


async def test_a_reminder_arrives_as_a_dm_in_the_members_zone(
    slack: SlackDriver, slack_bot: SlackBot, core: Core, settings: Settings, clock: Clock
) -> None:
    await slack.command("UANA", "remind me tomorrow at 9 send the report")
    confirm = slack.last_for("UANA").words
    assert "I'll remind you: \u201csend the report\u201d" in confirm
    assert "<!date^" in confirm  # the time as each reader's own zone shows it
    assert "*Next:* <!date^" in confirm  # bold on Slack: the marks touch the word
    clock.current = clock.current.replace(day=25, hour=9)  # 09:00 in Lisbon (UTC in November)
    await ScheduleRunner(core.database, core.router, settings, clock).fire_due("slack")
    await slack.settle()
    delivered = slack.last_for("UANA")
    assert "Reminder" in delivered.words and "send the report" in delivered.words
    await slack.press("UANA", delivered, "Done")
    assert "Done: send the report" in slack.last_for("UANA").words
    assert slack.last_for("UANA").buttons() == []
