"""Garbage into the Slack HTTP endpoint: what it costs in time and in log, ours beside bolt's glue.

Two servers on 127.0.0.1 in this process, in front of the same bare bolt app (its
listeners only acknowledge): "bolt" is bolt's own aiohttp glue (`to_bolt_request` +
`async_dispatch`, what the endpoint was before the request check), "ours" is
`adapters.slack.server.events`, the bot's endpoint. Each gets the same requests: the four
unsigned kinds from issue 11 (`{not json` as JSON, a form with byte 0xff, `payload=notjson`,
a timestamp "abc"), then signed, well-formed slash commands, to show what the check adds to
good traffic.
Figures: answers by status, wall time, log bytes written (the bot's log format), and
p50/p99 latency of the good requests.

    .venv/bin/python bench/hostile_requests.py [--requests 200] [--good 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.slack import server
from adapters.slack.connection import web_client
from adapters.web import start
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import FORM, SIGNING_SECRET, signed_headers

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # as `alumni-bot run` logs
GARBAGE: list[tuple[str, bytes, dict[str, str]]] = [
    ("{not json", b"{not json", {"content-type": "application/json"}),
    ("form 0xff", b"text=caf\xff&user_id=U1", {"content-type": FORM}),
    ("payload=notjson", b"payload=notjson", {"content-type": FORM}),
    ("timestamp abc", b"command=%2Falumni", {"content-type": FORM, "x-slack-request-timestamp": "abc"}),
]


def bare_app(client: AsyncWebClient) -> AsyncApp:
    app = AsyncApp(client=client, signing_secret=SIGNING_SECRET, process_before_response=True)

    async def ack(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()

    app.command("/alumni")(ack)
    return app


def bolt_glue(app: AsyncApp) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    glue = web.Application()
    glue.router.add_post(server.EVENTS_PATH, events)
    return glue


def good_body(index: int) -> str:
    return urlencode(
        {
            "command": "/alumni",
            "text": "help",
            "team_id": "T1",
            "user_id": f"U{index}",
            "trigger_id": f"t{index}",
        }
    )


@dataclass
class Result:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    garbage_seconds: float = 0.0
    garbage_log_bytes: int = 0

    def lines(self, requests: int) -> list[str]:
        cuts = statistics.quantiles(self.latencies, n=100)
        return [
            *(f"  {status:<28} x{count}" for status, count in sorted(self.statuses.items())),
            f"  garbage: {self.garbage_seconds:.2f} s, {self.garbage_log_bytes / 1024:.1f} KB of log "
            f"({self.garbage_log_bytes / requests:.0f} bytes a request)",
            f"  good requests: p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms",
        ]


async def run(url: str, requests: int, good: int, log: io.StringIO) -> Result:
    result = Result()
    async with aiohttp.ClientSession() as http:
        log.seek(0)
        log.truncate()
        started = time.perf_counter()
        for index in range(requests):
            name, body, headers = GARBAGE[index % len(GARBAGE)]
            async with http.post(url, data=body, headers=headers) as response:
                await response.read()
                result.statuses[f"{name}: {response.status}"] += 1
        result.garbage_seconds = time.perf_counter() - started
        result.garbage_log_bytes = len(log.getvalue().encode())
        for index in range(good):
            body = good_body(index)
            sent = time.perf_counter()
            async with http.post(url, data=body, headers=signed_headers(body, FORM)) as response:
                await response.read()
                result.statuses[f"good: {response.status}"] += 1
            result.latencies.append(time.perf_counter() - sent)
    return result


async def main(requests: int, good: int) -> None:
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    fake = FakeSlack()  # answers the app's auth.test
    await fake.start()
    session = aiohttp.ClientSession()
    app = bare_app(web_client("xoxb-bench", f"{fake.url}/api/", session))
    print(f"{requests} unsigned garbage requests ({len(GARBAGE)} kinds in turn), then {good} signed commands")
    ours = web.Application()
    ours.add_routes([server.events(app, SIGNING_SECRET)])
    for name, glue in (("bolt", bolt_glue(app)), ("ours", ours)):
        runner = await start(glue, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{runner.addresses[0][1]}{server.EVENTS_PATH}"
        result = await run(url, requests, good, log)
        await runner.cleanup()
        print(f"\n{name}:", *result.lines(requests), sep="\n")
    await session.close()
    await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--good", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.good))
