"""HTTP mode: Slack's requests reach bolt at /slack/events, on the bot's web server (adapters/web.py)."""

from __future__ import annotations

import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp

from adapters.slack.request_check import Refusals, Refused, bolt_request

EVENTS_PATH = "/slack/events"


def events(app: AsyncApp, signing_secret: str, refusals: Refusals | None = None) -> web.RouteDef:
    """Slash commands, interactivity and events all arrive at one URL; nothing reaches bolt
    before its signature and format are checked (adapters.slack.request_check)."""
    refusals = refusals or Refusals()

    async def receive(request: web.Request) -> web.Response:
        try:
            checked = bolt_request(
                request.headers, await request.read(), request.query_string, signing_secret, time.time()
            )
        except Refused as refused:
            refusals.note(refused, request.remote)
            return web.Response(status=refused.status, text=refused.reason)
        return await to_aiohttp_response(await app.async_dispatch(checked))

    return web.post(EVENTS_PATH, receive)
