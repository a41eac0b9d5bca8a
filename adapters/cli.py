"""`alumni-bot`: run the bot, or look after its database.

A bad setting stops start-up with one line naming where it came from, the key and
what is expected, and exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from alembic.util import CommandError

from adapters import logs
from adapters.extras import needs
from adapters.report import write_report
from adapters.runtime import Runtime
from bot.app import build_router
from bot.config import (
    ADAPTERS,
    PLATFORM_ADAPTERS,
    ConfigError,
    Invalid,
    Settings,
    adapter_names,
    load_settings,
)
from bot.core import Core
from bot.features.polls.ballots import ballot_key
from storage.database import Database, DatabaseUnavailable, SchemaStatus, revisions

VERSION = version("alumni-bot")
DEFAULT_CONFIG = Path("config.toml")
Server = Callable[[Runtime], Coroutine[Any, Any, None]]
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alumni-bot",
        description="Keeps an alumni network alive between meetings: introductions, a member "
        "directory, peer introductions, on Slack, Discord or in this terminal.",
    )
    parser.add_argument("--version", action="version", version=f"alumni-bot {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="start the bot (the console adapter on SQLite when no platform token is set)",
        description="Start the bot. Without Slack or Discord tokens it runs in this terminal.",
    )
    add_common_options(run)
    run.add_argument(
        "--adapter",
        type=adapter_option,
        metavar="{auto," + ",".join(ADAPTERS) + "}",
        help="where to run (default: [bot] adapter): one adapter, several platforms in one process "
        f"({','.join(PLATFORM_ADAPTERS)}), or 'auto': every platform whose token is set",
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

    add_database_tasks(commands)

    report = commands.add_parser(
        "report",
        help="write the open-data report: aggregate figures as CSV, a datapackage.json and charts",
        description="Write the insights of a period as an open-data report (Frictionless Data Package).",
    )
    report.add_argument("--period", required=True, help="a year (2026) or a month (2026-03)")
    report.add_argument("--cohort", help="one cohort's figures (default: everyone)")
    report.add_argument("--out", type=Path, required=True, help="the directory to write to")
    add_common_options(report)

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
    manifest.add_argument("--url", help="this bot's public https address, for --http")
    return parser


def adapter_option(value: str) -> tuple[str, ...]:
    try:
        return adapter_names(value)
    except Invalid as error:
        raise argparse.ArgumentTypeError(error.text) from None


def add_database_tasks(commands: Any) -> None:
    db = commands.add_parser(
        "db",
        help="database tasks: current, upgrade, downgrade, history",
        description="Database tasks. Back the database up before an upgrade or a downgrade.",
    )
    tasks = db.add_subparsers(dest="db_command", required=True, metavar="TASK")
    add_common_options(tasks.add_parser("current", help="show the database's revision"))
    upgrade = tasks.add_parser(
        "upgrade", help="apply every pending migration", description="Apply every pending migration."
    )
    upgrade.add_argument("revision", nargs="?", default="head", help="stop at this revision (default: head)")
    add_common_options(upgrade)
    downgrade = tasks.add_parser(
        "downgrade",
        help="undo migrations down to REV (deletes what they hold)",
        description="Undo migrations down to REV ('base': all of them). Tables they added are "
        "dropped with their rows: back up first.",
    )
    downgrade.add_argument("revision", help="the revision to go back to (see `db history`), or base")
    add_common_options(downgrade)
    add_common_options(tasks.add_parser("history", help="list the migrations, marking the database's"))


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        help=f"settings file (default: ./{DEFAULT_CONFIG} when it exists; see config.example.toml)",
    )
    parser.add_argument("--database", metavar="URL", help="database URL (overrides config and DATABASE_URL)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "slack-manifest":
            print(slack_manifest(args.socket_mode, args.url), end="")
            return 0
        settings = settings_from(args)
        logs.configure(settings.log)
        for warning in settings.warnings:
            log.warning("%s", warning)
        if args.command == "discord-invite":
            print(discord_invite(args.application_id, settings))
            return 0
        if args.command == "db":
            asyncio.run(database_task(args, settings))
            return 0
        if args.command == "report":
            print(f"Report written: {asyncio.run(report_task(args, settings))}")
            return 0
        return asyncio.run(run(settings, choose_adapters(args, settings)))
    except ConfigError as error:
        print(f"alumni-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def slack_manifest(socket_mode: bool, url: str | None) -> str:
    if socket_mode and url:
        raise ConfigError("slack-manifest: --url goes with --http (Socket Mode needs no address)")
    if not socket_mode and not (url or "").startswith("https://"):
        raise ConfigError(
            "slack-manifest --http: give --url with this bot's public https address, "
            "e.g. --url https://bot.example.org (Slack only calls https://)"
        )
    with needs("slack", "slack-manifest"):
        from adapters.slack.manifest import render

    if socket_mode:
        return render(build_router(), socket_mode=True)
    return render(build_router(), socket_mode=False, public_url=url or "")


def discord_invite(application_id: int | None, settings: Settings) -> str:
    with needs("discord", "discord-invite"):
        from adapters.discord.invite import application_id_from, invite_url

    if application_id is None:
        token = settings.secrets.discord_token
        if not token:
            raise ConfigError("discord-invite: give the application id, or set DISCORD_TOKEN")
        try:
            application_id = application_id_from(token)
        except ValueError as error:
            raise ConfigError(f"{settings.source('secrets', 'discord_token')}: {error}") from None
    return invite_url(application_id)


def settings_from(args: argparse.Namespace) -> Settings:
    path = getattr(args, "config", None) or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    overrides: dict[tuple[str, str], Any] = {}
    if getattr(args, "database", None):
        overrides[("database", "url")] = args.database
    return load_settings(path, overrides=overrides, override_sources={("database", "url"): "--database"})


def choose_adapters(args: argparse.Namespace, settings: Settings) -> tuple[str, ...]:
    """The adapters this process runs: as chosen, or for `auto` every platform whose token is
    set (the console when none is)."""
    choice = args.adapter or adapter_names(settings.bot.adapter)
    if choice != ("auto",):
        return tuple(choice)
    tokens = {"slack": settings.secrets.slack_bot_token, "discord": settings.secrets.discord_token}
    return tuple(name for name in PLATFORM_ADAPTERS if tokens[name]) or ("console",)


async def open_database(settings: Settings) -> Database:
    source = settings.source("database", "url")
    expected = "a reachable database URL such as sqlite:///alumni-bot.db or postgresql://user@host/db"
    try:
        with needs("postgres", "A PostgreSQL database"):
            database = Database(settings.database.url)
    except ConfigError as error:
        raise ConfigError(f"{source}: {error}") from None
    except Exception as error:  # the URL itself is malformed or names an unknown driver
        raise ConfigError(f"{source}: {type(error).__name__}: {error}; expected {expected}") from None
    try:
        await database.check()
    except DatabaseUnavailable as error:
        await database.close()
        raise ConfigError(f"{source}: cannot use the database ({error}); expected {expected}") from None
    return database


async def database_task(args: argparse.Namespace, settings: Settings) -> None:
    database = await open_database(settings)
    try:
        before = await database.schema_status()
        if args.db_command == "current":
            print(describe(before))
        elif args.db_command == "history":
            print(history(before))
        else:
            step = database.upgrade if args.db_command == "upgrade" else database.downgrade
            await step(args.revision)
            after = await database.schema_status()
            if after.current == before.current:
                print(f"Database is already at {after.current or 'base (empty)'}; nothing to do.")
            else:
                was, now = before.current or "empty", after.current or "base (empty)"
                print(f"Database {args.db_command}d from {was} to {now}.")
    except CommandError as error:
        raise ConfigError(f"db {args.db_command}: {error} (see alumni-bot db history)") from None
    finally:
        await database.close()


async def report_task(args: argparse.Namespace, settings: Settings) -> Path:
    database = await open_database(settings)
    try:
        await prepare_schema(database, settings)
        return await write_report(database, settings, args.period, args.cohort, args.out)
    finally:
        await database.close()


def describe(status: SchemaStatus) -> str:
    if status.at_head:
        return f"{status.current} (head: up to date)"
    if status.ahead:
        return f"{status.current}: newer than this alumni-bot {VERSION} knows (its newest is {status.head})"
    return f"{status.current or 'empty'} (behind: the head is {status.head}; run alumni-bot db upgrade)"


def history(status: SchemaStatus) -> str:
    lines = []
    for revision, what in revisions():
        marks = [
            mark
            for mark, holds in (("current", revision == status.current), ("head", revision == status.head))
            if holds
        ]
        lines.append(f"{revision}  {what}" + (f"  ({', '.join(marks)})" if marks else ""))
    return "\n".join(lines)


async def prepare_schema(database: Database, settings: Settings) -> None:
    """Bring the schema to this version's head, or stop with one line saying why not."""
    status = await database.schema_status()
    source = settings.source("database", "url")
    if status.at_head:
        return
    if status.ahead:
        raise ConfigError(
            f"{source}: the database is at revision {status.current}, written by a newer alumni-bot "
            f"(this is {VERSION}, whose newest is {status.head}): run the newer version, or restore "
            "the backup taken before it upgraded"
        )
    if not settings.database.auto_migrate:
        raise ConfigError(
            f"{source}: the database is at revision {status.current or 'none (empty)'} and this version "
            f"needs {status.head}: back it up, then run `alumni-bot db upgrade` "
            f"({settings.source('database', 'auto_migrate')} is false)"
        )
    await database.upgrade()
    log.info("database migrated from %s to %s", status.current or "empty", status.head)


