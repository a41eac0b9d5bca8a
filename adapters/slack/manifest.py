"""The Slack app manifest: paste it into "Create an app from a manifest" at api.slack.com/apps.

Built from the router, so every command is listed; the scopes are the ones the adapter
uses, each with the call that needs it.
"""

from __future__ import annotations

from typing import Any

import yaml

from adapters.slack.app import command_names
from adapters.slack.server import EVENTS_PATH
from bot.router import Router

NAME = "alumni-bot"
COMMAND_DESCRIPTION = "The alumni network: profiles, directory, introductions"
DESCRIPTION = "Keeps an alumni network alive between meetings: profiles, a directory, introductions."

# Slack's built-in commands; a custom command with one of these names never reaches the app.
RESERVED = frozenset(
    [
        "/active",
        "/apps",
        "/archive",
        "/away",
        "/call",
        "/collapse",
        "/dm",
        "/dnd",
        "/expand",
        "/feed",
        "/feedback",
        "/giphy",
        "/invite",
        "/join",
        "/kick",
        "/leave",
        "/me",
        "/msg",
        "/mute",
        "/open",
        "/prefs",
        "/remind",
        "/remove",
        "/rename",
        "/search",
        "/shortcuts",
        "/shrug",
        "/star",
        "/status",
        "/topic",
        "/who",
    ]
)

BOT_SCOPES = (
    "commands",  # slash commands
    "chat:write",  # chat.postMessage, chat.update, chat.delete, chat.postEphemeral
    "chat:write.public",  # post introduction cards in a public channel the bot has not joined
    "im:write",  # conversations.open for direct messages
    "mpim:write",  # conversations.open for two- and three-person conversations
    "users:read",  # users.info (name, time zone, locale) and the team_join event
    "usergroups:read",  # usergroups.list, for facilitators given as a user group handle
    "channels:read",  # conversations.list (channel names) and member_joined_channel
    "groups:read",  # the same for private channels
    "files:write",  # data exports and images, via the external upload flow
    # conversations.history: after a crash, was a message already posted? (its metadata says)
    "channels:history",
    "groups:history",
    "im:history",  # and the message.im event: a member writing in the app's Messages tab
    "mpim:history",
)

# message.im: members who write to the bot get short help (what they wrote is not read).
BOT_EVENTS = ("app_home_opened", "team_join", "member_joined_channel", "message.im")


PUBLIC_URL = "https://alumni-bot.example.org"


def build(router: Router, *, socket_mode: bool, public_url: str = PUBLIC_URL) -> dict[str, Any]:
    """The manifest as data; in HTTP mode every request URL points at `public_url`."""
    url = public_url.rstrip("/") + EVENTS_PATH
    commands = []
    for name in command_names(router.aliases):
        if name in RESERVED:
            raise ValueError(f"{name} is one of Slack's built-in commands; pick another name")
        spec = router.commands.get(name.removeprefix("/"))
        if spec is None:  # the main command: every subcommand behind it
            description, hint = COMMAND_DESCRIPTION, " | ".join(router.commands)
        else:
            description, hint = spec.summary, spec.usage.removeprefix(spec.name).strip()
        command: dict[str, Any] = {
            "command": name,
            "description": description,
            "usage_hint": hint,
            "should_escape": True,  # mentions arrive as <@U123|name>, so members are found by id
        }
        if not socket_mode:
            command["url"] = url
        commands.append({k: v for k, v in command.items() if v != ""})
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(BOT_EVENTS)},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    if not socket_mode:
        settings["event_subscriptions"]["request_url"] = url
        settings["interactivity"]["request_url"] = url
    return {
        "display_information": {"name": NAME, "description": DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": NAME, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": settings,
    }


def render(router: Router, *, socket_mode: bool, public_url: str = PUBLIC_URL) -> str:
    return yaml.safe_dump(
        build(router, socket_mode=socket_mode, public_url=public_url), sort_keys=False, allow_unicode=True
    )
