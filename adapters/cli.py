"""`alumni-bot`: run the bot, or look after its database.

A bad setting stops start-up with one line naming where it came from, the key and
what is expected, and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adapters.runtime import Runtime
from bot.app import build_router
from bot.config import ConfigError, Settings, load_settings
from bot.core import Core
from bot.polls.ballots import ballot_key
from storage.database import Database, DatabaseUnavailable

ADAPTERS = ("console", "slack", "discord")
DEFAULT_CONFIG = Path("config.toml")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alumni-bot",
        description="Keeps an alumni network alive between meetings: introductions, a member "
        "directory, peer introductions, on Slack, Discord or in this terminal.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="start the bot (the console adapter on SQLite when no platform token is set)",
        description="Start the bot. Without Slack or Discord tokens it runs in this terminal.",
    )
    add_common_options(run)
    run.add_argument(
        "--adapter",
        choices=("auto", *ADAPTERS),
        help="where to run (default: [bot] adapter, 'auto' picks from the tokens set)",
    )

    invite = commands.add_parser(
        "discord-invite",
        help="print the link that adds the bot to a Discord server",
        description="Print the OAuth2 link (bot and applications.commands scopes, only the "
        "permissions the bot uses) that adds the bot to a Discord server.",
    )
    invite.add_argument(
        "application_id",
        type=int,
        nargs="?",
        help="the application id from the developer portal (default: read from DISCORD_TOKEN)",
    )

    db = commands.add_parser("db", help="database tasks", description="Database tasks.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="TASK")
    upgrade = db_commands.add_parser(
        "upgrade", help="apply every pending migration", description="Apply every pending migration."
    )
    add_common_options(upgrade)

    manifest = commands.add_parser(
        "slack-manifest",
        help="print a Slack app manifest (YAML) for api.slack.com/apps",
        description='Print a Slack app manifest to paste into "Create an app from a manifest".',
    )
    mode = manifest.add_mutually_exclusive_group()
    mode.add_argument(
        "--socket-mode",
        dest="socket_mode",
        action="store_true",
        default=True,
        help="connect out over a websocket, no public URL needed (default)",
    )
    mode.add_argument(
        "--http",
        dest="socket_mode",
        action="store_false",
        help="Slack calls this bot at --url (needs a public https address)",
    )
    manifest.add_argument(
        "--url", default="https://alumni-bot.example.org", help="this bot's public address, for --http"
    )
    return parser


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        help=f"settings file (default: ./{DEFAULT_CONFIG} when it exists; see config.example.toml)",
    )
    parser.add_argument("--database", metavar="URL", help="database URL (overrides config and DATABASE_URL)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("ALUMNI_BOT_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "slack-manifest":
            from adapters.slack.manifest import render

            print(render(build_router(), socket_mode=args.socket_mode, public_url=args.url), end="")
            return 0
        if args.command == "discord-invite":
            print(discord_invite(args.application_id))
            return 0
        settings = settings_from(args)
        if args.command == "db":
            asyncio.run(upgrade(settings, database_source(args)))
            print("Database is up to date.")
            return 0
        return asyncio.run(run(settings, choose_adapter(args, settings), database_source(args)))
    except ConfigError as error:
        print(f"alumni-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def discord_invite(application_id: int | None) -> str:
    from adapters.discord.invite import application_id_from, invite_url

    if application_id is None:
        token = load_settings(None).secrets.discord_token
        if not token:
            raise ConfigError("discord-invite: give the application id, or set DISCORD_TOKEN")
        try:
            application_id = application_id_from(token)
        except ValueError as error:
            raise ConfigError(f"discord-invite: {error}") from None
    return invite_url(application_id)


def settings_from(args: argparse.Namespace) -> Settings:
    path = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    overrides: dict[tuple[str, str], Any] = {}
    if args.database:
        overrides[("database", "url")] = args.database
    return load_settings(path, overrides=overrides)


def database_source(args: argparse.Namespace) -> str:
    if args.database:
        return "--database"
    if os.environ.get("DATABASE_URL"):
        return "DATABASE_URL"
    path = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    return f"{path}: [database] url" if path else "[database] url (default)"


def choose_adapter(args: argparse.Namespace, settings: Settings) -> str:
    choice = args.adapter or settings.bot.adapter
    if choice not in ("auto", *ADAPTERS):
        raise ConfigError(f"[bot] adapter: expected one of auto, {', '.join(ADAPTERS)}, got {choice!r}")
    if choice != "auto":
        return choice
    if settings.secrets.slack_bot_token:
        return "slack"
    if settings.secrets.discord_token:
        return "discord"
    return "console"


async def open_database(settings: Settings, source: str) -> Database:
    expected = "a reachable SQLAlchemy URL such as sqlite+aiosqlite:///alumni-bot.db"
    try:
        database = Database(settings.database.url)
    except Exception as error:  # the URL itself is malformed or names an unknown driver
        raise ConfigError(f"{source}: {type(error).__name__}: {error}; expected {expected}") from None
    try:
        await database.check()
    except DatabaseUnavailable as error:
        await database.close()
        raise ConfigError(f"{source}: cannot use the database ({error}); expected {expected}") from None
    return database


async def upgrade(settings: Settings, source: str) -> None:
    database = await open_database(settings, source)
    try:
        await database.upgrade()
    finally:
        await database.close()


async def run(settings: Settings, adapter: str, source: str) -> int:
    database = await open_database(settings, source)
    if await database.is_empty():
        await database.upgrade()
    core = Core(settings, database, build_router())
    async with database.unit_of_work() as uow:  # made at first start and kept (bot.polls.ballots)
        await ballot_key(settings.secrets, uow, core.clock.now())
    runtime = Runtime(settings, database, core)
    try:
        await serve(adapter, runtime)
    finally:
        await runtime.close()
    return 0


async def serve(adapter: str, runtime: Runtime) -> None:
    # Imported on demand: a console user needs neither Slack's nor Discord's libraries loaded.
    if adapter == "console":
        from adapters.console import serve as serve_console

        await serve_console(runtime)
    elif adapter == "slack":
        from adapters.slack import serve as serve_slack

        await serve_slack(runtime)
    elif adapter == "discord":
        from adapters.discord import serve as serve_discord

        await serve_discord(runtime)
    else:
        raise ConfigError(f"[bot] adapter: the {adapter} adapter is not available in this version")
