"""Migration 0006: anonymous ballots cast in voting order end up in key order, with nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, text

from storage.database import Database
from storage.models import Poll, PollOption, PollVote
from tests.support.databases import upgrade_to

CREATED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
KEYS = ["f" * 64, "0" * 64, "9" * 64, "a" * 64]  # the order they voted in


async def test_anonymous_ballots_are_rewritten_in_key_order(empty_url: str) -> None:
    database = Database(empty_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(upgrade_to("0005"))
        for poll_id, anonymous in ((1, True), (2, False)):
            await connection.execute(
                insert(Poll).values(
                    id=poll_id, kind="choice", question="Q?", multi=False, anonymous=anonymous, hidden=False,
                    platform="test", workspace="W1", channel_id="C1", state="open",
                    created_at=CREATED,
                )
            )  # fmt: skip
            await connection.execute(
                insert(PollOption).values(id=poll_id, poll_id=poll_id, position=0, label="a")
            )
        for key in KEYS:
            await connection.execute(
                insert(PollVote).values(poll_id=1, voter_key=key, option_id=1, answer="yes")
            )
        await connection.execute(
            insert(PollVote).values(poll_id=2, voter_key="p1", option_id=2, answer="yes")
        )
    await database.upgrade()
    order = "ctid" if database.engine.dialect.name == "postgresql" else "poll_id"  # SQLite: no rowid now
    async with database.engine.connect() as connection:
        rows = (
            await connection.execute(text(f"SELECT poll_id, voter_key FROM poll_votes ORDER BY {order}"))
        ).all()
    await database.close()
    anonymous = [key for poll_id, key in rows if poll_id == 1]
    assert anonymous == sorted(KEYS) and [key for poll_id, key in rows if poll_id == 2] == ["p1"]
