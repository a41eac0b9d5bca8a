"""Discord interactions and members in, neutral events out: small pure functions."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

import discord

from adapters.discord.commands import SUBCOMMAND, USER
from adapters.discord.render import PLATFORM
from bot.core import COMMAND
from bot.events import Action, Actor, Command, DirectMessage, FormSubmitted, MemberJoined
from bot.permissions import roles_of
from bot.refs import ChannelRef, MemberRef, MessageRef
from bot.router import Param, Router


def actor(
    user: discord.User | discord.Member,
    workspace: str,
    facilitator_roles: Collection[str],
    locale: discord.Locale | None = None,
) -> Actor:
    """The member, a facilitator when one of their roles is named (or has its id) in
    `[facilitators] discord_roles`."""
    held: set[str] = set()
    if isinstance(user, discord.Member):
        held = {label for role in user.roles if not role.is_default() for label in (role.name, str(role.id))}
    return Actor(
        member=MemberRef(PLATFORM, workspace, str(user.id)),
        display_name=user.display_name,
        roles=roles_of(held, facilitator_roles),
        locale=locale.value if locale else None,
    )


def channel(interaction: discord.Interaction, workspace: str) -> ChannelRef | None:
    if interaction.channel_id is None:
        return None
    return ChannelRef(PLATFORM, workspace, str(interaction.channel_id))


def command(interaction: discord.Interaction, who: Actor) -> Command:
    """`/alumni profile member:@Bo` arrives as text="profile", options={"member": MemberRef(Bo)}:
    typed values stay typed."""
    data: Mapping[str, Any] = interaction.data or {}
    name, options, text = data["name"], data.get("options") or [], ""
    if name == COMMAND and options and options[0]["type"] == SUBCOMMAND:
        text, options = options[0]["name"], options[0].get("options") or []
    workspace = who.member.workspace
    typed = {o["name"]: _typed(o, workspace) for o in options}
    return Command(who, name, text, channel(interaction, workspace), str(interaction.id), typed)


def _typed(option: Mapping[str, Any], workspace: str) -> str | MemberRef:
    value = str(option.get("value", ""))
    return MemberRef(PLATFORM, workspace, value) if option["type"] == USER else value


def custom_id(interaction: discord.Interaction) -> str:
    """The id of the button, menu or form the interaction comes from ("" for a command)."""
    data: Mapping[str, Any] = interaction.data or {}
    return str(data.get("custom_id", ""))


def action(interaction: discord.Interaction, who: Actor) -> Action:
    data: Mapping[str, Any] = interaction.data or {}
    chosen = data.get("values") or [None]
    return Action(
        actor=who,
        action_id=custom_id(interaction),
        value=chosen[0],
        channel=channel(interaction, who.member.workspace),
        message=message_ref(interaction.message, who.member.workspace) if interaction.message else None,
        delivery_id=str(interaction.id),
    )


def form(interaction: discord.Interaction, who: Actor) -> FormSubmitted:
    data: Mapping[str, Any] = interaction.data or {}
    return FormSubmitted(
        actor=who,
        action_id=custom_id(interaction),
        values=dict(_inputs(data.get("components") or [])),
        channel=channel(interaction, who.member.workspace),
        delivery_id=str(interaction.id),
    )


def _inputs(components: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Text inputs sit in action rows (or labels); walk down to each custom id and value."""
    for component in components:
        if "value" in component and "custom_id" in component:
            yield component["custom_id"], str(component["value"])
        yield from _inputs(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from _inputs([component["component"]])


def direct_message(message: discord.Message, who: Actor) -> DirectMessage:
    """What a member wrote to the bot, without the words (never read, never kept)."""
    where = ChannelRef(PLATFORM, who.member.workspace, str(message.channel.id))
    return DirectMessage(who, where, delivery_id=f"dm:{message.id}")


def member_joined(member: discord.Member, who: Actor) -> MemberJoined:
    joined = member.joined_at.timestamp() if member.joined_at else 0
    return MemberJoined(who, delivery_id=f"join:{member.guild.id}:{member.id}:{joined:.0f}")


def focused(interaction: discord.Interaction, router: Router) -> tuple[Param, str] | None:
    """The parameter being typed in an autocomplete request, and what is typed so far."""
    data: Mapping[str, Any] = interaction.data or {}
    name, options = data["name"], data.get("options") or []
    if name == COMMAND and options and options[0]["type"] == SUBCOMMAND:
        name, options = options[0]["name"], options[0].get("options") or []
    spec = router.commands.get(name)
    typing = next((o for o in options if o.get("focused")), None)
    if spec is None or typing is None:
        return None
    param = next((p for p in spec.params if p.name == typing["name"]), None)
    return (param, str(typing.get("value", ""))) if param else None


def message_ref(message: discord.Message | discord.PartialMessage, workspace: str) -> MessageRef:
    return MessageRef(PLATFORM, workspace, str(message.channel.id), str(message.id))
