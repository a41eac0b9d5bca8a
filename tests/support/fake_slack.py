"""A local stand-in for Slack on 127.0.0.1: the Web API, response_url endpoints, file
uploads and a Socket Mode websocket. It records every call and keeps the messages it
was asked to post, so tests can read and press them as a member would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TEAM = "T1"
BOT_USER = "UBOT"
CHANNELS = {"introductions": "CINTRO", "general": "CGENERAL", "community": "CCOMMUNITY"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float  # time.perf_counter() when it arrived


@dataclass
class FakeMessage:
    """A message as Slack would hold it; `only_for` is set for ephemeral ones."""

    channel: str
    ts: str
    blocks: list[dict[str, Any]]
    text: str
    only_for: str | None = None
    updates: int = 0
    metadata: dict[str, Any] | None = None

    def buttons(self) -> list[dict[str, Any]]:
        return [e for b in self.blocks if b["type"] == "actions" for e in b["elements"]]

    def button(self, label: str) -> dict[str, Any]:
        for element in self.buttons():
            if element.get("text", {}).get("text", "").startswith(label):
                return element
        raise AssertionError(f"no button {label!r} in {[e.get('text') for e in self.buttons()]}")

    @property
    def words(self) -> str:
        parts = [self.text]
        for block in self.blocks:
            parts.append(block.get("text", {}).get("text", ""))
            parts.extend(f["text"] for f in block.get("fields", []))
            parts.extend(e.get("text", "") for e in block.get("elements", []) if block["type"] == "context")
        return "\n".join(parts)


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"ok": False, "error": "fatal_error"})


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: list[FakeMessage] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: list[dict[str, Any]] = []
        self.not_in: set[str] = set()  # channels where chat.postEphemeral answers not_in_channel
        self.failures: dict[str, list[Failure]] = {}
        self.delays: dict[str, float] = {}  # method (or "response_url") -> seconds before answering
        self.response_urls: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.responded: dict[str, float] = {}  # response_url key -> when its first reply arrived
        self.socket_acks: list[dict[str, Any]] = []
        self.socket_outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._sockets: list[web.WebSocketResponse] = []
        self.arrived = asyncio.Event()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return f"{self.url}/api/"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # -- set-up helpers ---------------------------------------------------------------

    def add_user(self, user_id: str, name: str, tz: str = "Europe/Lisbon", locale: str = "en-GB") -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "tz": tz,
            "locale": locale,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail(self, method: str, *failures: Failure) -> None:
        self.failures.setdefault(method, []).extend(failures)

    def response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        key = str(next(self._ids))
        self.response_urls[key] = {"channel": channel, "user": user, "message_ts": message_ts}
        return f"{self.url}/respond/{key}"

    # -- reading what happened --------------------------------------------------------

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def message(self, channel: str, ts: str) -> FakeMessage:
        return next(m for m in self.messages if m.channel == channel and m.ts == ts)

    def seen_by(self, user: str) -> list[FakeMessage]:
        return [m for m in self.messages if m.only_for in (None, user)]

    async def wait_for(self, predicate: Any, within: float = 5.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("fake Slack never saw what the test waited for")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), timeout=0.05)

    # -- Web API ----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        self.calls.append(Call(method, args, time.perf_counter()))
        self.arrived.set()
        await asyncio.sleep(self.delays.get(method, 0))
        pending = self.failures.get(method)
        if pending:
            failure = pending.pop(0)
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        body = handler(args) if handler else {"ok": True}
        return web.json_response(body)

    def _blocks(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        blocks = args.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "team_id": TEAM,
            "team": "Alumni",
            "user_id": BOT_USER,
            "user": "alumni-bot",
            "bot_id": "B1",
            "url": "https://alumni.slack.com/",
        }

    def _post(self, channel: str, args: dict[str, Any], only_for: str | None = None) -> FakeMessage:
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        metadata = args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        posted = FakeMessage(
            channel, ts, self._blocks(args), args.get("text", ""), only_for, metadata=metadata
        )
        self.messages.append(posted)
        return posted

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args["channel"]
        if channel.startswith("U"):
            channel = "D" + channel
        posted = self._post(channel, args)
        return {"ok": True, "channel": channel, "ts": posted.ts}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if args["channel"] in self.not_in:
            return {"ok": False, "error": "not_in_channel"}
        posted = self._post(args["channel"], args, only_for=args["user"])
        return {"ok": True, "message_ts": posted.ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        found = [m for m in self.messages if m.channel == args["channel"] and m.ts == args["ts"]]
        if not found:
            return {"ok": False, "error": "message_not_found"}
        found[0].blocks, found[0].text = self._blocks(args), args.get("text", "")
        found[0].updates += 1
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        self.messages = [
            m for m in self.messages if not (m.channel == args["channel"] and m.ts == args["ts"])
        ]
        return {"ok": True}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{next(self._ids)}"}}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{next(self._ids)}"}}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = sorted(args["users"].split(","))
        channel = "D" + users[0] if len(users) == 1 else "G" + "".join(users)
        return {"ok": True, "channel": {"id": channel}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        oldest = float(args.get("oldest") or 0)
        found = [
            {"type": "message", "ts": m.ts, "text": m.text}
            | ({"metadata": m.metadata} if m.metadata and args.get("include_all_metadata") else {})
            for m in reversed(self.messages)
            if m.channel == args["channel"] and m.only_for is None and float(m.ts) >= oldest
        ]
        return {"ok": True, "messages": found[: int(args.get("limit") or 100)], "has_more": False}

    def _conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        # Two pages, so the adapter's paging is exercised.
        items = [{"id": cid, "name": name} for name, cid in CHANNELS.items()]
        if not args.get("cursor"):
            return {"ok": True, "channels": items[:1], "response_metadata": {"next_cursor": "page2"}}
        return {"ok": True, "channels": items[1:], "response_metadata": {"next_cursor": ""}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(args["user"])
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _usergroups_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "usergroups": self.usergroups}

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids)}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        files = json.loads(files) if isinstance(files, str) else files
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}

    # -- response_url and uploads -----------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        target = self.response_urls.get(key)
        body = await request.json()
        self.calls.append(Call("response_url", body, time.perf_counter()))
        self.responded.setdefault(key, time.perf_counter())
        self.arrived.set()
        await asyncio.sleep(self.delays.get("response_url", 0))
        if target is None:
            return web.Response(status=404, text="expired_url")
        if body.get("replace_original") and target["message_ts"]:
            self._chat_update({"channel": target["channel"], "ts": target["message_ts"]} | body)
        else:
            only_for = target["user"] if body.get("response_type", "ephemeral") == "ephemeral" else None
            self._post(target["channel"], body, only_for)
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK")

    # -- Socket Mode ------------------------------------------------------------------

    async def drop_sockets(self) -> None:
        """Close every Socket Mode connection and refuse new ones, as in an outage."""
        self.fail("apps.connections.open", *[Failure(200, body={"ok": False, "error": "outage"})] * 100)
        for ws in self._sockets:
            await ws.close()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})

        async def pump() -> None:
            while True:
                await ws.send_json(await self.socket_outbox.get())

        sender = asyncio.ensure_future(pump())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
                    self.arrived.set()
        finally:
            sender.cancel()
        return ws
