"""New ties are kept as members answer their check-ins (storage.ties): the first meeting of each
pair, the same whether kept answer by answer, rebuilt from the check-ins, or filled by the
migration that brought the table."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from storage import ties
from storage.database import Database
from storage.models import Cohort, MatchGroup, MatchGroupMember, MatchRound, Person, Tie
from tests.insights.history import build
from tests.support.databases import upgrade_to


def at(month: int) -> datetime:
    return datetime(2026, month, 1, 9, tzinfo=UTC)


async def kept(database: Database) -> list[tuple[int, int, int, datetime]]:
    async with database.unit_of_work() as uow:
        rows = await uow.session.execute(
            select(Tie.person_a, Tie.person_b, Tie.round_id, Tie.first_met_at).order_by(
                Tie.person_a, Tie.person_b
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_a_late_answer_for_an_earlier_round_makes_it_the_first_meeting(database: Database) -> None:
    async with database.unit_of_work() as uow:
        session = uow.session
        ana, ben, caro = (Person(display_name=name, created_at=at(1)) for name in ("Ana", "Ben", "Caro"))
        cohort = Cohort(name="alumni", created_at=at(1))
        session.add_all([ana, ben, caro, cohort])
        await session.flush()
        groups = []
        for key, month in (("march", 3), ("may", 5)):
            match_round = MatchRound(key=key, cohort_id=cohort.id, starts_at=at(month), ends_at=at(month))
            session.add(match_round)
            await session.flush()
            group = MatchGroup(round_id=match_round.id, score=1)
            session.add(group)
            await session.flush()
            session.add_all(
                MatchGroupMember(group_id=group.id, person_id=p.id, position=n)
                for n, p in enumerate((ana, ben, caro))
            )
            groups.append((group.id, match_round.id))
        await session.flush()
        (march, march_round), (may, may_round) = groups
        await uow.matching.record_answer(may, ben.id, "yes", at(5))
        await uow.matching.record_answer(may, caro.id, "yes", at(5))  # the group met already: nothing new
        pairs = [(ana.id, ben.id), (ana.id, caro.id), (ben.id, caro.id)]
    assert await kept(database) == [(*pair, may_round, at(5)) for pair in pairs]
    async with database.unit_of_work() as uow:
        await uow.matching.record_answer(march, ana.id, "no", at(6))
    assert [row[2] for row in await kept(database)] == [may_round] * 3  # "no" is not a meeting
    async with database.unit_of_work() as uow:
        await uow.matching.record_answer(march, caro.id, "yes", at(6))
    assert await kept(database) == [(*pair, march_round, at(3)) for pair in pairs]


async def test_rebuilding_from_the_check_ins_finds_the_same_ties(database: Database) -> None:
    await build(database)
    answered = await kept(database)
    assert answered
    async with database.unit_of_work() as uow:
        await ties.rebuild(uow.session)
    assert await kept(database) == answered


async def test_the_migration_finds_the_ties_of_check_ins_given_before_it(empty_url: str) -> None:
    database = Database(empty_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(upgrade_to("0014"))
        for statement in (
            "INSERT INTO people (id, display_name, organisation, role, country, region, region_is_override,"
            " timezone, locale, bio, created_at) VALUES (1, 'Ana', '', '', '', '', false, '', '', '', :at),"
            " (2, 'Ben', '', '', '', '', false, '', '', '', :at),"
            " (3, 'Caro', '', '', '', '', false, '', '', '', :at)",
            "INSERT INTO cohorts (id, name, created_at) VALUES (1, 'alumni', :at)",
            "INSERT INTO match_rounds (id, key, cohort_id, starts_at, ends_at) VALUES (1, 'r1', 1, :at, :at)",
            "INSERT INTO match_groups (id, round_id, score) VALUES (1, 1, 1), (2, 1, 1)",
            "INSERT INTO match_group_members (group_id, person_id, position, answer)"
            " VALUES (1, 1, 0, 'yes'), (1, 2, 1, NULL), (2, 3, 0, 'no'), (2, 1, 1, NULL)",
        ):
            await connection.execute(text(statement), {"at": at(2)})
    await database.upgrade()
    try:
        assert [row[:3] for row in await kept(database)] == [(1, 2, 1)]
    finally:
        await database.close()
