"""Load on the Slack HTTP endpoint, ours beside a bare bolt app that only acknowledges.

Both apps run behind the same aiohttp glue on 127.0.0.1 and get the same signed
requests: half `/alumni find maps` slash commands, half presses of a result page's
Next button. Two phases each: as fast as CONCURRENCY allows (throughput), then paced
at RATE requests a second (latency at a steady load). Ack latency is the HTTP answer;
reply latency runs from sending the request until the reply reaches the fake Slack
(its response_url). The bare apps send no reply: they are the framework's floor.
The apps run in one process, the load driver and the fake Slack in another, as the bot
and Slack would be different machines.

    .venv/bin/python bench/slack_load.py [--requests 600] [--rate 100] [--concurrency 20]

Goal (issue 3): ack p99 within 1.2x the bare app's, reply p99 under 150 ms at 100/s on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.slack import server
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from adapters.web import start
from bot.app import build_router
from bot.config import Settings
from bot.core import Core
from storage.database import Database
from tests.support.fake_slack import TEAM, FakeSlack
from tests.support.slack_driver import FORM, SIGNING_SECRET, command_payload, signed_headers

USERS = 50
MEMBERS = 200
WARM_UP = 40


@dataclass
class Result:
    acks: list[float] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0  # first request sent .. last ack
    finished: float = 0.0  # first request sent .. last reply at the fake Slack

    def row(self, phase: str, app: str) -> str:
        def ms(values: list[float], q: float) -> str:
            return f"{percentile(values, q) * 1000:8.1f}" if values else "       -"

        acked = f"{len(self.acks) / self.elapsed:7.0f}/s"
        done = f"{len(self.replies) / self.finished:7.0f}/s" if self.replies else "        -"
        return (
            f"{phase:<8} {app:<8} {acked} {done} {ms(self.acks, 50)} {ms(self.acks, 99)} "
            f"{ms(self.replies, 50)} {ms(self.replies, 99)} {self.errors:6d}"
        )


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def request_body(fake: FakeSlack, index: int) -> tuple[str, str]:
    """A signed-to-be body and its response_url key: a command, or a Next press."""
    user = f"U{index % USERS:04d}"
    if index % 2 == 0:
        payload = command_payload(fake, user, "find maps")
        return urlencode(payload), payload["response_url"].rsplit("/", 1)[1]
    response_url = fake.response_url("CGENERAL", user, "1700000000.000100")
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "CGENERAL",
            "is_ephemeral": True,
        },
        "trigger_id": f"{index}.{time.time()}.bench",
        "team": {"id": TEAM, "domain": "alumni"},
        "channel": {"id": "CGENERAL", "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": "find:page:1:maps",
                "type": "button",
                "action_ts": "1.0",
                "text": {"type": "plain_text", "text": "Next"},
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}), response_url.rsplit("/", 1)[1]


async def drive(
    url: str, fake: FakeSlack, count: int, rate: float, concurrency: int, replies: bool
) -> Result:
    result = Result()
    keys: dict[str, float] = {}
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def one(index: int) -> None:
            body, key = request_body(fake, index)
            async with gate:
                sent = time.perf_counter()
                try:
                    async with http.post(url, data=body, headers=signed_headers(body, FORM)) as response:
                        await response.read()
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                result.acks.append(time.perf_counter() - sent)
                result.errors += not ok
                keys[key] = sent

        started = time.perf_counter()
        tasks = []
        for index in range(count):
            if rate:
                await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
            tasks.append(asyncio.ensure_future(one(index)))
        await asyncio.gather(*tasks)
        result.elapsed = time.perf_counter() - started
    if replies:
        with contextlib.suppress(AssertionError):  # replies still missing are counted as errors
            await fake.wait_for(lambda: all(k in fake.responded for k in keys), within=30)
        result.replies = [fake.responded[k] - sent for k, sent in keys.items() if k in fake.responded]
        result.finished = max(fake.responded.get(k, 0.0) for k in keys) - started
        result.errors += sum(k not in fake.responded for k in keys)
    return result


async def seed(database: Database) -> None:
    now = datetime.now(UTC)
    topics = ["maps", "open data", "licensing", "apis", "fundraising"]
    async with database.unit_of_work() as uow:
        for n in range(MEMBERS):
            person = await uow.people.add(
                platform="slack", workspace=TEAM, user_id=f"M{n:04d}", display_name=f"Member {n}", now=now
            )
            person.organisation, person.country, person.profile_saved_at = f"Org {n % 17}", "KE", now
            label = topics[n % len(topics)]
            await uow.people.replace_tags(person, "expertise", [(label, re.sub(r"\W", "", label))])


def bare_app(fake_api: str, session: aiohttp.ClientSession, process_before_response: bool) -> AsyncApp:
    app = AsyncApp(
        client=web_client("xoxb-bench", fake_api, session),
        signing_secret=SIGNING_SECRET,
        process_before_response=process_before_response,
    )

    async def only_ack(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    app.command("/alumni")(only_ack)
    app.action(re.compile(".*"))(only_ack)
    return app


def events_server(app: AsyncApp) -> web.Application:
    """Slack's endpoint as the bot serves it (adapters.slack.server), without the health pages."""
    server_app = web.Application()
    server_app.add_routes([server.events(app, SIGNING_SECRET)])
    return server_app


