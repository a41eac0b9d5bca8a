"""`/alumni insights` on Slack: the figures privately, the chart uploaded."""

from __future__ import annotations

from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_a_facilitator_gets_the_figures_and_the_chart_as_an_upload(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.set_up_profile("UANA", "Ana Lima")
    await slack.command("UCAROL", "insights")
    upload = fake.called("files.completeUploadExternal")[-1]
    assert upload["channel_id"] == "DUCAROL" and "Bar chart of members active" in upload["files"]
    [chart] = fake.uploads.values()
    assert chart.startswith(b"\x89PNG") and len(chart) < 200_000
    await slack.command("UANA", "insights")
    assert "Only facilitators can use /alumni insights" in slack.last_private("UANA").words
