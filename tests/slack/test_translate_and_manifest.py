"""Slack payloads as neutral events (pure functions), and the app manifest."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from adapters.cli import main
from adapters.slack import manifest, translate
from bot.app import build_router
from bot.events import Action, Command, FormSubmitted
from bot.refs import ChannelRef, MessageRef
from tests.support.fake_slack import TEAM, FakeMessage, FakeSlack
from tests.support.slack_driver import action_payload, command_payload, view_payload

NOBODY = translate.actor(TEAM, "UANA", None, "ana", frozenset())


def test_actor_from_users_info_or_from_the_payload() -> None:
    user = {
        "profile": {"display_name": "", "real_name": "Ana Lima"},
        "tz": "Europe/Lisbon",
        "locale": "pt-PT",
    }
    actor = translate.actor(TEAM, "UANA", user, "ana", frozenset({"team"}))
    assert (actor.display_name, actor.timezone, actor.locale, actor.roles) == (
        "Ana Lima",
        "Europe/Lisbon",
        "pt-PT",
        frozenset({"team"}),
    )
    assert (NOBODY.display_name, NOBODY.timezone) == ("ana", None)


def test_a_slash_command_with_escaped_mentions(fake: FakeSlack) -> None:
    payload = command_payload(fake, "UANA", "introduce <@UBEN|ben.okafor> and <@W123|x>", "/alumni")
    event = translate.command(payload, NOBODY)
    assert isinstance(event, Command)
    assert (event.name, event.text) == ("alumni", "introduce <@UBEN> and <@W123>")
    assert event.channel == ChannelRef("slack", TEAM, "CGENERAL")
    assert event.delivery_id == payload["trigger_id"]
    assert translate.command(command_payload(fake, "UANA", "", "/intro"), NOBODY).name == "intro"


def test_a_button_press_and_a_menu_choice(fake: FakeSlack) -> None:
    message = FakeMessage("C1", "111.2", [], "")
    payload = action_payload(
        fake, "UANA", message, {"action_id": "find:page:1:maps", "type": "button", "text": {}}
    )
    event = translate.action(payload, NOBODY)
    assert isinstance(event, Action)
    assert event.action_id == "find:page:1:maps" and event.message == MessageRef("slack", TEAM, "C1", "111.2")
    chosen = action_payload(fake, "UANA", message, {"action_id": "x:pick", "type": "static_select"}, "v2")
    assert translate.action(chosen, NOBODY).value == "v2"


def test_a_modal_submission_with_an_empty_optional_input() -> None:
    view = {
        "callback_id": "profile:about",
        "private_metadata": '{"channel_id": "C9"}',
        "blocks": [
            {"block_id": "name", "element": {"action_id": "name", "initial_value": "Ana"}},
            {"block_id": "role", "element": {"action_id": "role"}},
        ],
    }
    event = translate.form(view_payload("UANA", view, {}), NOBODY)
    assert isinstance(event, FormSubmitted)
    assert event.values == {"name": "Ana", "role": ""}
    assert event.channel == ChannelRef("slack", TEAM, "C9")


def test_manifest_lists_every_command_scope_and_event() -> None:
    router = build_router()
    socket = yaml.safe_load(manifest.render(router, socket_mode=True))
    commands = [c["command"] for c in socket["features"]["slash_commands"]]
    assert commands == ["/alumni", "/intro", "/profile"]
    assert not set(commands) & manifest.RESERVED
    assert all(c["should_escape"] and "url" not in c for c in socket["features"]["slash_commands"])
    assert socket["settings"]["socket_mode_enabled"] is True
    assert socket["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "team_join",
        "member_joined_channel",
        "message.im",  # the Messages tab is open: what members write there gets an answer
    ]
    assert socket["features"]["app_home"]["messages_tab_enabled"] is True
    assert {"commands", "chat:write", "im:write", "mpim:write", "users:read", "files:write"} <= set(
        socket["oauth_config"]["scopes"]["bot"]
    )
    assert socket["features"]["app_home"]["home_tab_enabled"] is True

    http = yaml.safe_load(manifest.render(router, socket_mode=False, public_url="https://bot.example.net/"))
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["interactivity"]["request_url"] == "https://bot.example.net/slack/events"
    assert {c["url"] for c in http["features"]["slash_commands"]} == {"https://bot.example.net/slack/events"}


def test_manifest_refuses_a_command_slack_reserves() -> None:
    router = build_router()
    router.commands["remind"] = replace(router.commands["intro"], name="remind")
    with pytest.raises(ValueError, match="/remind is one of Slack's built-in commands"):
        manifest.build(router, socket_mode=True)


def test_the_cli_prints_the_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack-manifest", "--http", "--url", "https://bot.example.net"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["settings"]["socket_mode_enabled"] is False
    assert main(["slack-manifest"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["settings"]["socket_mode_enabled"] is True


def test_run_with_the_slack_adapter_names_a_missing_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    database = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    assert main(["run", "--adapter", "slack", "--database", database]) == 2
    assert "SLACK_BOT_TOKEN is not set" in capsys.readouterr().err
