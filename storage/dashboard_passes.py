"""Sign-in links and sessions of the insights dashboard. The secret itself goes to the
facilitator (in the link, then in a cookie); the table keeps its SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DashboardPass, Identity, Person


def hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class DashboardPassRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def issue(self, kind: str, person_id: int, expires_at: datetime) -> str:
        """A new pass; the secret to hand over (never stored)."""
        secret = secrets.token_urlsafe(32)
        self.session.add(
            DashboardPass(secret_hash=hashed(secret), kind=kind, person_id=person_id, expires_at=expires_at)
        )
        await self.session.flush()
        return secret

    async def spend_link(self, secret: str, now: datetime) -> int | None:
        """The person a valid, unused link is for, marking it used; None for any other link.
        One UPDATE, so two requests with the same link cannot both get in."""
        statement = (
            update(DashboardPass)
            .where(
                DashboardPass.secret_hash == hashed(secret),
                DashboardPass.kind == "link",
                DashboardPass.used_at.is_(None),
                DashboardPass.expires_at > now,
            )
            .values(used_at=now)
            .returning(DashboardPass.person_id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def session_accounts(self, secret: str, now: datetime) -> tuple[int, list[tuple[str, str]]] | None:
        """The member a valid session is for and their platform accounts ("slack", user id);
        None when the session is not valid or the member is gone (forget-me)."""
        statement = (
            select(Person.id, Identity.platform, Identity.user_id)
            .join(DashboardPass, DashboardPass.person_id == Person.id)
            .outerjoin(Identity, Identity.person_id == Person.id)
            .where(
                DashboardPass.secret_hash == hashed(secret),
                DashboardPass.kind == "session",
                DashboardPass.expires_at > now,
            )
        )
        rows = (await self.session.execute(statement)).all()
        if not rows:
            return None
        return rows[0][0], [(platform, user_id) for _, platform, user_id in rows if platform is not None]

    async def end(self, secret: str) -> None:
        await self.session.execute(delete(DashboardPass).where(DashboardPass.secret_hash == hashed(secret)))

    async def prune(self, now: datetime) -> None:
        await self.session.execute(delete(DashboardPass).where(DashboardPass.expires_at <= now))
