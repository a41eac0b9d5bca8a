"""Small text helpers shared by commands: folding for search, lists, quoted words."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# A quoted first phrase and the rest: `"data access" a note` -> groups 2 and 3.
QUOTED_FIRST = re.compile(r"^([\"'\u201c])(.+?)[\"'\u201d]\s*(.*)$", re.DOTALL)


def fold(text: str) -> str:
    """Lower-case, drop accents and everything but letters and digits: "Open-Data" -> "opendata"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_ALNUM.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def split_list(text: str) -> list[str]:
    """ "maps, open data; licensing" -> ["maps", "open data", "licensing"], without repeats."""
    seen: dict[str, str] = {}
    for item in re.split(r"[,;\n]", text):
        label = " ".join(item.split())
        if label and fold(label) not in seen:
            seen[fold(label)] = label
    return list(seen.values())


def clip(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
