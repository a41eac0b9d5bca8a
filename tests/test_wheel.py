"""The package as a self-hoster gets it: the wheel built from the sources, installed without
extras into a fresh virtualenv outside the checkout, run from there.

Slow by nature (about 20 s: pip installs the dependencies, from its cache when it has them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.support import databases

# What the wheel is built from: the files the Dockerfile copies too.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "bot", "adapters", "storage")


@dataclass
class Installed:
    bin: Path
    home: Path

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "alumni-bot"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.home,
            env=clean_environment()
            | {"ALUMNI_BOT_POLL_SECRET": "a-long-random-test-value-of-more-than-32-characters"},
        )


def clean_environment() -> dict[str, str]:
    """This environment without the test virtualenv, the checkout or the bot's settings."""
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "DATABASE_URL")
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("ALUMNI_BOT_")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project_root = Path(__file__).resolve().parent.parent
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (project_root / name).is_dir() else shutil.copy
        copy(project_root / name, source / name)  # type: ignore[operator]
    wheels = tmp_path_factory.mktemp("wheels")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(source)], check=True, timeout=300
    )
    [built] = wheels.glob("alumni_bot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Installed:
    return install(tmp_path_factory, str(wheel))


@pytest.fixture(scope="module")
def installed_with_postgres(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Installed:
    return install(tmp_path_factory, f"{wheel}[postgres]")


def install(tmp_path_factory: pytest.TempPathFactory, requirement: str) -> Installed:
    """A fresh virtualenv outside the checkout with `requirement` (the wheel, maybe with extras)."""
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "--disable-pip-version-check",
            "--quiet",
            "install",
            "--no-compile",
            requirement,
        ],
        check=True,
        timeout=600,
        env=clean_environment(),
    )
    return Installed(environment / "bin", tmp_path_factory.mktemp("home"))


def test_version_database_and_a_console_session_from_the_wheel(
    installed: Installed, project_root: Path
) -> None:
    assert installed.run("--version").stdout.startswith("alumni-bot ")
    url = f"sqlite:///{installed.home / 'alumni.db'}"
    upgraded = installed.run("db", "upgrade", "--database", url)
    assert upgraded.returncode == 0 and upgraded.stdout.startswith("Database upgraded from empty to ")
    script = "/as Ana Lima\n/alumni help find\n/as Ben Okoro --facilitator\n/who\n"
    session = installed.run("run", "--database", url, stdin=script)
    assert session.returncode == 0, session.stderr
    assert "You are now Ana Lima" in session.stdout and "/alumni find" in session.stdout
    assert "Ben Okoro" in session.stdout.split("/who")[-1]
    assert "Traceback" not in session.stdout + session.stderr

    where = subprocess.run(
        [str(installed.bin / "python"), "-c", "import bot, adapters, storage; print(bot.__file__)"],
        capture_output=True,
        text=True,
        cwd=installed.home,
        env=clean_environment(),
    ).stdout
    assert str(installed.bin.parent) in where and str(project_root) not in where


def test_the_wheel_with_the_postgres_extra_upgrades_and_runs_on_postgresql(
    installed_with_postgres: Installed, postgres_reachable: None
) -> None:
    with databases.fresh_postgres_database() as test_url:
        # The URL as a self-hoster writes it: plain postgresql://, which means asyncpg.
        url = make_url(test_url).set(drivername="postgresql").render_as_string(hide_password=False)
        upgraded = installed_with_postgres.run("db", "upgrade", "--database", url)
        assert upgraded.returncode == 0, upgraded.stderr
        assert upgraded.stdout.startswith("Database upgraded from empty to ")
        script = "/as Ana Lima\n/alumni help find\n/as Ben Okoro\n/who\n"
        session = installed_with_postgres.run("run", "--database", url, stdin=script)
        assert session.returncode == 0, session.stderr
        assert "/alumni find" in session.stdout and "Ben Okoro" in session.stdout.split("/who")[-1]
        current = installed_with_postgres.run("db", "current", "--database", url)
        assert current.returncode == 0, current.stderr
        assert "(head: up to date)" in current.stdout


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("run", "--adapter", "slack"), "The Slack adapter needs the 'slack' extra"),
        (("run", "--adapter", "discord"), "The Discord adapter needs the 'discord' extra"),
        (("slack-manifest",), "slack-manifest needs the 'slack' extra"),
        (("db", "current", "--database", "postgresql://bot@127.0.0.1/alumni"), "needs the 'postgres' extra"),
    ],
)
def test_a_missing_extra_is_named_in_one_line(installed: Installed, args: tuple[str, ...], line: str) -> None:
    result = installed.run(*args)
    assert result.returncode == 2
    [said] = result.stderr.splitlines()
    assert line in said and "pip install 'alumni-bot[" in said
