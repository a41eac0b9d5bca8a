"""Queries about people, their platform identities and profile tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.text import fold
from storage import ties
from storage.models import Identity, Person, ProfileTag


class PeopleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_identity(self, platform: str, workspace: str, user_id: str) -> Person | None:
        """The person behind an account, with their identities and tags in the same query (every
        event starts with this one, so it is one round trip rather than three)."""
        statement = (
            select(Person)
            .join(Identity)
            .where(
                Identity.platform == platform,
                Identity.workspace == workspace,
                Identity.user_id == user_id,
            )
            .options(joinedload(Person.identities), joinedload(Person.tags))
        )
        return (await self.session.scalars(statement)).unique().first()

    async def add(
        self, *, platform: str, workspace: str, user_id: str, display_name: str, now: datetime
    ) -> Person:
        person = Person(display_name=display_name, created_at=now, tags=[], identities=[])
        person.identities.append(
            Identity(platform=platform, workspace=workspace, user_id=user_id, display_name=display_name)
        )
        self.session.add(person)
        await self.session.flush()
        return person

    async def get(self, person_id: int) -> Person | None:
        statement = select(Person).where(Person.id == person_id)
        return (await self.session.scalars(statement)).first()

    async def get_many(self, person_ids: Iterable[int]) -> dict[int, Person]:
        statement = select(Person).where(Person.id.in_(list(person_ids)))
        return {p.id: p for p in await self.session.scalars(statement)}

    async def names_on(self, platform: str, workspace: str) -> list[tuple[int, tuple[str, str]]]:
        """Everyone with an account on this workspace: (person id, (profile name, platform name)),
        to match what members type against (bot.members)."""
        return await self._names(and_(Identity.platform == platform, Identity.workspace == workspace))

    async def names_elsewhere(self, platform: str, workspace: str) -> list[tuple[int, tuple[str, str]]]:
        """The same for the accounts on every other platform and workspace of the network."""
        return await self._names(not_(and_(Identity.platform == platform, Identity.workspace == workspace)))

    async def _names(self, accounts: ColumnElement[bool]) -> list[tuple[int, tuple[str, str]]]:
        statement = (
            select(Person.id, Person.display_name, Identity.display_name)
            .join(Identity)
            .where(accounts)
            .order_by(Person.display_name, Person.id)
        )
        return [
            (person_id, (name, shown)) for person_id, name, shown in await self.session.execute(statement)
        ]

    async def accounts_on(self, platform: str, workspace: str) -> list[tuple[str, str]]:
        """Every account on this workspace: (platform user id, the person's name), oldest first."""
        statement = (
            select(Identity.user_id, Person.display_name)
            .join(Person)
            .where(Identity.platform == platform, Identity.workspace == workspace)
            .order_by(Person.created_at, Person.id)
        )
        return [(user_id, name) for user_id, name in await self.session.execute(statement)]

    async def replace_tags(self, person: Person, kind: str, labels: Sequence[str]) -> None:
        """Set the person's tags of one kind to these labels, in order."""
        await self.session.execute(
            delete(ProfileTag).where(ProfileTag.person_id == person.id, ProfileTag.kind == kind)
        )
        person.tags[:] = [t for t in person.tags if t.kind != kind] + [
            ProfileTag(person_id=person.id, kind=kind, label=label, key=fold(label), position=i)
            for i, label in enumerate(labels)
        ]
        await self.session.flush()

    async def known_topics(self, kinds: Sequence[str], keys: Sequence[str]) -> set[str]:
        """Those of `keys` that some member's tag of these kinds has."""
        statement = select(ProfileTag.key).where(
            ProfileTag.kind.in_(list(kinds)), ProfileTag.key.in_(list(keys))
        )
        return set(await self.session.scalars(statement.distinct()))

    async def tag_labels(self, kinds: Sequence[str], fragment: str, limit: int) -> list[str]:
        """Labels of tags whose key contains `fragment`, the most used first."""
        uses = func.count(ProfileTag.id)
        statement = (
            select(func.min(ProfileTag.label))
            .where(ProfileTag.kind.in_(list(kinds)), ProfileTag.key.contains(fragment, autoescape=True))
            .group_by(ProfileTag.key)
            .order_by(uses.desc(), ProfileTag.key)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))

    async def delete(self, person: Person) -> None:
        partners = await ties.partners(self.session, person.id)
        await self.session.delete(person)
        await self.session.flush()
        # Their "yes" may have been all that made a group meet: its other pairs' first meetings change.
        await ties.refresh(self.session, partners)
