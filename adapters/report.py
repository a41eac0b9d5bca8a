"""`alumni-bot report`: the open-data report written to a directory (bot.features.insights.report)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.features.insights.report import report_files
from storage.database import Database
from storage.insights import Period, Scope, cohort_names, figures


async def write_report(
    database: Database, settings: Settings, period_text: str, cohort: str | None, out: Path
) -> Path:
    """Write the report's files under `out`; the path of its datapackage.json."""
    period = Period.parse(period_text)
    if period is None:
        raise ConfigError(
            f"report --period: expected a year like 2026 or a month like 2026-03, got {period_text!r}"
        )
    now = datetime.now(UTC)
    async with database.unit_of_work() as uow:
        if cohort is not None and cohort not in await cohort_names(uow.session):
            known = ", ".join(await cohort_names(uow.session)) or "none yet"
            raise ConfigError(f"report --cohort: no cohort {cohort!r} (cohorts: {known})")
        found = await figures(uow.session, Scope(period, now, cohort))
    for name, data in report_files(found, settings.insights, now).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out / "datapackage.json"
