"""One network on two platforms in one process: the real bolt app and the real discord.py client
on one runtime (one core, one database, one outbox sender delivering through both), against the
fake Slack and the fake Discord on 127.0.0.1, as `alumni-bot run --adapter slack,discord` has it.

Ana and Carol (a facilitator there) are on Slack; Bo and Cy (a facilitator there) on Discord;
Dee has an account on each, one person, as linking them makes her (`two_accounts`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.discord import build_client
from adapters.runtime import Runtime
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from bot.app import build_router
from bot.config import Settings, load_settings
from bot.core import Core
from storage.database import Database
from tests.crossplatform.network import (
    ANA,
    CAROL,
    DEE_DISCORD,
    DEE_SLACK,
    MEETING,
    BothSlackDriver,
    Network,
)
from tests.discord.driver import BO, CY, DiscordDriver
from tests.discord.fake_discord import BOT_TOKEN, FACILITATOR_ROLE, GUILD_ID, FakeDiscord
from tests.support.fake_slack import TEAM, FakeSlack
from tests.support.network import free_port
from tests.support.slack_driver import SIGNING_SECRET


@pytest.fixture
def settings(discord_fake: FakeDiscord) -> Settings:
    environ = {
        **discord_fake.bot_environment(),
        "ALUMNI_BOT_WEB_PORT": str(free_port()),
    }
    return load_settings(
        None,
        environ,
        {
            ("discord", "guild_ids"): [GUILD_ID],
            ("facilitators", "discord_roles"): ["Facilitators"],
            ("facilitators", "members"): [f"slack:{CAROL}"],
            ("matching", "meeting_url_template"): MEETING,
        },
    )


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    for user, name in ((ANA, "Ana Lima"), (CAROL, "Carol Diaz"), (DEE_SLACK, "Dee Amadi")):
        fake.add_user(user, name)
    yield fake
    await fake.stop()


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    fake.add_member(BO, "Bo Chen")
    fake.add_member(CY, "Cy Diallo", roles=(FACILITATOR_ROLE,))
    fake.add_member(DEE_DISCORD, "Dee Amadi")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def network(
    settings: Settings, database: Database, slack_fake: FakeSlack, discord_fake: FakeDiscord
) -> AsyncIterator[Network]:
    runtime = Runtime(settings, database, Core(settings, database, build_router()))
    client = build_client(runtime)
    connecting = asyncio.create_task(client.start(BOT_TOKEN))
    await asyncio.wait_for(client.wait_until_ready(), 10)
    async with aiohttp.ClientSession() as session:
        web = web_client("xoxb-test", f"{slack_fake.url}/api/", session)
        bot = SlackBot(
            core=runtime.core,
            client=web,
            session=session,
            team_id=TEAM,
            identities=Identities(web, 3600, ()),
            channels=Channels(web),
        )
        await runtime.start(bot.chat(), bot.handle)
        bot.workers = runtime.workers
        slack = BothSlackDriver(build_app(bot, SIGNING_SECRET), slack_fake, bot)
        slack.runtime = runtime
        yield Network(slack, DiscordDriver(discord_fake, client), runtime, database)
        await runtime.stop_work()
    await client.close()
    await connecting
