"""The console adapter: try the whole bot in a terminal, no tokens needed."""

from __future__ import annotations

import contextlib

from adapters import web
from adapters.console.session import PLATFORM, ConsoleSession
from adapters.runtime import Runtime


async def serve(runtime: Runtime) -> None:
    """Run the session; health and metrics only when `[web] enabled = true`."""
    async with web.serving(runtime, web.Platform(PLATFORM, web.always_connected), by_default=False):
        try:
            with contextlib.suppress(EOFError):
                await ConsoleSession(runtime).run()
        finally:
            await runtime.stop_work()
