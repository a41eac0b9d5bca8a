"""`alumni-bot report`: aggregate CSVs, a datapackage.json that `frictionless validate` passes,
and small counts left out."""

from __future__ import annotations

import asyncio
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from storage.database import Database
from tests.insights.history import build

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


async def report(database: Database, out: Path, *options: str) -> int:
    url = database.engine.url.render_as_string(hide_password=False)
    return await asyncio.to_thread(main, ["report", "--database", url, "--out", str(out), *options])


async def test_the_report_is_a_valid_data_package_with_small_counts_left_out(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await build(database)
    assert await report(database, tmp_path, "--period", "2026") == 0
    assert f"Report written: {tmp_path / 'datapackage.json'}" in capsys.readouterr().out
    command = [str(FRICTIONLESS), "validate", str(tmp_path / "datapackage.json")]
    checked = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["path"] for r in package["resources"]} >= {
        "members_per_month.csv",
        "region_ties.csv",
        "summary.csv",
    }
    summary = {row["figure"]: row["value"] for row in rows(tmp_path / "summary.csv")}
    assert summary["members"] == "5"  # five is not below the threshold of 5
    assert summary["introductions_asked"] == ""  # three is
    assert summary["matching_rounds"] == "2"  # rounds describe no one
    march = rows(tmp_path / "members_per_month.csv")[2]
    assert march == {"month": "2026-03", "joined": "", "saved_profile": "0", "active": ""}
    for chart in ("participation", "meeting_rate", "new_ties", "region_matrix"):
        assert (tmp_path / "charts" / f"{chart}.png").read_bytes().startswith(b"\x89PNG")


async def test_the_threshold_and_the_licence_are_settings(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await build(database)
    monkeypatch.setenv("ALUMNI_BOT_INSIGHTS_MIN_COUNT", "1")
    monkeypatch.setenv("ALUMNI_BOT_INSIGHTS_LICENCE", "CC0-1.0")
    assert await report(database, tmp_path, "--period", "2026-03", "--cohort", "alumni") == 0
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["path"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert rows(tmp_path / "new_ties_per_month.csv") == [
        {"month": "2026-03", "new_ties": "3", "across_organisations": "2", "across_regions": "3"}
    ]


async def test_a_bad_period_is_named(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await report(database, tmp_path, "--period", "last year") == 2
    assert "expected a year like 2026 or a month like 2026-03, got 'last year'" in capsys.readouterr().err
