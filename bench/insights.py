"""The insights dashboard's figures for a network of 10,000 members and two years of history
(26 matching rounds, 50 polls): time to compute the figures and to render the page, p50/p99,
on SQLite and PostgreSQL. Goal: under 1 s each.

    .venv/bin/python -m bench.insights [--members 10000] [--runs 20] [--sqlite]

The history is generated (seeded) and written with bulk inserts: members joining over 2025-26
in 1,250 organisations across the world regions, 26 four-weekly rounds of up to 3,000 pairs,
3,000 introduction requests of three asks each, 50 polls (25 time-slot polls that chose a
roundtable, with RSVPs and check-ins), 1,000 reminders that fired 20 times each. "Compute" is
storage.insights.figures for 2026 (new ties read both years); "render" draws the four charts
and writes the dashboard's HTML (adapters.dashboard.page), as GET /insights does: every other
run with the charts drawn anew, the others with charts whose figures did not change (cached).
Wall and CPU time are both printed: on a busy machine the wall time says more about the others.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from adapters.dashboard import page
from bot.features.insights import charts
from bot.features.insights.charts import all_charts
from bot.geo import REGION_OF
from storage import ties
from storage.database import Database
from storage.insights import Period, Scope, cohort_names, figures
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
from tests.support.databases import each_database

START = datetime(2025, 1, 6, 9, tzinfo=UTC)
NOW = datetime(2026, 12, 31, tzinfo=UTC)
DAYS = (NOW - START).days
COUNTRIES = sorted(REGION_OF)
ZONES = ["Europe/Berlin", "Africa/Nairobi", "America/Sao_Paulo", "Asia/Kolkata", "America/New_York", ""]
ROUNDS, POLLS, REMINDERS, REQUESTS = 26, 50, 1_000, 3_000
BATCH = 5_000
DRAWINGS = (
    charts.draw_participation,
    charts.draw_meeting_rate,
    charts.draw_new_ties,
    charts.draw_region_matrix,
)

Rows = list[dict[str, Any]]


def history(members: int, seed: int) -> list[tuple[type[Any], Rows]]:
    """Every table's rows, parents first."""
    rng = random.Random(seed)
    joined = sorted(START + timedelta(days=rng.uniform(0, DAYS - 60)) for _ in range(members))
    people: Rows = []
    for pid, created in enumerate(joined, 1):
        country = rng.choice(COUNTRIES)
        people.append(
            {
                "id": pid,
                "display_name": f"Member {pid}",
                "organisation": f"Org {int(rng.paretovariate(1.2)) % 1250}",
                "country": country,
                "region": REGION_OF[country],
                "timezone": rng.choice(ZONES),
                "created_at": created,
                "profile_saved_at": created + timedelta(days=rng.randint(0, 30))
                if rng.random() < 0.8
                else None,
            }
        )
    cohorts = [
        {"id": 1, "name": "alumni", "created_at": START},
        {"id": 2, "name": "2026", "created_at": START},
    ]
    cohort_members = [{"cohort_id": 1, "person_id": p["id"], "joined_at": p["created_at"]} for p in people]
    cohort_members += [
        {"cohort_id": 2, "person_id": p["id"], "joined_at": p["created_at"]}
        for p in people
        if p["created_at"].year == 2026
    ]
    settings = [
        {
            "person_id": p["id"],
            "frequency": "monthly",
            "unanswered": 0,
            "joined_at": p["created_at"],
            "paused_until": NOW + timedelta(days=30) if rng.random() < 0.05 else None,
        }
        for p in people
        if rng.random() < 0.6
    ]
    rounds, groups, group_members = _rounds(rng, people)
    requests, candidates = _introductions(rng, people)
    polls, options, votes, roundtables, rsvps, attendance = _polls(rng, people)
    reminders, firings = _reminders(rng, people)
    return [
        (Person, people),
        (Cohort, cohorts),
        (CohortMember, cohort_members),
        (MatchSettings, settings),
        (MatchRound, rounds),
        (MatchGroup, groups),
        (MatchGroupMember, group_members),
        (IntroRequest, requests),
        (IntroCandidate, candidates),
        (Poll, polls),
        (PollOption, options),
        (PollVote, votes),
        (Roundtable, roundtables),
        (Rsvp, rsvps),
        (RoundtableAttendance, attendance),
        (Reminder, reminders),
        (ReminderFiring, firings),
    ]


