"""Fay is a facilitator; the dashboard is served on a free port of 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters import web
from adapters.runtime import Runtime
from bot.config import FacilitatorSettings, InsightsSettings, Settings
from bot.core import Core
from storage.database import Database
from tests.support.network import free_port


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(port: int) -> Settings:
    return Settings(
        facilitators=FacilitatorSettings(members=("test:fay",)),
        insights=InsightsSettings(dashboard_url=f"http://127.0.0.1:{port}"),
    )


@pytest.fixture
async def site(settings: Settings, database: Database, core: Core, port: int) -> AsyncIterator[str]:
    """The bot's web server, with the dashboard; its base address."""
    runtime = Runtime(settings, database, core)
    runner = await web.start(
        web.web_app(runtime, web.Platform("test", web.always_connected)), "127.0.0.1", port
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
