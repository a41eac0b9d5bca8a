"""The bot's web server on Discord, over HTTP on 127.0.0.1: /readyz follows the gateway
connection, /metrics counts interactions, deliveries and Discord's refusals."""

from __future__ import annotations

import asyncio

from adapters import web
from adapters.discord import connected, serve
from adapters.runtime import Runtime
from tests.discord.driver import ANA, DiscordDriver
from tests.discord.fake_discord import FakeDiscord
from tests.support import web as pages

NEWCOMER = 7001


async def test_ready_while_the_gateway_is_connected_and_503_while_it_is_down(
    fake: FakeDiscord, runtime: Runtime
) -> None:
    base = f"http://127.0.0.1:{runtime.settings.web.port}"
    serving = asyncio.create_task(serve(runtime))
    try:
        ready = await pages.wait_for_status(base + web.READY_PATH, 200)
        assert ready["platform"] == {"ok": True, "name": "discord"} and ready["database"]["ok"]
        samples = await pages.metrics(base)
        assert pages.value(samples, "alumni_bot_platform_connected", platform="discord") == 1
        # Logging in, the application and the command sync went through the traced session.
        assert pages.value(samples, "alumni_bot_platform_api_requests_total", platform="discord") >= 3

        await fake.drop_gateway()
        down = await pages.wait_for_status(base + web.READY_PATH, 503)
        assert down["platform"] == {"ok": False, "name": "discord", "reason": "not connected"}
        assert (await pages.get(base + web.HEALTH_PATH))[0] == 200  # alive: discord.py reconnects
        samples = await pages.metrics(base)
        assert pages.value(samples, "alumni_bot_platform_connected", platform="discord") == 0

        fake.gateway_down = False
        await pages.wait_for_status(base + web.READY_PATH, 200, within=30)
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)


async def test_metrics_count_interactions_deliveries_and_discord_s_refusals(
    discord: DiscordDriver, runtime: Runtime
) -> None:
    client, fake = discord.client, discord.fake
    dm = f"/channels/{10_000 + NEWCOMER}/messages"
    async with web.serving(runtime, web.Platform("discord", lambda: connected(client))):
        base = f"http://127.0.0.1:{runtime.settings.web.port}"
        before = await pages.metrics(base)
        await discord.slash(ANA, "alumni help")
        once = iter([True])  # Discord refuses the welcome, and takes the notice that it failed
        fake.refuse = lambda request: request.method == "POST" and request.path == dm and next(once, False)
        await discord.join(NEWCOMER, "Dee Okafor")
        after = await pages.metrics_once(base, "alumni_bot_outbox_delivered_total", platform="discord")

    assert (
        pages.moved(before, after, "alumni_bot_events_received_total", platform="discord", kind="Command")
        == 1
    )
    assert (
        pages.moved(
            before,
            after,
            "alumni_bot_events_processed_total",
            platform="discord",
            kind="Command",
            outcome="ok",
        )
        == 1
    )
    assert pages.moved(before, after, "alumni_bot_event_handling_seconds_count", kind="Command") == 1
    assert (
        pages.moved(
            before,
            after,
            "alumni_bot_events_processed_total",
            platform="discord",
            kind="MemberJoined",
            outcome="ok",
        )
        == 1
    )
    assert (
        pages.moved(before, after, "alumni_bot_inbox_deliveries_total", platform="discord", result="new") == 2
    )
    assert (
        pages.moved(before, after, "alumni_bot_platform_api_errors_total", platform="discord", error="403")
        == 1
    )
    assert pages.moved(before, after, "alumni_bot_outbox_failed_total", platform="discord") == 1
    assert pages.moved(before, after, "alumni_bot_outbox_delivered_total", platform="discord") == 1
    assert pages.value(after, "alumni_bot_platform_connected", platform="discord") == 1
