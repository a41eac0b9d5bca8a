"""The bolt app: Slack requests in, stored in the inbox, acknowledged, then handled.

Every command, button press, form submission and event is written to the inbox (bot.inbox)
before bolt acknowledges it, so what Slack saw acknowledged survives a crash. Commands,
presses and events are then handled by the inbox workers (`SlackBot.handle`); a form
submission is handled at once, waiting up to FORM_ANSWER_SECONDS, because only the
acknowledgement can show field errors in the modal. A redelivered event (Slack retries an
event it thinks was missed) has the same event_id, so the inbox recognises it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render, translate
from adapters.slack.channels import ChannelNotFound, Channels
from adapters.slack.chat import SlackChat
from adapters.slack.identity import Identities
from bot.core import COMMAND, Core
from bot.events import Event, Outcome
from bot.i18n import N_, _, speaking
from bot.inbox import Accepted, Workers
from bot.messages import Field, Message, Section
from bot.outbound import Ephemeral, Post

log = logging.getLogger(__name__)

FORM_ANSWER_SECONDS = 2.0
FORM_NOT_SAVED = N_("Your form was not saved:")
ANY = re.compile(r".*")
Ack = Callable[..., Awaitable[None]]


@dataclass
class SlackBot:
    """Everything the listeners share: the core, the Web API, and what is cached about Slack.
    `workers` handle what the listeners accepted (set once the runtime has started them)."""

    core: Core
    client: AsyncWebClient
    session: aiohttp.ClientSession
    team_id: str
    identities: Identities
    channels: Channels
    community_channel: str = ""
    workers: Workers | None = None
    # Form submissions still being handled after their acknowledgement closed the modal.
    _forms: set[asyncio.Future[Any]] = field(default_factory=set, init=False, repr=False)

    def chat(self, origin: translate.Origin | None = None) -> SlackChat:
        return SlackChat(self.client, self.channels, self.session, self.team_id, origin)

    async def on_command(self, ack: Ack, body: Mapping[str, Any]) -> None:
        await self._accept("command", body, body.get("trigger_id"), body["user_id"])
        await ack()

    async def on_action(self, ack: Ack, body: Mapping[str, Any]) -> None:
        await self._accept("action", body, body.get("trigger_id"), body["user"]["id"])
        await ack()

    async def on_view_submission(self, ack: Ack, body: Mapping[str, Any]) -> None:
        accepted = await self._accept("form", body, body.get("trigger_id"), None)
        if accepted is None:
            await ack()
            return
        work = asyncio.ensure_future(self._submit(accepted, body))
        done, _ = await asyncio.wait({work}, timeout=FORM_ANSWER_SECONDS)
        outcome = work.result() if done else None
        if outcome is not None:
            inline = modal_errors(outcome.form_errors, body["view"])
            if inline:
                await ack(response_action="errors", errors=inline)
                return
        await ack(**next_view(outcome, body))
        # Errors found too late, or with no input to sit under, go privately.
        reporting = asyncio.ensure_future(self._report_errors(work, body))
        self._forms.add(reporting)
        reporting.add_done_callback(self._forms.discard)

    async def drain(self) -> None:
        """Wait for form submissions still being handled (tests, shutdown)."""
        while self._forms:
            await asyncio.gather(*self._forms)

    async def on_home_opened(self, body: Mapping[str, Any]) -> None:
        if body["event"].get("tab") == "home":
            await self._accept("home", body, body.get("event_id"), translate.event_user_id(body["event"]))

    async def on_team_join(self, body: Mapping[str, Any]) -> None:
        user = body["event"]["user"]
        if not (user.get("is_bot") or user.get("deleted")):
            await self._accept("team_join", body, body.get("event_id"), user["id"])

    async def on_message(self, body: Mapping[str, Any]) -> None:
        event = body["event"]
        if translate.is_written_to_bot(event):
            # What the member wrote is not read, so it is not stored either.
            kept = {key: body.get(key) for key in ("team_id", "event_id")}
            kept["event"] = {key: event.get(key) for key in ("user", "channel", "channel_type")}
            await self._accept("dm", kept, body.get("event_id"), event["user"])

    async def on_member_joined_channel(self, body: Mapping[str, Any]) -> None:
        if self.community_channel:
            user = translate.event_user_id(body["event"])
            await self._accept("joined_channel", body, body.get("event_id"), user)

    async def _accept(
        self, kind: str, body: Mapping[str, Any], delivery_id: str | None, member: str | None
    ) -> Accepted | None:
        """Store the request before it is acknowledged; hand it to the workers unless it is a
        form (answered at once) or was stored before (None)."""
        payload = json.dumps({"kind": kind, "body": body}, separators=(",", ":"))
        key = f"{translate.PLATFORM}:{delivery_id or hashlib.sha256(payload.encode()).hexdigest()}"
        accepted = await self.core.inbox.accept(key, translate.PLATFORM, payload)
        if accepted is not None and member is not None and self.workers is not None:
            self.workers.submit(accepted, member)
        return accepted

    async def handle(self, accepted: Accepted) -> None:
        """Handle an accepted request (the inbox workers call this)."""
        stored = json.loads(accepted.payload)
        kind, body = stored["kind"], stored["body"]
        if kind == "form":
            await self._submit(accepted, body)
            return
        translated = await self._translate(kind, body)
        if translated is not None:
            event, origin = translated
            await self.core.dispatch(event, self.chat(origin), inbox_id=accepted.row_id)

    async def _translate(self, kind: str, body: Mapping[str, Any]) -> tuple[Event, translate.Origin] | None:
        match kind:
            case "command":
                origin = translate.command_origin(body)
                return translate.command(body, await self.identities.actor(origin)), origin
            case "action":
                origin = translate.action_origin(body)
                return translate.action(body, await self.identities.actor(origin)), origin
            case "home":
                origin = translate.event_origin(body, home_visit=True)
                return translate.home_visit(body, await self.identities.actor(origin)), origin
            case "team_join":
                origin = translate.event_origin(body)
                actor = await self.identities.actor(origin, body["event"]["user"])
                return translate.joined(body, actor), origin
            case "dm":
                origin = translate.event_origin(body)
                return translate.direct_message(body, await self.identities.actor(origin)), origin
            case "joined_channel" if await self._in_community_channel(body):
                origin = translate.event_origin(body)
                return translate.joined(body, await self.identities.actor(origin)), origin
        return None

    async def _in_community_channel(self, body: Mapping[str, Any]) -> bool:
        try:
            community = await self.channels.id_of(self.community_channel)
        except ChannelNotFound as error:
            log.error("[slack] community_channel: %s", error)
            return False
        channel: str | None = body["event"].get("channel")
        return channel == community

    async def _submit(self, accepted: Accepted, body: Mapping[str, Any]) -> Outcome:
        origin = translate.view_origin(body)
        event = translate.form(body, await self.identities.actor(origin))
        return await self.core.dispatch(event, self.chat(origin), inbox_id=accepted.row_id)

    async def _report_errors(self, work: asyncio.Future[Outcome], body: Mapping[str, Any]) -> None:
        try:
            outcome = await work
        except Exception:  # nobody is waiting on this task: the log is where a failure can show
            log.exception("a Slack form failed after its acknowledgement")
            return
        if outcome.form_errors:
            origin = translate.view_origin(body)
            member = translate.member(origin.team_id, origin.user_id)
            with speaking(outcome.language):
                told = errors_message(outcome.form_errors, body["view"])
            await self.chat(origin).send(Post(told, Ephemeral(member)))


def modal_errors(errors: Mapping[str, str], view: Mapping[str, Any]) -> dict[str, str]:
    """Errors Slack can show under an input; empty when any would have nowhere to go."""
    inputs = {block.get("block_id") for block in view.get("blocks", [])}
    if not errors or not set(errors) <= inputs:
        return {}
    return {name: text[:150] for name, text in errors.items()}


def next_view(outcome: Outcome | None, body: Mapping[str, Any]) -> dict[str, Any]:
    """How the acknowledgement leaves the modal: the next page pushed when the core has one;
    a page that was pushed closes the whole modal (plain, Slack would go back a page);
    otherwise it closes."""
    if outcome is not None and outcome.next_form is not None and not outcome.form_errors:
        metadata = translate.form_metadata(translate.view_origin(body))
        return {"response_action": "push", "view": render.modal(outcome.next_form, metadata)}
    if body["view"].get("previous_view_id"):
        return {"response_action": "clear"}
    return {}


def errors_message(errors: Mapping[str, str], view: Mapping[str, Any]) -> Message:
    """The errors under the labels the member saw in the form."""
    labels = {block.get("block_id"): block.get("label", {}).get("text") for block in view.get("blocks", [])}
    fields = tuple(Field(labels.get(name) or name, (problem,)) for name, problem in errors.items())
    return Message((Section((_(FORM_NOT_SAVED),), fields),))


def command_names(aliases: list[str]) -> list[str]:
    return [f"/{COMMAND}", *(f"/{alias}" for alias in aliases)]


def build_app(bot: SlackBot, signing_secret: str) -> AsyncApp:
    """`signing_secret` is empty in Socket Mode, where Slack's websocket vouches for requests."""
    # Listeners return right after ack(), the work being in the inbox, so bolt can answer as
    # soon as they return rather than polling for the ack every 10 ms.
    app = AsyncApp(client=bot.client, signing_secret=signing_secret, process_before_response=True)
    for name in command_names(bot.core.router.aliases):
        app.command(name)(bot.on_command)
    app.action(ANY)(bot.on_action)
    app.view(ANY)(bot.on_view_submission)
    app.event("app_home_opened")(bot.on_home_opened)
    app.event("team_join")(bot.on_team_join)
    app.event("member_joined_channel")(bot.on_member_joined_channel)
    app.event("message")(bot.on_message)
    return app
