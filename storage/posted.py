"""Messages the bot posted under a name ("poll:12"), so later edits and deletions find them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxItem, PostedMessage


class PostedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, name: str) -> PostedMessage | None:
        return await self.session.get(PostedMessage, name)

    async def save(
        self, name: str, platform: str, workspace: str, channel_id: str, message_id: str, now: datetime
    ) -> None:
        found = await self.get(name)
        if found is None:
            self.session.add(
                PostedMessage(
                    name=name,
                    platform=platform,
                    workspace=workspace,
                    channel_id=channel_id,
                    message_id=message_id,
                    posted_at=now,
                )
            )
        else:
            found.platform, found.workspace = platform, workspace
            found.channel_id, found.message_id, found.posted_at = channel_id, message_id, now
        await self.session.flush()

    async def forget(self, name: str) -> None:
        await self.session.execute(delete(PostedMessage).where(PostedMessage.name == name))

    async def known(self, name: str) -> bool:
        """Posted, or on its way: a named post waiting in the outbox (its lane is its name)."""
        waiting = exists().where(OutboxItem.lane == name, OutboxItem.state.in_(("pending", "sending")))
        posted = exists().where(PostedMessage.name == name)
        return bool(await self.session.scalar(select(or_(posted, waiting))))

    async def named_like(self, prefix: str) -> list[PostedMessage]:
        statement = select(PostedMessage).where(PostedMessage.name.startswith(prefix, autoescape=True))
        return list(await self.session.scalars(statement.order_by(PostedMessage.name)))
