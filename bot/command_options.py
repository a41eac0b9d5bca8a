"""Typed option values, as platforms with typed options (Discord) hand them over, turned into
the command text handlers read. Members stay members: they become the core's one form of a
mention, <@user_id>, and bot.members finds them by their reference, not by parsing a name."""

from __future__ import annotations

from collections.abc import Mapping

from bot.refs import MemberRef
from bot.router import CommandSpec

Option = str | MemberRef


def command_text(spec: CommandSpec, options: Mapping[str, Option]) -> str:
    """`"data access" a note` from subject="data access", note="a note".

    Every value but the last is quoted when it holds spaces, since the core reads a
    quoted first argument as one phrase.
    """
    given = [options[p.name] for p in spec.params if options.get(p.name)]
    parts = []
    for number, value in enumerate(given):
        text = f"<@{value.user_id}>" if isinstance(value, MemberRef) else value.strip()
        last = number == len(given) - 1
        parts.append(text if last or " " not in text else '"' + text.replace('"', "'") + '"')
    return " ".join(parts)
