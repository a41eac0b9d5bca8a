"""Load on the Slack HTTP endpoint: our durable path beside bare bolt apps that only acknowledge.

"ours" is the production path as `adapters.slack.serve` starts it: `SlackBot` + `build_app`,
`Runtime.start(bot.chat(), bot.handle)` (inbox workers, outbox sender, scheduler) behind
Slack's endpoint (`adapters.slack.server.events`). An acknowledgement includes the inbox write; replies
come from the inbox workers; poll refreshes go out through the runtime's outbox sender.
The bare apps acknowledge and do nothing else: "bare" with bolt's defaults (it polls for the
ack every 10 ms), "bare-pbr" answering when the listener returns, as ours does.

Traffic: half `/alumni find <topic>` commands, half presses of a single-choice poll's option
buttons (the poll is created through the core by a facilitator before the run; the buttons
come from the message the fake Slack holds), each press by a voter who has not voted before.
Phases for each database: as fast as CONCURRENCY requests in flight allow ("max"), then
paced at each rate for SECONDS. The apps run in one process, the load driver and the fake
Slack in another, as the bot and Slack would be different machines.

Figures, per database, phase and app (latencies in ms):
- offered: requests sent per second; acked: answered per second (first sent .. last answered);
- ack p50/p99: the HTTP answer's round trip, as the driver sees it;
- processed: inbox rows marked handled per second between the acknowledgements of the middle
  and the last request (a steady rate, not diluted by the start of the phase);
- backlog: inbox rows still pending when the last request was acknowledged, and drained: how
  long after that acknowledgement the inbox had none pending;
- reply p99: from sending a request until its reply reached the fake's response_url (when the
  inbox did not drain in time, of the replies that came);
- errors: answers other than 200, replies missing or saying something went wrong, inbox rows
  that failed; late p99: how late the driver sent requests (its own lag: high means the
  machine, not the bot, set the pace);
- app cpu: the app process's CPU time over the phase as a share of one core (all three apps
  share the process, only one is under load at a time); loop p99: how late the app process's
  event loop woke a task sleeping 10 ms, the wait every request has on top of its own work.
The machine's load average is printed as each database starts and ends: other work on the
machine shows in every figure.

    .venv/bin/python bench/slack_load.py [--database sqlite|postgresql|both] [--seconds 6]
        [--rates 100 300] [--max 300] [--concurrency 20]

Goals (issue 10), at 300 requests/s on both databases: ack p99 <= 50 ms; no growing backlog
(processed/s >= offered/s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import logging
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.runtime import Runtime
from adapters.slack import server
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from adapters.web import start
from bot.app import build_router
from bot.config import FacilitatorSettings, Settings
from bot.core import FAILED, Core
from bot.events import Actor, Command
from bot.refs import ChannelRef, MemberRef
from storage.database import Database
from storage.models import InboxEvent
from tests.support.databases import fresh_postgres_database, postgres_unreachable_reason
from tests.support.fake_slack import TEAM, FakeMessage, FakeSlack
from tests.support.slack_driver import (
    FORM,
    SIGNING_SECRET,
    action_payload,
    command_payload,
    interaction_body,
    signed_headers,
)

USERS = 50  # members who run commands
MEMBERS = 200  # profiles the directory searches
TOPICS = ("maps", "open data", "licensing", "apis", "fundraising")
FACILITATOR = "UFAY"
POLL = '/alumni poll "Next roundtable topic?" "Maps" "Portals" "Licences"'
CHANNEL = "CGENERAL"
WARM_UP = 40
DRAIN_LIMIT = 20.0  # seconds to wait for the inbox to empty after a phase
SETTLE_LIMIT = 120.0  # seconds to wait for a backlog left by a phase before the next one
REPLY_LIMIT = 10.0  # seconds to wait for the last replies once the inbox is empty
APPS = ("bare", "bare-pbr", "ours")
ACK_GOAL_MS = 50.0
IN_FLIGHT_ALLOWANCE = 0.01  # processed/offered may fall 1% short: events in flight at the two counts
TICK = 0.01  # seconds between the app process's looks at its own event loop
STATE, STOP = "state", "stop"  # what the driver asks the app process


@dataclass(frozen=True)
class Request:
    body: str
    headers: dict[str, str]
    reply_key: str  # the fake's response_url key for this request's reply
    vote: bool


@dataclass(frozen=True)
class Count:
    """The inbox at one moment: rows pending and rows handled (done or failed)."""

    at: float
    pending: int
    handled: int
    failed: int


@dataclass
class Figures:
    acks: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)
    sent: dict[str, float] = field(default_factory=dict)  # reply key -> when its request was sent
    replies: list[float] = field(default_factory=list)
    errors: int = 0
    first_sent: float = 0.0
    last_sent: float = 0.0
    last_acked: float = 0.0
    processed: float | None = None  # inbox rows handled per second (ours only)
    backlog: int | None = None
    drained: float | None = None  # seconds; None: not within DRAIN_LIMIT
    cpu: float = 0.0  # the app process's CPU time over the phase, as a share of one core
    lags: list[float] = field(default_factory=list)  # how late the app's event loop woke a sleeper

    @property
    def offered(self) -> float:
        return (len(self.acks) - 1) / (self.last_sent - self.first_sent) if len(self.acks) > 1 else 0.0

    @property
    def acked(self) -> float:
        return len(self.acks) / (self.last_acked - self.first_sent)

    def row(self, database: str, phase: str, app: str) -> str:
        def ms(values: list[float], q: int) -> str:
            return f"{percentile(values, q) * 1000:8.1f}" if values else f"{'-':>8}"

        processed = f"{self.processed:7.0f}/s" if self.processed is not None else f"{'-':>9}"
        backlog = f"{self.backlog:7d}" if self.backlog is not None else f"{'-':>7}"
        if self.backlog is None:
            drained = f"{'-':>7}"
        else:
            drained = f"{self.drained:6.2f}s" if self.drained is not None else f">{DRAIN_LIMIT:5.0f}s"
        return (
            f"{database:<10} {phase:<6} {app:<8} {self.offered:7.0f}/s {self.acked:7.0f}/s "
            f"{ms(self.acks, 50)} {ms(self.acks, 99)} {processed} {backlog} {drained} "
            f"{ms(self.replies, 99)} {self.errors:6d} {ms(self.late, 99)} {self.cpu:6.0%} {ms(self.lags, 99)}"
        )


HEADER = (
    f"{'database':<10} {'phase':<6} {'app':<8} {'offered':>9} {'acked':>9} {'ack p50':>8} {'ack p99':>8} "
    f"{'processed':>9} {'backlog':>7} {'drained':>7} {'rep. p99':>8} {'errors':>6} {'late p99':>8} "
    f"{'app cpu':>7} {'loop p99':>8}"
)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


# -- the app process --------------------------------------------------------------------------


async def seed(database: Database) -> None:
    """Profiles for `/alumni find` to search."""
    now = datetime.now(UTC)
    async with database.unit_of_work() as uow:
        for n in range(MEMBERS):
            person = await uow.people.add(
                platform="slack", workspace=TEAM, user_id=f"M{n:04d}", display_name=f"Member {n}", now=now
            )
            person.organisation, person.country, person.profile_saved_at = f"Org {n % 17}", "KE", now
            label = TOPICS[n % len(TOPICS)]
            await uow.people.replace_tags(person, "expertise", [label])


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


async def open_poll(core: Core, bot: SlackBot, runtime: Runtime) -> None:
    """A facilitator asks the channel; the poll goes out through the outbox to the fake Slack."""
    facilitator = Actor(MemberRef("slack", TEAM, FACILITATOR), "Fay")
    channel = ChannelRef("slack", TEAM, CHANNEL)
    await core.dispatch(Command(facilitator, "alumni", POLL.removeprefix("/alumni "), channel), bot.chat())
    assert runtime.sender is not None
    await runtime.sender.settle()


class LoopLag:
    """How late the app process's event loop wakes a task that sleeps TICK: every request's
    share of waiting for the loop, whatever keeps it busy."""

    def __init__(self) -> None:
        self.lags: list[float] = []

    async def watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(TICK)
            self.lags.append(loop.time() - before - TICK)

    def take(self) -> list[float]:
        """The lags seen since the last take."""
        taken, self.lags = self.lags, []
        return taken


async def serve_apps(fake_api: str, url: str, pipe: Connection) -> None:
    """In the app process: migrate and seed, start ours as `serve` does and the bare apps,
    open the poll, send the apps' URLs, say how it is doing when asked, run until told."""
    database = Database(url)
    await database.upgrade()
    await seed(database)
    settings = Settings(facilitators=FacilitatorSettings(members=(f"slack:{FACILITATOR}",)))
    core = Core(settings, database, build_router())
    runtime = Runtime(settings, database, core)
    async with aiohttp.ClientSession() as session:
        client = web_client("xoxb-bench", fake_api, session)
        bot = SlackBot(
            core=core,
            client=client,
            session=session,
            team_id=TEAM,
            identities=Identities(client, 3600, ()),
            channels=Channels(client),
        )
        apps = {
            "bare": bare_app(fake_api, session, False),
            "bare-pbr": bare_app(fake_api, session, True),
            "ours": build_app(bot, SIGNING_SECRET),
        }
        await runtime.start(bot.chat(), bot.handle)
        bot.workers = runtime.workers
        await open_poll(core, bot, runtime)
        runners = [await start(events_server(app), "127.0.0.1", 0) for app in apps.values()]
        gc.freeze()  # as serve() does once started
        lag = LoopLag()
        watching = asyncio.create_task(lag.watch())
        pipe.send(
            {
                name: f"http://127.0.0.1:{runner.addresses[0][1]}{server.EVENTS_PATH}"
                for name, runner in zip(apps, runners, strict=True)
            }
        )
        loop = asyncio.get_running_loop()
        while await loop.run_in_executor(None, pipe.recv) == STATE:
            pipe.send((time.process_time(), lag.take()))
        watching.cancel()
        for runner in runners:
            await runner.cleanup()
        await runtime.close()


