"""What a feature handler receives: the event, the acting person, a unit of work, and a queue
of what to say (sent once the work is committed: bot.core)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.errors import UserError
from bot.events import Actor, Event
from bot.i18n import _, current_language
from bot.messages import Form, Message
from bot.outbound import Batch, Destination, Ephemeral, Outbound, Post, ShowForm
from bot.places import ChannelFinder
from bot.refs import ChannelRef
from bot.router import Router
from storage.models import Person
from storage.unit_of_work import UnitOfWork


@dataclass
class Context:
    event: Event
    person: Person
    uow: UnitOfWork
    settings: Settings
    clock: Clock
    router: Router
    is_facilitator: bool
    queued: list[Outbound] = field(default_factory=list)
    # The platforms this process serves, to find their channels by name (bot.places).
    channel_finders: Mapping[str, ChannelFinder] = field(default_factory=dict)
    next_form: Form | None = None

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
        to = Ephemeral(self.actor.member, self.channel)
        self.queued.append(Post(message, to, language=current_language()))

    def send(self, message: Message, to: Destination, *, name: str = "", batch: Batch | None = None) -> None:
        """Deliver once the event's changes are committed; `name` remembers the posted message
        so that Update(name=…) reaches it later; `batch` counts it in that batch's progress."""
        self.queued.append(Post(message, to, name, batch, current_language()))

    def open_form(self, form: Form) -> None:
        self.queued.append(ShowForm(form))

    def follow_with(self, form: Form) -> None:
        """After a form is saved: `form` as its next page where forms have pages (Slack); the
        reply should carry a button that opens it too, for the platforms without pages."""
        self.next_form = form

    def require_facilitator(self, refusal: str) -> None:
        """`refusal` is the whole sentence a member hears, marked with N_() where it is written:
        `require_facilitator(N_("Only facilitators can close polls."))`."""
        if not self.is_facilitator:
            raise UserError(_(refusal), _("/alumni help to see what you can do"))
