"""Feature tests: Fay is a facilitator, and a schedule runner fires due occurrences."""

from __future__ import annotations

import pytest

from bot.config import FacilitatorSettings, Settings
from bot.core import Core
from bot.scheduling import ScheduleRunner
from tests.support.chat import Clock


@pytest.fixture
def settings() -> Settings:
    return Settings(facilitators=FacilitatorSettings(members=("test:fay",)))


@pytest.fixture
def runner(core: Core, settings: Settings, clock: Clock) -> ScheduleRunner:
    return ScheduleRunner(core.database, core.router, settings, clock)
