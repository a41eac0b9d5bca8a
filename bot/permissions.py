"""Who may do what. Adapters map what their platform knows of a member (Slack user groups,
Discord roles, a console flag) to the neutral roles below; only the core decides."""

from __future__ import annotations

from collections.abc import Collection

from bot.config import FacilitatorSettings
from bot.events import Actor
from bot.i18n import _, join_list
from bot.messages import Inline, Mention, filled
from bot.refs import MemberRef

FACILITATOR = "facilitator"


def roles_of(held: Collection[str], facilitator_roles: Collection[str]) -> frozenset[str]:
    """The neutral roles of a member who holds the platform's `held` roles, where holding
    any of `facilitator_roles` (as the settings name them for that platform) makes a facilitator."""
    return frozenset({FACILITATOR}) if set(held) & set(facilitator_roles) else frozenset()


def is_facilitator(actor: Actor, settings: FacilitatorSettings) -> bool:
    member = actor.member
    return FACILITATOR in actor.roles or f"{member.platform}:{member.user_id}" in settings.members


def facilitator_contacts(settings: FacilitatorSettings, member: MemberRef) -> list[Inline]:
    """Who a member can ask for what facilitators do, as the platform knows them: the members
    named in the settings (as mentions), then the Slack user groups or Discord roles."""
    named: list[Inline] = [
        Mention(MemberRef(member.platform, member.workspace, entry.split(":", 1)[1]))
        for entry in settings.members
        if entry.startswith(f"{member.platform}:")
    ]
    groups = {
        "slack": [f"@{handle}" for handle in settings.slack_usergroups],
        "discord": [
            _("the {role} role").format(role=role) for role in settings.discord_roles if not role.isdigit()
        ],
        "console": [_("members with the {role} role").format(role=role) for role in settings.console_roles],
    }.get(member.platform, [])
    parts: list[Inline] = [*named, *groups]
    if not parts:
        return [_("the people who run this network")]
    # "a, b or c" as the language being spoken lists alternatives, with mentions kept rich.
    template = join_list([f"{{part{number}}}" for number in range(len(parts))], "or")
    return list(filled(template, **{f"part{number}": part for number, part in enumerate(parts)}))
