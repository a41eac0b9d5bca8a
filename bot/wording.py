"""Small wording helpers for member-facing text."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str = "") -> str:
    """ "1 group", "3 groups", "2 people" (with `plural` for irregular nouns)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
