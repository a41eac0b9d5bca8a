"""Where people can be reached: every platform account tied to a person."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity


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
