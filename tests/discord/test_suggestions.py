"""Autocomplete values: time zones by city or name, topics from profile tags."""

from __future__ import annotations

from bot.suggestions import suggest
from storage.database import Database


async def test_time_zones_match_by_city_and_region(database: Database) -> None:
    assert "Africa/Nairobi" in await suggest(database, "timezone", "nairo")
    assert len(await suggest(database, "timezone", "america")) == 25


async def test_no_topics_before_anyone_has_a_profile(database: Database) -> None:
    assert await suggest(database, "topic", "open") == []
