"""The console adapter: try the whole bot in a terminal, no tokens needed."""

from __future__ import annotations

import contextlib

from adapters.console.session import ConsoleSession
from adapters.runtime import Runtime


async def serve(runtime: Runtime) -> None:
    try:
        with contextlib.suppress(EOFError):
            await ConsoleSession(runtime).run()
    finally:
        await runtime.stop_work()
