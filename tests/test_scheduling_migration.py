"""Migration 0002 gives asks that were already waiting an expiry row (the sweep is gone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from storage.database import Database
from storage.models import IntroCandidate, IntroRequest, Schedule
from tests.support.databases import as_migrated, upgrade_to

ASKED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


async def test_waiting_asks_get_an_expiry_72_hours_after_they_were_asked(empty_url: str) -> None:
    database = Database(empty_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(upgrade_to("0001"))
        people = await as_migrated(connection, "people")
        for pid in (1, 2):
            await connection.execute(
                insert(people).values(
                    id=pid,
                    display_name=f"P{pid}",
                    organisation="",
                    role="",
                    country="",
                    region="",
                    region_is_override=False,
                    timezone="",
                    locale="",
                    bio="",
                    created_at=ASKED,
                )
            )
        await connection.execute(
            insert(IntroRequest).values(id=7, requester_id=1, subject="maps", note="", created_at=ASKED)
        )
        await connection.execute(
            insert(IntroCandidate).values(
                request_id=7, person_id=2, rank=0, reason="", state="asked", asked_at=ASKED
            )
        )
        await connection.run_sync(upgrade_to("0002"))  # later ones rename the kind (0009)
    columns = (Schedule.kind, Schedule.subject_id, Schedule.owner_id, Schedule.state, Schedule.due_at)
    async with database.engine.connect() as connection:  # the columns 0002 has
        [row] = (await connection.execute(select(*columns))).all()
    await database.close()
    assert (row.kind, row.subject_id, row.owner_id, row.state) == ("intro:expire", 7, 2, "pending")
    assert row.due_at == ASKED + timedelta(hours=72)
