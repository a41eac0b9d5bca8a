"""Real-format, signed Slack requests into the bolt app, as Slack would send them.

`SlackDriver` reads like the members' side: run a command, press a button on a message
the fake Slack holds, submit a modal, or have Slack deliver an event. `HttpSlackDriver`
does the same through the HTTP entry point (adapters.slack.server) on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from adapters.slack.app import SlackBot
from bot.outbox import Sender
from tests.support.fake_slack import TEAM, FakeMessage, FakeSlack

SIGNING_SECRET = "test-signing-secret-0123456789"
FORM = "application/x-www-form-urlencoded"
_ids = itertools.count(1)


def signed_headers(
    body: str | bytes,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    age: float = 0,
    retry: int | None = None,
) -> dict[str, str]:
    timestamp = str(int(time.time() - age))
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
        if isinstance(body, str)
        else "v0="
        + hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest(),
    }
    if retry is not None:
        headers |= {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
    return headers


def trigger() -> str:
    return f"{next(_ids)}.{int(time.time())}.trigger{next(_ids)}"


def command_body(
    fake: FakeSlack, user: str, text: str, command: str = "/alumni", channel: str = "CGENERAL"
) -> str:
    return urlencode(command_payload(fake, user, text, command, channel))


def command_payload(
    fake: FakeSlack, user: str, text: str, command: str = "/alumni", channel: str = "CGENERAL"
) -> dict[str, str]:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "team_domain": "alumni",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": fake.response_url(channel, user),
        "trigger_id": trigger(),
    }


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM}


def action_payload(
    fake: FakeSlack, user: str, message: FakeMessage, element: dict[str, Any], selected: str | None = None
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "action_id": element["action_id"],
        "block_id": "b1",
        "type": element["type"],
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action["text"] = element["text"]
    else:
        action["selected_option"] = {"text": {"type": "plain_text", "text": selected}, "value": selected}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": "A1",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": message.only_for is not None,
        },
        "trigger_id": trigger(),
        "team": {"id": TEAM, "domain": "alumni"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": message.channel, "name": "somewhere"},
        "response_url": fake.response_url(message.channel, user, message.ts),
        "actions": [action],
    }
    if message.only_for is None:
        payload["message"] = {
            "type": "message",
            "ts": message.ts,
            "text": message.text,
            "blocks": message.blocks,
        }
    return payload


def home_action_payload(user: str, element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": "A1",
        "container": {"type": "view", "view_id": "VHOME"},
        "trigger_id": trigger(),
        "team": {"id": TEAM, "domain": "alumni"},
        "view": {"id": "VHOME", "type": "home", "blocks": []},
        "actions": [{"action_id": element["action_id"], "type": "button", "action_ts": "1.2"}],
    }


def view_payload(user: str, view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    state = {
        block["block_id"]: {
            block["element"]["action_id"]: {
                "type": "plain_text_input",
                "value": values.get(block["block_id"], block["element"].get("initial_value")) or None,
            }
        }
        for block in view["blocks"]
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "alumni"},
        "user": _user(user),
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": trigger(),
        "view": view | {"id": f"V{next(_ids)}", "team_id": TEAM, "state": {"values": state}, "hash": "h"},
        "response_urls": [],
        "is_enterprise_install": False,
    }


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event": event | {"event_ts": f"{time.time():.6f}"},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids)}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


class SlackDriver:
    def __init__(self, app: AsyncApp, fake: FakeSlack, bot: SlackBot) -> None:
        self.app = app
        self.fake = fake
        self.bot = bot
        self.settling = True

    async def deliver(self, body: str, content_type: str = FORM, retry: int | None = None) -> BoltResponse:
        request = AsyncBoltRequest(body=body, headers=signed_headers(body, content_type, retry=retry))
        response = await self.app.async_dispatch(request)
        if self.settling:
            await self.settle()
        return response

    async def settle(self) -> None:
        """Wait, as a member would, for the work after the acknowledgement and its messages."""
        await self.bot.drain()
        assert self.bot.workers is not None
        await self.bot.workers.idle()
        core = self.bot.core
        await Sender(core.database, [self.bot.chat()], core.clock).deliver_due()

    async def bolt_only(self, step: Any, *args: Any) -> BoltResponse:
        """Run `step` returning as soon as bolt answers Slack, before the work after the ack."""
        self.settling = False
        try:
            return await step(*args)
        finally:
            self.settling = True

    async def command(
        self, user: str, text: str, command: str = "/alumni", channel: str = "CGENERAL"
    ) -> BoltResponse:
        return await self.deliver(command_body(self.fake, user, text, command, channel))

    async def press(self, user: str, message: FakeMessage, label: str) -> BoltResponse:
        return await self.deliver(
            interaction_body(action_payload(self.fake, user, message, message.button(label)))
        )

    async def press_id(self, user: str, message: FakeMessage, action_id: str) -> BoltResponse:
        """A press on `message` carrying any action id: what a forged click looks like."""
        element = {"action_id": action_id, "type": "button", "text": {"type": "plain_text", "text": "?"}}
        return await self.deliver(interaction_body(action_payload(self.fake, user, message, element)))

    async def submit(self, user: str, view: dict[str, Any] | None = None, **values: str) -> BoltResponse:
        view = view or self.last_view()
        return await self.deliver(interaction_body(view_payload(user, view, values)))

    async def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> BoltResponse:
        return await self.deliver(event_body(event, event_id), "application/json", retry)

    def last_view(self) -> dict[str, Any]:
        return self.fake.called("views.open")[-1]["view"]

    def last_for(self, user: str) -> FakeMessage:
        return self.fake.seen_by(user)[-1]

    def last_private(self, user: str) -> FakeMessage:
        """The last message only `user` sees (answers come before what goes through the outbox)."""
        return [m for m in self.fake.messages if m.only_for == user][-1]

    async def set_up_profile(self, user: str, name: str, **fields: str) -> None:
        """The whole /intro flow through Slack: command, modal, button, second modal."""
        about = {"name": name, "organisation": "GBIF", "country": "Kenya", "timezone": "Africa/Nairobi"}
        await self.command(user, "", command="/intro")
        await self.submit(user, **{k: fields.pop(k, v) for k, v in about.items()})
        await self.press(user, self.last_private(user), "Add my topics")
        await self.submit(user, **({"expertise": "open data"} | fields))


class HttpSlackDriver(SlackDriver):
    def __init__(
        self, app: AsyncApp, fake: FakeSlack, bot: SlackBot, url: str, session: aiohttp.ClientSession
    ):
        super().__init__(app, fake, bot)
        self.url = url
        self.session = session

    async def deliver(self, body: str, content_type: str = FORM, retry: int | None = None) -> BoltResponse:
        status, text = await self.post(body.encode(), signed_headers(body, content_type, retry=retry))
        if self.settling:
            await self.settle()
        return BoltResponse(status=status, body=text)

    async def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """Any bytes with any headers, as an attacker could send them."""
        async with self.session.post(self.url, data=body, headers=headers) as response:
            return response.status, await response.text()
