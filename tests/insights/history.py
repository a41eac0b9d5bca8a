"""A small hand-built history of the network in 2026 (and a little of 2025), whose figures are
known: the insights tests check them on every database."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.database import Database
from storage.models import (
    Cohort,
    CohortMember,
    IntroCandidate,
    IntroRequest,
    MatchGroup,
    MatchGroupMember,
    MatchRound,
    MatchSettings,
    Person,
    Poll,
    PollOption,
    PollVote,
    Reminder,
    ReminderFiring,
    Roundtable,
    RoundtableAttendance,
    Rsvp,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# name: (organisation, country, region, time zone, created, profile saved)
PEOPLE = {
    "ana": ("GBIF", "KE", "Africa", "Africa/Nairobi", at(1, 10), at(1, 11)),
    "ben": ("OSM", "DE", "Europe", "Europe/Berlin", at(1, 20), at(2, 1)),
    "caro": ("GBIF", "BR", "Latin America & Caribbean", "America/Sao_Paulo", at(2, 5), None),
    "dev": ("ODI", "IN", "Asia", "Asia/Kolkata", at(12, 1, year=2025), at(12, 2, year=2025)),
    "eve": ("", "", "", "", at(3, 1), None),
}


async def build(database: Database) -> dict[str, int]:
    """Write the history; the people's ids by name."""
    async with database.unit_of_work() as uow:
        session = uow.session
        people = {
            name: Person(
                display_name=name.title(),
                organisation=org,
                country=country,
                region=region,
                timezone=zone,
                created_at=created,
                profile_saved_at=saved,
            )
            for name, (org, country, region, zone, created, saved) in PEOPLE.items()
        }
        session.add_all(people.values())
        await session.flush()
        ids = {name: person.id for name, person in people.items()}
        cohorts = {name: Cohort(name=name, created_at=at(1, 1)) for name in ("2026", "alumni")}
        session.add_all(cohorts.values())
        await session.flush()
        for cohort, names in (("2026", ("ana", "ben", "caro")), ("alumni", ("dev", "eve"))):
            for name in names:
                session.add(
                    CohortMember(cohort_id=cohorts[cohort].id, person_id=ids[name], joined_at=at(1, 1))
                )

        async def round_(
            key: str, cohort: str, starts: datetime, groups: list[dict[str, str | None]]
        ) -> None:
            match_round = MatchRound(
                key=key, cohort_id=cohorts[cohort].id, starts_at=starts, ends_at=starts, closed_at=None
            )
            session.add(match_round)
            await session.flush()
            for answers in groups:
                group = MatchGroup(round_id=match_round.id, score=1)
                session.add(group)
                await session.flush()
                for position, name in enumerate(answers):
                    session.add(MatchGroupMember(group_id=group.id, person_id=ids[name], position=position))
                await session.flush()
                # Answered as members answer, so the new ties are kept as they are in use.
                answered = starts.replace(day=starts.day + 3)
                for name, answer in answers.items():
                    if answer:
                        await uow.matching.record_answer(group.id, ids[name], answer, answered)

        # December 2025: Ana and Ben meet (their tie is not new in 2026).
        await round_("r0", "2026", at(12, 7, year=2025), [{"ana": "yes", "ben": None}])
        # February: Ana and Ben meet again; Caro and Dev do not.
        await round_("r1", "2026", at(2, 2), [{"ana": "yes", "ben": None}, {"caro": "no", "dev": None}])
        # March, in the alumni cohort: a trio meets (three new ties); Ben and Eve never answer.
        await round_(
            "r2", "alumni", at(3, 2), [{"ana": None, "caro": None, "dev": "yes"}, {"ben": None, "eve": None}]
        )
        session.add(MatchSettings(person_id=ids["ben"], paused_until=at(1, 1, year=2027), joined_at=at(1, 1)))
        session.add(MatchSettings(person_id=ids["caro"], paused_until=at(5, 1), joined_at=at(1, 1)))

        request = IntroRequest(requester_id=ids["ana"], subject="maps", created_at=at(3, 1, 8))
        session.add(request)
        await session.flush()
        for rank, (name, state, asked, answered) in enumerate(
            (
                ("ben", "accepted", at(3, 1, 10), at(3, 1, 12)),
                ("caro", "declined", at(3, 2, 10), at(3, 2, 16)),
                ("dev", "expired", at(3, 3, 10), None),
                ("eve", "proposed", None, None),
            )
        ):
            session.add(
                IntroCandidate(
                    request_id=request.id,
                    person_id=ids[name],
                    rank=rank,
                    state=state,
                    asked_at=asked,
                    answered_at=answered,
                )
            )

        def poll(kind: str, created: datetime) -> Poll:
            made = Poll(
                kind=kind,
                question="When?",
                platform="test",
                workspace="W1",
                channel_id="C1",
                created_at=created,
                options=[PollOption(position=i, label=f"option {i}", starts_at=None) for i in range(2)],
            )
            session.add(made)
            return made

        choice = poll("choice", at(4, 1))
        slots = poll("slots", at(4, 10))
        await session.flush()
        for made, voters in ((choice, ("ana", "ben")), (slots, ("ana", "ben", "dev", "caro"))):
            for name in voters:
                session.add(
                    PollVote(
                        poll_id=made.id,
                        voter_key=f"p{ids[name]}",
                        option_id=made.options[0].id,
                        person_id=ids[name],
                    )
                )
        # Caro voted for both slots: she counts once.
        session.add(
            PollVote(
                poll_id=slots.id,
                voter_key=f"p{ids['caro']}",
                option_id=slots.options[1].id,
                person_id=ids["caro"],
            )
        )
        # 05:00 UTC for an hour: from 08:00 in Nairobi, 10:30 in Kolkata; 07:00 in Berlin and 02:00 in São
        # Paulo are unsocial.
        roundtable = Roundtable(
            topic="Licences",
            starts_at=at(5, 1, 5),
            poll_id=slots.id,
            platform="test",
            workspace="W1",
            channel_id="C1",
            created_at=at(4, 20),
        )
        session.add(roundtable)
        await session.flush()
        for name, answer in (("ana", "going"), ("ben", "going"), ("caro", "maybe"), ("dev", "no")):
            session.add(
                Rsvp(roundtable_id=roundtable.id, person_id=ids[name], answer=answer, answered_at=at(4, 25))
            )
        session.add(
            RoundtableAttendance(roundtable_id=roundtable.id, person_id=ids["ana"], answered_at=at(5, 1, 7))
        )

        reminder = Reminder(
            creator_id=ids["ana"],
            target="person",
            recipient_id=ids["ana"],
            platform="test",
            workspace="W1",
            text="Write the newsletter",
            created_at=at(1, 2),
        )
        session.add(reminder)
        await session.flush()
        for due, status in (
            (at(12, 5, year=2025), "on time"),
            (at(1, 5), "on time"),
            (at(2, 5), "late"),
            (at(3, 5), "missed"),
        ):
            session.add(ReminderFiring(reminder_id=reminder.id, due_at=due, status=status, fired_at=due))
    return ids
