"""The core's `Chat` on Slack (one per event, answering that interaction) and the outbox's
courier (delivering what events and timers wrote to the outbox).

Private replies to the member who acted go through the interaction's response_url,
which works even where the bot is not a channel member; failing that chat.postEphemeral,
and failing that a direct message, so a reply is never dropped for want of a channel.
An answer Slack still refuses after slack_sdk's retries is logged with its destination; an
outbox item is given back to the outbox to retry, or to give up on when Slack never will.

Outbox posts carry their key in Slack's message metadata, so after a crash the outbox can
look in the conversation's history for a post that arrived before it could record it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.channels import ChannelNotFound, Channels
from adapters.slack.connection import webhook
from adapters.slack.translate import PLATFORM, Origin, form_metadata
from bot.messages import Form, Image
from bot.outbound import (
    Delete,
    Destination,
    Direct,
    Ephemeral,
    Group,
    Outbound,
    Post,
    Public,
    ShowForm,
    Update,
)
from bot.outbox import Earlier, Undelivered
from bot.refs import ChannelRef, MemberRef, MessageRef

log = logging.getLogger(__name__)

UNDELIVERABLE = (SlackApiError, SlackRequestError, ChannelNotFound, aiohttp.ClientError, TimeoutError)
METADATA_EVENT = "alumni_bot_outbox"
# Slack errors that will not go away by trying again.
REFUSED_FOR_GOOD = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "cant_delete_message",
        "cant_update_message",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "message_not_found",
        "missing_scope",
        "msg_too_long",
        "no_text",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "user_disabled",
        "user_not_found",
        "users_not_found",
    }
)


class ResponseUrlFailed(Exception):
    pass


class SlackChat:
    platform = PLATFORM

    def __init__(
        self,
        client: AsyncWebClient,
        channels: Channels,
        session: aiohttp.ClientSession,
        team_id: str,
        origin: Origin | None = None,
    ) -> None:
        self.client = client
        self.channels = channels
        self.session = session
        self.team_id = origin.team_id if origin else team_id
        self.origin = origin

    async def send(self, item: Outbound) -> MessageRef | None:
        """An answer: best effort, a refusal is logged."""
        try:
            return await self._deliver(item, None)
        except UNDELIVERABLE as error:
            where = item.to if isinstance(item, Post) else item
            log.error("could not deliver %s to %s: %s", type(item).__name__, where, _reason(error))
        return None

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        """An outbox item: a refusal goes back to the outbox, saying whether to try again."""
        try:
            return await self._deliver(item, key)
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            # "fatal_error": Slack says part of the operation may have succeeded.
            raise Undelivered(
                code or str(error), permanent=code in REFUSED_FOR_GOOD, may_have_arrived=code == "fatal_error"
            ) from None
        except (ChannelNotFound, SlackRequestError) as error:
            raise Undelivered(str(error), permanent=True, may_have_arrived=False) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Undelivered(_reason(error)) from None

    async def find_channel(self, name: str) -> ChannelRef | None:
        """A channel of this workspace by name or id (bot.places.ChannelFinder)."""
        try:
            return ChannelRef(PLATFORM, self.team_id, await self.channels.id_of(name))
        except ChannelNotFound:
            return None

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        """Look for the post in its conversation's history by the key in its metadata."""
        try:
            channel_id = await self._conversation_of(item.to)
            if channel_id is None:
                return Earlier()
            history = await self.client.conversations_history(
                channel=channel_id,
                oldest=f"{since.timestamp() - 1:.6f}",
                include_all_metadata=True,
                limit=200,
            )
        except UNDELIVERABLE as error:
            log.warning("could not look for an earlier delivery of %s: %s", key, _reason(error))
            return Earlier()
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (metadata.get("event_payload") or {}).get("key") == key:
                return Earlier(MessageRef(PLATFORM, self.team_id, channel_id, message["ts"]), known=True)
        return Earlier(known=True)

    async def _deliver(self, item: Outbound, key: str | None) -> MessageRef | None:
        match item:
            case Post(message=message, to=to):
                return await self._post(render.message(message), to, key)
            case ShowForm(form=form):
                await self._open(form)
            case Delete(message=MessageRef() as ref):
                await self.client.chat_delete(channel=ref.channel_id, ts=ref.message_id)
        return None

    async def _post(self, rendered: render.Rendered, to: Destination, key: str | None) -> MessageRef | None:
        match to:
            case Ephemeral(member=member, channel=channel):
                await self._ephemeral(rendered, member, channel)
                return None
            case Update(message=None):
                return await self._replace_pressed(rendered)
            case Update(message=MessageRef() as ref):
                return await self._update(ref, rendered)
        channel_id = await self._conversation_of(to)
        if channel_id is None:
            raise TypeError(f"unknown destination {to!r}")
        return await self._post_in(channel_id, rendered, key)

    async def _conversation_of(self, to: Destination) -> str | None:
        """The channel a new message to `to` goes to (None for private and in-place replies)."""
        match to:
            case Direct(member=member):
                return await self._conversation([member])
            case Group(members=members):
                return await self._conversation(list(members))
            case Public(channel=ChannelRef(channel_id=channel_id)):
                return channel_id
            case Public(channel=str(name)):
                return await self.channels.id_of(name)
        return None

    async def _post_in(
        self, channel_id: str, rendered: render.Rendered, key: str | None = None
    ) -> MessageRef:
        first: MessageRef | None = None
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}} if key else None
        for page in rendered.pages:
            response = await self.client.chat_postMessage(
                channel=channel_id, blocks=page, text=rendered.text, metadata=metadata
            )
            first = first or MessageRef(PLATFORM, self.team_id, response["channel"], response["ts"])
        assert first is not None  # there is always at least one page
        await self._upload(first.channel_id, rendered)
        return first

    async def _update(self, ref: MessageRef, rendered: render.Rendered) -> MessageRef:
        await self.client.chat_update(
            channel=ref.channel_id, ts=ref.message_id, blocks=rendered.single, text=rendered.text
        )
        await self._upload(ref.channel_id, rendered)
        return ref

    async def _replace_pressed(self, rendered: render.Rendered) -> MessageRef | None:
        """The message whose button was pressed; response_url also reaches ephemeral ones."""
        origin = self.origin
        if origin and origin.pressed and origin.response_url:
            body = {"replace_original": True, "blocks": rendered.single, "text": rendered.text}
            try:
                await self._respond(origin.response_url, body)
            except ResponseUrlFailed as error:
                log.warning("response_url refused an update, using chat.update: %s", error)
                return await self._update(origin.pressed, rendered)
            await self._upload(origin.pressed.channel_id, rendered)
            return origin.pressed
        if origin and origin.pressed:
            return await self._update(origin.pressed, rendered)
        if origin and origin.in_home_tab:  # the Home tab itself is what the press updates
            await self.client.views_publish(user_id=origin.user_id, view=render.home_view(rendered))
            return None
        # A button elsewhere with no message to replace: answer privately.
        actor = MemberRef(PLATFORM, self.team_id, origin.user_id) if origin else None
        if actor is None:
            raise TypeError("Update() without a pressed message needs an interaction")
        await self._ephemeral(rendered, actor, None)
        return None

    async def _ephemeral(
        self, rendered: render.Rendered, member: MemberRef, channel: ChannelRef | None
    ) -> None:
        # What the member's own interaction offers, when the message is for them.
        origin = self.origin if self.origin and self.origin.user_id == member.user_id else None
        if origin and origin.home_visit:
            await self.client.views_publish(user_id=member.user_id, view=render.home_view(rendered))
            return
        if origin and origin.response_url:
            try:
                for page in rendered.pages:
                    body = {"response_type": "ephemeral", "replace_original": False, "blocks": page}
                    await self._respond(origin.response_url, body | {"text": rendered.text})
            except ResponseUrlFailed as error:
                log.warning("response_url refused a reply, trying chat.postEphemeral: %s", error)
            else:
                await self._upload_privately(member, rendered)
                return
        channel_id = channel.channel_id if channel else (origin.channel_id if origin else None)
        if channel_id:
            try:
                for page in rendered.pages:
                    await self.client.chat_postEphemeral(
                        channel=channel_id, user=member.user_id, blocks=page, text=rendered.text
                    )
            except SlackApiError as error:
                log.warning("chat.postEphemeral failed (%s); sending a direct message", _reason(error))
            else:
                await self._upload_privately(member, rendered)
                return
        await self._post_in(await self._conversation([member]), rendered)

    async def _respond(self, url: str, body: dict[str, Any]) -> None:
        response = await webhook(url, self.session).send_dict(body)
        if response.status_code != 200:
            raise ResponseUrlFailed(f"HTTP {response.status_code}: {response.body}")

    async def _open(self, form: Form) -> None:
        if self.origin is None or not self.origin.trigger_id:
            raise SlackRequestError(f"a form ({form.title}) can only open in answer to a click or command")
        view = render.modal(form, form_metadata(self.origin))
        await self.client.views_open(trigger_id=self.origin.trigger_id, view=view)

    async def _conversation(self, members: list[MemberRef]) -> str:
        """The DM or group DM with these members (the bot is always in it)."""
        response = await self.client.conversations_open(users=",".join(m.user_id for m in members))
        channel_id: str = response["channel"]["id"]
        return channel_id

    async def _upload_privately(self, member: MemberRef, rendered: render.Rendered) -> None:
        """Files cannot be ephemeral: they go to the member's direct messages."""
        if rendered.files:
            await self._upload(await self._conversation([member]), rendered)

    async def _upload(self, channel_id: str, rendered: render.Rendered) -> None:
        """Slack's external upload flow (files.getUploadURLExternal, upload, complete)."""
        if not rendered.files:
            return
        uploads = [
            {
                "content": file.data,
                "filename": file.filename,
                "title": file.alt if isinstance(file, Image) else file.filename,
            }
            for file in rendered.files
        ]
        await self.client.files_upload_v2(channel=channel_id, file_uploads=uploads)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error)
    return f"{type(error).__name__}: {error}"
