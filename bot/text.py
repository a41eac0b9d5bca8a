"""Small text helpers shared by commands: folding for search, lists, quoted words."""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# A quoted first phrase and the rest: `"data access" a note` -> groups 2 and 3.
QUOTED_FIRST = re.compile(r"^([\"'\u201c])(.+?)[\"'\u201d]\s*(.*)$", re.DOTALL)
OPENING_QUOTES = "\"'\u201c"
# Commas and semicolons, also as Arabic (، ؛) and CJK (、 ， ；) write them.
_LIST_SEPARATORS = re.compile(r"[,;\n\u060c\u061b\u3001\uff0c\uff1b]")
# Scripts whose marks are optional accents (é, ё, Arabic harakat, Hebrew points); elsewhere
# (Devanagari, Thai…) a mark is part of the letter and is kept.
_ACCENTED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW")
_KEEP, _ACCENT, _BREAK = 0, 1, 2


def words(text: str) -> list[str]:
    """The folded words of `text`: "Open-Data, Łódź!" -> ["open", "data", "lodz"].

    Compatibility forms are unified (ﬁ, full-width letters), case is folded, accents are
    dropped where a script treats them as optional, and Latin letters without a decomposition
    (ł, ø, ß, æ, đ) are spelled as their plain letters. Every other script is kept as written.
    """
    out: list[str] = []
    current: list[str] = []
    strip_marks = False
    for char in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold()):
        kind, folded, accented = _char(char)
        if kind == _BREAK:
            if current:
                out.append(unicodedata.normalize("NFC", "".join(current)))
                current = []
            continue
        if kind == _ACCENT:
            if current and not strip_marks:  # a mark with no letter to carry it is dropped
                current.append(char)
            continue
        strip_marks = accented
        current.append(folded)
    if current:
        out.append(unicodedata.normalize("NFC", "".join(current)))
    return out


def fold(text: str) -> str:
    """The words run together, so "Open-Data", "open data" and "opendata" meet."""
    return "".join(words(text))


@functools.lru_cache(maxsize=8192)
def _char(char: str) -> tuple[int, str, bool]:
    """(kind, folded spelling, whether its script's marks are accents) for one decomposed character."""
    category = unicodedata.category(char)
    if category[0] == "M":
        return _ACCENT, char, False
    if category == "Nd":
        return _KEEP, str(unicodedata.digit(char)), False
    if category[0] not in "LN":
        return _BREAK, "", False
    script = unicodedata.name(char, "").split(" ", 1)[0]
    if script == "LATIN" and not char.isascii():
        return _KEEP, anyascii(char).lower(), True
    return _KEEP, char, script in _ACCENTED_SCRIPTS


def split_list(text: str) -> list[str]:
    """ "maps, open data; licensing" -> ["maps", "open data", "licensing"], without repeats.

    Entries are kept as typed; one that folds to nothing (only symbols) is kept as typed too."""
    seen: dict[str, str] = {}
    for item in _LIST_SEPARATORS.split(text):
        label = " ".join(item.split())
        key = fold(label) or label
        if label and key not in seen:
            seen[key] = label
    return list(seen.values())


def clip(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