async def run(settings: Settings, adapters: tuple[str, ...]) -> int:
    servers = [server_for(adapter) for adapter in adapters]
    database = await open_database(settings)
    try:
        await prepare_schema(database, settings)
    except ConfigError:
        await database.close()
        raise
    core = Core(settings, database, build_router())
    async with database.unit_of_work() as uow:  # made at first start and kept (bot.features.polls.ballots)
        await ballot_key(settings.secrets.poll_secret, uow, core.clock.now())
    runtime = Runtime(settings, database, core, adapters=len(servers))
    try:
        serving = asyncio.create_task(serve_together(runtime, servers))
        await until_done_or_signalled(runtime, serving, adapters)
    finally:
        await runtime.close()
    return 0


async def serve_together(runtime: Runtime, servers: Sequence[Server]) -> None:
    """Run every adapter on the one runtime until one of them ends (or fails: its error is
    the process's); the others are then cancelled and stop as on a signal."""
    tasks = [asyncio.create_task(serve(runtime)) for serve in servers]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        ended = await asyncio.gather(*tasks, return_exceptions=True)
    for outcome in ended:
        if isinstance(outcome, Exception):
            raise outcome


async def until_done_or_signalled(
    runtime: Runtime, serving: asyncio.Task[None], adapters: tuple[str, ...]
) -> None:
    """Run `serving` until it ends or SIGTERM/SIGINT cancels it.

    A cancelled adapter stops taking new work (its server or connection closes); what it
    acknowledged is in the inbox, and the runtime's stop finishes the rest."""
    loop = asyncio.get_running_loop()
    received: list[signal.Signals] = []

    def stop(which: signal.Signals) -> None:
        received.append(which)
        if adapters == ("console",) and which == signal.SIGINT:
            runtime.stop_seconds = 0  # Ctrl-C in a terminal means now; what waits goes at the next start
        serving.cancel()

    for which in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(which, stop, which)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    finally:
        for which in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(which)
    if received:
        log.info("stopping on %s", received[0].name)


def server_for(adapter: str) -> Server:
    """The adapter's serve(), imported on demand: the console needs no Slack or Discord library."""
    if adapter == "slack":
        with needs("slack", "The Slack adapter"):
            from adapters.slack import serve as serve_slack
        return serve_slack
    if adapter == "discord":
        with needs("discord", "The Discord adapter"):
            from adapters.discord import serve as serve_discord
        return serve_discord
    from adapters.console import serve as serve_console

    return serve_console
