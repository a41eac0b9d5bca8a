"""The search index follows profiles: written where profiles are saved, emptied by forget-me,
and filled by the migration for profiles saved before it."""

from __future__ import annotations

from alembic import command
from sqlalchemy import insert, select

from storage.database import Database, alembic_config
from storage.models import Person, ProfileTag, SearchEntry, SearchWord
from tests.support.chat import Clock, Conversation
from tests.support.databases import as_migrated, count


async def words(database: Database) -> set[str]:
    async with database.unit_of_work() as uow:
        return set(await uow.session.scalars(select(SearchWord.word)))


async def test_forget_me_removes_the_member_from_the_index(talk: Conversation, database: Database) -> None:
    await talk.set_up_profile("Zuzanna Wójcik", organisation="Fundacja", expertise="kartografia")
    await talk.set_up_profile("Ben", organisation="OSM", expertise="maps")
    assert {"zuzanna", "wojcik", "kartografia", "fundacja"} <= await words(database)
    asked = await talk.say("Zuzanna Wójcik", "/alumni forget-me")
    await talk.press("Zuzanna Wójcik", asked[0], "Delete my data")
    async with database.unit_of_work() as uow:
        left = set(await uow.session.scalars(select(SearchEntry.label)))
    assert left and not {"Zuzanna Wójcik", "Fundacja", "kartografia"} & left
    assert not {"zuzanna", "wojcik", "kartografia", "fundacja"} & await words(database)
    assert "No one matches" in (await talk.say("Ben", "/alumni find kartografia"))[0].text


async def test_an_unsaved_profile_is_not_indexed(talk: Conversation, database: Database) -> None:
    await talk.say("Ana", "/alumni help")  # the member exists, with no profile yet
    assert await count(database, Person) == 1 and await count(database, SearchEntry) == 0


async def test_the_migration_indexes_profiles_saved_before_it(database: Database, clock: Clock) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(lambda sync: _downgrade(sync, "0006"))
        people = await as_migrated(connection, "people")
        person = await connection.execute(
            insert(people).returning(people.c.id),
            {
                "display_name": "Olga Ivanova",
                "organisation": "Открытые данные",
                "role": "",
                "country": "RU",
                "region": "Europe",
                "region_is_override": False,
                "timezone": "Europe/Moscow",
                "locale": "",
                "bio": "",
                "profile_saved_at": clock.now(),
                "created_at": clock.now(),
            },
        )
        person_id = person.scalar_one()
        await connection.execute(
            insert(ProfileTag.__table__),
            [{"person_id": person_id, "kind": "expertise", "label": "Карты", "key": "", "position": 0}],
        )
    await database.upgrade()
    async with database.unit_of_work() as uow:
        plan = await uow.search.plan("карты")
        assert (await uow.search.ranked(plan, {"expertise": 1}, 0, 5)).person_ids == [person_id]
        assert await uow.session.scalar(select(ProfileTag.key)) == "карты"  # folded again


def _downgrade(connection: object, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)
