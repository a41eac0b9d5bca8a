"""Real `alumni-bot` console processes for tests that kill, restart or run two of them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

CLI = Path(sys.executable).with_name("alumni-bot")


def upgrade(database_url: str, cwd: Path) -> None:
    subprocess.run([str(CLI), "db", "upgrade", "--database", database_url], cwd=cwd, check=True, timeout=60)


class BotProcess:
    """`alumni-bot run --adapter console`, fed line by line, its output collected as it comes."""

    def __init__(self, database_url: str, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [str(CLI), "run", "--adapter", "console", "--database", database_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=cwd,
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def type(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{line}\n" for line in lines))
        self.process.stdin.flush()

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.output)
            if len(found) >= count:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        tail = self.output[-3000:]
        raise AssertionError(f"{count} x {pattern!r} not seen within {timeout} s; output:\n{tail}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)

    def stop(self) -> str:
        """End the input, as a terminal user would; return everything it printed."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        return self.output
