"""Who may do what. Adapters report a member's roles; only the core decides."""

from __future__ import annotations

from bot.config import FacilitatorSettings
from bot.events import Actor


def is_facilitator(actor: Actor, settings: FacilitatorSettings) -> bool:
    member = actor.member
    if f"{member.platform}:{member.user_id}" in settings.members:
        return True
    roles = {
        "slack": settings.slack_usergroups,
        "discord": settings.discord_roles,
        "console": settings.console_roles,
    }.get(member.platform, ())
    return not actor.roles.isdisjoint(roles)
