"""The bot's own small HTTP server, on `[web] host` and `[web] port`, in every mode:

- /healthz: liveness. 200 as long as the process runs and its event loop answers.
- /readyz: readiness. 200 when the platform is connected, the database takes a write in
  time and neither the inbox nor the outbox is stuck; otherwise 503, the failing part and
  its reason in the JSON body (bot.health).
- /metrics: Prometheus's text format (adapters/metrics.py).
- /insights: the facilitators' dashboard (adapters/dashboard).

Slack HTTP mode adds its /slack/events to the same server. `[web] enabled` unset means on
for Slack and Discord and off in the console, where a terminal session needs no port.
Adapters sharing a runtime share the server (`SharedWeb`): /readyz and /metrics report every
platform's connection.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from adapters.dashboard import dashboard_routes
from adapters.runtime import Runtime
from bot.config import ConfigError
from bot.health import Backlog, Probe, backlog, check_health

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Platform:
    """The platform a mode serves, and how to tell whether its connection is up."""

    name: str
    connected: Callable[[], Awaitable[bool]]


async def always_connected() -> bool:
    """For modes with no connection of their own to lose: the console, and Slack HTTP mode
    (Slack calls in; its token was checked at start)."""
    return True


@dataclass(frozen=True)
class Part:
    """What one adapter brings to the web server, and whether it wants one."""

    platform: Platform
    routes: tuple[web.RouteDef, ...] = ()
    by_default: bool = True
    needed_for: str = ""


@dataclass
class SharedWeb:
    """The one server of several adapters in one process: it starts once each has brought its
    part, and closes when the last has left."""

    expected: int
    parts: list[Part] = field(default_factory=list)
    opened: asyncio.Future[web.AppRunner | None] | None = None
    left: int = 0


def web_app(
    runtime: Runtime, served: Platform | Sequence[Platform], routes: Iterable[web.RouteDef] = ()
) -> web.Application:
    """The three pages for `runtime` serving one platform or several, and the adapters' own
    `routes`."""
    settings, clock = runtime.settings, runtime.core.clock
    probe = Probe()
    platforms = [served] if isinstance(served, Platform) else list(served)

    async def connections() -> dict[str, bool]:
        return {platform.name: await platform.connected() for platform in platforms}

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        states = await connections()
        connection = (",".join(sorted(states)), all(states.values()))
        found = await check_health(runtime.database, settings.health, clock, connection, probe)
        return web.json_response(found.as_json(), status=200 if found.ok else 503)

    async def metrics(_: web.Request) -> web.Response:
        queues: Backlog | None = None
        # A database that does not answer leaves the queues unknown (NaN); /readyz says why.
        try:
            queues = await asyncio.wait_for(
                backlog(runtime.database, clock.now()), settings.health.database_timeout_seconds
            )
        except Exception as error:
            log.debug("metrics without the queues: %s", type(error).__name__)
        body = runtime.metrics.exposition(queues, clock.now(), await connections())
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    server = web.Application()
    server.add_routes(
        [
            web.get(HEALTH_PATH, healthz),
            web.get(READY_PATH, readyz),
            web.get(METRICS_PATH, metrics),
            *dashboard_routes(runtime),
            *routes,
        ]
    )
    return server


async def start(server: web.Application, host: str, port: int) -> web.AppRunner:
    """Listen on host:port (0: any free port); the caller cleans the runner up."""
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


@asynccontextmanager
async def serving(
    runtime: Runtime,
    platform: Platform,
    routes: Iterable[web.RouteDef] = (),
    *,
    by_default: bool = True,
    needed_for: str = "",
) -> AsyncIterator[None]:
    """Serve the pages (and `routes`) while the block runs, when `[web] enabled` (or, unset,
    `by_default`) says so; always when the mode `needed_for` receives its requests here.
    With several adapters in the runtime, the block starts once all have entered theirs."""
    part = Part(platform, tuple(routes), by_default, needed_for)
    if runtime.adapters > 1:
        async with shared(runtime, part):
            yield
        return
    runner = await open_server(runtime, [part])
    try:
        yield
    finally:
        if runner is not None:
            await runner.cleanup()


@asynccontextmanager
async def shared(runtime: Runtime, part: Part) -> AsyncIterator[None]:
    share = runtime.web_share = runtime.web_share or SharedWeb(runtime.adapters)
    opened = share.opened = share.opened or asyncio.get_running_loop().create_future()
    share.parts.append(part)
    if len(share.parts) == share.expected:
        try:
            opened.set_result(await open_server(runtime, share.parts))
        except BaseException as error:
            opened.set_exception(error)
    try:
        await asyncio.shield(opened)
        yield
    finally:
        share.left += 1
        if share.left == share.expected and opened.done() and not opened.exception():
            runner = opened.result()
            if runner is not None:
                await runner.cleanup()


async def open_server(runtime: Runtime, parts: Sequence[Part]) -> web.AppRunner | None:
    """Start the server for `parts`, or None when none of them wants it."""
    settings = runtime.settings
    enabled = settings.web.enabled
    for part in parts:
        if part.needed_for and enabled is False:
            raise ConfigError(
                f"{settings.source('web', 'enabled')}: false, but {part.needed_for} receives its "
                "requests on the web server: remove the setting"
            )
    if not any(part.needed_for or (part.by_default if enabled is None else enabled) for part in parts):
        return None
    host, port = settings.web.host, settings.web.port
    routes = [route for part in parts for route in part.routes]
    try:
        runner = await start(web_app(runtime, [part.platform for part in parts], routes), host, port)
    except OSError as error:
        # A port in use (or below 1024 without the right) is the port's fault; the rest, the host's.
        key = "port" if error.errno in (errno.EADDRINUSE, errno.EACCES) else "host"
        raise ConfigError(
            f"{settings.source('web', key)}: cannot listen on {host}:{port} "
            f"({reason(error)}); expected a free port on an address of this machine"
        ) from None
    bound = runner.addresses[0][1] if runner.addresses else port
    log.info(
        "health and metrics on http://%s:%s (%s, %s, %s)", host, bound, HEALTH_PATH, READY_PATH, METRICS_PATH
    )
    return runner


def reason(error: OSError) -> str:
    """The system's short words for a failed bind (asyncio wraps them in a longer message)."""
    if isinstance(error, socket.gaierror) or not error.errno:
        return str(error.strerror or error)
    return os.strerror(error.errno)
