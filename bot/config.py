"""Settings: a TOML file checked strictly, overlaid with the environment.

Every setting has a default, so no file is needed to try the bot. Secrets are
read from the environment only and are wrapped so they never print.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.matching.weights import Weights


class ConfigError(Exception):
    """A setting is wrong; the message names the file, the key and what is expected."""


class Secret(str):
    """A string that never shows itself in logs, reprs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('***')"


@dataclass(frozen=True)
class BotSettings:
    adapter: str = "auto"
    default_cohort: str = "alumni"
    introductions_channel: str = "introductions"


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = "sqlite+aiosqlite:///alumni-bot.db"


@dataclass(frozen=True)
class FacilitatorSettings:
    members: tuple[str, ...] = ()
    slack_usergroups: tuple[str, ...] = ()
    discord_roles: tuple[str, ...] = ()
    console_roles: tuple[str, ...] = ("facilitator",)


@dataclass(frozen=True)
class IntroductionSettings:
    candidates: int = 3
    max_asks_per_week: int = 2
    answer_hours: int = 72


@dataclass(frozen=True)
class SchedulerSettings:
    # Occurrences missed while the bot was down are still sent (marked late) up to this age.
    grace_hours: int = 6
    # How often every process looks for rows added or changed by others.
    poll_seconds: int = 2


@dataclass(frozen=True)
class MatchingSettings:
    """Peer matching: the weights of bot.matching.weights.Weights, and the round defaults."""

    overlap_hour: int = 42
    overlap_hours_cap: int = 4
    other_region: int = 21
    offered_topic: int = 2
    shared_topic: int = 1
    topics_cap: int = 20
    forbid_same_organisation: bool = False
    # Cadence of rounds started with /alumni match run or a schedule without one: weekly, biweekly, monthly.
    cadence: str = "biweekly"
    # Rounds a /alumni match schedule starts at this UTC hour on Mondays.
    round_hour_utc: int = 9
    # Introductions in a row left without a check-in answer before a member is paused.
    pause_after_unanswered: int = 3

    def __post_init__(self) -> None:
        if self.cadence not in ("weekly", "biweekly", "monthly"):
            raise ConfigError(
                f"[matching] cadence: expected weekly, biweekly or monthly, got {self.cadence!r}"
            )
        if not 0 <= self.round_hour_utc <= 23 or self.pause_after_unanswered < 1:
            raise ConfigError("[matching] round_hour_utc must be 0-23 and pause_after_unanswered at least 1")
        try:
            self.weights()
        except ValueError as error:
            raise ConfigError(f"[matching] {error}") from None

    def weights(self) -> Weights:
        return Weights(
            overlap_hour=self.overlap_hour,
            overlap_hours_cap=self.overlap_hours_cap,
            other_region=self.other_region,
            offered_topic=self.offered_topic,
            shared_topic=self.shared_topic,
            topics_cap=self.topics_cap,
            forbid_same_organisation=self.forbid_same_organisation,
        )


@dataclass(frozen=True)
class SlackSettings:
    port: int = 3000
    api_base_url: str = "https://slack.com/api/"
    community_channel: str = ""
    host: str = "0.0.0.0"
    identity_cache_minutes: int = 60


@dataclass(frozen=True)
class DiscordSettings:
    guild_ids: tuple[int, ...] = ()
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = ""
    matches_channel: str = "matches"


@dataclass(frozen=True)
class Secrets:
    slack_bot_token: Secret | None = None
    slack_app_token: Secret | None = None
    slack_signing_secret: Secret | None = None
    discord_token: Secret | None = None
    poll_secret: Secret | None = None


@dataclass(frozen=True)
class Settings:
    bot: BotSettings = field(default_factory=BotSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    facilitators: FacilitatorSettings = field(default_factory=FacilitatorSettings)
    introductions: IntroductionSettings = field(default_factory=IntroductionSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    secrets: Secrets = field(default_factory=Secrets)


# Environment variables that override a file setting: name -> (section, key).
ENVIRONMENT_OVERRIDES: dict[str, tuple[str, str]] = {
    "DATABASE_URL": ("database", "url"),
    "SLACK_API_BASE_URL": ("slack", "api_base_url"),
    "DISCORD_API_BASE_URL": ("discord", "api_base_url"),
    "DISCORD_GATEWAY_URL": ("discord", "gateway_url"),
}

SECRET_VARIABLES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_APP_TOKEN": "slack_app_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "DISCORD_TOKEN": "discord_token",
    "ALUMNI_BOT_POLL_SECRET": "poll_secret",
}

MIN_POLL_SECRET = 32  # a short key would let anyone with the database try every voter
_FILE_SECTIONS = tuple(f.name for f in dataclasses.fields(Settings) if f.name != "secrets")


def load_settings(
    path: Path | None,
    environ: typing.Mapping[str, str] | None = None,
    overrides: typing.Mapping[tuple[str, str], Any] | None = None,
) -> Settings:
    """Read `path` (when given), then the environment, then explicit overrides."""
    environ = os.environ if environ is None else environ
    where = str(path) if path else "environment"
    raw: dict[str, dict[str, Any]] = _read_file(path) if path else {}
    for variable, (section, key) in ENVIRONMENT_OVERRIDES.items():
        if environ.get(variable):
            raw.setdefault(section, {})[key] = environ[variable]
    for (section, key), value in (overrides or {}).items():
        raw.setdefault(section, {})[key] = value
    sections = {name: _build_section(where, name, raw.get(name, {})) for name in _FILE_SECTIONS}
    secrets = Secrets(
        **{attr: Secret(environ[var]) for var, attr in SECRET_VARIABLES.items() if environ.get(var)}
    )
    if secrets.poll_secret and len(secrets.poll_secret) < MIN_POLL_SECRET:
        raise ConfigError(
            f"ALUMNI_BOT_POLL_SECRET: expected at least {MIN_POLL_SECRET} characters of random text "
            f"(e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            f"got {len(secrets.poll_secret)}"
        )
    return Settings(**sections, secrets=secrets)


def _read_file(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    for name, value in data.items():
        if name not in _FILE_SECTIONS:
            raise ConfigError(
                f"{path}: unknown section [{name}] (expected one of: {', '.join(_FILE_SECTIONS)})"
            )
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table of settings")
    return data


def _build_section(where: str, name: str, values: dict[str, Any]) -> Any:
    cls = typing.get_type_hints(Settings)[name]
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    converted: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"{where}: [{name}] unknown key '{key}' (expected one of: {', '.join(sorted(known))})"
            )
        converted[key] = _convert(where, f"[{name}] {key}", hints[key], value)
    return cls(**converted)


def _convert(where: str, label: str, expected: Any, value: Any) -> Any:
    origin = typing.get_origin(expected)
    if origin is tuple:
        item_type = typing.get_args(expected)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: {label}: expected a list of {item_type.__name__}, got {value!r}")
        return tuple(_convert(where, label, item_type, item) for item in value)
    if origin in (typing.Union, types.UnionType):
        expected = next(arg for arg in typing.get_args(expected) if arg is not type(None))
    if expected is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    # bool is a subclass of int in Python; a setting is one or the other, never both.
    fits = isinstance(value, expected) and (expected is bool) == isinstance(value, bool)
    if not fits:
        raise ConfigError(f"{where}: {label}: expected {_describe(expected)}, got {value!r}")
    return value


def _describe(expected: type) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false", float: "a number"}.get(
        expected, expected.__name__
    )
