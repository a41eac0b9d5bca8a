"""What a feature handler receives: the event, the acting person, a unit of work, a chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.errors import UserError
from bot.events import Actor, Event
from bot.messages import Form, Message
from bot.outbound import Chat, Destination, Ephemeral, Outbound, Post, ShowForm
from bot.refs import ChannelRef, MessageRef
from bot.router import Router
from storage.models import Person
from storage.unit_of_work import UnitOfWork


@dataclass
class Context:
    event: Event
    person: Person
    uow: UnitOfWork
    chat: Chat
    settings: Settings
    clock: Clock
    router: Router
    is_facilitator: bool
    queued: list[Outbound] = field(default_factory=list)

    @property
    def actor(self) -> Actor:
        return self.event.actor

    @property
    def channel(self) -> ChannelRef | None:
        return getattr(self.event, "channel", None)

    @property
    def platform(self) -> str:
        return self.actor.member.platform

    @property
    def workspace(self) -> str:
        return self.actor.member.workspace

    def now(self) -> datetime:
        return self.clock.now()

    def reply(self, message: Message | str) -> None:
        """Tell the acting member alone, once the event's changes are committed."""
        if isinstance(message, str):
            message = Message.of(message)
        self.queued.append(Post(message, Ephemeral(self.actor.member, self.channel)))

    def send(self, message: Message, to: Destination) -> None:
        """Deliver once the event's changes are committed."""
        self.queued.append(Post(message, to))

    async def post_now(self, message: Message, to: Destination) -> MessageRef | None:
        """Deliver at once, for when the posted message's reference must be stored."""
        return await self.chat.send(Post(message, to))

    async def open_form(self, form: Form) -> None:
        # Forms open at once: platforms accept them only shortly after the click.
        await self.chat.send(ShowForm(form))

    def require_facilitator(self, what: str) -> None:
        if not self.is_facilitator:
            raise UserError(f"Only facilitators can {what}.", "/alumni help to see what you can do")
