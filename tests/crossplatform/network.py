"""What the cross-platform tests share: the members, the network's two sides, and Dee's two
accounts (see conftest)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update

from adapters.runtime import Runtime
from storage.database import Database
from storage.models import Identity, Schedule
from tests.discord.driver import DiscordDriver
from tests.discord.fake_discord import GUILD_ID
from tests.discord.test_flows import everything
from tests.support.fake_slack import TEAM
from tests.support.slack_driver import SlackDriver

ANA, CAROL, DEE_SLACK = "UANA", "UCAROL", "UDEE"
DEE_DISCORD = 5004
MEETING = "https://meet.jit.si/alumni-{pair}"


class BothSlackDriver(SlackDriver):
    """Slack's side, settling as a member waits: what a press queued for Discord goes out too."""

    runtime: Runtime

    async def settle(self) -> None:
        await super().settle()
        assert self.runtime.sender is not None
        await asyncio.wait_for(self.runtime.sender.settle(), 10)


@dataclass
class Network:
    slack: BothSlackDriver
    discord: DiscordDriver
    runtime: Runtime
    database: Database

    async def fire_due(self, kind: str) -> None:
        """Bring the timers of `kind` forward to now, and fire them as the runtime's clock would."""
        async with self.database.unit_of_work() as uow:
            await uow.session.execute(
                update(Schedule)
                .where(Schedule.kind == kind, Schedule.state == "pending")
                .values(due_at=datetime.now(UTC))
            )
        assert self.runtime.runner is not None and self.runtime.sender is not None
        for platform in ("slack", "discord"):
            await self.runtime.runner.fire_due(platform)
        await asyncio.wait_for(self.runtime.sender.settle(), 10)

    def slack_dms(self, user: str, words: str) -> list[str]:
        """What `user` read in their Slack direct messages that says `words`."""
        return [m.words for m in self.slack.fake.messages if m.channel == f"D{user}" and words in m.words]

    def discord_dms(self, user: int, words: str) -> list[str]:
        """What `user` read in their Discord direct messages that says `words`."""
        channel = str(10_000 + user)
        return [
            everything(m)
            for m in self.discord.fake.messages.values()
            if m["channel_id"] == channel and words in everything(m)
        ]


async def two_accounts(database: Database, now: datetime) -> int:
    """Dee, one person with a Slack account and a Discord account (what `/alumni link` makes)."""
    async with database.unit_of_work() as uow:
        dee = await uow.people.add(
            platform="slack", workspace=TEAM, user_id=DEE_SLACK, display_name="Dee Amadi", now=now
        )
        dee.organisation, dee.timezone = "Dee Org", "Africa/Lagos"
        uow.session.add(
            Identity(
                person=dee,
                platform="discord",
                workspace=str(GUILD_ID),
                user_id=str(DEE_DISCORD),
                display_name="Dee Amadi",
            )
        )
        await uow.session.flush()
        return dee.id