def app_process(fake_api: str, url: str, pipe: Connection) -> None:
    logging.basicConfig(level=logging.WARNING, format="app process: %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve_apps(fake_api, url, pipe))


# -- the driver process -----------------------------------------------------------------------


class Traffic:
    """Signed requests: even ones `/alumni find <topic>`, odd ones a vote by a new voter."""

    def __init__(self, fake: FakeSlack, poll: FakeMessage) -> None:
        self.fake = fake
        self.poll = poll
        self.buttons = [b for b in poll.buttons() if b["action_id"].startswith("poll:vote:")]
        self.poll_id = int(self.buttons[0]["action_id"].split(":")[2])  # poll:vote:<poll>:<option>
        self.voters = itertools.count()
        self.commands = itertools.count()

    def requests(self, count: int) -> list[Request]:
        return [self._vote() if n % 2 else self._command() for n in range(count)]

    def _command(self) -> Request:
        n = next(self.commands)
        payload = command_payload(self.fake, f"U{n % USERS:04d}", f"find {TOPICS[n % len(TOPICS)]}")
        return self._signed(urlencode(payload), payload["response_url"], vote=False)

    def _vote(self) -> Request:
        n = next(self.voters)
        voter = f"UV{n:06d}"
        self.fake.add_user(voter, f"Voter {n}")
        payload = action_payload(self.fake, voter, self.poll, self.buttons[n % len(self.buttons)])
        return self._signed(interaction_body(payload), payload["response_url"], vote=True)

    @staticmethod
    def _signed(body: str, response_url: str, *, vote: bool) -> Request:
        return Request(body, signed_headers(body, FORM), response_url.rsplit("/", 1)[1], vote)


class AppProcess:
    """The apps' process: started with the fake Slack's and the database's URLs; the driver asks
    it how it is doing, then tells it to stop."""

    def __init__(self, fake_api: str, url: str) -> None:
        spawn = multiprocessing.get_context("spawn")
        self.pipe, there = spawn.Pipe()
        # A daemon: should the driver fail, the apps end with it rather than outlive the database.
        self.process = spawn.Process(target=app_process, args=(fake_api, url, there), daemon=True)

    async def start(self) -> dict[str, str]:
        """Start it; return each app's URL once all are ready."""
        self.process.start()
        return await self._answer()

    async def state(self) -> tuple[float, list[float]]:
        """Its CPU time so far, and its event loop's lags since the last time it was asked."""
        self.pipe.send(STATE)
        return await self._answer()

    async def stop(self) -> None:
        if self.process.is_alive():
            self.pipe.send(STOP)
        await asyncio.get_running_loop().run_in_executor(None, self.process.join)

    async def _answer(self) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, self.pipe.recv)


