"""Settings and the command line: defaults, strict checks, one clear line and exit 2."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, Secret, load_settings
from storage.database import revisions

CLI = Path(sys.executable).with_name("alumni-bot")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_need_no_file() -> None:
    settings = load_settings(None, environ={})
    assert settings.database.url == "sqlite+aiosqlite:///alumni-bot.db"
    assert settings.peer_intros.max_asks_per_week == 2
    assert settings.secrets.slack_bot_token is None


def test_the_example_file_is_valid_and_states_the_defaults(project_root: Path) -> None:
    assert load_settings(project_root / "config.example.toml", environ={}) == load_settings(None, environ={})


def test_environment_overrides_and_secrets_never_show(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///file.db"\n')
    environ = {"DATABASE_URL": "postgresql+asyncpg://db/x", "SLACK_BOT_TOKEN": "xoxb-very-secret"}
    settings = load_settings(path, environ=environ)
    assert settings.database.url == "postgresql+asyncpg://db/x"
    assert isinstance(settings.secrets.slack_bot_token, Secret)
    assert "xoxb-very-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[bot]\ncolour = 'red'\n", "[bot] unknown key 'colour'"),
        (
            "[introductions]\nanswer_hours = 'soon'\n",
            "[introductions] answer_hours: expected a whole number, got 'soon'",
        ),
        ("[introductions]\nanswer_hours = true\n", "expected a whole number, got True"),
        ("[facilitators]\nmembers = 'slack:U1'\n", "[facilitators] members: expected a list of str"),
        ("[nonsense]\n", "unknown section [nonsense]"),
        ("[bot\n", "not valid TOML"),
        ("bot = 1\n", "[bot] must be a table"),
    ],
)
def test_bad_settings_name_the_file_the_key_and_what_is_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_settings(path, environ={})
    assert message in str(raised.value) and str(path) in str(raised.value)


def run_cli(
    *args: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {}),
    )


def test_help_describes_every_subcommand(tmp_path: Path) -> None:
    out = run_cli("--help", cwd=tmp_path).stdout
    assert "run" in out and "db" in out and "start the bot" in out
    assert "apply every pending migration" in run_cli("db", "--help", cwd=tmp_path).stdout
    assert "--adapter" in run_cli("run", "--help", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("run", "--config", "missing.toml"), "missing.toml: file not found"),
        (("run", "--config", "bad.toml"), "bad.toml: [bot] unknown key 'colour'"),
        (
            ("run", "--database", "postgresql+asyncpg://postgres@127.0.0.1:1/none"),
            "--database: cannot use the database",
        ),
        (("db", "upgrade", "--database", "nosuchdriver://x"), "--database: "),
        (
            ("slack-manifest", "--http"),
            "slack-manifest --http: give --url with this bot's public https address",
        ),
        (
            ("slack-manifest", "--http", "--url", "http://bot.example.org"),
            "give --url with this bot's public https",
        ),
        (("slack-manifest", "--url", "https://bot.example.org"), "--url goes with --http"),
        (
            ("run", "--config", "irc.toml"),
            "irc.toml: [bot] adapter: expected one of auto, console, slack, discord",
        ),
    ],
)
def test_bad_start_up_prints_one_line_and_exits_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    (tmp_path / "bad.toml").write_text("[bot]\ncolour = 'red'\n")
    (tmp_path / "irc.toml").write_text("[bot]\nadapter = 'irc'\n")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", "--database", f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", cwd=tmp_path)
    assert result.returncode == 0 and f"from empty to {revisions()[-1][0]}" in result.stdout


def test_matching_weights_that_break_their_order_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[matching]\nother_region = 5\n")
    with pytest.raises(
        ConfigError, match=r"config.toml: \[matching\] other_region: other_region must exceed"
    ):
        load_settings(config, environ={})
    config.write_text('[matching]\ncadence = "daily"\n')
    with pytest.raises(ConfigError, match=r"config.toml: \[matching\] cadence: expected weekly"):
        load_settings(config, environ={})
    config.write_text("[matching]\nforbid_same_organisation = true\n")
    assert load_settings(config, environ={}).matching.weights().forbid_same_organisation


def as_environment_text(value: object) -> str:
    if isinstance(value, tuple):
        return json.dumps(list(value))
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_every_setting_can_come_from_the_environment() -> None:
    defaults = load_settings(None, environ={})
    environ = {}
    for section in dataclasses.fields(defaults):
        if section.name in ("secrets", "sources"):
            continue
        if section.name == "warnings":
            continue
        for key in dataclasses.fields(getattr(defaults, section.name)):
            value = getattr(getattr(defaults, section.name), key.name)
            if value is not None:  # unset by default ([web] enabled): no text means "unset"
                environ[f"ALUMNI_BOT_{section.name}_{key.name}".upper()] = as_environment_text(value)
    settings = load_settings(None, environ=environ)
    assert settings == defaults
    assert settings.source("web", "port") == "ALUMNI_BOT_WEB_PORT"


def test_environment_values_are_read_for_the_setting_s_type(tmp_path: Path) -> None:
    path = write(tmp_path, "[web]\nport = 4000\n[facilitators]\nmembers = ['slack:U0']\n")
    environ = {
        "ALUMNI_BOT_WEB_PORT": "3001",
        "ALUMNI_BOT_WEB_ENABLED": "true",
        "ALUMNI_BOT_MATCHING_FORBID_SAME_ORGANISATION": "yes",
        "ALUMNI_BOT_DATABASE_AUTO_MIGRATE": "false",
        "ALUMNI_BOT_DISCORD_GUILD_IDS": "123, 456",
        "ALUMNI_BOT_FACILITATORS_MEMBERS": '["slack:U1", "discord:2"]',
        "ALUMNI_BOT_FACILITATORS_SLACK_USERGROUPS": "alumni-team,hosts",
        "ALUMNI_BOT_LOG_FORMAT": "json",
        "ALUMNI_BOT_POLL_SECRET": "not a setting: a secret of more than 32 characters",
        "ALUMNI_BOT_TEST_PG_URL": "not a setting either",
    }
    settings = load_settings(path, environ=environ)
    assert settings.web.port == 3001 and settings.source("web", "port") == "ALUMNI_BOT_WEB_PORT"
    assert settings.web.enabled is True
    assert settings.matching.forbid_same_organisation is True and settings.database.auto_migrate is False
    assert settings.discord.guild_ids == (123, 456)
    assert settings.facilitators.members == ("slack:U1", "discord:2")
    assert settings.facilitators.slack_usergroups == ("alumni-team", "hosts")
    assert settings.log.format == "json"
    assert settings.source("bot", "adapter") == "[bot] adapter (default)"


def test_secrets_and_settings_can_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("xoxb-from-a-file\n")
    (tmp_path / "url").write_text("postgresql://bot:pw@db/alumni\n")
    environ = {
        "SLACK_BOT_TOKEN_FILE": str(tmp_path / "token"),
        "ALUMNI_BOT_DATABASE_URL_FILE": str(tmp_path / "url"),
    }
    settings = load_settings(None, environ=environ)
    assert settings.secrets.slack_bot_token == "xoxb-from-a-file"
    assert settings.source("secrets", "slack_bot_token") == "SLACK_BOT_TOKEN_FILE"
    assert settings.database.url == "postgresql://bot:pw@db/alumni"
    assert settings.source("database", "url") == "ALUMNI_BOT_DATABASE_URL_FILE"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ALUMNI_BOT_WEB_PORT": "three thousand"}, "ALUMNI_BOT_WEB_PORT: expected a whole number"),
        ({"ALUMNI_BOT_WEB_PORT": "80800"}, "ALUMNI_BOT_WEB_PORT: expected a port from 0 to 65535"),
        ({"ALUMNI_BOT_WEB_ENABLED": "maybe"}, "ALUMNI_BOT_WEB_ENABLED: expected true or false"),
        ({"ALUMNI_BOT_SLACK_PORTT": "3000"}, "ALUMNI_BOT_SLACK_PORTT: [slack] unknown key 'portt'"),
        (
            {"ALUMNI_BOT_DATABASE_AUTO_MIGRATE": "maybe"},
            "ALUMNI_BOT_DATABASE_AUTO_MIGRATE: expected true or false",
        ),
        ({"ALUMNI_BOT_DISCORD_GUILD_IDS": "[1, 2"}, "ALUMNI_BOT_DISCORD_GUILD_IDS: not a valid JSON list"),
        (
            {"ALUMNI_BOT_DISCORD_GUILD_IDS": "12, my server"},
            "ALUMNI_BOT_DISCORD_GUILD_IDS: expected a whole number",
        ),
        (
            {"ALUMNI_BOT_BOT_ADAPTER": "irc"},
            "ALUMNI_BOT_BOT_ADAPTER: expected one of auto, console, slack, discord",
        ),
        ({"ALUMNI_BOT_LOG_LEVEL": "loud"}, "ALUMNI_BOT_LOG_LEVEL: expected one of DEBUG, INFO"),
        ({"ALUMNI_BOT_MATCHING_CADENCE": "daily"}, "ALUMNI_BOT_MATCHING_CADENCE: expected weekly"),
        (
            {"DISCORD_TOKEN": "a", "DISCORD_TOKEN_FILE": "/x"},
            "DISCORD_TOKEN and DISCORD_TOKEN_FILE are both set",
        ),
        ({"SLACK_BOT_TOKEN_FILE": "/no/such/file"}, "SLACK_BOT_TOKEN_FILE: cannot read /no/such/file"),
        (
            {"DATABASE_URL": "sqlite:///a.db", "ALUMNI_BOT_DATABASE_URL": "sqlite:///b.db"},
            "DATABASE_URL and ALUMNI_BOT_DATABASE_URL disagree",
        ),
    ],
)
def test_bad_environment_values_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(None, environ=environ)
    assert str(raised.value).startswith(message.split(":")[0]) and message in str(raised.value)


def test_version_comes_from_one_place_and_has_a_changelog_entry(project_root: Path) -> None:
    declared = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]["version"]
    result = run_cli("--version", cwd=project_root)
    assert result.returncode == 0 and result.stdout.strip() == f"alumni-bot {declared}"
    changelog = (project_root / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and f"## [{declared}] - " in changelog


def test_slack_manifest_in_http_mode_points_at_the_https_url(tmp_path: Path) -> None:
    result = run_cli("slack-manifest", "--http", "--url", "https://bot.example.org", cwd=tmp_path)
    assert result.returncode == 0 and "request_url: https://bot.example.org/slack/events" in result.stdout


def test_slack_s_old_host_and_port_keys_still_work_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, '[slack]\nport = 3000\nhost = "0.0.0.0"\n')
    settings = load_settings(path, environ={})
    assert (settings.web.host, settings.web.port) == ("0.0.0.0", 3000)
    assert settings.source("web", "port") == f"{path}: [slack] port"
    assert settings.warnings == (
        f"{path}: [slack] host: deprecated, use [web] host (ALUMNI_BOT_WEB_HOST)",
        f"{path}: [slack] port: deprecated, use [web] port (ALUMNI_BOT_WEB_PORT)",
    )
    both = load_settings(path, environ={"ALUMNI_BOT_WEB_PORT": "9000"})
    assert both.web.port == 9000
    assert f"{path}: [slack] port: ignored, ALUMNI_BOT_WEB_PORT is set" in both.warnings[1]
    with pytest.raises(ConfigError, match=r"ALUMNI_BOT_SLACK_PORT: expected a port from 0 to 65535"):
        load_settings(None, environ={"ALUMNI_BOT_SLACK_PORT": "-1"})


def test_introduction_keys_named_before_their_features_still_work_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, '[bot]\nintroductions_channel = "intros"\n[introductions]\nanswer_hours = 24\n')
    settings = load_settings(path, environ={"ALUMNI_BOT_INTRODUCTIONS_CANDIDATES": "5"})
    assert (settings.intro_card.channel, settings.peer_intros.answer_hours) == ("intros", 24)
    assert settings.peer_intros.candidates == 5
    assert settings.source("peer_intros", "answer_hours") == f"{path}: [introductions] answer_hours"
    assert settings.warnings == (
        f"{path}: [bot] introductions_channel: deprecated, use [intro_card] channel "
        "(ALUMNI_BOT_INTRO_CARD_CHANNEL)",
        "ALUMNI_BOT_INTRODUCTIONS_CANDIDATES: deprecated, use [peer_intros] candidates "
        "(ALUMNI_BOT_PEER_INTROS_CANDIDATES)",
        f"{path}: [introductions] answer_hours: deprecated, use [peer_intros] answer_hours "
        "(ALUMNI_BOT_PEER_INTROS_ANSWER_HOURS)",
    )
    current = write(tmp_path, '[intro_card]\nchannel = "intros"\n[peer_intros]\nanswer_hours = 24\n')
    renamed = load_settings(current, environ={"ALUMNI_BOT_PEER_INTROS_CANDIDATES": "5"})
    assert renamed == settings and not renamed.warnings


def test_the_deprecation_warning_is_one_log_line_at_start(tmp_path: Path) -> None:
    write(tmp_path, "[slack]\nport = 3000\n")
    result = run_cli("db", "current", "--database", f"sqlite:///{tmp_path / 'a.db'}", cwd=tmp_path)
    assert result.returncode == 0
    [line] = [line for line in result.stderr.splitlines() if "deprecated" in line]
    assert line.endswith("config.toml: [slack] port: deprecated, use [web] port (ALUMNI_BOT_WEB_PORT)")


def test_a_web_port_in_use_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        write(tmp_path, f"[web]\nenabled = true\nport = {port}\n")
        result = run_cli(
            *("run", "--adapter", "console", "--database", f"sqlite:///{tmp_path / 'a.db'}"),
            cwd=tmp_path,
            env={"ALUMNI_BOT_LOG_LEVEL": "WARNING"},
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"alumni-bot: config.toml: [web] port: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "expected a free port on an address of this machine"
    ]


def test_mirror_channels_map_a_channel_to_channels_on_other_platforms(tmp_path: Path) -> None:
    path = write(tmp_path, '[bot]\nmirror_channels = {"slack:#roundtables" = ["discord:#general"]}\n')
    assert load_settings(path, environ={}).bot.mirror_channels == {
        "slack:#roundtables": ("discord:#general",)
    }
    environ = {"ALUMNI_BOT_BOT_MIRROR_CHANNELS": '{"discord:#general": ["slack:#roundtables"]}'}
    assert load_settings(None, environ=environ).bot.mirror_channels == {
        "discord:#general": ("slack:#roundtables",)
    }
    for wrong in (
        '{"slack:#a" = ["matrix:#b"]}',
        '{"general" = ["discord:#b"]}',
        '{"slack:#a" = "discord:#b"}',
    ):
        with pytest.raises(ConfigError, match=r"config.toml"):
            load_settings(write(tmp_path, f"[bot]\nmirror_channels = {wrong}\n"), environ={})
    with pytest.raises(
        ConfigError, match=r"\[bot\] mirror_channels: expected channels written as platform:#"
    ):
        load_settings(write(tmp_path, '[bot]\nmirror_channels = {"slack:#a" = ["matrix:#b"]}\n'), environ={})
