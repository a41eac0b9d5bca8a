"""What is left of the English catalog in a reply: the test that a member reading Spanish, French
or Portuguese meets no English sentence."""

from __future__ import annotations

import re
from functools import cache

from babel.messages.catalog import Catalog

from bot.i18n import CATALOG_DIR, catalog_path
from tests.languages.catalog_checks import forms, read_catalog

PLACEHOLDER = re.compile(r"\{\w*\}")


@cache
def _catalog(language: str) -> Catalog:
    return read_catalog(catalog_path(language))


@cache
def _english() -> Catalog:
    return read_catalog(CATALOG_DIR / "alumni-bot.pot")


def _runs(message: str) -> list[str]:
    """The words between a msgid's placeholders that read as English: two words or more (of
    letters: ": “" between two placeholders is punctuation, in any language)."""
    return [
        run.strip()
        for run in PLACEHOLDER.split(message)
        if sum(any(c.isalpha() for c in word) for word in run.split()) >= 2
    ]


def english_left(text: str, language: str) -> list[str]:
    """The runs of English msgids found in `text` that the language's own translation lacks (so
    "/alumni intro" or a name kept by the translation is no English sentence)."""
    translated = _catalog(language)
    found = []
    for message in _english():
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            if not msgid:
                continue
            entry = translated.get(message.id[0] if isinstance(message.id, tuple) else msgid)
            strings = forms(entry.string) if entry else ()
            found += [run for run in _runs(msgid) if _said(run, text) and not any(run in s for s in strings)]
    return found


def _said(run: str, text: str) -> bool:
    """`run` in `text` as words, not inside others ("is a" is not English in "depois a cada")."""
    return run in text and re.search(rf"(?<!\w){re.escape(run)}(?!\w)", text) is not None
