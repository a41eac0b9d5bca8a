"""The one path every event takes: adapter -> (inbox) -> Core.dispatch -> feature handler -> replies.

Each event runs in one unit of work. Bad input (UserError) rolls it back and tells the
sender alone; an unexpected failure rolls it back, is logged, and the sender hears that
nothing was saved. What the handler queued is split in two: answers to the member who is
waiting go out through the event's chat once the work is committed; everything else is
written to the outbox in the same transaction as the work (bot.outbox). An event that came
through the inbox (bot.inbox) is marked handled in that transaction too.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable

from bot import codec, outbox
from bot.action_ids import read_action_id
from bot.clock import Clock, SystemClock
from bot.command_options import command_text
from bot.config import Settings
from bot.context import Context
from bot.errors import FormInvalid, UserError, stale_button
from bot.events import (
    Action,
    Actor,
    Command,
    DirectMessage,
    Event,
    FormSubmitted,
    MemberJoined,
    Outcome,
    kind_of,
)
from bot.i18n import N_, _, choose_language, current_language, language_of, speaking, use_language
from bot.inbox import Accepted, Inbox
from bot.log_context import tagged
from bot.members import note_use
from bot.messages import Message
from bot.metrics import UNWATCHED, EventOutcome, Metrics
from bot.outbound import Chat, Ephemeral, Post, is_answer
from bot.permissions import is_facilitator
from bot.places import ChannelFinder
from bot.refs import MemberRef
from bot.router import Router
from storage.database import Database
from storage.models import Person
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


COMMAND = "alumni"
FAILED = N_("Sorry, something went wrong on our side and nothing was saved. Please try again in a minute.")


class Core:
    def __init__(
        self, settings: Settings, database: Database, router: Router, clock: Clock | None = None
    ) -> None:
        self.settings = settings
        self.database = database
        self.router = router
        self.clock = clock or SystemClock()
        self.inbox = Inbox(database, self.clock)
        self.metrics: Metrics = UNWATCHED
        # Called when an event wrote to the outbox, so the sender looks at once (bot.runtime).
        self.outbox_written: Callable[[], None] = lambda: None
        # The platforms this process serves, each able to find its channels (bot.runtime adds them).
        self.channel_finders: dict[str, ChannelFinder] = {}

    def watch(self, metrics: Metrics) -> None:
        """Report events and inbox deliveries to `metrics` from now on."""
        self.metrics = self.inbox.metrics = metrics

    async def receive(self, event: Event, chat: Chat) -> Outcome:
        """Store an event that carries a delivery id in the inbox, then handle it; an event
        delivered before is recognised and left alone. For adapters whose event is whole
        when it arrives; others accept their payload into `inbox` and dispatch later."""
        if event.delivery_id is None:
            return await self.dispatch(event, chat)
        return await self.dispatch_accepted(event, chat, await self.accept(event))

    async def accept(self, event: Event) -> Accepted | None:
        """Store an event in the inbox under its delivery id; None when it was delivered before."""
        key = f"{event.actor.member.platform}:{event.delivery_id}"
        return await self.inbox.accept(key, event.actor.member.platform, codec.dumps(event))

    async def dispatch_accepted(self, event: Event, chat: Chat, accepted: Accepted | None) -> Outcome:
        if accepted is None:
            return Outcome(duplicate=True)
        return await self.dispatch(event, chat, inbox_id=accepted.row_id)

    async def dispatch(self, event: Event, chat: Chat, inbox_id: int | None = None) -> Outcome:
        platform, kind = event.actor.member.platform, kind_of(event)
        self.metrics.event_received(platform, kind)
        started = time.perf_counter()
        # The platform's locale until the person (and the language they chose) is known.
        platform_language = choose_language("", event.actor.locale, self.settings.bot.default_language)
        with tagged(event), speaking(platform_language):
            outcome, ended = await self._dispatch(event, chat, inbox_id)
            # The language the member was answered in, for what the adapter adds itself.
            outcome = dataclasses.replace(outcome, language=current_language())
        self.metrics.event_processed(platform, kind, ended, time.perf_counter() - started)
        return outcome

    async def _dispatch(self, event: Event, chat: Chat, inbox_id: int | None) -> tuple[Outcome, EventOutcome]:
        try:
            outcome = await self._handle(event, chat, inbox_id)
            return outcome, "duplicate" if outcome.duplicate else "ok"
        except UserError as error:
            await self._handled_anyway(inbox_id, "done")
            await self._tell_sender(event, chat, error.text())
            return Outcome(), "bad_input"
        except FormInvalid as invalid:
            await self._handled_anyway(inbox_id, "done")
            return Outcome(form_errors=invalid.errors), "bad_input"
        except Exception:
            log.exception("failed to handle %s", kind_of(event))
            await self._handled_anyway(inbox_id, "failed")
            await self._tell_sender(event, chat, _(FAILED))
            return Outcome(), "failed"

    async def timezone_of(self, member: MemberRef) -> str | None:
        """The member's own time zone, for adapters that must format times themselves."""
        async with self.database.unit_of_work() as uow:
            person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
            return person.timezone if person and person.timezone else None

    async def language_for(self, actor: Actor) -> str:
        """The language to speak to a member outside an event: what an adapter says by itself."""
        member = actor.member
        async with self.database.unit_of_work() as uow:
            person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        if person is None:
            return choose_language("", actor.locale, self.settings.bot.default_language)
        return choose_language(
            person.language, actor.locale or person.locale, self.settings.bot.default_language
        )

    async def _handle(self, event: Event, chat: Chat, inbox_id: int | None) -> Outcome:
        actor = event.actor.member
        async with self.database.unit_of_work() as uow:
            if inbox_id is not None and not await uow.inbox.finish(inbox_id, self.clock.now()):
                return Outcome(duplicate=True)
            person = await self._person_for(uow, event)
            use_language(language_of(person, self.settings))
            context = Context(
                event=event,
                person=person,
                uow=uow,
                settings=self.settings,
                clock=self.clock,
                router=self.router,
                is_facilitator=is_facilitator(event.actor, self.settings.facilitators),
                channel_finders=self.channel_finders,
            )
            await self._route(context)
            answers = [item for item in context.queued if is_answer(item, actor)]
            written = outbox.enqueue(
                uow,
                (item for item in context.queued if not is_answer(item, actor)),
                key=f"event:{inbox_id if inbox_id is not None else uuid.uuid4().hex}",
                platform=actor.platform,
                now=self.clock.now(),
                notify=actor,
            )
        if written:
            self.outbox_written()
        for item in answers:
            await chat.send(item)
        return Outcome(next_form=context.next_form)

    async def _handled_anyway(self, inbox_id: int | None, state: str) -> None:
        """An event answered with an error is handled too: it must not be tried again."""
        if inbox_id is None:
            return
        try:
            async with self.database.unit_of_work() as uow:
                await uow.inbox.finish(inbox_id, self.clock.now(), state)
        except Exception:
            log.exception("could not mark inbox event %s handled", inbox_id)

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
            case DirectMessage():
                for message_handler in self.router.message_handlers:
                    await message_handler(context)

    async def _run_command(self, context: Context, command: Command) -> None:
        if command.name == COMMAND:
            name, _space, rest = command.text.strip().partition(" ")
            name = name.lower() or "help"
        else:
            name, rest = command.name, command.text
        spec = self.router.commands.get(name)
        if spec is None or (command.name != COMMAND and not spec.alias):
            raise UserError(
                _("I don't know the command \u201c{name}\u201d.").format(name=name), "/alumni help"
            )
        if spec.facilitator_only:
            context.require_facilitator(
                _("Only facilitators can use /{command} {name}.").format(command=COMMAND, name=name)
            )
        await spec.handler(context, command_text(spec, command.options) if command.options else rest.strip())

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
        # What the platform knows fills in what the profile does not say yet; its locale is the
        # member's current one (Discord sends it with each interaction, as their client speaks).
        person.timezone = person.timezone or actor.timezone or ""
        person.locale = actor.locale or person.locale or ""
        note_use(person, member, self.clock.now())  # the account used last reaches them (bot.members.reach)
        return person

    async def _tell_sender(self, event: Event, chat: Chat, text: str) -> None:
        to = Ephemeral(event.actor.member, getattr(event, "channel", None))
        try:
            await chat.send(Post(Message.of(text), to))
        except Exception:
            log.exception("could not tell %s about a failure", event.actor.member)
