"""Messages posted about a person (the introduction card), so edits update them in place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PostedCard


class CardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: int, platform: str, workspace: str, kind: str) -> PostedCard | None:
        return await self.session.get(PostedCard, (person_id, platform, workspace, kind))

    async def save(
        self, person_id: int, platform: str, workspace: str, kind: str, channel_id: str, message_id: str
    ) -> None:
        card = await self.get(person_id, platform, workspace, kind)
        if card is None:
            self.session.add(
                PostedCard(
                    person_id=person_id,
                    platform=platform,
                    workspace=workspace,
                    kind=kind,
                    channel_id=channel_id,
                    message_id=message_id,
                )
            )
        else:
            card.channel_id, card.message_id = channel_id, message_id
        await self.session.flush()

    async def of_person(self, person_id: int) -> list[PostedCard]:
        return list(await self.session.scalars(select(PostedCard).where(PostedCard.person_id == person_id)))
