"""The console serves health and metrics only when asked ([web] enabled = true): a real
`alumni-bot run --adapter console` process, read over HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from adapters import web
from tests.support import web as pages
from tests.support.network import free_port
from tests.support.processes import BotProcess, upgrade


async def test_with_web_enabled_the_console_answers_health_readiness_and_metrics(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url, tmp_path)
    port = free_port()
    config = tmp_path / "web.toml"
    config.write_text(f"[web]\nenabled = true\nport = {port}\n")
    bot = BotProcess(url, tmp_path, config)
    try:
        bot.wait_for(r"Welcome to the network")
        base = f"http://127.0.0.1:{port}"
        assert await pages.get_json(base + web.HEALTH_PATH) == (200, {"status": "ok"})
        status, ready = await pages.get_json(base + web.READY_PATH)
        assert status == 200 and ready["platform"] == {"ok": True, "name": "console"}
        assert ready["database"]["ok"] and ready["inbox"]["ok"] and ready["outbox"]["ok"]
        before = await pages.metrics(base)
        bot.type("/alumni find nobody-at-all")
        bot.wait_for(r"nobody-at-all")
        after = await pages.metrics_once(
            base, "alumni_bot_events_processed_total", platform="console", kind="Command", outcome="ok"
        )
    finally:
        output = bot.stop()
    assert (
        pages.moved(before, after, "alumni_bot_events_received_total", platform="console", kind="Command")
        == 1
    )
    assert pages.value(after, "alumni_bot_platform_connected", platform="console") == 1
    assert pages.value(after, "alumni_bot_outbox_queue_depth") == 0
    assert f"health and metrics on http://127.0.0.1:{port}" in output


def test_by_default_the_console_opens_no_port(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url, tmp_path)
    bot = BotProcess(url, tmp_path)
    bot.wait_for(r"Welcome to the network")
    assert "health and metrics" not in bot.stop()
