"""Putting the core together: the features, in the order `/alumni help` lists them."""

from __future__ import annotations

from bot import housekeeping
from bot.features import directory, help, home, insights, language, member_data, reminders
from bot.features.intro_card import handlers as intro_card
from bot.features.linking import accounts as linking
from bot.features.matching import handlers as matching
from bot.features.peer_intros import handlers as peer_intros
from bot.features.polls import handlers as polls
from bot.features.roundtables import handlers as roundtables
from bot.router import Router

FEATURES = (
    help,
    intro_card,
    directory,
    peer_intros,
    matching,
    reminders,
    polls,
    roundtables,
    member_data,
    linking,
    language,
    insights,
    home,
)


def build_router() -> Router:
    router = Router()
    for module in (*FEATURES, housekeeping):
        router.include(module.feature)
    return router
