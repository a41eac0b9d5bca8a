"""Action ids: `feature:verb:arg…`, at most 100 characters, so a button still routes after a restart.

The id carries all the state a press needs; arguments are percent-escaped so they may
hold colons. Ids come back from the platforms as text anyone can forge, so every one is
read here, once, against the arguments its handler declared (`Router.action("poll",
"vote", RECORD, RECORD)`): the wrong number of arguments, a number that is not plain
ASCII digits or out of range, a word not among the choices, or an id that is not ours
reads as None, and the presser hears that the button no longer works.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, unquote

from bot.member_text import is_clean
from bot.messages import MAX_ACTION_ID

# Rows are keyed by INTEGER columns: PostgreSQL's are 32-bit, so no stored id is larger.
MAX_RECORD_ID = 2**31 - 1
SAFE = " @#.,-_'!?/"

Handler = Callable[..., Awaitable[None]]


def action_id(feature: str, verb: str, *args: object) -> str:
    encoded = ":".join([feature, verb, *(quote(str(a), safe=SAFE) for a in args)])
    if len(encoded) > MAX_ACTION_ID:
        raise ValueError(f"action id over {MAX_ACTION_ID} characters: {encoded!r}")
    return encoded


def whole_number(text: str, low: int, high: int) -> int | None:
    """`text` as a number in [low, high]; None for anything else ("²", "-1", "1e3", 3,000 digits)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if low <= value <= high else None


class Arg(Protocol):
    """One argument slot of an action id: the value it holds, or None when it is not one."""

    def read(self, raw: str) -> object | None: ...


@dataclass(frozen=True)
class Number:
    low: int = 1
    high: int = MAX_RECORD_ID

    def read(self, raw: str) -> int | None:
        return whole_number(raw, self.low, self.high)


@dataclass(frozen=True)
class OneOf:
    choices: tuple[str, ...]

    def read(self, raw: str) -> str | None:
        return raw if raw in self.choices else None


@dataclass(frozen=True)
class Text:
    """Text the bot put in the id itself (a search query), clean and at most `limit` long."""

    limit: int

    def read(self, raw: str) -> str | None:
        return raw if 0 < len(raw) <= self.limit and is_clean(raw) else None


@dataclass(frozen=True)
class PlatformId:
    """A platform's own id for a channel ("C0123ABC", "1180123456789012345")."""

    def read(self, raw: str) -> str | None:
        ok = 0 < len(raw) <= 64 and raw.isascii() and all(c.isalnum() or c in "-_." for c in raw)
        return raw if ok else None


@dataclass(frozen=True)
class Maybe:
    """A trailing argument that may be left out; missing, it reads as None."""

    arg: Arg

    def read(self, raw: str) -> object | None:
        return self.arg.read(raw)


RECORD = Number()


@dataclass(frozen=True)
class Route:
    """A handler and the arguments its ids carry."""

    handler: Handler
    args: tuple[Arg, ...]

    @property
    def required(self) -> int:
        return sum(not isinstance(arg, Maybe) for arg in self.args)


@dataclass(frozen=True)
class Call:
    handler: Handler
    args: tuple[object, ...]


def read_action_id(raw: str, routes: Mapping[tuple[str, str], Route]) -> Call | None:
    """The handler for `raw` with its arguments read; None when `raw` is not a valid id of ours."""
    if len(raw) > MAX_ACTION_ID:
        return None
    parts = raw.split(":")
    if len(parts) < 2:
        return None
    route, encoded = routes.get((parts[0], parts[1])), parts[2:]
    if route is None or not route.required <= len(encoded) <= len(route.args):
        return None
    values = [arg.read(unquote(text)) for arg, text in zip(route.args, encoded, strict=False)]
    if any(value is None for value in values):
        return None
    missing = len(route.args) - len(values)
    return Call(route.handler, (*values, *[None] * missing))


def check_arity(handler: Handler, leading: int, args: Sequence[Arg]) -> None:
    """Fail at start, not at the first press, when a handler cannot take its declared arguments."""
    try:
        inspect.signature(handler).bind(*[None] * (leading + len(args)))
    except TypeError as error:
        raise ValueError(f"{handler.__qualname__} cannot take {len(args)} id arguments: {error}") from None
