"""`serve()` for real: HTTP mode over a socket on 127.0.0.1, and Socket Mode over a websocket;
in both, the bot's web server answers /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from adapters import web
from adapters.runtime import Runtime
from adapters.slack import serve, server
from bot.config import ConfigError, Secret, Secrets, Settings, SlackSettings, WebSettings
from bot.core import Core
from storage.database import Database
from tests.support import web as pages
from tests.support.fake_slack import Failure, FakeSlack
from tests.support.network import free_port
from tests.support.slack_driver import (
    FORM,
    SIGNING_SECRET,
    command_body,
    command_payload,
    event_body,
    signed_headers,
)


def slack_settings(fake: FakeSlack, **secrets: str) -> Settings:
    return Settings(
        slack=SlackSettings(api_base_url=f"{fake.url}/api"),
        web=WebSettings(port=free_port()),
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


async def handled(runtime: Runtime) -> None:
    """Everything acknowledged so far is handled and what it said delivered: Slack's listeners
    store and queue a request before it is acknowledged (process_before_response)."""
    assert runtime.workers is not None and runtime.sender is not None
    await runtime.workers.idle()
    await runtime.sender.settle()


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
    base = f"http://127.0.0.1:{running.settings.web.port}"
    events = base + server.EVENTS_PATH

    forged = command_body(fake, "UANA", "help")
    status, _ = await post(events, forged, signed_headers(forged, FORM, secret="not-the-secret"))
    assert status == 401
    stale = command_body(fake, "UANA", "help")
    status, _ = await post(events, stale, signed_headers(stale, FORM, age=6 * 60))
    assert status == 401
    await handled(running)
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
    await handled(running)
    assert len([m for m in fake.messages if "Welcome" in m.words]) == 1

    async with aiohttp.ClientSession() as http, http.get(base + web.READY_PATH) as response:
        assert response.status == 200
        assert (await response.json())["platform"] == {"ok": True, "name": "slack"}


async def test_readiness_is_503_without_the_database(bolt: Any, core: Core) -> None:
    unreachable = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nothing")
    runtime = Runtime(Settings(), unreachable, core)
    platform = web.Platform("slack", web.always_connected)
    events = server.events(bolt, SIGNING_SECRET)
    runner = await web.start(web.web_app(runtime, platform, [events]), "127.0.0.1", 0)
    try:
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 503
                body = await response.json()
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200  # alive all the same: restarting would not help
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
    await handled(running)
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


@pytest.mark.parametrize("running", [http_mode], indirect=True)
async def test_http_mode_metrics_count_events_deliveries_and_slack_s_errors(
    running: Runtime, fake: FakeSlack
) -> None:
    base = f"http://127.0.0.1:{running.settings.web.port}"
    events = base + server.EVENTS_PATH
    before = await pages.metrics(base)
    fake.fail("chat.postMessage", Failure(503))  # slack_sdk tries again after a 5xx
    joined = event_body({"type": "team_join", "user": fake.users["UBEN"]}, "EvMetrics")
    for retry in (None, 1):
        status, _ = await post(events, joined, signed_headers(joined, "application/json", retry=retry))
        assert status == 200
    command = command_body(fake, "UANA", "find nobody-at-all")
    assert (await post(events, command, signed_headers(command, FORM)))[0] == 200
    await fake.wait_for(lambda: any("Welcome" in m.words for m in fake.messages))
    await fake.wait_for(lambda: fake.called("response_url"))

    # The welcome counts as delivered once the outbox has recorded Slack's answer.
    after = await pages.metrics_once(base, "alumni_bot_outbox_delivered_total", platform="slack")
    for kind in ("Command", "MemberJoined"):
        assert (
            pages.moved(before, after, "alumni_bot_events_received_total", platform="slack", kind=kind) == 1
        )
        assert (
            pages.moved(
                before, after, "alumni_bot_events_processed_total", platform="slack", kind=kind, outcome="ok"
            )
            == 1
        )
        assert pages.moved(before, after, "alumni_bot_event_handling_seconds_count", kind=kind) == 1
    assert (
        pages.moved(before, after, "alumni_bot_inbox_deliveries_total", platform="slack", result="new") == 2
    )
    assert (
        pages.moved(before, after, "alumni_bot_inbox_deliveries_total", platform="slack", result="repeat")
        == 1
    )
    assert (
        pages.moved(before, after, "alumni_bot_outbox_delivered_total", platform="slack") == 1
    )  # the welcome
    assert (
        pages.moved(before, after, "alumni_bot_platform_api_errors_total", platform="slack", error="503") == 1
    )
    assert pages.moved(before, after, "alumni_bot_platform_api_requests_total", platform="slack") >= 3
    assert pages.value(after, "alumni_bot_platform_connected", platform="slack") == 1


@pytest.mark.parametrize("running", [socket_mode], indirect=True)
async def test_socket_mode_serves_health_and_metrics_and_is_not_ready_without_slack(
    running: Runtime, fake: FakeSlack
) -> None:
    base = f"http://127.0.0.1:{running.settings.web.port}"
    ready = await pages.wait_for_status(base + web.READY_PATH, 200)
    assert ready["platform"] == {"ok": True, "name": "slack"} and ready["database"]["ok"]
    before = await pages.metrics(base)
    await fake.socket_outbox.put(envelope("slash_commands", command_payload(fake, "UANA", "help"), "env-m"))
    await fake.wait_for(lambda: fake.called("response_url"))
    after = await pages.metrics(base)
    assert (
        pages.moved(before, after, "alumni_bot_events_received_total", platform="slack", kind="Command") == 1
    )
    assert pages.value(after, "alumni_bot_platform_connected", platform="slack") == 1

    await fake.drop_sockets()
    gone = await pages.wait_for_status(base + web.READY_PATH, 503)
    assert gone["platform"] == {"ok": False, "name": "slack", "reason": "not connected"}
    assert (await pages.get(base + web.HEALTH_PATH))[0] == 200  # alive: the library reconnects
    assert pages.value(await pages.metrics(base), "alumni_bot_platform_connected", platform="slack") == 0


async def test_http_mode_refuses_a_disabled_web_server_in_one_line(
    fake: FakeSlack, database: Database, core: Core
) -> None:
    disabled = replace(
        http_mode(fake), web=WebSettings(enabled=False), sources={"web.enabled": "ALUMNI_BOT_WEB_ENABLED"}
    )
    with pytest.raises(ConfigError) as raised:
        await serve(Runtime(disabled, database, core))
    assert str(raised.value) == (
        "ALUMNI_BOT_WEB_ENABLED: false, but Slack HTTP mode receives its requests on the web server: "
        "remove the setting"
    )
