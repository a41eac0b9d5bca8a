"""The bolt app: Slack requests in, neutral events to the core, each acknowledged in time.

Commands, button presses and events are acknowledged first and worked on after, in
tasks of their own, so Slack hears back within its 3 seconds whatever the work. A form
submission waits for the core up to FORM_ANSWER_SECONDS, because only the acknowledgement
can show field errors in the modal.
Events redelivered by Slack (X-Slack-Retry-Num >= 1) are acknowledged and dropped; a
repeated event_id or trigger_id is recognised by the core (`delivery_id`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from adapters.slack.channels import ChannelNotFound, Channels
from adapters.slack.chat import SlackChat
from adapters.slack.identity import Identities
from bot.action_ids import whole_number
from bot.core import COMMAND, Core
from bot.events import Event, FormSubmitted, Outcome
from bot.messages import Field, Message, Section
from bot.outbound import Ephemeral, Post

log = logging.getLogger(__name__)

FORM_ANSWER_SECONDS = 2.0
FORM_NOT_SAVED = "Your form was not saved:"
ANY = re.compile(r".*")
Ack = Callable[..., Awaitable[None]]


@dataclass
class SlackBot:
    """Everything the listeners share: the core, the Web API, and what is cached about Slack."""

    core: Core
    client: AsyncWebClient
    session: aiohttp.ClientSession
    team_id: str
    identities: Identities
    channels: Channels
    community_channel: str = ""
    _work: set[asyncio.Task[None]] = field(default_factory=set, init=False, repr=False)

    def chat(self, origin: translate.Origin | None = None) -> SlackChat:
        return SlackChat(self.client, self.channels, self.session, self.team_id, origin)

    async def on_command(self, ack: Ack, body: Mapping[str, Any]) -> None:
        await ack()
        self._spawn(self._command(body))

    async def on_action(self, ack: Ack, body: Mapping[str, Any]) -> None:
        await ack()
        self._spawn(self._action(body))

    async def on_view_submission(self, ack: Ack, body: Mapping[str, Any]) -> None:
        origin = translate.view_origin(body)
        chat = self.chat(origin)
        work = asyncio.ensure_future(self._submit(body, origin, chat))
        done, _ = await asyncio.wait({work}, timeout=FORM_ANSWER_SECONDS)
        if done:
            inline = modal_errors(work.result()[1].form_errors, body["view"])
            if inline:
                await ack(response_action="errors", errors=inline)
                return
        await ack()  # closes the modal; errors found too late, or with no input to sit under, go privately
        self._spawn(self._report_errors(work, chat))

    async def on_home_opened(self, body: Mapping[str, Any]) -> None:
        if body["event"].get("tab") == "home":
            self._spawn(self._home_opened(body))

    async def on_team_join(self, body: Mapping[str, Any]) -> None:
        user = body["event"]["user"]
        if not (user.get("is_bot") or user.get("deleted")):
            self._spawn(self._team_join(body, user))

    async def on_member_joined_channel(self, body: Mapping[str, Any]) -> None:
        if self.community_channel:
            self._spawn(self._joined_channel(body))

    async def drain(self) -> None:
        """Wait for the work still running after its acknowledgement (tests, shutdown)."""
        while self._work:
            await asyncio.gather(*self._work)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the listener returns, so bolt answers Slack at once."""
        task = asyncio.ensure_future(self._logged(work))
        self._work.add(task)
        task.add_done_callback(self._work.discard)

    async def _logged(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:  # nobody is waiting on this task: the log is where a failure can show
            log.exception("Slack event failed after its acknowledgement")

    async def _command(self, body: Mapping[str, Any]) -> None:
        origin = translate.command_origin(body)
        await self._dispatch(translate.command(body, await self.identities.actor(origin)), origin)

    async def _action(self, body: Mapping[str, Any]) -> None:
        origin = translate.action_origin(body)
        await self._dispatch(translate.action(body, await self.identities.actor(origin)), origin)

    async def _submit(
        self, body: Mapping[str, Any], origin: translate.Origin, chat: SlackChat
    ) -> tuple[FormSubmitted, Outcome]:
        event = translate.form(body, await self.identities.actor(origin))
        return event, await self.core.dispatch(event, chat)

    async def _report_errors(
        self, work: asyncio.Future[tuple[FormSubmitted, Outcome]], chat: SlackChat
    ) -> None:
        event, outcome = await work
        if outcome.form_errors:
            await chat.send(Post(errors_message(outcome.form_errors), Ephemeral(event.actor.member)))

    async def _home_opened(self, body: Mapping[str, Any]) -> None:
        origin = translate.event_origin(body, home_visit=True)
        await self._dispatch(translate.home_visit(body, await self.identities.actor(origin)), origin)

    async def _team_join(self, body: Mapping[str, Any], user: Mapping[str, Any]) -> None:
        origin = translate.event_origin(body)
        await self._dispatch(translate.joined(body, await self.identities.actor(origin, user)), origin)

    async def _joined_channel(self, body: Mapping[str, Any]) -> None:
        try:
            community = await self.channels.id_of(self.community_channel)
        except ChannelNotFound as error:
            log.error("[slack] community_channel: %s", error)
            return
        if body["event"].get("channel") == community:
            origin = translate.event_origin(body)
            await self._dispatch(translate.joined(body, await self.identities.actor(origin)), origin)

    async def _dispatch(self, event: Event, origin: translate.Origin) -> None:
        await self.core.dispatch(event, self.chat(origin))


def modal_errors(errors: Mapping[str, str], view: Mapping[str, Any]) -> dict[str, str]:
    """Errors Slack can show under an input; empty when any would have nowhere to go."""
    inputs = {block.get("block_id") for block in view.get("blocks", [])}
    if not errors or not set(errors) <= inputs:
        return {}
    return {name: text[:150] for name, text in errors.items()}


def errors_message(errors: Mapping[str, str]) -> Message:
    return Message((Section((FORM_NOT_SAVED,), tuple(Field(k, (v,)) for k, v in errors.items())),))


def retry_number(request: AsyncBoltRequest) -> int:
    """Slack's redelivery count; anything but a small number (the header is not signed) is 0."""
    return whole_number((request.headers.get("x-slack-retry-num") or ["0"])[0], 0, 100) or 0


async def skip_retries(
    req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
) -> BoltResponse:
    """Slack redelivers an event it thinks was missed; the first delivery was already acknowledged."""
    if retry_number(req) >= 1:
        return BoltResponse(status=200, body="")
    return await next()


def command_names(aliases: list[str]) -> list[str]:
    return [f"/{COMMAND}", *(f"/{alias}" for alias in aliases)]


def build_app(bot: SlackBot, signing_secret: str) -> AsyncApp:
    """`signing_secret` is empty in Socket Mode, where Slack's websocket vouches for requests."""
    # Listeners return right after ack() and leave the work to tasks of their own, so bolt
    # can answer as soon as they return rather than polling for the ack every 10 ms.
    app = AsyncApp(client=bot.client, signing_secret=signing_secret, process_before_response=True)
    app.middleware(skip_retries)
    for name in command_names(bot.core.router.aliases):
        app.command(name)(bot.on_command)
    app.action(ANY)(bot.on_action)
    app.view(ANY)(bot.on_view_submission)
    app.event("app_home_opened")(bot.on_home_opened)
    app.event("team_join")(bot.on_team_join)
    app.event("member_joined_channel")(bot.on_member_joined_channel)
    return app
