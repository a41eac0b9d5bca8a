"""This process's metrics, in Prometheus's text format at /metrics (adapters/web.py).

One registry per runtime, made at start and passed down: the core, the outbox sender and
the schedule runner report through bot.metrics.Metrics; the platforms' HTTP clients through
an aiohttp trace; the database through SQLAlchemy's error event. The queues and the platform
connection are read when /metrics is asked. Labels hold kinds, platforms, statuses and error
class names, never anything a member wrote.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import aiohttp
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy import event

from bot.health import Backlog
from bot.metrics import EventOutcome
from storage.database import Database

PREFIX = "alumni_bot"
# A timed occurrence normally fires within the poll interval; a restart can make it hours late.
LATENESS_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, math.inf)


class Prometheus:
    """Implements bot.metrics.Metrics, and what the adapters add."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        self.received = Counter(
            f"{PREFIX}_events_received",
            "Events the core began to handle, by platform and kind.",
            ["platform", "kind"],
            registry=registry,
        )
        self.processed = Counter(
            f"{PREFIX}_events_processed",
            "Events the core finished, by outcome: ok, bad_input (the member was told what to fix), "
            "failed, duplicate.",
            ["platform", "kind", "outcome"],
            registry=registry,
        )
        self.handling = Histogram(
            f"{PREFIX}_event_handling_seconds",
            "Time from an event reaching the core to its answers sent, by kind.",
            ["kind"],
            registry=registry,
        )
        self.deliveries = Counter(
            f"{PREFIX}_inbox_deliveries",
            "Platform deliveries stored in the inbox before acknowledging them; "
            "result=repeat: a delivery seen before (a platform retry).",
            ["platform", "result"],
            registry=registry,
        )
        self.lateness = Histogram(
            f"{PREFIX}_timer_lateness_seconds",
            "How long after its due time each timed occurrence fired, by kind.",
            ["kind"],
            buckets=LATENESS_BUCKETS,
            registry=registry,
        )
        self.delivered = Counter(
            f"{PREFIX}_outbox_delivered", "Outbox items the platform took.", ["platform"], registry=registry
        )
        self.retries = Counter(
            f"{PREFIX}_outbox_retries",
            "Outbox items the platform refused, to be tried again later.",
            ["platform"],
            registry=registry,
        )
        self.given_up = Counter(
            f"{PREFIX}_outbox_failed",
            "Outbox items given up on (the platform never will take them, or too many tries).",
            ["platform"],
            registry=registry,
        )
        self.outbox_depth = Gauge(
            f"{PREFIX}_outbox_queue_depth", "Outbox items not delivered yet.", registry=registry
        )
        self.outbox_age = Gauge(
            f"{PREFIX}_outbox_oldest_due_seconds",
            "How long the oldest due outbox item has waited (0: none waits).",
            registry=registry,
        )
        self.inbox_depth = Gauge(
            f"{PREFIX}_inbox_waiting", "Stored events not handled yet.", registry=registry
        )
        self.inbox_age = Gauge(
            f"{PREFIX}_inbox_oldest_waiting_seconds",
            "How long the oldest stored event has waited to be handled (0: none waits).",
            registry=registry,
        )
        self.connected = Gauge(
            f"{PREFIX}_platform_connected",
            "1 while the connection to the platform is up.",
            ["platform"],
            registry=registry,
        )
        self.database_errors = Counter(
            f"{PREFIX}_database_errors",
            "Errors the database driver raised, by error class.",
            ["error"],
            registry=registry,
        )
        self.api_requests = Counter(
            f"{PREFIX}_platform_api_requests",
            "HTTP requests to the platform's API.",
            ["platform"],
            registry=registry,
        )
        self.api_errors = Counter(
            f"{PREFIX}_platform_api_errors",
            "Platform API requests answered with an HTTP error status, or that failed to connect "
            "(error: the status, or the error class). 429 and 5xx are retried by the platform's library.",
            ["platform", "error"],
            registry=registry,
        )

    # --- bot.metrics.Metrics ------------------------------------------------------------

    def event_received(self, platform: str, kind: str) -> None:
        self.received.labels(platform, kind).inc()

    def event_processed(self, platform: str, kind: str, outcome: EventOutcome, seconds: float) -> None:
        self.processed.labels(platform, kind, outcome).inc()
        self.handling.labels(kind).observe(seconds)

    def delivery_stored(self, platform: str, repeat: bool) -> None:
        self.deliveries.labels(platform, "repeat" if repeat else "new").inc()

    def timer_fired(self, kind: str, lateness_seconds: float) -> None:
        self.lateness.labels(kind).observe(max(lateness_seconds, 0.0))

    def outbox_delivered(self, platform: str) -> None:
        self.delivered.labels(platform).inc()

    def outbox_refused(self, platform: str, retrying: bool) -> None:
        (self.retries if retrying else self.given_up).labels(platform).inc()

    # --- what the adapters add ----------------------------------------------------------

    def http_trace(self, platform: str) -> aiohttp.TraceConfig:
        """Counts the requests of an aiohttp session that talks to `platform`, and its errors."""
        trace = aiohttp.TraceConfig()

        async def ended(_: Any, __: SimpleNamespace, params: aiohttp.TraceRequestEndParams) -> None:
            self.api_requests.labels(platform).inc()
            if params.response.status >= 400:
                self.api_errors.labels(platform, str(params.response.status)).inc()

        async def failed(_: Any, __: SimpleNamespace, params: aiohttp.TraceRequestExceptionParams) -> None:
            if isinstance(params.exception, asyncio.CancelledError):
                return  # stopping, not the platform
            self.api_requests.labels(platform).inc()
            self.api_errors.labels(platform, type(params.exception).__name__).inc()

        trace.on_request_end.append(ended)
        trace.on_request_exception.append(failed)
        return trace

    def watch_database(self, database: Database) -> None:
        """Count every error the database driver raises (a lost connection, a lock timeout)."""

        def failed(context: Any) -> None:
            self.database_errors.labels(type(context.original_exception).__name__).inc()

        event.listen(database.engine.sync_engine, "handle_error", failed)

    def exposition(self, backlog: Backlog | None, now: datetime, connections: Mapping[str, bool]) -> bytes:
        """The registry in Prometheus's text format, with the queues as read just now
        (None: the database did not answer, so they are unknown) and whether each platform
        served is connected."""
        if backlog is None:
            for gauge in (self.outbox_depth, self.outbox_age, self.inbox_depth, self.inbox_age):
                gauge.set(math.nan)
        else:
            self.outbox_depth.set(backlog.outbox_unfinished)
            self.outbox_age.set(backlog.outbox_age(now))
            self.inbox_depth.set(backlog.inbox_waiting)
            self.inbox_age.set(backlog.inbox_age(now))
        for platform, connected in connections.items():
            self.connected.labels(platform).set(1 if connected else 0)
        return generate_latest(self.registry)
