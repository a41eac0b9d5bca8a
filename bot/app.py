"""Putting the core together: the features, in the order `/alumni help` lists them."""

from __future__ import annotations

from bot import housekeeping
from bot.features import (
    directory,
    help,
    home,
    insights,
    introductions,
    matching,
    member_data,
    polls,
    profiles,
    reminders,
    roundtables,
)
from bot.router import Router

FEATURES = (
    help,
    profiles,
    directory,
    introductions,
    matching,
    reminders,
    polls,
    roundtables,
    member_data,
    insights,
    home,
)


def build_router() -> Router:
    router = Router()
    for module in FEATURES:
        if hasattr(module, "feature"):
            router.include(module.feature)
        else:
            module.register(router)
    housekeeping.register(router)
    return router
