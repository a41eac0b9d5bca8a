"""Application commands: `/alumni <subcommand>` and the short aliases, built from the router.

Definitions are plain Discord JSON, so they can be compared with what Discord already
holds: the bot only uploads them when they differ (Discord rate-limits command updates).
Typed option values reach the core typed (bot.events.Command.options). Descriptions are marked
with N_() where they are defined and carry their translations for Discord's locales (Spanish in
both of Discord's variants), read from the catalogs.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import discord

from bot.core import COMMAND
from bot.i18n import N_, _, speaking
from bot.router import CommandSpec, Param, Router
from bot.text import clip

log = logging.getLogger(__name__)

Definition = dict[str, Any]

SUBCOMMAND = 1
STRING = 3
USER = 6
MAX_DESCRIPTION = 100
MAX_CHOICES = 25
GROUP_DESCRIPTION = N_("alumni-bot: profiles, the member directory and introductions")
AUTOCOMPLETED = ("topic", "timezone")
# The Discord locales each translated language is offered in.
DISCORD_LOCALES = {"es": ("es-ES", "es-419"), "fr": ("fr",), "pt": ("pt-BR",)}


def definitions(router: Router) -> list[Definition]:
    """The `/alumni` group with every command, then each alias as a command of its own."""
    group: Definition = {
        "name": COMMAND,
        "type": 1,
        **_description(GROUP_DESCRIPTION),
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
    return {"name": spec.name, **_description(spec.summary)}


def _description(text: str) -> Definition:
    return {"description": clip(text, MAX_DESCRIPTION), "description_localizations": localised(text)}


def localised(text: str) -> dict[str, str]:
    """`text` (English, marked where it is defined) in each Discord locale a catalog translates it
    for; a locale without a translation is left out, so Discord shows the English."""
    found = {}
    for language, locales in DISCORD_LOCALES.items():
        with speaking(language):
            translated = clip(_(text), MAX_DESCRIPTION)
        if translated != clip(text, MAX_DESCRIPTION):
            found.update(dict.fromkeys(locales, translated))
    return found


def option(param: Param) -> Definition:
    defined: Definition = {
        "type": USER if param.kind == "member" else STRING,
        "name": param.name,
        **_description(param.description),
        "required": param.required,
    }
    if param.kind in AUTOCOMPLETED:
        defined["autocomplete"] = True
    if param.kind == "choice":
        defined["choices"] = [choice(param, index) for index in range(min(len(param.choices), MAX_CHOICES))]
    return defined


def choice(param: Param, index: int) -> Definition:
    """A choice shown by its label where the command gives one ("Français" for fr), translated."""
    value = param.choices[index]
    name = param.choice_labels[index] if index < len(param.choice_labels) else value
    return {"name": clip(name, MAX_DESCRIPTION), "value": value, "name_localizations": localised(name)}


def canonical(commands: Iterable[Mapping[str, Any]]) -> list[Definition]:
    """Only what we define, with Discord's defaults filled in, in a stable order."""
    return sorted(
        (
            {
                "name": c["name"],
                "type": c.get("type", 1),
                "description": c.get("description", ""),
                "description_localizations": c.get("description_localizations") or {},
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
            "description_localizations": o.get("description_localizations") or {},
            "required": bool(o.get("required", False)),
            "autocomplete": bool(o.get("autocomplete", False)),
            "choices": [
                {
                    "name": c["name"],
                    "value": c["value"],
                    "name_localizations": c.get("name_localizations") or {},
                }
                for c in o.get("choices") or []
            ],
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
        current = await _registered(http, application_id, guild_id)
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


async def _registered(http: discord.http.HTTPClient, application_id: int, guild_id: int | None) -> Any:
    """What Discord holds, with the whole localisation dictionaries (by default it gives only the
    strings for the bot's own locale, which would never compare equal to ours)."""
    path = "/applications/{application_id}" + ("/guilds/{guild_id}" if guild_id else "") + "/commands"
    route = discord.http.Route("GET", path, application_id=application_id, guild_id=guild_id)
    return await http.request(route, params={"with_localizations": "true"})
