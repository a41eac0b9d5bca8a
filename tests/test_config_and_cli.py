"""Settings and the command line: defaults, strict checks, one clear line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Secret, load_settings

CLI = Path(sys.executable).with_name("alumni-bot")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_need_no_file() -> None:
    settings = load_settings(None, environ={})
    assert settings.database.url == "sqlite+aiosqlite:///alumni-bot.db"
    assert settings.introductions.max_asks_per_week == 2
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
    ],
)
def test_bad_start_up_prints_one_line_and_exits_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    (tmp_path / "bad.toml").write_text("[bot]\ncolour = 'red'\n")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", "--database", f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", cwd=tmp_path)
    assert result.returncode == 0 and "up to date" in result.stdout


def test_matching_weights_that_break_their_order_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[matching]\nother_region = 5\n")
    with pytest.raises(ConfigError, match=r"\[matching\] other_region must exceed topics_cap"):
        load_settings(config, environ={})
    config.write_text('[matching]\ncadence = "daily"\n')
    with pytest.raises(ConfigError, match=r"\[matching\] cadence"):
        load_settings(config, environ={})
    config.write_text("[matching]\nforbid_same_organisation = true\n")
    assert load_settings(config, environ={}).matching.weights().forbid_same_organisation
