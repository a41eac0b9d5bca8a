"""A real `alumni-bot run --adapter slack` process in HTTP mode, talking to the fake Slack of
the test's own event loop, and the signed requests Slack would send it.

The process is started, killed (-9) or stopped (SIGTERM) like an operator would; its log is
kept in a file the test can read.
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from adapters import web
from adapters.slack import server
from storage.database import Database
from tests.support.fake_slack import TEAM, FakeMessage, FakeSlack
from tests.support.network import free_port
from tests.support.processes import spawn
from tests.support.slack_driver import (
    FORM,
    SIGNING_SECRET,
    action_payload,
    command_body,
    interaction_body,
    signed_headers,
)

FACILITATOR = "UFAC"


@dataclass
class SlackProcess:
    """One bot process; `start()` again after `kill()` or `stop()` is a restart on the same port."""

    database_url: str
    folder: Path
    fake: FakeSlack
    stop_seconds: int = 10
    port: int = field(default_factory=free_port)
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        return "".join(
            (self.folder / f"bot-{self.port}-{n}.log").read_text() for n in range(1, self.starts + 1)
        )

    async def start(self) -> None:
        self.starts += 1
        config = self.folder / f"config-{self.port}.toml"
        config.write_text(
            f'[slack]\napi_base_url = "{self.fake.url}/api/"\n'
            f'[facilitators]\nmembers = ["slack:{FACILITATOR}"]\n'
            f"[bot]\nstop_seconds = {self.stop_seconds}\n"
        )
        environment = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "",
            "ALUMNI_BOT_WEB_PORT": str(self.port),
        }
        log = self.folder / f"bot-{self.port}-{self.starts}.log"
        self.process = await spawn("slack", config, self.database_url, environment, log)
        await self.healthy()

    async def healthy(self, within: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + within
        async with aiohttp.ClientSession() as http:
            while asyncio.get_running_loop().time() < deadline:
                assert self.process is not None and self.process.returncode is None, self.log[-3000:]
                try:
                    async with http.get(self.url + web.READY_PATH) as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"the bot never became ready:\n{self.log[-3000:]}")

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        """SIGTERM, as `docker stop` or `systemctl stop` would; the exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 60)

    async def post(self, http: aiohttp.ClientSession, body: str, content_type: str = FORM) -> int:
        """Send a signed request as Slack would; the HTTP status, or 0 when nothing answered."""
        try:
            async with http.post(
                self.url + server.EVENTS_PATH, data=body, headers=signed_headers(body, content_type)
            ) as response:
                await response.read()
                return response.status
        except (TimeoutError, aiohttp.ClientError):
            return 0

    async def command(self, user: str, text: str) -> int:
        async with aiohttp.ClientSession() as http:
            return await self.post(http, command_body(self.fake, user, text))


def vote_body(fake: FakeSlack, voter: str, poll: FakeMessage, label: str) -> str:
    return interaction_body(action_payload(fake, voter, poll, poll.button(label)))


async def burst(
    bots: list[SlackProcess], bodies: list[str], rate: float, at: dict[int, object] | None = None
) -> list[int]:
    """Send `bodies` at `rate` a second, spread over `bots` in turn (a load balancer); at the
    request numbered in `at`, call what is given first (a kill, a SIGTERM). The statuses."""
    statuses = [0] * len(bodies)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:

        async def one(index: int) -> None:
            statuses[index] = await bots[index % len(bots)].post(http, bodies[index])

        started = asyncio.get_running_loop().time()
        tasks = []
        for index, _ in enumerate(bodies):
            await asyncio.sleep(max(0.0, started + index / rate - asyncio.get_running_loop().time()))
            action = (at or {}).get(index)
            if callable(action):
                result = action()
                if asyncio.iscoroutine(result):
                    tasks.append(asyncio.ensure_future(result))
            tasks.append(asyncio.ensure_future(one(index)))
        await asyncio.gather(*tasks)
    return statuses


async def seed_members(database_url: str, count: int, cohort: str = "alumni") -> list[str]:
    """`count` members with profiles (each in another organisation and zone), opted in to
    matching in `cohort`; their Slack user ids."""
    zones = ["Africa/Nairobi", "Europe/Lisbon", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Berlin"]
    now = datetime.now(UTC)
    database = Database(database_url)
    users = [f"UM{n:03d}" for n in range(count)]
    async with database.unit_of_work() as uow:
        group = await uow.cohorts.ensure(cohort, now)
        for n, user in enumerate(users):
            person = await uow.people.add(
                platform="slack", workspace=TEAM, user_id=user, display_name=f"Member {n}", now=now
            )
            person.organisation, person.country, person.timezone = f"Org {n}", "KE", zones[n % len(zones)]
            person.profile_saved_at = now
            await uow.cohorts.add_member(group, person.id, now)
            await uow.matching.ensure_settings(person.id, now)
            await uow.matching.add_membership(person.id, group.id)
    await database.close()
    return users
