"""The one path every event takes: adapter -> Core.dispatch -> feature handler -> replies.

Each event runs in one unit of work. Bad input (UserError) rolls it back and tells the
sender alone; an unexpected failure rolls it back, is logged, and the sender hears that
nothing was saved. Replies queued by the handler go out only after the commit.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from bot.action_ids import read_action_id
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import Context
from bot.errors import FormInvalid, UserError, stale_button
from bot.events import Action, Command, Event, FormSubmitted, MemberJoined, Outcome
from bot.messages import Message
from bot.outbound import Chat, Ephemeral, Post
from bot.permissions import is_facilitator
from bot.refs import MemberRef
from bot.router import Router
from storage.database import Database
from storage.models import Person
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


COMMAND = "alumni"
FAILED = "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."


class Core:
    def __init__(
        self, settings: Settings, database: Database, router: Router, clock: Clock | None = None
    ) -> None:
        self.settings = settings
        self.database = database
        self.router = router
        self.clock = clock or SystemClock()

    async def dispatch(self, event: Event, chat: Chat) -> Outcome:
        try:
            return await self._handle(event, chat)
        except UserError as error:
            await self._tell_sender(event, chat, error.text())
        except FormInvalid as invalid:
            return Outcome(form_errors=invalid.errors)
        except IntegrityError:
            if event.delivery_id and await self._already_delivered(event):
                return Outcome(duplicate=True)
            log.exception("database refused %s", type(event).__name__)
            await self._tell_sender(event, chat, FAILED)
        except Exception:
            log.exception("failed to handle %s", type(event).__name__)
            await self._tell_sender(event, chat, FAILED)
        return Outcome()

    async def timezone_of(self, member: MemberRef) -> str | None:
        """The member's own time zone, for adapters that must format times themselves."""
        async with self.database.unit_of_work() as uow:
            person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
            return person.timezone if person and person.timezone else None

    async def _handle(self, event: Event, chat: Chat) -> Outcome:
        async with self.database.unit_of_work() as uow:
            if event.delivery_id and not await uow.deliveries.claim(_delivery_key(event), self.clock.now()):
                return Outcome(duplicate=True)
            context = Context(
                event=event,
                person=await self._person_for(uow, event),
                uow=uow,
                chat=chat,
                settings=self.settings,
                clock=self.clock,
                router=self.router,
                is_facilitator=is_facilitator(event.actor, self.settings.facilitators),
            )
            await self._route(context)
        for item in context.queued:
            await chat.send(item)
        return Outcome()

    async def _route(self, context: Context) -> None:
        event = context.event
        match event:
            case Command():
                await self._run_command(context, event)
            case Action() | FormSubmitted():
                routes = self.router.forms if isinstance(event, FormSubmitted) else self.router.actions
                call = read_action_id(event.action_id, routes)
                if call is None:
                    raise stale_button()
                values = (dict(event.values),) if isinstance(event, FormSubmitted) else ()
                await call.handler(context, *values, *call.args)
            case MemberJoined():
                for join_handler in self.router.join_handlers:
                    await join_handler(context)

    async def _run_command(self, context: Context, command: Command) -> None:
        if command.name == COMMAND:
            name, _, rest = command.text.strip().partition(" ")
            name = name.lower() or "help"
        else:
            name, rest = command.name, command.text
        spec = self.router.commands.get(name)
        if spec is None or (command.name != COMMAND and not spec.alias):
            raise UserError(f"I don't know the command \u201c{name}\u201d.", "/alumni help")
        if spec.facilitator_only:
            context.require_facilitator(f"use /{COMMAND} {name}")
        await spec.handler(context, rest.strip())

    async def _person_for(self, uow: UnitOfWork, event: Event) -> Person:
        actor = event.actor
        member = actor.member
        person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        if person is None:
            person = await uow.people.add(
                platform=member.platform,
                workspace=member.workspace,
                user_id=member.user_id,
                display_name=actor.display_name,
                now=self.clock.now(),
            )
        # What the platform knows fills in what the profile does not say yet.
        person.timezone = person.timezone or actor.timezone or ""
        person.locale = person.locale or actor.locale or ""
        return person

    async def _tell_sender(self, event: Event, chat: Chat, text: str) -> None:
        try:
            await chat.send(
                Post(Message.of(text), Ephemeral(event.actor.member, getattr(event, "channel", None)))
            )
        except Exception:
            log.exception("could not tell %s about a failure", event.actor.member)

    async def _already_delivered(self, event: Event) -> bool:
        async with self.database.unit_of_work() as uow:
            return await uow.deliveries.seen(_delivery_key(event))


def _delivery_key(event: Event) -> str:
    return f"{event.actor.member.platform}:{event.delivery_id}"