def _rounds(rng: random.Random, people: Rows) -> tuple[Rows, Rows, Rows]:
    rounds: Rows = []
    groups: Rows = []
    members: Rows = []
    for number in range(ROUNDS):
        starts = START + timedelta(weeks=4 * number)
        rounds.append(
            {
                "id": number + 1,
                "key": f"r{number}",
                "cohort_id": 1,
                "starts_at": starts,
                "ends_at": starts + timedelta(weeks=4),
            }
        )
        there = [p["id"] for p in people if p["created_at"] <= starts]
        chosen = rng.sample(there, min(len(there), 6_000) // 2 * 2)
        for a, b in zip(chosen[::2], chosen[1::2], strict=True):
            group_id = len(groups) + 1
            groups.append({"id": group_id, "round_id": number + 1, "score": 1})
            said = rng.choices(["yes", "no", None], [0.5, 0.2, 0.3])[0]
            answered = starts + timedelta(days=7) if said else None
            members.append(
                {"group_id": group_id, "person_id": a, "position": 0, "answer": said, "answered_at": answered}
            )
            members.append(
                {"group_id": group_id, "person_id": b, "position": 1, "answer": None, "answered_at": None}
            )
    return rounds, groups, members


def _introductions(rng: random.Random, people: Rows) -> tuple[Rows, Rows]:
    requests: Rows = []
    candidates: Rows = []
    for rid in range(1, REQUESTS + 1):
        asked = START + timedelta(days=rng.uniform(0, DAYS))
        requests.append(
            {"id": rid, "requester_id": rng.choice(people)["id"], "subject": "maps", "created_at": asked}
        )
        for rank, person in enumerate(rng.sample(people, 3)):
            state = rng.choices(["accepted", "declined", "expired"], [0.4, 0.2, 0.4])[0]
            answered = asked + timedelta(hours=rng.uniform(1, 70)) if state != "expired" else None
            candidates.append(
                {
                    "request_id": rid,
                    "person_id": person["id"],
                    "rank": rank,
                    "state": state,
                    "asked_at": asked,
                    "answered_at": answered,
                }
            )
    return requests, candidates


def _polls(rng: random.Random, people: Rows) -> tuple[Rows, Rows, Rows, Rows, Rows, Rows]:
    polls: Rows = []
    options: Rows = []
    votes: Rows = []
    roundtables: Rows = []
    rsvps: Rows = []
    attendance: Rows = []
    place = {"platform": "slack", "workspace": "T1", "channel_id": "C1"}
    for pid in range(1, POLLS + 1):
        created = START + timedelta(days=DAYS * pid / (POLLS + 1))
        kind = "slots" if pid % 2 else "choice"
        polls.append(
            {"id": pid, "kind": kind, "question": f"Poll {pid}", "state": "closed", "created_at": created}
            | place
        )
        for position in range(3):
            options.append(
                {
                    "id": 3 * pid + position,
                    "poll_id": pid,
                    "position": position,
                    "label": f"Option {position}",
                }
            )
        there = [p for p in people if p["created_at"] <= created]
        voters = rng.sample(there, len(there) * 3 // 10)
        for voter in voters:
            option = 3 * pid + rng.randrange(3)
            votes.append(
                {
                    "poll_id": pid,
                    "voter_key": f"p{voter['id']}",
                    "option_id": option,
                    "answer": "yes",
                    "person_id": voter["id"],
                }
            )
        if kind == "slots":
            starts = created + timedelta(days=14, hours=rng.randrange(24))
            roundtables.append(
                {
                    "id": pid,
                    "topic": f"Poll {pid}",
                    "starts_at": starts,
                    "poll_id": pid,
                    "created_at": created,
                }
                | place
            )
            for voter in voters[:200]:
                rsvps.append(
                    {
                        "roundtable_id": pid,
                        "person_id": voter["id"],
                        "answer": "going",
                        "answered_at": created,
                    }
                )
            for voter in voters[:100]:
                attendance.append({"roundtable_id": pid, "person_id": voter["id"], "answered_at": starts})
    return polls, options, votes, roundtables, rsvps, attendance


def _reminders(rng: random.Random, people: Rows) -> tuple[Rows, Rows]:
    reminders: Rows = []
    firings: Rows = []
    for rid in range(1, REMINDERS + 1):
        creator = rng.choice(people)
        reminders.append(
            {
                "id": rid,
                "creator_id": creator["id"],
                "target": "person",
                "recipient_id": creator["id"],
                "platform": "slack",
                "workspace": "T1",
                "text": "Check in",
                "created_at": creator["created_at"],
            }
        )
        for week in range(20):
            due = creator["created_at"] + timedelta(weeks=week)
            status = rng.choices(["on time", "late", "missed"], [0.9, 0.08, 0.02])[0]
            firings.append({"reminder_id": rid, "due_at": due, "status": status, "fired_at": due})
    return reminders, firings


async def fill(database: Database, tables: list[tuple[type[Any], Rows]]) -> None:
    async with database.unit_of_work() as uow:
        for model, rows in tables:
            for start in range(0, len(rows), BATCH):
                await uow.session.execute(insert(model), rows[start : start + BATCH])
    postgresql = database.engine.dialect.name == "postgresql"
    if postgresql:
        async with database.engine.begin() as connection:
            for model, _ in tables:
                table = model.__table__.name
                if "id" in model.__table__.c:
                    highest = f"(SELECT max(id) FROM {table})"
                    sequence = f"pg_get_serial_sequence('{table}', 'id')"
                    await connection.exec_driver_sql(f"SELECT setval({sequence}, {highest})")
            await connection.exec_driver_sql("ANALYZE")
    # The check-ins were written in bulk: their new ties, as the bot keeps them (after ANALYZE,
    # without which PostgreSQL plans the search for first meetings as if the tables were empty).
    async with database.unit_of_work() as uow:
        await ties.rebuild(uow.session)
    if postgresql:
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("ANALYZE ties")


@contextmanager
def timed(timings: dict[str, list[float]], what: str) -> Iterator[None]:
    """Wall time, and CPU time of this process (every thread: SQLite's too), of the block."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timings.setdefault(what, []).append(time.perf_counter() - wall)
    timings.setdefault(f"{what} (CPU)", []).append(time.process_time() - cpu)


def percentiles(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms"


async def measure(url: str, label: str, members: int, runs: int) -> None:
    database = Database(url)
    await database.upgrade()
    tables = history(members, seed=7)
    started = time.perf_counter()
    await fill(database, tables)
    rows = sum(len(r) for _, r in tables)
    # The generated rows are not what a running bot holds: left alive, every garbage collection
    # during drawing would walk them too.
    del tables
    gc.collect()
    print(f"{label}: {rows:,} rows written in {time.perf_counter() - started:.1f} s")
    period = Period.parse("2026")
    assert period is not None
    timings: dict[str, list[float]] = {}
    for run in range(runs):
        cold = run % 2 == 0  # every other page draws its charts anew
        if cold:
            for drawing in DRAWINGS:
                drawing.cache_clear()
        drawn = "charts drawn" if cold else "charts unchanged"
        with timed(timings, f"page, {drawn}"):
            with timed(timings, "compute"):
                async with database.unit_of_work() as uow:
                    found = await figures(uow.session, Scope(period, NOW))
                    cohorts = await cohort_names(uow.session)
            with timed(timings, f"render, {drawn}"):
                html = page.dashboard(found, all_charts(found), cohorts)
    ties = sum(found.matching.new_ties.values())
    print(
        f"{label}: {found.matching.groups:,} groups in 2026, {ties:,} new ties, page {len(html) // 1024} KB"
    )
    for what, samples in timings.items():
        print(f"{label}: {what:<32} {percentiles(samples)}   ({len(samples)} runs)")
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    args = parser.parse_args()
    for label, url in each_database("insights", args.sqlite):
        asyncio.run(measure(url, label, args.members, args.runs))


if __name__ == "__main__":
    main()
