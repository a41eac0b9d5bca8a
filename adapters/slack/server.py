"""HTTP mode: bolt on an aiohttp server, at /slack/events, with /healthz for load balancers."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp

from adapters.slack.request_check import Refusals, Refused, bolt_request
from bot.health import Health

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def web_app(
    app: AsyncApp,
    health: Callable[[], Awaitable[Health]],
    signing_secret: str,
    refusals: Refusals | None = None,
) -> web.Application:
    """Slash commands, interactivity and events all arrive at one URL; nothing reaches bolt
    before its signature and format are checked (adapters.slack.request_check)."""
    refusals = refusals or Refusals()

    async def events(request: web.Request) -> web.Response:
        try:
            checked = bolt_request(
                request.headers, await request.read(), request.query_string, signing_secret, time.time()
            )
        except Refused as refused:
            refusals.note(refused, request.remote)
            return web.Response(status=refused.status, text=refused.reason)
        return await to_aiohttp_response(await app.async_dispatch(checked))

    async def healthz(request: web.Request) -> web.Response:
        found = await health()
        return web.json_response(found.as_json(), status=200 if found.ok else 503)

    server = web.Application()
    server.router.add_post(EVENTS_PATH, events)
    server.router.add_get(HEALTH_PATH, healthz)
    return server


async def start(server: web.Application, host: str, port: int) -> web.AppRunner:
    """Listen on host:port; the caller cleans the runner up."""
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
