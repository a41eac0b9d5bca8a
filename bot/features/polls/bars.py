"""Results as text bars: "▇▇▇▇░░░░░░ 4 (40%)", the share written as the language being spoken
writes a percentage ("40 %" in French)."""

from __future__ import annotations

from babel.numbers import format_percent

from bot.i18n import current_locale, number

WIDTH = 10
FULL, EMPTY = "\u2587", "\u2591"


def share(count: int, total: int) -> int:
    """Whole percent of `total`, rounded half up; 0 when nobody voted."""
    return (200 * count + total) // (2 * total) if total else 0


def bar(count: int, total: int, width: int = WIDTH) -> str:
    filled = (2 * width * count + total) // (2 * total) if total else 0
    return FULL * filled + EMPTY * (width - filled)


def result_line(count: int, total: int) -> str:
    percent = format_percent(share(count, total) / 100, locale=current_locale())
    return f"{bar(count, total)} {number(count)} ({percent})"
