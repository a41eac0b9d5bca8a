"""Two people made one, when a member links their accounts (bot.features.linking).

Every row naming the dropped person moves to the kept one. The rows are found by walking the
foreign keys to `people` in the schema, so a table added later is covered without being listed
here. A row that would then be there twice (the same cohort, the same group, the same
roundtable's RSVP) is dropped, and the kept person's stays. Run in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from sqlalchemy import Column, Table, UniqueConstraint, and_, case, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import ties
from storage.models import Base, Identity, IntroCandidate, IntroRequest, Person, Poll, PollVote

# The dropped person's own profile goes with them: the kept person's is the one kept.
PROFILE_TABLES = ("profile_tags", "search_entries")
# Person ids kept without a foreign key: a reminder's answer names the copy's recipient.
PLAIN_PERSON_COLUMNS = (("reminder_answers", "recipient"),)
# Rows relating two different people: one that would relate the person to themselves is dropped.
BETWEEN_TWO = ("connections", "match_avoids")
# Pairs kept in order (person_a < person_b): the moved id takes its place in the order.
ORDERED_PAIRS = {"connections": ("person_a", "person_b")}
# Kept from other rows: found again from the moved rows (first meetings, from the check-ins).
DERIVED = ("ties",)


async def merge_people(session: AsyncSession, kept: int, dropped: int) -> None:
    """Move everything of `dropped` to `kept`, then delete `dropped`."""
    await session.flush()
    tables = Base.metadata.tables
    for name in BETWEEN_TWO:
        table = tables[name]
        first, second = _person_columns(table)
        pair = (kept, dropped)
        await session.execute(delete(table).where(and_(first.in_(pair), second.in_(pair))))
    # Nobody is proposed to themselves: one account's request naming the other as a candidate.
    both_requests = select(IntroRequest.id).where(IntroRequest.requester_id.in_((kept, dropped)))
    await session.execute(
        delete(IntroCandidate).where(
            IntroCandidate.person_id.in_((kept, dropped)), IntroCandidate.request_id.in_(both_requests)
        )
    )
    for name, (low, high) in ORDERED_PAIRS.items():
        await _move_ordered(session, tables[name], tables[name].c[low], tables[name].c[high], kept, dropped)
    for table, column in _person_references():
        if table.name in PROFILE_TABLES or table.name in ORDERED_PAIRS or table.name in DERIVED:
            continue
        await _move(session, table, column, kept, dropped)
    # Rows changed under the session's objects: they are read again when next used.
    session.expire_all()
    # Deleted as forget-me deletes, so the search index forgets the dropped profile's words too.
    gone = await session.scalar(
        select(Person).where(Person.id == dropped).execution_options(populate_existing=True)
    )
    assert gone is not None
    await session.delete(gone)
    await session.flush()
    await ties.refresh(session, [kept])


CHUNK = 500  # keys per statement, well under every database's limit on bound parameters


async def rekey_ballots(session: AsyncSession, moves: Mapping[str, tuple[str, int | None]]) -> set[int]:
    """Ballots under an old key take its new key and person id (old key -> (new key, person id);
    None on anonymous polls). Where the new key voted in that poll already, the old ballot is
    dropped instead, so each poll keeps one vote. The polls that lost a ballot. A few statements
    whatever the number of polls."""
    found = await _voted(session, moves)
    taken = await _voted(session, {new for new, _person in moves.values()})
    twice = {poll_id for poll_id, old in found if (poll_id, moves[old][0]) in taken}
    duplicates = sorted({old for poll_id, old in found if poll_id in twice})
    for chunk in _chunks(duplicates):
        await session.execute(
            delete(PollVote).where(PollVote.poll_id.in_(twice), PollVote.voter_key.in_(chunk))
        )
    remaining = sorted({old for poll_id, old in found if poll_id not in twice})
    for person_id in {moves[old][1] for old in remaining}:
        olds = [old for old in remaining if moves[old][1] == person_id]
        for chunk in _chunks(olds):
            await session.execute(
                update(PollVote)
                .where(PollVote.voter_key.in_(chunk))
                .values(
                    voter_key=case({old: moves[old][0] for old in chunk}, value=PollVote.voter_key),
                    person_id=person_id,
                )
                .execution_options(synchronize_session=False)
            )
    return twice


async def _voted(session: AsyncSession, keys: Iterable[str]) -> set[tuple[int, str]]:
    """Which of these ballot keys voted, as (poll id, voter key)."""
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted(set(keys))):
        statement = select(PollVote.poll_id, PollVote.voter_key).where(PollVote.voter_key.in_(chunk))
        found.update((poll_id, key) for poll_id, key in await session.execute(statement))
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _person_references() -> list[tuple[Table, Column[int]]]:
    """Every column naming a person: the foreign keys to people.id, and the plain ones above."""
    found = [
        (table, column)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(key.column.table.name == "people" for key in column.foreign_keys)
    ]
    tables = Base.metadata.tables
    return found + [(tables[name], tables[name].c[column]) for name, column in PLAIN_PERSON_COLUMNS]


def _person_columns(table: Table) -> list[Column[int]]:
    return [column for found, column in _person_references() if found is table]


async def _move(session: AsyncSession, table: Table, column: Column[int], kept: int, dropped: int) -> None:
    """Point `column` at `kept` where it names `dropped`, first dropping the rows the kept
    person already has (one that would repeat a primary key or unique key of theirs)."""
    twin = table.alias()
    for key in _unique_keys(table):
        if column.name not in key:
            continue
        same = [twin.c[name] == table.c[name] for name in key if name != column.name]
        await session.execute(
            delete(table).where(column == dropped, exists().where(twin.c[column.name] == kept, *same))
        )
    await session.execute(
        update(table)
        .where(column == dropped)
        .values({column.name: kept})
        .execution_options(synchronize_session=False)
    )


def _unique_keys(table: Table) -> list[tuple[str, ...]]:
    keys = [tuple(c.name for c in table.primary_key.columns)]
    keys += [tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)]
    keys += [tuple(c.name for c in i.columns) for i in table.indexes if i.unique]
    return keys


async def _move_ordered(
    session: AsyncSession, table: Table, low: Column[int], high: Column[int], kept: int, dropped: int
) -> None:
    """`low < high` holds after the move: the other person and the kept one, in order."""
    for moved, other in ((low, high), (high, low)):
        await session.execute(
            update(table)
            .where(moved == dropped)
            .values(
                {
                    low.name: case((other < kept, other), else_=kept),
                    high.name: case((other < kept, kept), else_=other),
                }
            )
            .execution_options(synchronize_session=False)
        )


async def open_polls(session: AsyncSession, poll_ids: Iterable[int]) -> list[Poll]:
    statement = select(Poll).where(Poll.id.in_(sorted(poll_ids)), Poll.state == "open").order_by(Poll.id)
    return list(await session.scalars(statement))


async def anonymous_polls(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Poll.id).where(Poll.anonymous.is_(True)).order_by(Poll.id)))


async def split_off(session: AsyncSession, identity_id: int, display_name: str, now: datetime) -> int:
    """Give the account a person of its own, with a blank profile; the new person's id."""
    person = Person(display_name=display_name, created_at=now)
    session.add(person)
    await session.flush()
    made = person.id
    await session.execute(
        update(Identity)
        .where(Identity.id == identity_id)
        .values(person_id=made)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return made
