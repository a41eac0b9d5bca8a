"""Who may open the dashboard: a facilitator follows the personal link `/alumni insights`
gives (valid 15 minutes, once), which opens a session kept in a cookie (adapters.dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlencode

from bot.config import FacilitatorSettings, Settings
from storage.insights import Scope

DASHBOARD_PATH = "/insights"
SIGN_IN_PATH = "/insights/sign-in"
LINK_LIFETIME = timedelta(minutes=15)


def dashboard_base(settings: Settings) -> str:
    return settings.insights.dashboard_url.rstrip("/") or f"http://{settings.web.host}:{settings.web.port}"


def sign_in_url(settings: Settings, secret: str, scope: Scope) -> str:
    """The link, opening the dashboard on the figures the facilitator asked for in chat."""
    query = {"token": secret, "period": scope.period.label} | (
        {"cohort": scope.cohort} if scope.cohort else {}
    )
    return f"{dashboard_base(settings)}{SIGN_IN_PATH}?{urlencode(query)}"


def still_facilitator(accounts: Sequence[tuple[str, str]], settings: FacilitatorSettings) -> bool:
    """Whether the member with these (platform, user id) accounts may still see the dashboard.
    Being named in `[facilitators] members` is checked on every request; a platform role (Slack
    user group, Discord role, console role) was checked when they asked for the link, as the
    web server cannot ask the platform again."""
    by_role = {
        "slack": settings.slack_usergroups,
        "discord": settings.discord_roles,
        "console": settings.console_roles,
    }
    return any(
        f"{platform}:{user}" in settings.members or by_role.get(platform) for platform, user in accounts
    )
