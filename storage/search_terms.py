"""What the search index stores for a piece of text, and what a query asks of it.

Both databases index exactly these terms (folded by `bot.text.words`, once, in Python), so a
query finds the same people on SQLite and PostgreSQL:

- each word as folded ("Łódź" -> "lodz", "Москва" -> "москва", "डेटा" as written);
- each two neighbouring words run together ("open data" -> "opendata"), so that "open data",
  "open-data" and "opendata" meet;
- in scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese) the
  trigrams of each run, plus its last two and last one characters, so that any part of a
  run can be found: "地图数据" -> 地图数, 图数据, 据, 数据.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from bot.text import words

_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003ffff"
)
_RUNS = re.compile(f"[{_UNSPACED}]+|[^{_UNSPACED}]+")
_UNSPACED_RUN = re.compile(f"[{_UNSPACED}]+")
SHORT = 3  # words of this many letters or fewer match whole words only ("Ana" is not "Analyst")
NEAR_FROM = 6  # words of this many letters or more also match near spellings
NEAR_SIMILARITY = 0.5  # trigram similarity (Jaccard, words padded as pg_trgm pads them)
LONGEST_WORD = 80  # longer terms are indexed but have no near spellings


def unspaced(run: str) -> bool:
    """Whether `run` is in a script written without spaces between words."""
    return _UNSPACED_RUN.fullmatch(run) is not None


def _pieces(text: str) -> list[str]:
    """The folded words, with runs of unspaced scripts split from the rest ("ai地图" -> ai, 地图)."""
    return [run for word in words(text) for run in _RUNS.findall(word)]


def _letters(run: str) -> list[str]:
    """The run's letters, each with the marks written on it (Thai ข้ is one letter, not two)."""
    letters: list[str] = []
    for char in run:
        if letters and unicodedata.category(char)[0] == "M":
            letters[-1] += char
        else:
            letters.append(char)
    return letters


def _grams(run: str) -> list[str]:
    """The run's trigrams, counted in letters."""
    letters = _letters(run)
    return ["".join(letters[i : i + 3]) for i in range(len(letters) - 2)]


def _run_terms(run: str) -> list[str]:
    """A run of an unspaced script: its trigrams and its last two and last one letters."""
    letters = _letters(run)
    tails = ["".join(letters[-n:]) for n in (2, 1) if n <= len(letters)]
    return list(dict.fromkeys([*_grams(run), *tails]))


def index_terms(text: str) -> list[str]:
    """The terms stored for `text`, without repeats, in order."""
    pieces = _pieces(text)
    terms: list[str] = []
    for piece in pieces:
        terms.extend(_run_terms(piece) if unspaced(piece) else [piece])
    for left, right in itertools.pairwise(pieces):
        if not unspaced(left) and not unspaced(right):
            terms.append(left + right)
    return list(dict.fromkeys(terms))


def spaced_words(text: str) -> list[str]:
    """The folded words of spaced scripts in `text`: what the vocabulary holds."""
    return [piece for piece in _pieces(text) if not unspaced(piece)]


def trigrams(word: str) -> set[str]:
    """The word's trigrams, padded the way pg_trgm pads them ("  w", " wo", …, "rd ")."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def inner_trigrams(word: str) -> list[str]:
    """The unpadded trigrams, which a trigram index can look up."""
    return sorted({word[i : i + 3] for i in range(len(word) - 2)})


@dataclass(frozen=True)
class Unit:
    """One word of a query: an entry matches it when it has every term (the last one may be
    only the start of a term), or one of the near spellings, and not the term `unless`."""

    terms: tuple[str, ...]
    prefix: bool
    near: tuple[str, ...] = ()
    unless: str | None = None

    @property
    def can_be_near(self) -> bool:
        return len(self.terms) == 1 and len(self.terms[0]) >= NEAR_FROM and not unspaced(self.terms[0])


def query_units(text: str) -> list[Unit]:
    """The units of a query, one per word (or run of an unspaced script)."""
    units = []
    for piece in _pieces(text):
        if not unspaced(piece):
            units.append(Unit((piece,), prefix=len(piece) > SHORT))
        elif len(_letters(piece)) <= 2:
            units.append(Unit((piece,), prefix=True))
        else:
            units.append(Unit(tuple(_grams(piece)), prefix=False))
    return units


def whole_term(text: str) -> str | None:
    """The term an entry has when it holds the whole query as typed or run together (one or two
    words of spaced scripts): "open data" -> "opendata", "Ana" -> "ana"."""
    pieces = _pieces(text)
    if not 1 <= len(pieces) <= 2 or any(unspaced(p) for p in pieces):
        return None
    return "".join(pieces)
