"""Forged custom_ids on Discord: a polite no, only to the presser, and no vote counted."""

from __future__ import annotations

import pytest

from bot.errors import STALE_BUTTON
from storage.database import Database
from storage.models import PollVote
from tests.discord.driver import ANA, CY, DiscordDriver
from tests.discord.test_flows import everything, reply
from tests.support.databases import count


@pytest.mark.parametrize(
    "forge",
    [
        lambda poll, option: f"poll:answer:{poll}:{option}:yes",  # a time-slot answer on a choice poll
        lambda poll, option: f"poll:vote:99999999999999999999:{option}",
        lambda poll, option: f"poll:vote:\u00b2:{option}",
        lambda poll, option: f"poll:vote:{poll}:{option}:{option}",
    ],
)
async def test_a_forged_press_on_a_poll_is_refused_privately(
    discord: DiscordDriver, database: Database, forge: object
) -> None:
    fake = discord.fake
    await discord.slash(CY, "alumni poll", poll='"Which topic?" "Maps" "Portals"')
    poll = next(m for m in fake.messages.values() if "Which topic?" in everything(m))
    maps = next(c for row in poll["components"] for c in row["components"] if c["label"] == "Maps")
    poll_id, option = maps["custom_id"].split(":")[2:]
    pressed = await discord.press_id(ANA, poll, forge(poll_id, option))  # type: ignore[operator]
    assert STALE_BUTTON in everything(reply(pressed)) and reply(pressed)["flags"] == 64
    assert await count(database, PollVote) == 0
