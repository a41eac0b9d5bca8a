"""Action ids: `feature:verb:arg…`, at most 100 characters, so a button still routes after a restart.

The id carries all the state a press needs; arguments are percent-escaped so they may
hold colons.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from bot.messages import MAX_ACTION_ID


@dataclass(frozen=True)
class ActionId:
    feature: str
    verb: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        encoded = ":".join([self.feature, self.verb, *(quote(a, safe=" @#.,-_'!?/") for a in self.args)])
        if len(encoded) > MAX_ACTION_ID:
            raise ValueError(f"action id over {MAX_ACTION_ID} characters: {encoded!r}")
        return encoded


def action_id(feature: str, verb: str, *args: object) -> str:
    return str(ActionId(feature, verb, tuple(str(a) for a in args)))


def parse_action_id(raw: str) -> ActionId | None:
    """Split an id back into its parts; None when it is not one of ours."""
    parts = raw.split(":")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None
    return ActionId(parts[0], parts[1], tuple(unquote(p) for p in parts[2:]))
