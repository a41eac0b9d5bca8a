"""`/alumni my-data` and `/alumni forget-me`."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.outbound import Delete, Direct, Update
from storage.database import Database
from storage.models import Base
from tests.support.chat import Conversation


async def rows_per_table(database: Database) -> dict[str, int]:
    async with database.unit_of_work() as uow:
        return {
            t.name: int(await uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


async def rows_naming(database: Database, person_id: int) -> dict[str, int]:
    """Rows in any table with a column that points at the person (every feature's data)."""
    found = {}
    async with database.unit_of_work() as uow:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "people" for fk in column.foreign_keys) or (
                    table.name == "people" and column.name == "id"
                ):
                    n = await uow.session.scalar(
                        select(func.count()).select_from(table).where(column == person_id)
                    )
                    if n:
                        found[f"{table.name}.{column.name}"] = int(n)
    return found


async def introduce(talk: Conversation) -> None:
    await talk.set_up_profile("Ana", organisation="GBIF", expertise="licensing", learning="maps")
    await talk.set_up_profile("Ben", organisation="OSM", expertise="maps")
    proposal = (await talk.say("Ben", "/alumni introduce licensing: help please"))[0]
    asked = await talk.press("Ben", proposal, "Ask Ana")
    await talk.press("Ana", next(s for s in asked if isinstance(s.item.to, Direct)), "Accept")


async def test_my_data_sends_everything_as_json_in_a_dm(talk: Conversation) -> None:
    await talk.join("Ana")
    await introduce(talk)
    sent = await talk.say("Ana", "/alumni my-data")
    dm = next(s for s in sent if isinstance(s.item.to, Direct))
    assert dm.item.to.member == talk.ref("Ana")
    attachment = dm.attachments[0]
    assert attachment.filename.endswith(".json") and attachment.mime == "application/json"
    data = json.loads(attachment.data)
    assert data["profile"]["organisation"] == "GBIF"
    assert data["profile"]["can_help_with"] == ["licensing"]
    assert data["profile"]["cohorts"] == ["alumni"]
    assert data["introductions"]["asked_of_me"][0]["state"] == "accepted"
    assert data["introductions"]["connections"][0]["with"] == "Ben, OSM"
    assert "sent your data" in sent[0].text


async def test_forget_me_asks_first_then_deletes_every_row_and_the_card(
    talk: Conversation, database: Database
) -> None:
    await talk.join("Ana")
    await introduce(talk)
    before = await rows_per_table(database)
    async with database.unit_of_work() as uow:
        ana_id = (await uow.people.by_identity("test", "W1", "ana")).id
    assert len(await rows_naming(database, ana_id)) >= 6
    confirm = (await talk.say("Ana", "/alumni forget-me"))[0]
    assert "can't be undone" in confirm.text
    assert await rows_per_table(database) == before

    kept = await talk.press("Ana", confirm, "Keep it")
    assert "Nothing was deleted" in kept[0].text
    assert await rows_per_table(database) == before

    done = await talk.press("Ana", confirm, "Delete my data")
    takedown = next(s for s in done if isinstance(s.item, Delete))
    assert takedown.item.message.channel_id == "C-intro"
    assert (
        "everything alumni-bot stored about you is deleted"
        in next(s for s in done if not isinstance(s.item, Delete) and isinstance(s.item.to, Update)).text
    )
    assert await rows_naming(database, ana_id) == {}
    async with database.unit_of_work() as uow:
        ben = await uow.people.by_identity("test", "W1", "ben")
        assert ben is not None and await uow.connections.partners_of(ben.id) == set()
        assert [r.subject for r in await uow.introductions.of_person(ben.id)] == ["licensing"]  # Ben's own


async def test_forget_me_button_works_only_for_its_owner(talk: Conversation, database: Database) -> None:
    await talk.set_up_profile("Ana")
    confirm = (await talk.say("Ana", "/alumni forget-me"))[0]
    before = await rows_per_table(database)
    stolen = await talk.press("Ben", confirm, "Delete my data")
    assert "belongs to someone else" in stolen[0].text and stolen[0].visible_to(talk.ref("Ben"))
    assert await rows_per_table(database) == before
    async with database.unit_of_work() as uow:
        assert await uow.people.by_identity("test", "W1", "ana") is not None


async def test_data_commands_take_no_arguments(talk: Conversation) -> None:
    assert "takes no arguments" in (await talk.say("Ana", "/alumni my-data now"))[0].text
    assert "takes no arguments" in (await talk.say("Ana", "/alumni forget-me please"))[0].text
