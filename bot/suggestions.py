"""What to offer while a member types an argument (Discord autocomplete, Slack external selects)."""

from __future__ import annotations

from typing import Literal

from bot.geo import zones_matching
from bot.text import fold
from storage.database import Database

MAX_SUGGESTIONS = 25  # Discord's cap on autocomplete choices
TOPIC_KINDS = ("expertise", "learning")


async def suggest(database: Database, kind: Literal["topic", "timezone"], typed: str) -> list[str]:
    """Up to 25 values for an argument of `kind` that match what was typed so far."""
    if kind == "timezone":
        return zones_matching(typed)[:MAX_SUGGESTIONS]
    async with database.unit_of_work() as uow:
        return await uow.people.tag_labels(TOPIC_KINDS, fold(typed), MAX_SUGGESTIONS)