class InboxWatch:
    """Counts the inbox from the driver's side, through its own connection."""

    def __init__(self, url: str) -> None:
        self.database = Database(url)

    async def count(self) -> Count:
        before = time.perf_counter()
        async with self.database.engine.connect() as connection:
            rows = await connection.execute(select(InboxEvent.state, func.count()).group_by(InboxEvent.state))
            by_state: dict[str, int] = dict(rows.all())
        at = (before + time.perf_counter()) / 2
        failed = by_state.get("failed", 0)
        return Count(at, by_state.get("pending", 0), by_state.get("done", 0) + failed, failed)

    async def drained(self, limit: float) -> Count | None:
        """The first count with nothing pending, or None when none came within `limit` seconds."""
        deadline = time.perf_counter() + limit
        while True:
            found = await self.count()
            if not found.pending:
                return found
            if found.at > deadline:
                return None
            await asyncio.sleep(0.02)

    async def votes(self, poll_id: int) -> int:
        async with self.database.unit_of_work() as uow:
            _, voters = await uow.polls.tally(poll_id)
        return voters

    async def close(self) -> None:
        await self.database.close()


async def drive(
    http: aiohttp.ClientSession,
    url: str,
    requests: list[Request],
    rate: float,
    concurrency: int,
    watch: InboxWatch | None,
) -> tuple[Figures, list[Count]]:
    """Send `requests` paced at `rate` a second (0: as fast as `concurrency` allows); count the
    inbox when the middle and the last request are acknowledged."""
    figures = Figures()
    gate = asyncio.Semaphore(concurrency if not rate else len(requests))
    counting: list[asyncio.Task[Count]] = []
    middle = len(requests) // 2

    async def one(request: Request, due: float | None) -> None:
        async with gate:
            sent = time.perf_counter()
            try:
                async with http.post(url, data=request.body, headers=request.headers) as response:
                    await response.read()
                    ok = response.status == 200
            except aiohttp.ClientError:
                ok = False
            acked = time.perf_counter()
        if due is not None:
            figures.late.append(max(0.0, sent - due))
        figures.acks.append(acked - sent)
        figures.errors += not ok
        figures.sent[request.reply_key] = sent
        figures.first_sent = min(figures.first_sent or sent, sent)
        figures.last_sent, figures.last_acked = max(figures.last_sent, sent), acked
        if watch is not None and len(figures.acks) in (middle, len(requests)):
            counting.append(asyncio.create_task(watch.count()))

    started = time.perf_counter()
    tasks = []
    for index, request in enumerate(requests):
        due = started + index / rate if rate else None
        if due is not None:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(request, due)))
    await asyncio.gather(*tasks)
    return figures, list(await asyncio.gather(*counting))