async def serve_apps(fake_api: str, pipe: Connection) -> None:
    """In the app process: seed SQLite, start the three apps, send their URLs, run until told."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await database.upgrade()
        await seed(database)
        async with aiohttp.ClientSession() as session:
            client = web_client("xoxb-bench", fake_api, session)
            ours = build_app(
                SlackBot(
                    core=Core(Settings(), database, build_router()),
                    client=client,
                    session=session,
                    team_id=TEAM,
                    identities=Identities(client, 3600, ()),
                    channels=Channels(client),
                ),
                SIGNING_SECRET,
            )
            # "bare": bolt's defaults (it polls for the ack every 10 ms); "bare-pbr": answering when
            # the listener returns (process_before_response), the mode ours runs in.
            apps = {
                "bare": bare_app(fake_api, session, False),
                "bare-pbr": bare_app(fake_api, session, True),
                "ours": ours,
            }
            runners = [await start(events_server(app), "127.0.0.1", 0) for app in apps.values()]
            gc.freeze()  # as serve() does once started
            pipe.send(
                {
                    name: f"http://127.0.0.1:{runner.addresses[0][1]}{server.EVENTS_PATH}"
                    for name, runner in zip(apps, runners, strict=True)
                }
            )
            await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
            for runner in runners:
                await runner.cleanup()
        await database.close()


def app_process(fake_api: str, pipe: Connection) -> None:
    asyncio.run(serve_apps(fake_api, pipe))


async def main(args: argparse.Namespace) -> None:
    fake = FakeSlack()
    fake_api = await fake.start()
    for n in range(USERS):
        fake.add_user(f"U{n:04d}", f"User {n}")
    here, there = multiprocessing.get_context("spawn").Pipe()
    apps = multiprocessing.get_context("spawn").Process(target=app_process, args=(fake_api, there))
    apps.start()
    loop = asyncio.get_running_loop()
    urls: dict[str, str] = await loop.run_in_executor(None, here.recv)
    print(
        f"slack_load: {args.requests} requests a phase (half /alumni find maps, half Next presses), "
        f"concurrency {args.concurrency}, SQLite, {MEMBERS} members, {USERS} users"
    )
    print(
        f"{'phase':<8} {'app':<8} {'acked':>9} {'replied':>9} {'ack p50':>8} {'ack p99':>8} "
        f"{'rep. p50':>8} {'rep. p99':>8} {'errors':>6}   (latencies in ms)"
    )
    results: dict[tuple[str, str], Result] = {}
    for phase, rate in (("max", 0.0), (f"{args.rate:g}/s", args.rate)):
        for name, url in urls.items():
            replies = name == "ours"
            await drive(url, fake, WARM_UP, 0, args.concurrency, replies)
            results[(phase, name)] = await drive(url, fake, args.requests, rate, args.concurrency, replies)
            print(results[(phase, name)].row(phase, name))
    here.send("stop")
    await loop.run_in_executor(None, apps.join)
    await fake.stop()
    paced = f"{args.rate:g}/s"
    ours = percentile(results[(paced, "ours")].acks, 99)
    for bare in ("bare", "bare-pbr"):
        ratio = ours / percentile(results[(paced, bare)].acks, 99)
        print(f"goal at {paced}: ack p99 ours/{bare} = {ratio:.2f} (<= 1.2: {verdict(ratio <= 1.2)})")
    reply = percentile(results[(paced, "ours")].replies, 99) * 1000
    print(f"goal at {paced}: reply p99 = {reply:.1f} ms (< 150: {verdict(reply < 150)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per app and phase")
    parser.add_argument("--rate", type=float, default=100.0, help="requests a second in the paced phase")
    parser.add_argument("--concurrency", type=int, default=20, help="requests in flight at most")
    asyncio.run(main(parser.parse_args()))
