"""`/alumni insights` on Discord: the figures in an ephemeral answer with the chart attached."""

from __future__ import annotations

from tests.discord.driver import ANA, CY, DiscordDriver


async def test_a_facilitator_gets_the_figures_with_the_chart_attached(discord: DiscordDriver) -> None:
    answer = await discord.slash(CY, "alumni insights")
    assert answer.callback is not None
    # Answered at once, or (the chart takes a while to draw) deferred and followed up.
    files = {**answer.callback_files, **{k: v for f in answer.followups for k, v in f["files"].items()}}
    [(name, chart)] = files.items()
    assert name.startswith("insights-participation-everyone-") and chart.startswith(b"\x89PNG")
    assert not discord.fake.late_responses
    refused = await discord.slash(ANA, "alumni insights")
    assert refused.callback is not None and "Only facilitators" in str(refused.callback["data"])
