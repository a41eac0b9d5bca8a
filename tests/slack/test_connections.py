"""`serve()` for real: HTTP mode over a socket on 127.0.0.1, and Socket Mode over a websocket."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from adapters.runtime import Runtime
from adapters.slack import serve, server
from bot.config import ConfigError, Secret, Secrets, Settings, SlackSettings
from bot.core import Core
from storage.database import Database
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.slack_driver import (
    FORM,
    SIGNING_SECRET,
    command_body,
    command_payload,
    event_body,
    signed_headers,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slack_settings(fake: FakeSlack, **secrets: str) -> Settings:
    return Settings(
        slack=SlackSettings(api_base_url=f"{fake.url}/api", host="127.0.0.1", port=free_port()),
        secrets=Secrets(slack_bot_token=Secret("xoxb-test"), **{k: Secret(v) for k, v in secrets.items()}),
    )


@pytest.fixture
async def running(
    request: pytest.FixtureRequest, fake: FakeSlack, database: Database, core: Core
) -> AsyncIterator[Runtime]:
    runtime = Runtime(request.param(fake), database, core)
    task = asyncio.ensure_future(serve(runtime))
    await fake.wait_for(lambda: fake.called("auth.test") or task.done())
    yield runtime
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def http_mode(fake: FakeSlack) -> Settings:
    return slack_settings(fake, slack_signing_secret=SIGNING_SECRET)


def socket_mode(fake: FakeSlack) -> Settings:
    return slack_settings(fake, slack_app_token="xapp-test")


async def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    for _ in range(50):  # the server may still be binding its port
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.post(url, data=body, headers=headers) as response,
            ):
                return response.status, await response.text()
        except aiohttp.ClientConnectorError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listening at {url}")


@pytest.mark.parametrize("running", [http_mode], indirect=True)
async def test_http_mode_verifies_signatures_and_skips_retries(running: Runtime, fake: FakeSlack) -> None:
    base = f"http://127.0.0.1:{running.settings.slack.port}"
    events = base + server.EVENTS_PATH

    forged = command_body(fake, "UANA", "help")
    status, _ = await post(events, forged, signed_headers(forged, FORM, secret="not-the-secret"))
    assert status == 401
    stale = command_body(fake, "UANA", "help")
    status, _ = await post(events, stale, signed_headers(stale, FORM, age=6 * 60))
    assert status == 401
    await asyncio.sleep(0.2)
    assert not fake.called("response_url")  # nothing processed

    good = command_body(fake, "UANA", "help")
    status, _ = await post(events, good, signed_headers(good, FORM))
    assert status == 200
    await fake.wait_for(lambda: fake.called("response_url"))
    assert "alumni-bot commands" in fake.messages[-1].words

    joined = event_body({"type": "team_join", "user": fake.users["UBEN"]}, "EvHTTP")
    for retry in (None, 1, 2):
        status, _ = await post(events, joined, signed_headers(joined, "application/json", retry=retry))
        assert status == 200
    await fake.wait_for(lambda: any("Welcome" in m.words for m in fake.messages))
    await asyncio.sleep(0.2)
    assert len([m for m in fake.messages if "Welcome" in m.words]) == 1

    async with aiohttp.ClientSession() as http, http.get(base + server.HEALTH_PATH) as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ok"


async def test_health_is_503_without_the_database(bolt: Any, core: Core) -> None:
    unreachable = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    runtime = Runtime(Settings(), unreachable, core)
    runner = await server.start(server.web_app(bolt, runtime.health, SIGNING_SECRET), "127.0.0.1", 0)
    try:
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 503
            body = await response.json()
        assert body["status"] == "failing" and not body["database"]["ok"]
        assert "OSError" in body["database"]["reason"] or "Connect" in body["database"]["reason"]
    finally:
        await runner.cleanup()
        await unreachable.close()


def envelope(kind: str, payload: dict[str, Any], envelope_id: str, retry: int = 0) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


def acked(fake: FakeSlack, envelope_id: str) -> Callable[[], bool]:
    return lambda: any(a.get("envelope_id") == envelope_id for a in fake.socket_acks)


@pytest.mark.parametrize("running", [socket_mode], indirect=True)
async def test_socket_mode_processes_first_deliveries_and_skips_retries(
    running: Runtime, fake: FakeSlack
) -> None:
    await fake.wait_for(lambda: fake.called("apps.connections.open"))
    command = command_payload(fake, "UANA", "help")
    await fake.socket_outbox.put(envelope("slash_commands", command, "env-1"))
    await fake.wait_for(acked(fake, "env-1"))
    await fake.wait_for(lambda: fake.called("response_url"))

    joined = json.loads(event_body({"type": "team_join", "user": fake.users["UBEN"]}, "EvSock"))
    await fake.socket_outbox.put(envelope("events_api", joined, "env-2", retry=0))
    await fake.wait_for(lambda: any("Welcome" in m.words for m in fake.messages))
    await fake.socket_outbox.put(envelope("events_api", joined, "env-3", retry=1))
    await fake.wait_for(acked(fake, "env-3"))
    await asyncio.sleep(0.2)
    assert len([m for m in fake.messages if "Welcome" in m.words]) == 1


async def test_start_up_names_what_is_wrong(fake: FakeSlack, database: Database, core: Core) -> None:
    missing = Runtime(Settings(), database, core)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        await serve(missing)
    fake.fail("auth.test", Failure(200, body={"ok": False, "error": "invalid_auth"}))
    with pytest.raises(
        ConfigError, match=r"Slack refused SLACK_BOT_TOKEN at http://127\.0\.0\.1:\d+/api/ \(invalid_auth\)"
    ):
        await serve(Runtime(http_mode(fake), database, core))
    nowhere = replace(
        http_mode(fake), slack=SlackSettings(api_base_url=f"http://127.0.0.1:{free_port()}/api/")
    )
    with pytest.raises(ConfigError, match="cannot reach Slack"):
        await serve(Runtime(nowhere, database, core))