async def measure(
    http: aiohttp.ClientSession,
    fake: FakeSlack,
    apps: AppProcess,
    url: str,
    requests: list[Request],
    rate: float,
    concurrency: int,
    watch: InboxWatch | None,
) -> Figures:
    """One phase against one app; for ours (`watch` given), also the inbox and every reply."""
    gc.collect()
    gc.freeze()  # what the driver holds so far stays out of its collector's passes mid-phase
    calls = len(fake.calls)
    before = await watch.count() if watch else None
    (cpu, _), started = await apps.state(), time.perf_counter()
    figures, counts = await drive(http, url, requests, rate, concurrency, watch)
    cpu_after, figures.lags = await apps.state()
    figures.cpu = (cpu_after - cpu) / (time.perf_counter() - started)
    if watch is not None and before is not None:
        await follow(figures, counts, before, watch, fake, calls)
    return figures


async def follow(
    figures: Figures, counts: list[Count], before: Count, watch: InboxWatch, fake: FakeSlack, calls: int
) -> None:
    """Ours after a phase: the inbox's rate and backlog, its drain, and the replies (those of
    `fake.calls` from index `calls` on)."""
    middle, end = counts
    figures.processed = (end.handled - middle.handled) / (end.at - middle.at)
    figures.backlog = end.pending
    drained = await watch.drained(DRAIN_LIMIT)
    keys = set(figures.sent)
    if drained is not None:
        figures.drained = max(0.0, drained.at - figures.last_acked)
        # Every event is handled: a reply still missing after REPLY_LIMIT is an error (the fake
        # raises AssertionError when the wait runs out). Undrained, the backlog shows instead.
        with contextlib.suppress(AssertionError):
            await fake.wait_for(lambda: keys <= fake.responded.keys(), within=REPLY_LIMIT)
        figures.errors += len(keys - fake.responded.keys())
    figures.replies = [fake.responded[k] - figures.sent[k] for k in keys if k in fake.responded]
    apologies = sum(
        call.method == "response_url" and FAILED in json.dumps(call.args, ensure_ascii=False)
        for call in fake.calls[calls:]
    )
    figures.errors += apologies + (drained or await watch.count()).failed - before.failed


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


