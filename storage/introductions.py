"""Peer-introduction requests, their candidates, and the asks awaiting an answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import IntroCandidate, IntroRequest


class IntroductionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self,
        requester_id: int,
        subject: str,
        note: str,
        candidates: Sequence[tuple[int, str]],
        now: datetime,
    ) -> IntroRequest:
        request = IntroRequest(
            requester_id=requester_id,
            subject=subject,
            note=note,
            created_at=now,
            candidates=[
                IntroCandidate(person_id=pid, rank=rank, reason=reason)
                for rank, (pid, reason) in enumerate(candidates)
            ],
        )
        self.session.add(request)
        await self.session.flush()
        return request

    async def get(self, request_id: int) -> IntroRequest | None:
        statement = select(IntroRequest).where(IntroRequest.id == request_id)
        return (await self.session.scalars(statement)).first()

    async def move(
        self, request_id: int, person_id: int, from_state: str, to_state: str, now: datetime
    ) -> bool:
        """Change a candidate's state only if it is still `from_state`.

        A conditional update: of two presses (or two processes) only one wins.
        """
        values: dict[str, object] = {"state": to_state}
        values["asked_at" if to_state == "asked" else "answered_at"] = now
        # An UPDATE gives a cursor result, which alone counts rows; the session's signature is wider.
        result = await self.session.execute(
            update(IntroCandidate)
            .where(
                IntroCandidate.request_id == request_id,
                IntroCandidate.person_id == person_id,
                IntroCandidate.state == from_state,
            )
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )
        return cast(CursorResult[Any], result).rowcount == 1

    async def asks_since(self, person_id: int, since: datetime) -> int:
        statement = select(func.count()).where(
            IntroCandidate.person_id == person_id, IntroCandidate.asked_at >= since
        )
        return int(await self.session.scalar(statement) or 0)

    async def of_person(self, person_id: int) -> list[IntroRequest]:
        statement = (
            select(IntroRequest)
            .where(IntroRequest.requester_id == person_id)
            .order_by(IntroRequest.created_at)
        )
        return list(await self.session.scalars(statement))

    async def asked_of(self, person_id: int) -> list[IntroCandidate]:
        statement = select(IntroCandidate).where(IntroCandidate.person_id == person_id)
        return list(await self.session.scalars(statement))

    async def recently_asked(self, since: datetime) -> dict[int, int]:
        """How often each person was asked since `since` (for the weekly cap)."""
        statement = (
            select(IntroCandidate.person_id, func.count())
            .where(IntroCandidate.asked_at >= since)
            .group_by(IntroCandidate.person_id)
        )
        return {pid: int(n) for pid, n in await self.session.execute(statement)}
