"""Checks that keep the catalogs whole and the code marked, as functions of the files they read, so
tests can run them on the real tree and on a deliberately broken copy.

Each check returns its findings as readable lines (`file:line: what`); an empty list is a pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

# Where `make messages` extracts from.
SOURCES = ("bot", "adapters")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def forms(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def placeholders(text: str) -> frozenset[str]:
    """The `{names}` a string is formatted with (`{{` is a literal brace)."""
    try:
        return frozenset(field for _, field, _, _ in Formatter().parse(text) if field is not None)
    except ValueError:  # an unbalanced brace: a set no translation can match
        return frozenset({text})


def where(path: Path, message: Message) -> str:
    return f"{path}: {forms(message.id)[0]!r}"


def untranslated(path: Path) -> list[str]:
    """Entries with any empty form (Spanish here has three plural forms, each to fill)."""
    return [
        f"{where(path, m)} is not translated (every msgstr form must be filled)"
        for m in read_catalog(path)
        if m.id and not all(forms(m.string))
    ]


def fuzzy(path: Path) -> list[str]:
    return [
        f"{where(path, m)} is fuzzy: check the translation, then remove the '#, fuzzy' flag"
        for m in read_catalog(path)
        if m.id and m.fuzzy
    ]


def placeholder_mismatches(path: Path) -> list[str]:
    """A translated form must be formatted with the same `{names}` as its source (for a plural form,
    those of the singular or of the plural source)."""
    found = []
    for m in read_catalog(path):
        if not m.id:
            continue
        allowed = {placeholders(source) for source in forms(m.id)}
        for index, text in enumerate(forms(m.string)):
            if text and placeholders(text) not in allowed:
                wanted = " or ".join(sorted(repr(sorted(names)) for names in allowed))
                found.append(
                    f"{where(path, m)} form {index} has placeholders {sorted(placeholders(text))}, "
                    f"the source has {wanted}"
                )
    return found


def extracted(root: Path) -> set[tuple[str, str | None]]:
    """Every msgid marked in the code (with its context), as `make messages` extracts it."""
    return {
        (forms(message)[0], context)
        for folder in SOURCES
        for _, _, message, _, context in extract_from_dir(str(root / folder), keywords=DEFAULT_KEYWORDS)
    }


def out_of_step(path: Path, marked: set[tuple[str, str | None]]) -> list[str]:
    """Strings marked in the code that the catalog lacks, and entries the code no longer has."""
    have = {(forms(m.id)[0], m.context) for m in read_catalog(path) if m.id}
    hint = "run `make -o .venv/.installed-test messages` and translate"
    return [f"{path}: lacks {msgid!r}: {hint}" for msgid, _ in sorted(marked - have, key=_by_id)] + [
        f"{path}: {msgid!r} is no longer in the code: {hint}"
        for msgid, _ in sorted(have - marked, key=_by_id)
    ]


def _by_id(entry: tuple[str, str | None]) -> tuple[str, str]:
    """Sorts entries with and without a context (`pgettext`) together."""
    return entry[0], entry[1] or ""


def catalog_problems(path: Path, marked: set[tuple[str, str | None]]) -> list[str]:
    return untranslated(path) + fuzzy(path) + placeholder_mismatches(path) + out_of_step(path, marked)


# --- Unmarked member-facing strings -------------------------------------------------------------

# Prose: two words of letters with a space between ("Saved your profile"), not an id, a path or
# a format of symbols.
PROSE = re.compile(r"[^\W\d_]{2,}[,.;:!?’']*\s+[(“\"«]?[^\W\d_]{2,}")
# HTML tags and CSS rules are markup around what people read, not words they read.
MARKUP = re.compile(r"<[^<>]*>|\{[^{}]*\}")
MARKERS = frozenset({"_", "N_", "ngettext", "gettext", "pgettext", "npgettext"})
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
# Exceptions whose message a member reads; every other exception's message is for developers.
MEMBER_ERRORS = frozenset({"UserError"})
# Keyword arguments that carry what members type, not what they read (help shows it as it is).
TYPED = frozenset({"usage", "facilitator_usage", "examples", "example"})


@dataclass(frozen=True)
class Unmarked:
    path: str
    line: int
    literal: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: unmarked {self.literal!r}: wrap it in _(), N_() or ngettext()"


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def is_developer_message(node: ast.AST) -> bool:
    """A log call, a `raise` of a developers' exception, or a regular expression."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
            return True
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re":
            return True
    if isinstance(node, ast.Raise) and node.exc is not None:
        raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        name = raised.attr if isinstance(raised, ast.Attribute) else getattr(raised, "id", "")
        return name not in MEMBER_ERRORS
    return isinstance(node, ast.Assert)


class Finder(ast.NodeVisitor):
    """Visits a module, skipping the subtrees where a prose literal is fine."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Unmarked] = []

    def generic_visit(self, node: ast.AST) -> None:
        if is_developer_message(node):
            return
        if isinstance(node, ast.Call) and called_name(node) in MARKERS:
            return
        super().generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)  # a bare string is a docstring or a comment

    def visit_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self.visit(value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        if is_developer_message(node) or called_name(node) in MARKERS:
            return
        self.visit(node.func)
        for argument in node.args:
            self.visit(argument)
        for keyword in node.keywords:
            if keyword.arg not in TYPED:
                self.visit(keyword.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and is_prose(node.value):
            self.found.append(Unmarked(self.path, node.lineno, node.value))

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        if is_prose(text):
            self.found.append(Unmarked(self.path, node.lineno, ast.unparse(node)))


def is_prose(text: str) -> bool:
    """Words a person reads: not a command typed as it is, nor a run of codes ("KE TZ UG")."""
    words = MARKUP.sub(" ", text)
    typed = words.lstrip().startswith("/")
    return bool(PROSE.search(words)) and any(c.islower() for c in words) and not typed


def unmarked_in(source: str, path: str) -> list[Unmarked]:
    finder = Finder(path)
    finder.visit(ast.parse(source, path))
    return finder.found


def unmarked(root: Path, modules: Iterable[Path]) -> Iterator[Unmarked]:
    for module in modules:
        yield from unmarked_in(module.read_text(encoding="utf-8"), module.relative_to(root).as_posix())
