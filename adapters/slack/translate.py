"""Slack payloads as neutral events. Pure functions, like bolt's own aiohttp adapter.

Each event carries a delivery id (the interaction's trigger_id, or the Events API
event_id), so the core records it and a redelivery is recognised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.events import Action, Actor, Command, DirectMessage, FormSubmitted, MemberJoined
from bot.refs import ChannelRef, MemberRef, MessageRef

PLATFORM = "slack"
# Slack escapes mentions as <@U123|name>; the core knows one form, <@U123>.
ESCAPED_MENTION = re.compile(r"<@([UW][A-Z0-9]+)\|[^>]*>")


@dataclass(frozen=True)
class Origin:
    """Where an interaction came from, and how to answer it (Slack details the core never sees)."""

    team_id: str
    user_id: str
    user_name: str = ""
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None
    pressed: MessageRef | None = None
    home_visit: bool = False  # the member opened the App Home: their private reply is the tab
    in_home_tab: bool = False  # pressed inside the Home tab: an update of it redraws the tab


def member(team_id: str, user_id: str) -> MemberRef:
    return MemberRef(PLATFORM, team_id, user_id)


def channel(team_id: str, channel_id: str | None) -> ChannelRef | None:
    return ChannelRef(PLATFORM, team_id, channel_id) if channel_id else None


def plain_mentions(text: str) -> str:
    return ESCAPED_MENTION.sub(r"<@\1>", text)


def command_origin(body: Mapping[str, Any]) -> Origin:
    return Origin(
        team_id=body["team_id"],
        user_id=body["user_id"],
        user_name=body.get("user_name", ""),
        channel_id=body.get("channel_id"),
        response_url=body.get("response_url"),
        trigger_id=body.get("trigger_id"),
    )


def command(body: Mapping[str, Any], actor: Actor) -> Command:
    origin = command_origin(body)
    return Command(
        actor=actor,
        name=body["command"].lstrip("/"),
        text=plain_mentions(body.get("text", "")),
        channel=channel(origin.team_id, origin.channel_id),
        delivery_id=origin.trigger_id,
    )


def _team(body: Mapping[str, Any]) -> str:
    team_id: str = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
    return team_id


def action_origin(body: Mapping[str, Any]) -> Origin:
    team = _team(body)
    container = body.get("container") or {}
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    pressed = None
    if container.get("type") == "message" and channel_id:
        pressed = MessageRef(PLATFORM, team, channel_id, container["message_ts"])
    return Origin(
        team_id=team,
        user_id=body["user"]["id"],
        user_name=body["user"].get("name") or body["user"].get("username", ""),
        channel_id=channel_id,
        response_url=body.get("response_url"),
        trigger_id=body.get("trigger_id"),
        pressed=pressed,
        in_home_tab=(body.get("view") or {}).get("type") == "home",
    )


def action(body: Mapping[str, Any], actor: Actor) -> Action:
    origin = action_origin(body)
    pressed = body["actions"][0]
    value = (pressed.get("selected_option") or {}).get("value", pressed.get("value"))
    return Action(
        actor=actor,
        action_id=pressed["action_id"],
        value=value,
        channel=channel(origin.team_id, origin.channel_id),
        message=origin.pressed,
        delivery_id=origin.trigger_id,
    )


def form_metadata(origin: Origin) -> dict[str, str]:
    """What a modal remembers of where it was opened, to answer there after submission."""
    return {
        key: value
        for key, value in (("channel_id", origin.channel_id), ("response_url", origin.response_url))
        if value
    }


def view_origin(body: Mapping[str, Any]) -> Origin:
    view = body["view"]
    try:
        remembered = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        remembered = {}
    return Origin(
        team_id=_team(body),
        user_id=body["user"]["id"],
        user_name=body["user"].get("name") or body["user"].get("username", ""),
        channel_id=remembered.get("channel_id"),
        response_url=remembered.get("response_url"),
        trigger_id=body.get("trigger_id"),
    )


def form_values(state: Mapping[str, Any]) -> dict[str, str]:
    """`view.state.values` ({block: {action: {value}}}) as {input name: text}; empty stays ""."""
    values = {}
    for block_id, elements in state.get("values", {}).items():
        for element in elements.values():
            selected = element.get("selected_option") or {}
            values[block_id] = selected.get("value") or element.get("value") or ""
    return values


def form(body: Mapping[str, Any], actor: Actor) -> FormSubmitted:
    origin = view_origin(body)
    view = body["view"]
    return FormSubmitted(
        actor=actor,
        action_id=view["callback_id"],
        values=form_values(view.get("state") or {}),
        channel=channel(origin.team_id, origin.channel_id),
        delivery_id=origin.trigger_id,
    )


def event_user_id(event: Mapping[str, Any]) -> str:
    """team_join sends the whole user object; other events send the id."""
    user: Mapping[str, str] | str = event["user"]
    return user["id"] if isinstance(user, Mapping) else user


def joined(body: Mapping[str, Any], actor: Actor) -> MemberJoined:
    return MemberJoined(actor=actor, delivery_id=body.get("event_id"))


def is_written_to_bot(event: Mapping[str, Any]) -> bool:
    """A member's own new message in a direct conversation with the bot: not the bot's own,
    another bot's, nor an edit, deletion or other subtype."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
    )


def direct_message(body: Mapping[str, Any], actor: Actor) -> DirectMessage:
    event = body["event"]
    return DirectMessage(
        actor=actor, channel=channel(body["team_id"], event.get("channel")), delivery_id=body.get("event_id")
    )


def event_origin(body: Mapping[str, Any], *, home_visit: bool = False) -> Origin:
    event = body["event"]
    return Origin(team_id=body["team_id"], user_id=event_user_id(event), home_visit=home_visit)


def home_visit(body: Mapping[str, Any], actor: Actor) -> Command:
    """Opening the App Home asks the core for the member's home, like `/alumni home`."""
    return Command(actor=actor, name="alumni", text="home", delivery_id=body.get("event_id"))


def actor(
    team_id: str, user_id: str, user: Mapping[str, Any] | None, fallback_name: str, roles: frozenset[str]
) -> Actor:
    """An Actor from a `users.info` user object (None when Slack could not say)."""
    user = user or {}
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or fallback_name
        or user_id
    )
    return Actor(
        member=member(team_id, user_id),
        display_name=name,
        roles=roles,
        timezone=user.get("tz") or None,
        locale=user.get("locale") or None,
    )
