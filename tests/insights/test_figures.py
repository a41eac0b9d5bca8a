"""The insights figures on a hand-built history with known answers (tests/insights/history.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.database import Database
from storage.insights import Figures, Period, Scope, developing_economies, figures
from storage.models import Cohort, Person, Reminder, ReminderFiring
from tests.insights.history import NOW, at, build

YEAR = Period.parse("2026")


async def figures_of(database: Database, cohort: str | None = None, period: str = "2026") -> Figures:
    found = Period.parse(period)
    assert found is not None
    async with database.unit_of_work() as uow:
        return await figures(uow.session, Scope(found, NOW, cohort))


def test_periods_are_a_year_or_a_month() -> None:
    year = Period.parse("2026")
    assert year is not None and year.months()[0] == "2026-01" and len(year.months()) == 12
    december = Period.parse("2025-12")
    assert december is not None and december.months() == ["2025-12"] and december.end.year == 2026
    for wrong in ("26", "2026-13", "last year", "2026-1"):
        assert Period.parse(wrong) is None


def test_the_global_south_list_is_unctads_developing_economies() -> None:
    south = developing_economies()
    assert {"KE", "BR", "IN", "CN", "FJ", "MX"} <= south
    assert not {"DE", "US", "JP", "KR", "IL", "AU", "NZ"} & south


async def test_members_per_month_and_where_they_are(database: Database) -> None:
    await build(database)
    members = (await figures_of(database)).members
    assert [members.joined[m] for m in ("2026-01", "2026-02", "2026-03", "2026-04")] == [2, 1, 1, 0]
    assert [members.profiles[m] for m in ("2026-01", "2026-02", "2026-03")] == [1, 1, 0]
    # Jan: Ana; Feb: Ben's profile, Ana's and Caro's check-ins; Mar: the introduction and Dev's
    # check-in; Apr: four RSVPs; May: Ana came to the roundtable.
    assert [
        members.active[m] for m in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
    ] == [
        1,
        3,
        4,
        4,
        1,
        0,
    ]
    assert members.total == 5
    assert members.by_region == {
        "Africa": 1,
        "Europe": 1,
        "Latin America & Caribbean": 1,
        "Asia": 1,
        "(not given)": 1,
    }
    assert members.by_organisation["GBIF"] == 2
    assert (members.with_country, members.global_south) == (4, 3)
    assert members.global_south_share == 0.75


async def test_matching_rounds_meetings_and_new_ties(database: Database) -> None:
    await build(database)
    matching = (await figures_of(database)).matching
    assert [(r.groups, r.met, r.answered) for r in matching.rounds] == [(2, 1, 2), (2, 1, 1)]
    assert matching.meeting_rate == 0.5
    assert matching.paused == 1  # Ben, until 2027; Caro's pause is over
    # Ana and Ben met in 2025, so only the March trio's three pairs are new.
    assert matching.new_ties["2026-02"] == 0 and matching.new_ties["2026-03"] == 3
    assert matching.cross_organisation["2026-03"] == 2  # GBIF-ODI twice; Ana and Caro are both GBIF
    assert matching.cross_region["2026-03"] == 3
    assert matching.region_matrix == {
        ("Africa", "Asia"): 1,
        ("Africa", "Latin America & Caribbean"): 1,
        ("Asia", "Latin America & Caribbean"): 1,
    }


async def test_a_cohort_narrows_rounds_and_members(database: Database) -> None:
    await build(database)
    found = await figures_of(database, cohort="2026")
    assert found.members.total == 3
    assert [(r.groups, r.met) for r in found.matching.rounds] == [(2, 1)]
    assert sum(found.matching.new_ties.values()) == 0
    assert found.matching.paused == 1
    assert found.introductions.asked == 2  # Ben and Caro were asked; Dev is an alumnus


async def test_introductions_and_time_to_answer(database: Database) -> None:
    await build(database)
    intros = (await figures_of(database)).introductions
    assert (intros.asked, intros.accepted, intros.declined, intros.expired) == (3, 1, 1, 1)
    assert intros.median_hours_to_answer == 4.0  # 2 hours and 6 hours


async def test_polls_roundtables_and_slot_fairness(database: Database) -> None:
    await build(database)
    gatherings = (await figures_of(database)).gatherings
    assert (gatherings.polls, gatherings.votes, gatherings.eligible) == (2, 6, 10)
    assert gatherings.participation == 0.6
    assert (gatherings.slot_voters, gatherings.unsocial) == (4, 2)
    assert (gatherings.roundtables, gatherings.going, gatherings.maybe, gatherings.came) == (1, 2, 1, 1)


@pytest.mark.parametrize(
    ("cohort", "polls", "rsvps", "slots"),
    [
        # Ana, Ben and Caro; Ben and Caro (in Berlin and São Paulo) voted for an unsocial slot.
        ("2026", (2, 5, 6), (1, 2, 1, 1), (3, 2)),
        # Dev (who voted once, and said no) and Eve.
        ("alumni", (2, 1, 4), (1, 0, 0, 0), (1, 0)),
    ],
)
async def test_a_cohort_narrows_polls_and_roundtables(
    database: Database,
    cohort: str,
    polls: tuple[int, int, int],
    rsvps: tuple[int, int, int, int],
    slots: tuple[int, int],
) -> None:
    await build(database)
    gatherings = (await figures_of(database, cohort=cohort)).gatherings
    assert (gatherings.polls, gatherings.votes, gatherings.eligible) == polls
    assert (gatherings.roundtables, gatherings.going, gatherings.maybe, gatherings.came) == rsvps
    assert (gatherings.slot_voters, gatherings.unsocial) == slots


@pytest.mark.parametrize(("cohort", "counts"), [("2026", (2, 1, 1)), ("alumni", (1, 0, 0))])
async def test_a_cohort_narrows_reminders_to_those_addressed_to_its_members_or_itself(
    database: Database, cohort: str, counts: tuple[int, int, int]
) -> None:
    ids = await build(database)  # Ana's reminder to herself, and Ana's to the alumni:
    async with database.unit_of_work() as uow:
        alumni = await uow.session.scalar(select(Cohort.id).where(Cohort.name == "alumni"))
        to_alumni = Reminder(
            creator_id=ids["ana"], target="cohort", cohort_id=alumni, platform="test", workspace="W1",
            text="Roundtable tomorrow", created_at=at(1, 2),
        )  # fmt: skip
        uow.session.add(to_alumni)
        await uow.session.flush()
        due = at(6, 1)
        uow.session.add(ReminderFiring(reminder_id=to_alumni.id, due_at=due, status="on time", fired_at=due))
    reminders = (await figures_of(database, cohort=cohort)).reminders
    assert (reminders.sent, reminders.late, reminders.missed) == counts


async def test_reminders_sent_late_and_missed(database: Database) -> None:
    await build(database)
    reminders = (await figures_of(database)).reminders
    assert (reminders.sent, reminders.late, reminders.missed) == (2, 1, 1)
    december = (await figures_of(database, period="2025-12")).reminders
    assert (december.sent, december.late, december.missed) == (1, 0, 0)


async def test_a_forgotten_member_leaves_every_figure(database: Database) -> None:
    ids = await build(database)
    async with database.unit_of_work() as uow:
        person = await uow.session.get(Person, ids["dev"])
        assert person is not None
        await uow.people.delete(person)
    found = await figures_of(database)
    assert found.members.total == 4 and found.members.global_south == 2
    assert "Asia" not in found.members.by_region
    # Dev's "yes" was the trio's only check-in: with it gone, the trio no longer met.
    assert [(r.groups, r.met) for r in found.matching.rounds] == [(2, 1), (2, 0)]
    assert found.matching.new_ties["2026-03"] == 0 and found.matching.region_matrix == {}
    assert found.introductions.asked == 2
    assert found.gatherings.slot_voters == 3


@pytest.mark.parametrize("cohort", ["nobody"])
async def test_an_unknown_cohort_has_no_one(database: Database, cohort: str) -> None:
    await build(database)
    found = await figures_of(database, cohort=cohort)
    assert found.members.total == 0 and found.matching.rounds == []