async def bench_database(name: str, url: str, args: argparse.Namespace) -> dict[tuple[str, str], Figures]:
    """Every phase against the three apps on one database."""
    fake = FakeSlack()
    fake_api = await fake.start()
    for n in range(USERS):
        fake.add_user(f"U{n:04d}", f"User {n}")
    fake.add_user(FACILITATOR, "Fay")
    apps = AppProcess(fake_api, url)
    watch = InboxWatch(url)
    try:
        urls = await apps.start()
        poll = next(m for m in fake.messages if m.channel == CHANNEL and m.only_for is None)
        traffic = Traffic(fake, poll)
        print(f"{name}: apps ready ({load()})")
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            results, votes = await run_phases(name, http, fake, apps, urls, traffic, watch, args)
        counted, left = await watch.votes(traffic.poll_id), (await watch.count()).pending
        print(
            f"{name}: votes sent to ours {votes}, counted on the poll {counted} with {left} events "
            f"still in the inbox; poll message edits through the outbox {poll.updates} ({load()})"
        )
    finally:
        await watch.close()
        await apps.stop()
        await fake.stop()
    return results


async def run_phases(
    name: str,
    http: aiohttp.ClientSession,
    fake: FakeSlack,
    apps: AppProcess,
    urls: dict[str, str],
    traffic: Traffic,
    watch: InboxWatch,
    args: argparse.Namespace,
) -> tuple[dict[tuple[str, str], Figures], int]:
    """Warm each app up, then run each phase against each app; return the figures and how many
    votes ours was sent."""
    votes = 0
    for app in APPS:
        warm_up = traffic.requests(WARM_UP)
        await drive(http, urls[app], warm_up, 0.0, args.concurrency, None)
        if app == "ours":
            votes += sum(r.vote for r in warm_up)
            await watch.drained(DRAIN_LIMIT)
    results: dict[tuple[str, str], Figures] = {}
    phases = ([("max", 0.0)] if args.max else []) + [(f"{rate:g}/s", rate) for rate in args.rates]
    for phase, rate in phases:
        if left := (await watch.count()).pending:
            print(f"{name:<10} {phase:<6} waiting for {left} events left by the phase before")
            await watch.drained(SETTLE_LIMIT)
        for app in APPS:
            requests = traffic.requests(round(rate * args.seconds) if rate else args.max)
            ours = app == "ours"
            results[(phase, app)] = await measure(
                http, fake, apps, urls[app], requests, rate, args.concurrency, watch if ours else None
            )
            votes += sum(r.vote for r in requests) if ours else 0
            print(results[(phase, app)].row(name, phase, app), flush=True)
        print(ratios(name, phase, results))
    return results, votes


