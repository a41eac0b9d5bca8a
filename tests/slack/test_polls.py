"""A poll and a roundtable through the bolt app and the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core import Core
from bot.scheduling import ScheduleRunner
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_poll_renders_as_blocks_votes_privately_and_closes_in_place(
    slack: SlackDriver, fake: FakeSlack, core: Core
) -> None:
    await slack.command("UCAROL", 'poll "Which topic next?" "Maps" "Portals"')
    [poll] = [m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None]
    assert "*Which topic next?*" in poll.words and " · 0 voters" in poll.words
    assert [b["text"]["text"] for b in poll.buttons()] == [
        "Maps", "Portals", "Withdraw my vote", "Who voted", "Close poll",
    ]  # fmt: skip
    await slack.press("UANA", poll, "Maps")
    assert "Your vote now: “Maps”." in slack.last_for("UANA").words
    assert slack.last_for("UANA").only_for == "UANA"

    runner = ScheduleRunner(core.database, core.router, core.settings, core.clock)
    await runner.fire_due("slack")
    await slack.settle()
    assert poll.updates == 1 and "Maps\n▇▇▇▇▇▇▇▇▇▇ 1 (100%)" in poll.words

    await slack.press("UBEN", poll, "Close poll")
    assert "Only facilitators can close polls." in slack.last_for("UBEN").words
    await slack.press("UCAROL", poll, "Close poll")
    assert poll.buttons() == [] and "*Final results: Which topic next?*" in poll.words
    results = [m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None]
    assert len(results) == 2 and "Final results" in results[1].words


async def test_time_slots_show_each_readers_own_time(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.command("UCAROL", 'roundtable plan "Maps" --slots 1 Dec 2030 at 15:00, 2 Dec 2030 at 9:00')
    [poll] = [m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None]
    # A Slack date token: each reader sees their own time (Carol's zone, Lisbon, is UTC in winter).
    assert f"<!date^{int(datetime(2030, 12, 1, 15, tzinfo=UTC).timestamp())}^" in poll.words
    assert [b["text"]["text"] for b in poll.buttons()][:3] == ["1 Yes", "1 If need be", "1 No"]
