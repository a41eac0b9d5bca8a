"""The deployment files agree with the package: what they run exists, what they set is a setting.

No container engine runs on the development machines, so the Dockerfile and compose.yaml are
checked here against the code rather than built; the systemd unit goes through
`systemd-analyze verify` where that tool is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from adapters.cli import build_parser
from adapters.slack.server import EVENTS_PATH
from adapters.web import HEALTH_PATH
from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) for each instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def instructions(name: str) -> list[str]:
    return [arguments for instruction, arguments in dockerfile() if instruction == name]


def test_the_image_is_built_in_two_slim_stages_and_runs_as_its_own_user() -> None:
    stages = instructions("FROM")
    assert len(stages) == 2 and all(stage.startswith("python:3.11-slim") for stage in stages)
    assert instructions("USER") == ["alumni"] and instructions("STOPSIGNAL") == ["SIGTERM"]
    for copied in instructions("COPY"):
        if not copied.startswith("--from"):
            assert all((ROOT / path).exists() for path in copied.split()[:-1]), copied


def test_the_image_runs_commands_the_package_has() -> None:
    [entrypoint], [command] = instructions("ENTRYPOINT"), instructions("CMD")
    [script] = json.loads(entrypoint)
    assert script in PROJECT["scripts"]
    build_parser().parse_args(json.loads(command))
    extras = {extra for run in instructions("RUN") for extra in re.findall(r"\[([a-z,]+)\]", run)}
    assert extras and all(
        set(group.split(",")) <= PROJECT["optional-dependencies"].keys() for group in extras
    )


def image_settings() -> Settings:
    [environment] = instructions("ENV")
    return load_settings(None, environ=dict(pair.split("=", 1) for pair in environment.split()))


def test_the_health_check_asks_the_health_endpoint_where_the_image_serves_it() -> None:
    [check] = instructions("HEALTHCHECK")
    settings = image_settings()
    assert f"http://127.0.0.1:{settings.web.port}{HEALTH_PATH}" in check and "CMD" in check
    assert settings.web.host == "0.0.0.0"  # reachable through a published port, not only inside
    assert instructions("EXPOSE") == [str(settings.web.port)]


def test_the_image_s_environment_is_made_of_settings() -> None:
    settings = image_settings()
    assert settings.database.url == "sqlite:////data/alumni-bot.db"
    assert settings.source("database", "url") == "ALUMNI_BOT_DATABASE_URL"


def test_compose_runs_the_image_on_postgresql_with_a_volume() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["build"] == "." and db["image"].startswith("postgres:")
    assert any(volume.split(":")[0] in compose["volumes"] for volume in db["volumes"])
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    environment = {
        name: re.sub(r"\$\{[^}]+\}", "secret", value) for name, value in bot["environment"].items()
    }
    settings: Settings = load_settings(None, environ=environment)
    assert settings.database.url.startswith("postgresql://alumni:secret@db:5432/")
    assert db["environment"]["POSTGRES_DB"] == settings.database.url.rsplit("/", 1)[1]
    port = image_settings().web.port
    assert bot["ports"] == [f"127.0.0.1:{port}:{port}"]  # health, metrics (and Slack) on this machine only


def test_the_systemd_unit_runs_the_bot_and_hands_it_its_secrets(tmp_path: Path) -> None:
    unit = (ROOT / "deploy" / "alumni-bot.service").read_text()
    [command] = re.findall(r"^ExecStart=(\S+) (.*)$", unit, re.MULTILINE)
    assert Path(command[0]).name in PROJECT["scripts"]
    build_parser().parse_args(command[1].split())
    credentials = dict(re.findall(r"^LoadCredential=([^:]+):(\S+)$", unit, re.MULTILINE))
    for variable, name in re.findall(r"^Environment=(\w+_FILE)=%d/(\S+)$", unit, re.MULTILINE):
        assert name in credentials
        (tmp_path / name).write_text("xoxb-from-a-credential\n")
        settings = load_settings(None, environ={variable: str(tmp_path / name)})
        assert "xoxb-from-a-credential" in {str(value) for value in vars(settings.secrets).values()}
    assert "RestartPreventExitStatus=2" in unit


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    installed = str(Path(sys.executable).with_name("alumni-bot"))
    unit = (
        (ROOT / "deploy" / "alumni-bot.service")
        .read_text()
        .replace("/opt/alumni-bot/bin/alumni-bot", installed)
    )
    (tmp_path / "alumni-bot.service").write_text(unit)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "alumni-bot.service")], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout + result.stderr == ""


def test_the_proxy_passes_only_slack_s_endpoint_to_the_bot() -> None:
    proxy = (ROOT / "deploy" / "nginx.conf").read_text()
    [location] = re.findall(r"location = (\S+) \{[^}]*proxy_pass http://127\.0\.0\.1:(\d+);", proxy)
    assert location == (EVENTS_PATH, str(Settings().web.port))
