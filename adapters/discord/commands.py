"""Application commands: `/alumni <subcommand>` and the short aliases, built from the router.

Definitions are plain Discord JSON, so they can be compared with what Discord already
holds: the bot only uploads them when they differ (Discord rate-limits command updates).
Typed option values reach the core typed (bot.events.Command.options).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import discord

from bot.core import COMMAND
from bot.router import CommandSpec, Param, Router
from bot.text import clip

log = logging.getLogger(__name__)

Definition = dict[str, Any]

SUBCOMMAND = 1
STRING = 3
USER = 6
MAX_DESCRIPTION = 100
MAX_CHOICES = 25
GROUP_DESCRIPTION = "alumni-bot: profiles, the member directory and introductions"
AUTOCOMPLETED = ("topic", "timezone")


def definitions(router: Router) -> list[Definition]:
    """The `/alumni` group with every command, then each alias as a command of its own."""
    group: Definition = {
        "name": COMMAND,
        "type": 1,
        "description": GROUP_DESCRIPTION,
        "options": [
            {"type": SUBCOMMAND, **_described(spec), "options": [option(p) for p in spec.params]}
            for spec in router.commands.values()
        ],
    }
    aliases = [
        {"type": 1, **_described(spec), "options": [option(p) for p in spec.params]}
        for spec in router.commands.values()
        if spec.alias
    ]
    return [group, *aliases]


def _described(spec: CommandSpec) -> Definition:
    return {"name": spec.name, "description": clip(spec.summary, MAX_DESCRIPTION)}


def option(param: Param) -> Definition:
    defined: Definition = {
        "type": USER if param.kind == "member" else STRING,
        "name": param.name,
        "description": clip(param.description, MAX_DESCRIPTION),
        "required": param.required,
    }
    if param.kind in AUTOCOMPLETED:
        defined["autocomplete"] = True
    if param.kind == "choice":
        defined["choices"] = [{"name": c, "value": c} for c in param.choices[:MAX_CHOICES]]
    return defined


def canonical(commands: Iterable[Mapping[str, Any]]) -> list[Definition]:
    """Only what we define, with Discord's defaults filled in, in a stable order."""
    return sorted(
        (
            {
                "name": c["name"],
                "type": c.get("type", 1),
                "description": c.get("description", ""),
                "options": _canonical_options(c.get("options") or []),
            }
            for c in commands
        ),
        key=lambda c: c["name"],
    )


def _canonical_options(options: Sequence[Mapping[str, Any]]) -> list[Definition]:
    return [
        {
            "type": o["type"],
            "name": o["name"],
            "description": o.get("description", ""),
            "required": bool(o.get("required", False)),
            "autocomplete": bool(o.get("autocomplete", False)),
            "choices": [{"name": c["name"], "value": c["value"]} for c in o.get("choices") or []],
            "options": _canonical_options(o.get("options") or []),
        }
        for o in options
    ]


def fingerprint(commands: Iterable[Mapping[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(canonical(commands), sort_keys=True).encode()).hexdigest()[:12]


async def sync(
    http: discord.http.HTTPClient, application_id: int, ours: list[Definition], guild_ids: Sequence[int]
) -> int:
    """Upload the definitions wherever Discord holds different ones; returns how many uploads."""
    uploads = 0
    for guild_id in guild_ids or (None,):
        where = f"guild {guild_id}" if guild_id else "all guilds (global)"
        if guild_id:
            current = await http.get_guild_commands(application_id, guild_id)
        else:
            current = await http.get_global_commands(application_id)
        if fingerprint(current) == fingerprint(ours):
            log.info("application commands for %s are up to date (%s)", where, fingerprint(ours))
            continue
        if guild_id:
            await http.bulk_upsert_guild_commands(application_id, guild_id, ours)
        else:
            await http.bulk_upsert_global_commands(application_id, ours)
        log.info("application commands for %s updated (%s)", where, fingerprint(ours))
        uploads += 1
    return uploads
