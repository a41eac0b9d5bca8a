"""A small Discord on 127.0.0.1: the REST routes and the gateway the bot uses, recorded.

The real discord.py client logs in, identifies, receives READY and GUILD_CREATE, syncs its
commands and answers interactions here. Tests read what arrived (`requests`, `interactions`)
the way they would read Discord's own audit of the bot. Like Discord, the fake refuses an
initial interaction response that comes more than three seconds after the interaction.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = 1000
BOT_ID = 1001
BOT_TOKEN = "fake-bot-token"
GUILD_ID = 2000
FACILITATOR_ROLE = 4000
CHANNELS = {"general": 3000, "introductions": 3001, "matches": 3002}
RESPONSE_DEADLINE = 3.0
NOW = "2026-11-24T09:00:00+00:00"
Json = dict[str, Any]


@dataclass
class Recorded:
    method: str
    path: str
    body: Json
    files: dict[str, bytes] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class InteractionLog:
    """One interaction sent to the bot and everything the bot answered to it."""

    payload: Json
    sent_at: float
    callback: Json | None = None  # {"type": n, "data": {...}}
    callback_files: dict[str, bytes] = field(default_factory=dict)
    followups: list[Json] = field(default_factory=list)
    edits: list[Json] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def id(self) -> str:
        return self.payload["id"]

    @property
    def token(self) -> str:
        return self.payload["token"]


def user_object(user_id: int, name: str, *, bot: bool = False) -> Json:
    return {
        "id": str(user_id),
        "username": name.lower().replace(" ", ""),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


class FakeDiscord:
    def __init__(self) -> None:
        self._ids = itertools.count(900_000)
        self.users: dict[int, Json] = {BOT_ID: user_object(BOT_ID, "alumni-bot", bot=True)}
        self.member_roles: dict[int, list[int]] = {}
        self.requests: list[Recorded] = []
        self.interactions: dict[str, InteractionLog] = {}
        self.messages: dict[str, Json] = {}  # message id -> message object, as it stands now
        self.deleted: list[str] = []
        self.commands: dict[str, list[Json]] = {}  # scope ("global" or guild id) -> definitions
        self.threads: dict[str, Json] = {}
        self.thread_members: dict[str, list[str]] = {}
        self.late_responses: list[str] = []
        self.refuse: Callable[[Recorded], bool] = lambda _: False  # answer 403 when True
        self.token: str | None = None  # when set, any other bot token gets 401
        self.slow: Callable[[Recorded], float] = lambda _: 0.0  # seconds to wait before answering
        self.identified: asyncio.Event = asyncio.Event()
        self.identify: Json = {}
        self._sockets: list[web.WebSocketResponse] = []
        self.gateway_down = False  # when set, the gateway refuses connections (an outage)
        self._sequence = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- set-up -------------------------------------------------------------------------

    def add_member(self, user_id: int, name: str, roles: tuple[int, ...] = ()) -> Json:
        self.users[user_id] = user_object(user_id, name)
        self.member_roles[user_id] = list(roles)
        return self.member_object(user_id)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def bot_environment(self) -> dict[str, str]:
        """The environment that points alumni-bot's Discord adapter at this fake."""
        return {
            "DISCORD_TOKEN": BOT_TOKEN,
            "DISCORD_API_BASE_URL": self.api_url,
            "DISCORD_GATEWAY_URL": self.gateway_url,
        }

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner:
            await self._runner.cleanup()

    # --- objects ------------------------------------------------------------------------

    def snowflake(self) -> str:
        return str(next(self._ids))

    def member_object(self, user_id: int) -> Json:
        return {
            "user": self.users[user_id],
            "nick": None,
            "roles": [str(r) for r in self.member_roles.get(user_id, [])],
            "joined_at": NOW,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "avatar": None,
            "premium_since": None,
            "pending": False,
        }

    def channel_object(self, name_or_id: str) -> Json:
        """A guild text channel by name or id (a thread's id gives its parent's shape)."""
        name = next((n for n, i in CHANNELS.items() if str(i) == name_or_id), name_or_id)
        name = name if name in CHANNELS else "general"
        return {
            "id": name_or_id if name_or_id.isdigit() else str(CHANNELS[name]),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": name,
            "position": CHANNELS[name] - 3000,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def guild_object(self) -> Json:
        everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "1024", "position": 0}
        facilitators = {
            "id": str(FACILITATOR_ROLE),
            "name": "Facilitators",
            "permissions": "0",
            "position": 1,
        }
        return {
            "id": str(GUILD_ID),
            "name": "Open Data Alumni",
            "owner_id": str(BOT_ID),
            "icon": None,
            "features": [],
            "roles": [
                {**role, "color": 0, "hoist": False, "managed": False, "mentionable": False}
                for role in (everyone, facilitators)
            ],
            "channels": [self.channel_object(name) for name in CHANNELS],
            "members": [self.member_object(u) for u in self.users],
            "member_count": len(self.users),
            "large": False,
            "unavailable": False,
            "joined_at": NOW,
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "preferred_locale": "en-US",
        }

    def message_object(self, channel_id: str, body: Json, files: dict[str, bytes], flags: int = 0) -> Json:
        message_id = self.snowflake()
        message = {
            "id": message_id,
            "channel_id": channel_id,
            "author": self.users[BOT_ID],
            "timestamp": NOW,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": 0,
            "content": "",
            "embeds": [],
            "components": [],
            "attachments": [],
            "flags": flags,
        }
        self._apply(message, body, files)
        message["flags"] = flags | body.get("flags", 0)
        self.messages[message_id] = message
        return message

    def _apply(self, message: Json, body: Json, files: dict[str, bytes]) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if files or "attachments" in body:
            message["attachments"] = [
                {
                    "id": self.snowflake(),
                    "filename": (body.get("attachments") or [{}] * len(files))[i].get("filename", name),
                    "size": len(data),
                    "url": f"https://cdn.example/{name}",
                    "proxy_url": f"https://cdn.example/{name}",
                }
                for i, (name, data) in enumerate(files.items())
            ]

    # --- gateway ------------------------------------------------------------------------

    async def drop_gateway(self) -> None:
        """Close the gateway connections and refuse new ones until `gateway_down` is cleared."""
        self.gateway_down = True
        for socket in self._sockets:
            await socket.close()

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return web.Response(status=503)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                await socket.send_json({"op": 11})
            elif payload["op"] == 2:
                self.identify = payload["d"]
                await self._send(socket, "READY", self._ready())
                await self._send(socket, "GUILD_CREATE", self.guild_object())
                self.identified.set()
        return socket

    def _ready(self) -> Json:
        return {
            "v": 10,
            "user": self.users[BOT_ID],
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": "session-1",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
        }

    async def _send(self, socket: web.WebSocketResponse, event: str, data: Json) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._sequence), "d": data})

    async def dispatch(self, event: str, data: Json) -> None:
        await self._send(self._sockets[-1], event, data)

    async def interact(self, payload: Json) -> InteractionLog:
        log = InteractionLog(payload, time.monotonic())
        self.interactions[log.id] = log
        await self.dispatch("INTERACTION_CREATE", payload)
        return log

    # --- REST ---------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        body, files = await _read_body(request)
        recorded = Recorded(
            request.method, "/" + request.match_info["path"], body, files, dict(request.query)
        )
        self.requests.append(recorded)
        if self.token and request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        delay = self.slow(recorded)
        if delay:
            await asyncio.sleep(delay)
        if self.refuse(recorded):
            return _error(403, 50013, "Missing Permissions")
        for method, pattern, handler in self._routes():
            found = re.fullmatch(pattern, recorded.path)
            if found and method == request.method:
                response = await handler(recorded, *found.groups())
                async with self._changed:
                    self._changed.notify_all()
                return response
        return _error(404, 0, f"fake Discord has no route {request.method} {recorded.path}")

    def _routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        app, guild = rf"/applications/{APP_ID}", r"/guilds/(\d+)"
        return [
            ("GET", r"/users/@me", self._me),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/gateway/bot", self._gateway_bot),
            ("GET", rf"{app}/commands()", self._get_commands),
            ("PUT", rf"{app}/commands()", self._put_commands),
            ("GET", rf"{app}{guild}/commands", self._get_commands),
            ("PUT", rf"{app}{guild}/commands", self._put_commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", rf"/webhooks/{APP_ID}/([^/]+)", self._followup),
            ("PATCH", rf"/webhooks/{APP_ID}/([^/]+)/messages/(@original|\d+)", self._edit_webhook_message),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("DELETE", r"/channels/(\d+)/messages/(\d+)", self._delete_message),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("POST", r"/channels/(\d+)/threads", self._create_thread),
            ("PUT", r"/channels/(\d+)/thread-members/(\d+)", self._add_thread_member),
            ("GET", rf"{guild}/members/(\d+)", self._get_member),
        ]

    async def _me(self, _: Recorded) -> web.Response:
        return _json(self.users[BOT_ID])

    async def _application(self, _: Recorded) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "alumni-bot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": user_object(1, "Owner"),
                "flags": 0,
            }
        )

    async def _gateway_bot(self, _: Recorded) -> web.Response:
        limits = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limits})

    async def _get_commands(self, _: Recorded, scope: str) -> web.Response:
        return _json(self.commands.get(scope or "global", []))

    async def _put_commands(self, recorded: Recorded, scope: str) -> web.Response:
        stored = [
            {**command, "id": self.snowflake(), "application_id": str(APP_ID), "version": "1"}
            for command in recorded.body  # type: ignore[attr-defined]
        ]
        self.commands[scope or "global"] = stored
        return _json(stored)

    async def _callback(self, recorded: Recorded, interaction_id: str, token: str) -> web.Response:
        log = self.interactions.get(interaction_id)
        if log is None or log.token != token:
            return _error(404, 10062, "Unknown interaction")
        if time.monotonic() - log.sent_at > RESPONSE_DEADLINE:
            self.late_responses.append(interaction_id)
            return _error(404, 10062, "Unknown interaction")
        if log.callback is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        log.callback, log.callback_files = recorded.body, recorded.files
        log.answered.set()
        kind = recorded.body["type"]
        data = recorded.body.get("data") or {}
        reply: Json = {"interaction": {"id": interaction_id, "type": log.payload["type"]}}
        if kind == 4:
            message = self.message_object(log.payload["channel_id"], data, recorded.files)
            reply["resource"] = {"type": 4, "message": message}
            log.payload["_original"] = message["id"]
        elif kind == 7:
            message = self.messages[log.payload["message"]["id"]]
            self._apply(message, data, recorded.files)
            reply["resource"] = {"type": 7, "message": message}
        elif kind == 5:
            message = self.message_object(log.payload["channel_id"], {}, {}, flags=data.get("flags", 0) | 128)
            log.payload["_original"] = message["id"]
        return _json(reply)

    def _by_token(self, token: str) -> InteractionLog:
        return next(log for log in self.interactions.values() if log.token == token)

    async def _followup(self, recorded: Recorded, token: str) -> web.Response:
        log = self._by_token(token)
        log.followups.append(recorded.body | {"files": recorded.files})
        message = self.message_object(log.payload["channel_id"], recorded.body, recorded.files)
        return _json(message)

    async def _edit_webhook_message(self, recorded: Recorded, token: str, which: str) -> web.Response:
        log = self._by_token(token)
        log.edits.append(recorded.body)
        if which == "@original":
            which = log.payload.get("_original") or log.payload["message"]["id"]
        message = self.messages[which]
        self._apply(message, recorded.body, recorded.files)
        return _json(message)

    async def _create_message(self, recorded: Recorded, channel_id: str) -> web.Response:
        return _json(self.message_object(channel_id, recorded.body, recorded.files))

    async def _edit_message(self, recorded: Recorded, channel_id: str, message_id: str) -> web.Response:
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return _error(404, 10008, "Unknown Message")
        self._apply(message, recorded.body, recorded.files)
        message["edited_timestamp"] = NOW
        return _json(message)

    async def _delete_message(self, _: Recorded, channel_id: str, message_id: str) -> web.Response:
        if self.messages.pop(message_id, None) is None:
            return _error(404, 10008, "Unknown Message")
        self.deleted.append(message_id)
        return web.Response(status=204)

    async def _open_dm(self, recorded: Recorded) -> web.Response:
        user_id = int(recorded.body["recipient_id"])
        return _json(
            {
                "id": str(10_000 + user_id),
                "type": 1,
                "recipients": [self.users[user_id]],
                "last_message_id": None,
            }
        )

    async def _create_thread(self, recorded: Recorded, channel_id: str) -> web.Response:
        thread = {
            "id": self.snowflake(),
            "type": recorded.body.get("type", 11),
            "guild_id": str(GUILD_ID),
            "parent_id": channel_id,
            "name": recorded.body["name"],
            "owner_id": str(BOT_ID),
            "member_count": 0,
            "message_count": 0,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": recorded.body.get("auto_archive_duration", 1440),
                "archive_timestamp": NOW,
                "locked": False,
                "invitable": recorded.body.get("invitable", True),
            },
        }
        self.threads[thread["id"]] = thread
        self.thread_members[thread["id"]] = []
        return _json(thread, status=201)

    async def _add_thread_member(self, _: Recorded, thread_id: str, user_id: str) -> web.Response:
        self.thread_members[thread_id].append(user_id)
        return web.Response(status=204)

    async def _get_member(self, _: Recorded, guild_id: str, user_id: str) -> web.Response:
        if int(user_id) not in self.users:
            return _error(404, 10007, "Unknown Member")
        return _json(self.member_object(int(user_id)))

    # --- waiting for the bot ------------------------------------------------------------

    async def wait_for(self, check: Callable[[], Any], within: float = 5.0) -> Any:
        """Wait until `check()` returns something truthy after a request, and return it."""
        async with asyncio.timeout(within), self._changed:
            while not (found := check()):
                await self._changed.wait()
        return found

    def sent(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]


async def _read_body(request: web.Request) -> tuple[Json, dict[str, bytes]]:
    if not request.body_exists:
        return {}, {}
    if request.content_type.startswith("multipart/"):
        body: Json = {}
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                body = json.loads(data)
            else:
                files[part.filename or part.name or "file"] = bytes(data)  # type: ignore[union-attr]
        return body, files
    return await request.json(), {}


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"code": code, "message": message}, status=status)


def _json(data: Any, status: int = 200) -> web.Response:
    """Exactly `application/json`, no charset: discord.py compares the header verbatim."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )
