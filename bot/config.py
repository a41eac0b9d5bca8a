"""Settings: a TOML file checked strictly, overlaid with the environment.

Every setting has a default, so no file is needed to try the bot. Each one can also come
from the environment as ALUMNI_BOT_<SECTION>_<KEY>, and every variable read here also as
<NAME>_FILE (the value is the file's content: container and systemd secrets). Secrets come
from the environment only and are wrapped so they never print. Each value remembers where
it came from, so an error names the file and key, the variable or the option to fix.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.features.matching.matcher.weights import Weights
from bot.i18n import LANGUAGES
from bot.places import PLATFORMS, split_place

ADAPTERS = ("console", "slack", "discord")
# The platforms one process can serve together (the console is a terminal: it runs alone).
PLATFORM_ADAPTERS = ("slack", "discord")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PREFIX = "ALUMNI_BOT_"


class ConfigError(Exception):
    """A setting is wrong; the message names where it came from and what is expected."""


class Invalid(ConfigError):
    """Raised by a section's checks; the loader adds where the value came from.
    `key` is None when the rule ties several keys of the section together."""

    def __init__(self, text: str, key: str | None = None) -> None:
        super().__init__(text)
        self.text, self.key = text, key


class Secret(str):
    """A string that never shows itself in logs, reprs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('***')"


def adapter_names(value: str) -> tuple[str, ...]:
    """`auto`, one adapter, or several platforms joined by commas ("slack,discord")."""
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",")))
    if len(names) == 1 and names[0] in ("auto", *ADAPTERS):
        return names
    if len(names) > 1 and all(name in PLATFORM_ADAPTERS for name in names):
        return names
    raise Invalid(
        f"expected one of auto, {', '.join(ADAPTERS)}, or several platforms joined by commas "
        f"({','.join(PLATFORM_ADAPTERS)}), got {value!r}",
        "adapter",
    )


@dataclass(frozen=True)
class BotSettings:
    adapter: str = "auto"
    default_cohort: str = "alumni"
    # On SIGTERM or SIGINT: how long the outbox may keep delivering before the process exits.
    stop_seconds: int = 10
    # Handled inbox events and delivered outbox items are kept this long, then pruned.
    retention_days: int = 7
    # The language of members who chose none and whose platform does not say (en, es, fr, pt).
    default_language: str = "en"
    # The language of what many read (a poll in a channel, an introduction card); "" is default_language.
    channel_language: str = ""
    # A poll (or time-slot poll) posted in a key channel is posted in its channels too:
    # {"slack:#roundtables" = ["discord:#general"]}.
    mirror_channels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        adapter_names(self.adapter)
        for place in (*self.mirror_channels, *(p for ps in self.mirror_channels.values() for p in ps)):
            split = split_place(place)
            if split is None or split[0] not in PLATFORMS:
                raise Invalid(
                    f"expected channels written as platform:#channel ({', '.join(PLATFORMS)}), "
                    f'such as "discord:#general", got {place!r}',
                    "mirror_channels",
                )
        for key in ("default_language", "channel_language"):
            value = getattr(self, key)
            if value not in ("", *LANGUAGES) or (key == "default_language" and not value):
                raise Invalid(f"expected one of {', '.join(LANGUAGES)}, got {value!r}", key)

    @property
    def channel_speaks(self) -> str:
        return self.channel_language or self.default_language


@dataclass(frozen=True)
class HealthSettings:
    """When /readyz says the bot cannot work."""

    # The database must take a write within this time.
    database_timeout_seconds: int = 2
    # An event received and not handled for this long means events are stuck.
    inbox_max_age_seconds: int = 60
    # A message due and not delivered for this long, with nothing delivered meanwhile, means
    # the outbox is stuck (big matching rounds legitimately take a while at platform rate limits).
    outbox_max_age_seconds: int = 600


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = "sqlite+aiosqlite:///alumni-bot.db"
    # Bring an older database up to date at start; false: stop and ask for `alumni-bot db upgrade`.
    auto_migrate: bool = True


@dataclass(frozen=True)
class FacilitatorSettings:
    members: tuple[str, ...] = ()
    slack_usergroups: tuple[str, ...] = ()
    discord_roles: tuple[str, ...] = ()
    console_roles: tuple[str, ...] = ("facilitator",)


@dataclass(frozen=True)
class IntroCardSettings:
    # The channel (by name) where introduction cards are posted.
    channel: str = "introductions"


@dataclass(frozen=True)
class PeerIntroSettings:
    candidates: int = 3
    max_asks_per_week: int = 2
    answer_hours: int = 72


@dataclass(frozen=True)
class SchedulerSettings:
    # Occurrences missed while the bot was down are still sent (marked late) up to this age.
    grace_hours: int = 6
    # How often every process looks for rows added or changed by others.
    poll_seconds: int = 2
    # An occurrence fired this much after its time says it is late (it waited for a start).
    late_after_seconds: int = 30


@dataclass(frozen=True)
class MatchingSettings:
    """Peer matching: the weights of bot.features.matching.matcher.weights.Weights, and the round defaults."""

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
    # Where a pair meets: "{pair}" becomes the pair's own unguessable room name.
    meeting_url_template: str = ""

    def __post_init__(self) -> None:
        if self.cadence not in ("weekly", "biweekly", "monthly"):
            raise Invalid(f"expected weekly, biweekly or monthly, got {self.cadence!r}", "cadence")
        if not 0 <= self.round_hour_utc <= 23:
            raise Invalid(f"expected an hour from 0 to 23, got {self.round_hour_utc}", "round_hour_utc")
        if self.pause_after_unanswered < 1:
            raise Invalid(f"expected at least 1, got {self.pause_after_unanswered}", "pause_after_unanswered")
        template = self.meeting_url_template
        if template and not (template.startswith(("https://", "http://")) and "{pair}" in template):
            raise Invalid(
                f"expected an https:// address with {{pair}} in it, got {template!r}", "meeting_url_template"
            )
        try:
            self.weights()
        except ValueError as error:
            raise Invalid(str(error)) from None

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
class RoundtableSettings:
    """What a roundtable's announcement and calendar file say about joining it."""

    # The address members join at (a standing video call); empty: the facilitators share it.
    join_url: str = ""
    # The calendar file's organiser address; empty: a no-reply address that goes nowhere.
    organiser_email: str = ""

    def __post_init__(self) -> None:
        if self.join_url and not self.join_url.startswith(("https://", "http://")):
            raise Invalid(f"expected an https:// address, got {self.join_url!r}", "join_url")
        if self.organiser_email and "@" not in self.organiser_email:
            raise Invalid(f"expected an email address, got {self.organiser_email!r}", "organiser_email")


@dataclass(frozen=True)
class SlackSettings:
    api_base_url: str = "https://slack.com/api/"
    community_channel: str = ""
    identity_cache_minutes: int = 60


@dataclass(frozen=True)
class WebSettings:
    """The bot's own HTTP server: /healthz, /readyz and /metrics, and Slack HTTP mode's events."""

    # Unset: on for Slack and Discord, off in the console. Slack HTTP mode always needs it.
    enabled: bool | None = None
    host: str = "127.0.0.1"
    port: int = 8080

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise Invalid(f"expected a port from 0 to 65535 (0: any free one), got {self.port}", "port")


@dataclass(frozen=True)
class InsightsSettings:
    """The open-data report (`alumni-bot report`) and the facilitators' dashboard."""

    # The report's licence, as an SPDX id (CC-BY-4.0, CC0-1.0, ODbL-1.0…).
    licence: str = "CC-BY-4.0"
    # Counts below this are left out of the report, so small groups cannot be re-identified.
    min_count: int = 5
    # How long a dashboard session lasts after signing in with a link.
    session_hours: int = 8
    # The dashboard's address as facilitators reach it (e.g. https://bot.example.org behind a
    # proxy); empty: http://<[web] host>:<[web] port>.
    dashboard_url: str = ""

    def __post_init__(self) -> None:
        if not self.licence.strip():
            raise Invalid("expected an SPDX licence id such as CC-BY-4.0", "licence")
        if self.min_count < 1:
            raise Invalid(f"expected at least 1, got {self.min_count}", "min_count")
        if self.session_hours < 1:
            raise Invalid(f"expected at least 1, got {self.session_hours}", "session_hours")
        if self.dashboard_url and not self.dashboard_url.startswith(("https://", "http://")):
            raise Invalid(f"expected an https:// address, got {self.dashboard_url!r}", "dashboard_url")


@dataclass(frozen=True)
class DiscordSettings:
    guild_ids: tuple[int, ...] = ()
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = ""
    matches_channel: str = "matches"


