"""The console stops cleanly: at the end of its input (with a timer still to come), on
Ctrl-C at once, and on SIGTERM; never with a traceback."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.support.processes import BotProcess, upgrade


def console(tmp_path: Path, name: str = "bot") -> BotProcess:
    """A console on a database of its own: a known first member would not be welcomed again."""
    url = f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
    upgrade(url, tmp_path)
    bot = BotProcess(url, tmp_path)
    bot.wait_for(r"Welcome to the network")
    return bot


def test_the_end_of_input_ends_the_session_cleanly_with_a_timer_running(tmp_path: Path) -> None:
    bot = console(tmp_path)
    bot.type("/alumni remind me in 2 hours stretch")
    bot.wait_for(r"I'll remind you")
    output = bot.stop()
    assert bot.process.returncode == 0
    assert "Traceback" not in output and "CancelledError" not in output


def test_ctrl_c_stops_at_once_and_sigterm_gracefully(tmp_path: Path) -> None:
    for sent in (signal.SIGINT, signal.SIGTERM):
        bot = console(tmp_path, sent.name)
        started = time.monotonic()
        bot.process.send_signal(sent)
        assert bot.process.wait(timeout=10) == 0
        assert time.monotonic() - started < 5, sent
        assert "Traceback" not in bot.output
