"""The Slack adapter: Socket Mode when SLACK_APP_TOKEN is set, HTTP mode otherwise."""

from __future__ import annotations

import asyncio
import gc
import logging

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters import web
from adapters.runtime import Runtime
from adapters.slack import server
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from adapters.slack.translate import PLATFORM
from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)


async def serve(runtime: Runtime) -> None:
    """Connect to Slack and answer until cancelled (then take no more requests: the runtime's
    close finishes what was acknowledged)."""
    settings = runtime.settings
    secrets = settings.secrets
    if not secrets.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (the xoxb-… token from OAuth & Permissions)")
    if not secrets.slack_app_token and not secrets.slack_signing_secret:
        raise ConfigError(
            "Set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET for HTTP mode"
        )
    async with aiohttp.ClientSession(trace_configs=[runtime.metrics.http_trace(PLATFORM)]) as session:
        bot = await connect(runtime, settings, session)
        app = build_app(bot, secrets.slack_signing_secret or "")
        await runtime.start(bot.chat(), bot.handle)
        bot.workers = runtime.workers
        # What start-up loaded (libraries, country data) lives as long as the process; frozen,
        # it stays out of the collector's full passes, which otherwise stall requests for
        # tens of milliseconds (bench/slack_load.py shows the difference).
        gc.freeze()
        try:
            if secrets.slack_app_token:
                await _serve_socket_mode(app, secrets.slack_app_token, runtime)
            else:
                await _serve_http(app, runtime, secrets.slack_signing_secret or "")
        finally:
            # Forms being answered finish; the rest of what was acknowledged is in the inbox.
            await asyncio.wait({asyncio.ensure_future(bot.drain())}, timeout=runtime.seconds_left())
            # The outbox delivers through this session: stop while it is open.
            await runtime.stop_work()


async def connect(runtime: Runtime, settings: Settings, session: aiohttp.ClientSession) -> SlackBot:
    """Check the bot token with auth.test (against the configured base URL) and set up."""
    client = web_client(settings.secrets.slack_bot_token or "", settings.slack.api_base_url, session)
    try:
        auth = await client.auth_test()
    except SlackApiError as error:
        raise ConfigError(
            f"Slack refused SLACK_BOT_TOKEN at {client.base_url} ({error.response.get('error')})"
        ) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ConfigError(
            f"[slack] api_base_url: cannot reach Slack at {client.base_url} ({type(error).__name__})"
        ) from None
    log.info("connected to Slack workspace %s as %s", auth.get("team"), auth.get("user"))
    return SlackBot(
        core=runtime.core,
        client=client,
        session=session,
        team_id=auth["team_id"],
        identities=Identities(
            client, settings.slack.identity_cache_minutes * 60, settings.facilitators.slack_usergroups
        ),
        channels=Channels(client),
        community_channel=settings.slack.community_channel,
    )


async def _serve_socket_mode(app: AsyncApp, app_token: str, runtime: Runtime) -> None:
    handler = AsyncSocketModeHandler(app, app_token)
    async with web.serving(runtime, web.Platform(PLATFORM, handler.client.is_connected)):
        await handler.connect_async()
        log.info("Slack Socket Mode connected")
        try:
            await asyncio.Event().wait()
        finally:
            await handler.close_async()


async def _serve_http(app: AsyncApp, runtime: Runtime, signing_secret: str) -> None:
    """Slack's requests arrive at /slack/events on the web server, beside its health pages."""
    events = server.events(app, signing_secret)
    platform = web.Platform(PLATFORM, web.always_connected)
    async with web.serving(runtime, platform, [events], needed_for="Slack HTTP mode"):
        log.info("Slack HTTP mode: Slack's requests at %s", server.EVENTS_PATH)
        await asyncio.Event().wait()
