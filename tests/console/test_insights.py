"""`/alumni insights` in the console: the chart is saved as a PNG file and its path printed."""

from __future__ import annotations

import re
from pathlib import Path

from tests.console.test_scripted_session import play


def test_the_chart_is_saved_where_the_console_says(tmp_path: Path) -> None:
    out = play(
        [
            "/as Ana Lima",
            "/alumni insights",
            "/as Fay Adeyemi --facilitator",
            "/alumni insights nobody",
            "/alumni insights",
        ],
        f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        tmp_path,
    )
    assert "Only facilitators can use /alumni insights" in out
    assert "I don't know the cohort \u201cnobody\u201d" in out and "Try: /alumni insights alumni 2026" in out
    assert "Insights: everyone, " in out
    [saved] = re.findall(r"\(saved to (.+\.png)\)", out)
    path = Path(saved)
    assert path.parent == tmp_path / "alumni-bot-files"
    assert path.read_bytes().startswith(b"\x89PNG")
