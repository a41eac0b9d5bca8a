"""Who may open the dashboard: a facilitator follows the personal link `/alumni insights`
gives (valid 15 minutes, once), which opens a session kept in a cookie (adapters.dashboard)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from bot.config import Settings
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