@dataclass(frozen=True)
class LogSettings:
    # The bot's own messages at this level and above.
    level: str = "INFO"
    # "text": one readable line each; "json": one JSON object a line, for log collectors.
    format: str = "text"
    # APScheduler, discord.py, Alembic and every other library: only this level and above.
    library_level: str = "WARNING"

    def __post_init__(self) -> None:
        for key in ("level", "library_level"):
            if getattr(self, key).upper() not in LOG_LEVELS:
                raise Invalid(f"expected one of {', '.join(LOG_LEVELS)}, got {getattr(self, key)!r}", key)
        if self.format not in ("text", "json"):
            raise Invalid(f"expected text or json, got {self.format!r}", "format")


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
    intro_card: IntroCardSettings = field(default_factory=IntroCardSettings)
    peer_intros: PeerIntroSettings = field(default_factory=PeerIntroSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    roundtables: RoundtableSettings = field(default_factory=RoundtableSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    web: WebSettings = field(default_factory=WebSettings)
    insights: InsightsSettings = field(default_factory=InsightsSettings)
    log: LogSettings = field(default_factory=LogSettings)
    secrets: Secrets = field(default_factory=Secrets)
    # "section.key" -> where the value came from, for messages about it.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # One line each about settings that still work but should change (logged at start).
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def source(self, section: str, key: str) -> str:
        return self.sources.get(f"{section}.{key}", f"[{section}] {key} (default)")


# Short names kept for the settings people most often set from the environment.
SHORT_NAMES: dict[str, tuple[str, str]] = {
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

# Sections that moved to the name of their feature, old -> new: still read, with a warning.
RENAMED_SECTIONS: dict[str, str] = {"introductions": "peer_intros"}
# Keys that moved, old -> new: still read, with a warning. [slack] host and port were Slack
# HTTP mode's own server, which is now the bot's one web server.
RENAMED: dict[tuple[str, str], tuple[str, str]] = {
    ("slack", "host"): ("web", "host"),
    ("slack", "port"): ("web", "port"),
    ("bot", "introductions_channel"): ("intro_card", "channel"),
    **{
        (old, key.name): (new, key.name)
        for old, new in RENAMED_SECTIONS.items()
        for key in dataclasses.fields(typing.get_type_hints(Settings)[new])
    },
}

MIN_POLL_SECRET = 32  # a short key would let anyone with the database try every voter
_FILE_SECTIONS = tuple(
    f.name for f in dataclasses.fields(Settings) if f.name not in ("secrets", "sources", "warnings")
)
_READ_SECTIONS = (*_FILE_SECTIONS, *RENAMED_SECTIONS)


@dataclass(frozen=True)
class _Raw:
    """A value before it is checked, with where it came from; `text` when typed as a string
    (the environment), so it is parsed for the setting's type."""

    value: Any
    source: str
    text: bool = False


def load_settings(
    path: Path | None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    override_sources: Mapping[tuple[str, str], str] | None = None,
) -> Settings:
    """Read `path` (when given), then the environment, then explicit overrides
    (named in messages by `override_sources`, e.g. the command-line option)."""
    environ = os.environ if environ is None else environ
    raw: dict[str, dict[str, _Raw]] = {name: {} for name in _READ_SECTIONS}
    for section, values in (_read_file(path) if path else {}).items():
        for key, value in values.items():
            raw[section][key] = _Raw(value, f"{path}: [{section}] {key}")
    for (section, key), (value, source) in _environment_settings(environ).items():
        raw[section][key] = _Raw(value, source, text=True)
    for (section, key), value in (overrides or {}).items():
        source = (override_sources or {}).get((section, key), f"[{section}] {key}")
        raw[section][key] = _Raw(value, source)
    warnings = _move_renamed(raw)
    sections = {name: _build_section(name, raw[name]) for name in _FILE_SECTIONS}
    secrets: dict[str, Secret] = {}
    sources = {f"{s}.{k}": r.source for s, values in raw.items() for k, r in values.items()}
    for variable, attr in SECRET_VARIABLES.items():
        if found := from_environment(environ, variable):
            secrets[attr] = Secret(found[0])
            sources[f"secrets.{attr}"] = found[1]
    poll_secret = secrets.get("poll_secret")
    if poll_secret and len(poll_secret) < MIN_POLL_SECRET:
        raise ConfigError(
            f"{sources['secrets.poll_secret']}: expected at least {MIN_POLL_SECRET} characters of random "
            f"text (e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            f"got {len(poll_secret)}"
        )
    return Settings(**sections, secrets=Secrets(**secrets), sources=sources, warnings=tuple(warnings))


def _move_renamed(raw: dict[str, dict[str, _Raw]]) -> list[str]:
    """Read each old key (RENAMED) as its new one, unless that is set too; say so either way."""
    warnings = []
    for (section, key), (new_section, new_key) in RENAMED.items():
        old = raw[section].pop(key, None)
        if old is None:
            continue
        if new_key in raw[new_section]:
            warnings.append(
                f"{old.source}: ignored, {raw[new_section][new_key].source} is set "
                f"([{section}] {key} is now [{new_section}] {new_key}): remove it"
            )
        else:
            raw[new_section][new_key] = old
            variable = f"{PREFIX}{new_section}_{new_key}".upper()
            warnings.append(f"{old.source}: deprecated, use [{new_section}] {new_key} ({variable})")
    return warnings


def from_environment(environ: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """The value of NAME, or the content of the file named by NAME_FILE, with the variable
    it came from; None when neither is set."""
    value, path = environ.get(name), environ.get(f"{name}_FILE")
    if value and path:
        raise ConfigError(f"{name} and {name}_FILE are both set: keep one")
    if value:
        return value, name
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip(), f"{name}_FILE"
    except OSError as error:
        raise ConfigError(f"{name}_FILE: cannot read {path} ({error.strerror or error})") from None


def _environment_settings(environ: Mapping[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(section, key) -> (text, variable) for every setting given in the environment."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for name in environ:
        _check_variable(name.removesuffix("_FILE"))
    for section in _READ_SECTIONS:
        for key in _keys(section):
            variable = f"{PREFIX}{section}_{key}".upper()
            if value := from_environment(environ, variable):
                found[section, key] = value
    for short, (section, key) in SHORT_NAMES.items():
        if value := from_environment(environ, short):
            if (section, key) in found and found[section, key][0] != value[0]:
                raise ConfigError(f"{short} and {found[section, key][1]} disagree: keep one")
            found[section, key] = value
    return found


def _check_variable(name: str) -> None:
    """A variable that names a section but no key of it is a typo worth stopping for."""
    for section in _READ_SECTIONS:
        prefix = f"{PREFIX}{section}_".upper()
        if name.startswith(prefix) and name.removeprefix(prefix).lower() not in _keys(section):
            raise _unknown_key(name, section, name.removeprefix(prefix).lower())


def _keys(section: str) -> set[str]:
    """The keys a section accepts: its settings, and old names still read (RENAMED)."""
    hints = typing.get_type_hints(Settings)
    current = {f.name for f in dataclasses.fields(hints[section])} if section in _FILE_SECTIONS else set()
    return current | {key for old_section, key in RENAMED if old_section == section}


def _unknown_key(where: str, section: str, key: str) -> ConfigError:
    expected = ", ".join(sorted(_keys(section)))
    return ConfigError(f"{where}: [{section}] unknown key '{key}' (expected one of: {expected})")


def _read_file(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    for name, value in data.items():
        if name not in _READ_SECTIONS:
            raise ConfigError(
                f"{path}: unknown section [{name}] (expected one of: {', '.join(_FILE_SECTIONS)})"
            )
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table of settings")
        for key in value:
            if key not in _keys(name):
                raise _unknown_key(str(path), name, key)
    return data


def _build_section(name: str, values: dict[str, _Raw]) -> Any:
    cls = typing.get_type_hints(Settings)[name]
    hints = typing.get_type_hints(cls)
    converted = {key: _convert(raw, hints[key]) for key, raw in values.items()}
    try:
        return cls(**converted)
    except Invalid as error:
        if error.key in values:
            where = values[error.key].source
        else:
            where = ", ".join(sorted({raw.source for raw in values.values()})) or f"[{name}] (defaults)"
        raise ConfigError(f"{where}: {error.text}") from None


def _convert(raw: _Raw, expected: Any) -> Any:
    if typing.get_origin(expected) in (typing.Union, types.UnionType):  # X | None: unset is None
        expected = next(arg for arg in typing.get_args(expected) if arg is not type(None))
    value = _parse_text(raw, expected) if raw.text else raw.value
    if typing.get_origin(expected) is dict:
        item_type = typing.get_args(expected)[1]
        if not isinstance(value, dict):
            raise ConfigError(f"{raw.source}: expected a table of lists, got {value!r}")
        return {
            str(key): _convert(dataclasses.replace(raw, value=item, text=False), item_type)
            for key, item in value.items()
        }
    if typing.get_origin(expected) is tuple:
        item_type = typing.get_args(expected)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{raw.source}: expected a list of {item_type.__name__}, got {value!r}")
        return tuple(_convert(dataclasses.replace(raw, value=item), item_type) for item in value)
    if expected is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    # bool is a subclass of int in Python; a setting is one or the other, never both.
    fits = isinstance(value, expected) and (expected is bool) == isinstance(value, bool)
    if not fits:
        raise ConfigError(f"{raw.source}: expected {_describe(expected)}, got {value!r}")
    return value


def _parse_text(raw: _Raw, expected: Any) -> Any:
    """An environment value for a setting of type `expected`: a list is comma-separated or
    JSON, a boolean true/false (or 1/0, yes/no); the rest is converted by _convert."""
    text = str(raw.value).strip()
    if typing.get_origin(expected) is dict:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(f"{raw.source}: not a valid JSON object ({error.msg})") from None
    if typing.get_origin(expected) is tuple:
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError as error:
                raise ConfigError(f"{raw.source}: not a valid JSON list ({error.msg})") from None
        return [item.strip() for item in text.split(",") if item.strip()]
    if expected is bool:
        words = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        return words.get(text.lower(), text)
    return text


def _describe(expected: type) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false", float: "a number"}.get(
        expected, expected.__name__
    )
