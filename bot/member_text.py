"""What members type, made the same on every database before anything reads it.

Every event's text passes `clean` once, when the event is made (bot.events): line ends
become "\n"; control characters other than newline and tab are removed, with lone
surrogates (invisible in chat, and PostgreSQL refuses NUL outright where SQLite would
store it); and the rest is composed to NFC, so "é" is one character whichever keyboard
typed it.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?")
# Unicode's control characters (Cc) but tab and newline, and the surrogate code points.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", _DROPPED.sub("", _LINE_ENDS.sub("\n", text)))


def is_clean(text: str) -> bool:
    return clean(text) == text
