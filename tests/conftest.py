"""Fixtures: every database test runs on SQLite and, when reachable, on PostgreSQL."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot.app import build_router
from bot.config import Settings
from bot.core import Core
from storage.database import Database
from tests.support import databases, processes
from tests.support.chat import Clock, Conversation, RecordingChat

_pg_skip_reason: str | None = None

# Property tests run a bounded number of examples in `make test`; HYPOTHESIS_PROFILE=nightly
# runs fifty times as many (tests that set their own counts keep them).
hypothesis_settings.register_profile("make-test", max_examples=40, deadline=None)
hypothesis_settings.register_profile("nightly", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "make-test"))


def pytest_configure(config: pytest.Config) -> None:
    global _pg_skip_reason
    _pg_skip_reason = databases.postgres_unreachable_reason()
    if _pg_skip_reason and os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI must test PostgreSQL, but {databases.PG_URL} is unreachable: {_pg_skip_reason}"
        )


def pytest_report_header(config: pytest.Config) -> str:
    if _pg_skip_reason:
        return f"PostgreSQL: SKIPPED, {databases.PG_URL} unreachable ({_pg_skip_reason})"
    return f"PostgreSQL: testing against {databases.PG_URL} (a fresh database per run)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_skip_reason:
        terminalreporter.write_line(
            f"NOTE: PostgreSQL tests were SKIPPED ({databases.PG_URL} unreachable)", yellow=True, bold=True
        )


@pytest.fixture(autouse=True)
def no_process_left_behind() -> Iterator[None]:
    yield
    processes.reap()


@pytest.fixture(autouse=True)
def logging_as_it_was() -> Iterator[None]:
    """`alumni-bot` run in-process configures logging (adapters.logs): undo it after the test, so
    later tests keep pytest's capture and no handler writes to a stream that was closed."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        databases.migrate(url)
        yield url
        return
    if _pg_skip_reason:
        pytest.skip(f"PostgreSQL unreachable: {_pg_skip_reason}")
    with databases.fresh_postgres_database() as url:
        databases.migrate(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def process_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each kind, upgraded by the real `alumni-bot db upgrade`, for tests of
    real bot processes (each test its own: the processes are killed mid-write)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        processes.upgrade(url, tmp_path)
        yield url
        return
    if _pg_skip_reason:
        pytest.skip(f"PostgreSQL unreachable: {_pg_skip_reason}")
    with databases.fresh_postgres_database() as url:
        processes.upgrade(url, tmp_path)
        yield url


@pytest.fixture
def process_postgres_url(tmp_path: Path, postgres_reachable: None) -> Iterator[str]:
    """The same on PostgreSQL alone, for several processes sharing one database."""
    with databases.fresh_postgres_database() as url:
        processes.upgrade(url, tmp_path)
        yield url


@pytest.fixture
def postgres_reachable() -> None:
    """For tests that set up their own PostgreSQL database."""
    if _pg_skip_reason:
        pytest.skip(f"PostgreSQL unreachable: {_pg_skip_reason}")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    if _pg_skip_reason:
        pytest.skip(f"PostgreSQL unreachable: {_pg_skip_reason}")
    with databases.fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await databases.empty_tables(db)
    await db.close()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat() -> RecordingChat:
    return RecordingChat()


@pytest.fixture
def core(settings: Settings, database: Database, clock: Clock) -> Core:
    return Core(settings, database, build_router(), clock)


@pytest.fixture
def talk(core: Core, chat: RecordingChat) -> Conversation:
    return Conversation(core, chat)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
