"""`alumni-bot discord-invite`: the link with both scopes and exactly the permissions used."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from adapters.cli import main


def test_invite_has_both_scopes_and_only_the_permissions_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discord-invite", "1000"]) == 0
    query = parse_qs(urlparse(capsys.readouterr().out.strip()).query)
    assert query["client_id"] == ["1000"] and query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert {name for name, on in granted if on} == {
        "read_messages",  # View Channels, under its older name
        "send_messages",
        "embed_links",
        "attach_files",
        "create_private_threads",
        "send_messages_in_threads",
    }


def test_invite_reads_the_application_from_the_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", base64.b64encode(b"123456789").decode().rstrip("=") + ".x.y")
    assert main(["discord-invite"]) == 0
    assert "client_id=123456789" in capsys.readouterr().out


def test_invite_without_id_or_token_says_what_to_do(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["discord-invite"]) == 2
    assert "give the application id, or set DISCORD_TOKEN" in capsys.readouterr().err