def ratios(name: str, phase: str, results: dict[tuple[str, str], Figures]) -> str:
    ours = results[(phase, "ours")].acks
    parts = []
    for bare in ("bare", "bare-pbr"):
        base = results[(phase, bare)].acks
        p50, p99 = (percentile(ours, q) / percentile(base, q) for q in (50, 99))
        parts.append(f"ours/{bare} ack p50 {p50:.2f}x p99 {p99:.2f}x")
    return f"{name:<10} {phase:<6} " + "; ".join(parts)


def verdicts(name: str, rate: float, figures: Figures) -> list[str]:
    p99 = percentile(figures.acks, 99) * 1000
    ack = (
        f"goal {name} {rate:g}/s ack p99 <= {ACK_GOAL_MS:g} ms: {p99:.1f} ms "
        f"({abs(ACK_GOAL_MS - p99):.1f} ms {'under' if p99 <= ACK_GOAL_MS else 'over'}): "
        f"{'met' if p99 <= ACK_GOAL_MS else 'MISSED'}"
    )
    processed = figures.processed or 0.0
    share = processed / figures.offered
    short = f"{figures.offered - processed:.0f}/s short" if share < 1 else "none short"
    drained = f"{figures.drained:.2f} s" if figures.drained is not None else f"not within {DRAIN_LIMIT:g} s"
    backlog = (
        f"goal {name} {rate:g}/s processed >= offered ({IN_FLIGHT_ALLOWANCE:.0%} allowed for events in "
        f"flight): {processed:.0f}/s of {figures.offered:.0f}/s, {short} ({share:.3f}); backlog "
        f"{figures.backlog} at the last ack, drained {drained}: "
        f"{'met' if share >= 1 - IN_FLIGHT_ALLOWANCE else 'MISSED'}"
    )
    return [ack, backlog]


def main(args: argparse.Namespace) -> None:
    print(
        f"slack_load: half /alumni find <topic>, half votes by new voters on a 3-option poll; "
        f"max phase {args.max} requests at concurrency {args.concurrency}; paced phases "
        f"{args.seconds:g} s at {', '.join(f'{r:g}' for r in args.rates)}/s; {MEMBERS} profiles, "
        f"{USERS} command users, {os.cpu_count()} CPUs, {load()}"
    )
    print("latencies in ms; processed = inbox rows handled per second (see the module's description)")
    print(HEADER)
    found: dict[str, dict[tuple[str, str], Figures]] = {}
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            found["sqlite"] = asyncio.run(bench_database("sqlite", url, args))
    if args.database in ("postgresql", "both"):
        unreachable = postgres_unreachable_reason()
        if unreachable:
            print(f"postgresql: skipped, not reachable ({unreachable})")
        else:
            with fresh_postgres_database() as url:
                found["postgresql"] = asyncio.run(bench_database("postgresql", url, args))
    rate = max(args.rates)
    for name, results in found.items():
        for line in verdicts(name, rate, results[(f"{rate:g}/s", "ours")]):
            print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each paced phase")
    parser.add_argument("--rates", type=float, nargs="+", default=[100.0, 300.0], help="requests a second")
    parser.add_argument("--max", type=int, default=300, help="requests in the max phase (0: none)")
    parser.add_argument("--concurrency", type=int, default=20, help="requests in flight in the max phase")
    main(parser.parse_args())
