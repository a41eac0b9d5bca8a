"""Log lines: text or JSON, the bot's own level apart from the libraries', and the event they belong to."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters import logs
from bot.config import LogSettings
from bot.outbound import Outbound
from bot.refs import MessageRef
from tests.support.chat import Conversation, RecordingChat

CLI = Path(sys.executable).with_name("alumni-bot")


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Where configured log lines go; the logging set-up is put back afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in logs.OWN_LOGGERS})
    yield io.StringIO()
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def test_libraries_log_from_their_own_level(stream: io.StringIO) -> None:
    logs.configure(LogSettings(level="INFO"), stream)
    logging.getLogger("bot.scheduling").info("ours at INFO")
    logging.getLogger("apscheduler.executors.default").info("Job executed successfully")
    logging.getLogger("discord.gateway").warning("a library's warning")
    assert "ours at INFO" in stream.getvalue() and "a library's warning" in stream.getvalue()
    assert "Job executed" not in stream.getvalue()

    logs.configure(LogSettings(level="WARNING", library_level="INFO"), stream)
    logging.getLogger("apscheduler.executors.default").info("Job executed successfully")
    logging.getLogger("bot.scheduling").info("ours, now quiet")
    assert "Job executed" in stream.getvalue() and "ours, now quiet" not in stream.getvalue()


class LoggingChat(RecordingChat):
    """Writes a log line as each reply goes out, as an adapter does when a delivery fails."""

    async def send(self, item: Outbound) -> MessageRef | None:
        logging.getLogger("adapters.chat").warning("delivering %s", type(item).__name__)
        return await super().send(item)


async def test_json_lines_carry_the_event_kind_and_delivery_id(
    talk: Conversation, stream: io.StringIO
) -> None:
    logs.configure(LogSettings(format="json"), stream)
    talk.chat = LoggingChat()
    await talk.say("Ana", "/alumni help", delivery_id="ev-123")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines and all(
        line.keys() == {"time", "level", "logger", "message", "event", "delivery"} for line in lines
    )
    assert {(line["event"], line["delivery"], line["logger"]) for line in lines} == {
        ("Command", "ev-123", "adapters.chat")
    }
    assert lines[0]["time"].endswith("+00:00") and lines[0]["level"] == "WARNING"
    logging.getLogger("bot.core").warning("between events")
    assert "event" not in json.loads(stream.getvalue().splitlines()[-1])


def test_the_bot_logs_json_lines_when_asked(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CLI), "run", "--adapter", "console", "--database", f"sqlite:///{tmp_path / 'log.db'}"],
        input="/alumni help\n",
        capture_output=True,
        text=True,
        timeout=90,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"ALUMNI_BOT_LOG_FORMAT": "json"},
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(line["message"].startswith("database migrated from empty") for line in lines)
    assert all(line["logger"].startswith("adapters.") for line in lines)
