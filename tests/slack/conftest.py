"""Fixtures: the real Slack adapter, its Web API client pointed at a fake Slack on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_bolt.app.async_app import AsyncApp

from adapters import web
from adapters.runtime import Runtime
from adapters.slack import server
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from adapters.slack.request_check import Refusals
from bot.config import FacilitatorSettings, Settings, SlackSettings
from bot.core import Core
from bot.inbox import Workers
from tests.support.fake_slack import TEAM, FakeSlack
from tests.support.slack_driver import SIGNING_SECRET, HttpSlackDriver, SlackDriver

PEOPLE = {"UANA": "Ana Lima", "UBEN": "Ben Okafor", "UCAROL": "Carol Diaz", "UDAN": "Dan Wu"}


@pytest.fixture
def settings() -> Settings:
    return Settings(
        facilitators=FacilitatorSettings(slack_usergroups=("alumni-team",)),
        slack=SlackSettings(community_channel="community"),
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    for user_id, name in PEOPLE.items():
        fake.add_user(user_id, name)
    fake.usergroups = [{"id": "S1", "handle": "alumni-team", "users": ["UCAROL"]}]
    yield fake
    await fake.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def slack_bot(
    core: Core, fake: FakeSlack, session: aiohttp.ClientSession, settings: Settings
) -> AsyncIterator[SlackBot]:
    """The adapter with inbox workers, as `serve` starts it (the outbox: see SlackDriver)."""
    client = web_client("xoxb-test", f"{fake.url}/api/", session)
    bot = SlackBot(
        core=core,
        client=client,
        session=session,
        team_id=TEAM,
        identities=Identities(client, 3600, settings.facilitators.slack_usergroups),
        channels=Channels(client),
        community_channel=settings.slack.community_channel,
    )
    bot.workers = Workers(core.database, bot.handle, ("slack",), core.clock)
    await bot.workers.start()
    yield bot
    await bot.workers.stop(1)


@pytest.fixture
def bolt(slack_bot: SlackBot) -> AsyncApp:
    return build_app(slack_bot, SIGNING_SECRET)


@pytest.fixture
def slack(bolt: AsyncApp, fake: FakeSlack, slack_bot: SlackBot) -> SlackDriver:
    return SlackDriver(bolt, fake, slack_bot)


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


@pytest.fixture
async def http_slack(
    bolt: AsyncApp,
    fake: FakeSlack,
    slack_bot: SlackBot,
    core: Core,
    session: aiohttp.ClientSession,
    refusals: Refusals,
) -> AsyncIterator[HttpSlackDriver]:
    """The members' side through the HTTP entry point, listening on 127.0.0.1."""
    runtime = Runtime(Settings(), core.database, core)
    platform = web.Platform("slack", web.always_connected)
    runner = await web.start(
        web.web_app(runtime, platform, [server.events(bolt, SIGNING_SECRET, refusals)]), "127.0.0.1", 0
    )
    url = f"http://127.0.0.1:{runner.addresses[0][1]}{server.EVENTS_PATH}"
    yield HttpSlackDriver(bolt, fake, slack_bot, url, session)
    await runner.cleanup()
