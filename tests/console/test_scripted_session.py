"""The console adapter, played from a script through the real `alumni-bot` process."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("alumni-bot")


def console(lines: list[str], database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console bot, as a newcomer starts it: no secrets in the environment."""
    result = subprocess.run(
        [str(CLI), "run", "--adapter", "console", "--database", database_url],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=90,
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALUMNI_BOT_POLL_SECRET")},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def play(lines: list[str], database_url: str, cwd: Path) -> str:
    return console(lines, database_url, cwd).stdout


class Session:
    """Plays a growing script, each time from an empty database, so the button numbers
    printed by one run are the ones the next run's `/press` lines refer to."""

    def __init__(self, cwd: Path) -> None:
        self.cwd, self.lines, self.runs = cwd, [], 0

    def run(self, *lines: str) -> str:
        self.lines.extend(lines)
        self.runs += 1
        url = f"sqlite+aiosqlite:///{self.cwd / f'console-{self.runs}.db'}"
        return play(self.lines, url, self.cwd)

    def button(self, output: str, label: str, after: str = "") -> str:
        tail = output[output.rindex(after) :] if after else output
        found = re.findall(rf"\[(\d+)\] [*!]?{re.escape(label)}", tail)
        assert found, f"no button {label!r} in:\n{tail}"
        return found[-1]


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(tmp_path)


def set_up(session: Session, name: str, organisation: str, expertise: str, learning: str = "") -> str:
    out = session.run(f"/as {name}", "/intro", name, organisation, "", "Kenya", "Nairobi")
    topics = session.button(out, "Add my topics", after=f"You are now {name}")
    return session.run(f"/press {topics}", expertise, learning, "", "", "")


def test_a_scripted_session_covers_the_whole_foundation(session: Session) -> None:
    out = set_up(session, "Ana Lima", "GBIF", "Open-Data, licensing", "fundraising")
    assert "[#introductions]" in out and "*Please welcome Ana Lima!*" in out
    assert "[only Ana Lima sees this]\n  Saved. Your introduction is posted in #introductions." in out
    assert "[updated message" in out and "Your introduction is updated in #introductions." in out

    out = set_up(session, "Ben Okoro", "OpenStreetMap", "maps", "open data")
    out = set_up(session, "Chen Wei", "MusicBrainz", "data licensing")
    out = session.run("/as Ben Okoro", "/alumni find opendata")
    assert "*2 people for \u201copendata\u201d*" in out.split("/alumni find opendata")[-1]

    out = session.run('/alumni introduce "licensing" we need a licence for our tiles')
    ask = session.button(out, "Ask Ana Lima", after="/alumni introduce")
    out = session.run(f"/press {ask}")
    assert "[DM to Ana Lima]" in out and "we need a licence for our tiles" in out
    decline = session.button(out, "Not now", after=f"/press {ask}")
    out = session.run("/as Ana Lima", f"/press {decline}")
    tail = out.split(f"/press {decline}")[-1]
    assert "[DM to Ben Okoro]" in tail and "can't take this on right now" in tail

    ask_chen = session.button(tail, "Ask Chen Wei")
    out = session.run("/as Ben Okoro", f"/press {ask_chen}")
    accept = session.button(out, "Accept", after=f"/press {ask_chen}")
    out = session.run("/as Chen Wei", f"/press {accept}")
    tail = out.split(f"/press {accept}")[-1]
    assert "[conversation: Ben Okoro, Chen Wei]" in tail and "Ben Okoro, meet Chen Wei" in tail

    out = session.run("/alumni my-data")
    tail = out.split("/alumni my-data")[-1]
    assert "[DM to Chen Wei]" in tail and "[file alumni-bot-my-data.json" in tail
    exported = json.loads(tail[tail.index("    {") : tail.index("\n    }") + 6])
    assert exported["profile"]["organisation"] == "MusicBrainz"

    out = session.run("/alumni forget-me")
    delete = session.button(out, "Delete my data", after="/alumni forget-me")
    out = session.run(f"/press {delete}")
    tail = out.split(f"/press {delete}")[-1]
    assert "[deleted message" in tail and "everything alumni-bot stored about you is deleted" in tail


def test_bad_input_never_ends_the_session(session: Session) -> None:
    out = session.run(
        "hello",
        "/press 99",
        "/alumni fly",
        "/as",
        "/intro",
        "Ana",
        "",
        "",
        "Narnia",
        "Mars",
        "/alumni find",
        "/alumni help find",
    )
    assert "Commands start with a slash" in out
    assert "There is no button [99]" in out
    assert "I don't know the command \u201cfly\u201d" in out
    assert "! Country: I don't know the country \u201cNarnia\u201d" in out
    assert "Form \u201cAbout you\u201d closed; nothing was saved." in out
    assert "Tell me what to look for." in out
    assert "/alumni find <words>" in out  # the last line still ran


def test_times_show_in_the_acting_members_zone(session: Session) -> None:
    set_up(session, "Ana Lima", "GBIF", "maps")  # Africa/Nairobi
    out = session.run("/alumni remind me tomorrow at 9 call the board")
    tail = out.split("call the board")[-1]
    assert re.search(r"\w{3} \d{1,2}, \d{4}, 9:00\u202fAM EAT", tail), tail  # as English writes it


def test_a_matching_round_in_the_console(session: Session) -> None:
    set_up(session, "Ana Lima", "GBIF", "maps")
    set_up(session, "Ben Okoro", "OpenStreetMap", "open data")
    out = session.run(
        "/as Ana Lima",
        "/alumni match join",
        "/alumni match avoid Nobody",
        "/as Ben Okoro",
        "/alumni match join",
        "/alumni match run",
        "/as Fay Adeyemi --facilitator",
        "/alumni match preview",
        "/alumni match run",
        "/alumni match history",
    )
    assert "I can't find a member called \u201cNobody\u201d" in out
    assert "Only facilitators can run matching rounds" in out
    assert "Ana Lima + Ben Okoro: 9 h overlap" in out and "Nothing was sent" in out
    tail = out.split("/alumni match run")[-1]
    assert "[conversation: Ana Lima, Ben Okoro]" in tail
    assert "You're matched this round:* @Ana Lima (GBIF) and @Ben Okoro" in tail and "*Your times:*" in tail
    assert "To start:" in tail and "Round started for alumni: 1 introduction on the way." in tail
    assert "alumni: 1 group, 0 met (0%), 0 answered" in tail


def test_members_are_remembered_between_runs(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'console.db'}"

    def joins(name: str, organisation: str, country: str, zone: str) -> list[str]:
        """The first profile form (name, organisation, role, country, time zone), then matching."""
        return [f"/as {name}", "/intro", name, organisation, "", country, zone, "/alumni match join"]

    first = console(
        joins("Ana Lima", "GBIF", "Kenya", "Nairobi") + joins("Bo Chen", "OKF", "Brazil", "Sao Paulo"),
        url,
        tmp_path,
    ).stdout
    assert first.count("Welcome to the network") == 3  # Alex, Ana Lima, Bo Chen
    again = console(["/who", "/as bo", "/as Fay --facilitator", "/alumni match run"], url, tmp_path).stdout
    assert "Members here: Alex, Ana Lima, Bo Chen" in again
    assert "You are now Bo Chen." in again
    assert again.count("Welcome to the network") == 1  # Fay alone is new
    assert "[conversation: Ana Lima, Bo Chen]" in again


def test_anonymous_polls_work_without_a_configured_key_and_without_a_warning(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'console.db'}"

    def stored_key() -> list[tuple[str, str]]:
        with closing(sqlite3.connect(tmp_path / "console.db")) as connection:
            return connection.execute("SELECT name, value FROM installation_secrets").fetchall()

    poll = ["/as Fay Adeyemi --facilitator", '/alumni poll "Happy?" "Yes" "No" --anonymous']
    first = console(poll, url, tmp_path)
    assert "ALUMNI_BOT_POLL_SECRET" not in first.stdout + first.stderr and "WARNING" not in first.stderr
    made = stored_key()
    assert len(made) == 1 and len(made[0][1]) >= 64
    # Started again on the same database (its members known, so nobody is welcomed again): the
    # same poll lines number the buttons the same way each time from now on.
    vote = re.findall(r"\[(\d+)\] Yes", console(poll, url, tmp_path).stdout)[-1]
    again = console([*poll, "/as Ana Lima", f"/press {vote}"], url, tmp_path)
    assert "Your vote now" in again.stdout and stored_key() == made  # kept from the first start
