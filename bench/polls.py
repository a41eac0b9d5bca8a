"""1,000 members vote on one poll within 10 seconds, through the core and through Slack.

Core: votes go straight to `Core.dispatch`, paced evenly over the window, with the real
Runtime (APScheduler + schedule rows) refreshing the poll message. Slack: the same votes
as signed block_actions requests into our bolt app over HTTP on 127.0.0.1 (as
bench/slack_load.py does), the app's Web API client pointed at the fake Slack, which counts
the chat.update calls. Figures: votes lost (must be 0), ack latency p50/p99, message
edits (and the shortest gap between two, which must be >= 1 s), final count correct.

    .venv/bin/python bench/polls.py [--members 1000] [--seconds 10] [--database URL] [--anonymous]

With --anonymous the poll is anonymous: each vote then writes the poll's ballots again in
key order on PostgreSQL (storage.polls.replace_ballot), which this measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.runtime import Runtime
from adapters.slack import server
from adapters.slack.app import SlackBot, build_app
from adapters.slack.channels import Channels
from adapters.slack.connection import web_client
from adapters.slack.identity import Identities
from adapters.web import Platform, always_connected, start, web_app
from bot.app import build_router
from bot.config import FacilitatorSettings, SchedulerSettings, Settings
from bot.core import Core
from bot.events import Action, Actor, Command
from bot.features.polls.service import REFRESH
from bot.outbound import Outbound, Post, Public, Update
from bot.outbox import Earlier
from bot.refs import ChannelRef, MemberRef, MessageRef
from storage.database import Database
from tests.support.chat import plain
from tests.support.fake_slack import TEAM, FakeMessage, FakeSlack
from tests.support.slack_driver import FORM, SIGNING_SECRET, signed_headers

OPTIONS = ("Maps", "Portals", "Licences")
QUESTION = '/alumni poll "Next roundtable topic?" "Maps" "Portals" "Licences"'


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:6.1f}"


def expected(members: int) -> Counter[str]:
    return Counter(OPTIONS[m % 3] for m in range(members))


def settings() -> Settings:
    return Settings(
        facilitators=FacilitatorSettings(members=("bench:fay", "slack:UFAY")),
        scheduler=SchedulerSettings(poll_seconds=1),
    )


def final_counts(text: str) -> dict[str, int]:
    counts = {}
    for option in OPTIONS:
        line = text.split(f"{option}\n", 1)[1].split("\n", 1)[0]
        counts[option] = int(line.split(" ")[1])
    return counts


@dataclass
class Figures:
    acks: list[float] = field(default_factory=list)
    errors: int = 0
    edits: list[float] = field(default_factory=list)  # monotonic times of message edits
    final_text: str = ""
    stored: int = 0
    elapsed: float = 0.0

    def report(self, path: str, members: int) -> None:
        gaps = [b - a for a, b in zip(self.edits, self.edits[1:], strict=False)]
        counts = final_counts(self.final_text) if self.final_text else {}
        correct = counts == dict(expected(members))
        lost = members - self.stored
        print(
            f"{path:<6} votes {members} in {self.elapsed:5.2f}s  lost {lost}  errors {self.errors}  "
            f"ack p50 {ms(self.acks, 50)} ms  p99 {ms(self.acks, 99)} ms  "
            f"edits {len(self.edits)}  shortest gap {min(gaps, default=0):4.2f}s  "
            f"final count {'correct' if correct else 'WRONG'} {counts}"
        )


class CountingChat:
    platform = "bench"

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.number = 0

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        """As the outbox's courier: the poll's post and its edits."""
        return await self.send(item)

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        return Earlier()

    async def send(self, item: Outbound) -> MessageRef | None:
        if isinstance(item, Post) and isinstance(item.to, Update):
            self.figures.edits.append(time.monotonic())
            self.figures.final_text = plain(item.message)
            return item.to.message
        self.number += 1
        channel = item.to.channel if isinstance(item, Post) and isinstance(item.to, Public) else None
        return MessageRef("bench", "W", getattr(channel, "channel_id", "D"), str(self.number))


async def stored_votes(database: Database) -> int:
    async with database.unit_of_work() as uow:
        _, voters = await uow.polls.tally(1)
    return voters


async def settled(database: Database) -> None:
    """Wait until the poll has no unshown votes and no refresh to come."""
    for _ in range(100):
        async with database.unit_of_work() as uow:
            poll = await uow.polls.get(1)
            live = await uow.schedules.live(REFRESH, [1])
        if poll and poll.dirty_since is None and not live:
            return
        await asyncio.sleep(0.2)


async def through_core(url: str, members: int, seconds: float, question: str) -> Figures:
    figures = Figures()
    database = Database(url)
    await database.upgrade()
    core = Core(settings(), database, build_router())
    chat = CountingChat(figures)
    runtime = Runtime(core.settings, database, core)
    fay = Actor(MemberRef("bench", "W", "fay"), "Fay")
    await core.dispatch(
        Command(fay, "alumni", question[len("/alumni ") :], ChannelRef("bench", "W", "C1")), chat
    )
    await runtime.start(chat)
    await runtime.sender.settle()  # the poll is posted
    async with database.unit_of_work() as uow:
        posted = await uow.posted.get("poll:1")
    assert posted is not None
    poll_ref = MessageRef("bench", "W", posted.channel_id, posted.message_id)

    async def vote(member: int) -> None:
        actor = Actor(MemberRef("bench", "W", f"M{member}"), f"Member {member}")
        started = time.perf_counter()
        action = f"poll:vote:1:{member % 3 + 1}"
        await core.receive(Action(actor, action, message=poll_ref, delivery_id=f"v{member}"), chat)
        figures.acks.append(time.perf_counter() - started)

    figures.elapsed = await paced(vote, members, seconds)
    await settled(database)
    await asyncio.sleep(1.5)
    figures.stored = await stored_votes(database)
    await runtime.close()
    return figures


async def paced(one, members: int, seconds: float) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    tasks = []
    for member in range(members):
        await asyncio.sleep(max(0.0, started + member * seconds / members - time.perf_counter()))
        tasks.append(asyncio.ensure_future(one(member)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


def press_body(member: int, ts: str) -> str:
    user = f"U{member:05d}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "container": {"type": "message", "message_ts": ts, "channel_id": "CGENERAL", "is_ephemeral": False},
        "trigger_id": f"{member}.{time.time()}.bench",
        "team": {"id": TEAM, "domain": "alumni"},
        "channel": {"id": "CGENERAL", "name": "general"},
        "message": {"ts": ts},
        "actions": [
            {
                "action_id": f"poll:vote:1:{member % 3 + 1}",
                "type": "button",
                "action_ts": "1.0",
                "text": {"type": "plain_text", "text": OPTIONS[member % 3]},
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def through_slack(url: str, members: int, seconds: float, question: str) -> Figures:
    figures = Figures()
    fake = FakeSlack()
    api = await fake.start()
    fake.add_user("UFAY", "Fay")
    for member in range(members):
        fake.add_user(f"U{member:05d}", f"Member {member}")
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())
        database = Database(url)
        await database.upgrade()
        core = Core(settings(), database, build_router())
        client = web_client("xoxb-bench", api, session)
        bot = SlackBot(
            core=core,
            client=client,
            session=session,
            team_id=TEAM,
            identities=Identities(client, 3600, ()),
            channels=Channels(client),
        )
        runtime = Runtime(core.settings, database, core)
        runner = await start(
            web_app(
                runtime,
                Platform("slack", always_connected),
                [server.events(build_app(bot, SIGNING_SECRET), SIGNING_SECRET)],
            ),
            "127.0.0.1",
            0,
        )
        endpoint = f"http://127.0.0.1:{runner.addresses[0][1]}{server.EVENTS_PATH}"
        fay = Actor(MemberRef("slack", TEAM, "UFAY"), "Fay")
        await core.dispatch(
            Command(fay, "alumni", question[len("/alumni ") :], ChannelRef("slack", TEAM, "CGENERAL")),
            bot.chat(),
        )
        await runtime.start(bot.chat(), bot.handle)
        bot.workers = runtime.workers
        await runtime.sender.settle()
        posted = next(m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None)
        http = await stack.enter_async_context(aiohttp.ClientSession())

        async def vote(member: int) -> None:
            body = press_body(member, posted.ts)
            started = time.perf_counter()
            async with http.post(endpoint, data=body, headers=signed_headers(body, FORM)) as response:
                await response.read()
                figures.errors += response.status != 200
            figures.acks.append(time.perf_counter() - started)

        watcher = asyncio.ensure_future(watch_edits(posted, figures))
        figures.elapsed = await paced(vote, members, seconds)
        await settled(database)
        await asyncio.sleep(1.5)
        watcher.cancel()
        figures.stored = await stored_votes(database)
        figures.final_text = posted.words
        await runtime.close()
        await runner.cleanup()
    await fake.stop()
    return figures


async def watch_edits(message: FakeMessage, figures: Figures) -> None:
    """Note when the fake Slack's copy of the poll message changes (every 10 ms)."""
    seen = message.updates
    while True:
        if message.updates != seen:
            figures.edits += [time.monotonic()] * (message.updates - seen)
            seen = message.updates
        await asyncio.sleep(0.01)


async def main(args: argparse.Namespace) -> None:
    question = QUESTION + (" --anonymous" if args.anonymous else "")
    print(
        f"polls: {args.members} members vote on one 3-option{' anonymous' if args.anonymous else ''} poll "
        f"within {args.seconds:g} s ({'PostgreSQL' if args.database else 'SQLite'})"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{folder}/core.db"
        (await through_core(url, args.members, args.seconds, question)).report("core", args.members)
        if not args.database:
            url = f"sqlite+aiosqlite:///{folder}/slack.db"
            (await through_slack(url, args.members, args.seconds, question)).report("slack", args.members)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database", default="", help="a fresh PostgreSQL URL (default: SQLite)")
    parser.add_argument("--anonymous", action="store_true", help="an anonymous poll")
    asyncio.run(main(parser.parse_args()))
