"""Where people can be reached: every platform account tied to a person."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity, Person


async def accounts_of(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Each person's accounts as (platform, name there), in the order they were made."""
    rows = await session.execute(
        select(Identity.person_id, Identity.platform, Identity.display_name)
        .where(Identity.person_id.in_(list(person_ids)))
        .order_by(Identity.id)
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for person_id, platform, name in rows:
        found.setdefault(person_id, []).append((platform, name))
    return found


async def linked_people(session: AsyncSession) -> list[tuple[int, str]]:
    """Everyone with accounts on more than one platform: (person id, name), by name."""
    several = (
        select(Identity.person_id)
        .group_by(Identity.person_id)
        .having(func.count(func.distinct(Identity.platform)) > 1)
    )
    statement = (
        select(Person.id, Person.display_name)
        .where(Person.id.in_(several))
        .order_by(Person.display_name, Person.id)
    )
    return [(person_id, name) for person_id, name in await session.execute(statement)]
