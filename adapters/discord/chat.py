"""The core's `Chat` on Discord (one per interaction) and the outbox's courier.

Discord wants an initial answer to every interaction within three seconds and accepts
exactly one. The first thing the core says to the member becomes that answer (an
ephemeral reply, a modal, or an edit of the pressed message); when the work takes longer
than `DEFER_AFTER`, the interaction is deferred and later replies go out as followups on
the interaction token (valid 15 minutes). Everything else goes through the REST API.

Outbox posts carry a nonce made from their key, which Discord enforces for a few minutes:
a resend soon after a crash returns the message already posted instead of posting again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

import discord

from adapters.discord.forms import ShownForms
from adapters.discord.render import PLATFORM, Rendered, modal, render
from adapters.discord.translate import message_ref
from bot.config import Settings
from bot.i18n import N_, SOURCE, _, speaking
from bot.messages import Form, Message
from bot.outbound import Delete, Direct, Ephemeral, Group, Outbound, Post, Public, ShowForm, Update
from bot.outbox import Earlier, Undelivered
from bot.refs import ChannelRef, MemberRef, MessageRef
from bot.text import clip


class Gateway(Protocol):
    """What a chat needs of the Discord client (adapters.discord.client.AlumniClient), so
    the client can make chats without the two modules importing each other."""

    settings: Settings
    forms: ShownForms

    def get_user(self, id: int, /) -> discord.User | None: ...

    async def fetch_user(self, user_id: int, /) -> discord.User: ...

    def get_partial_messageable(self, id: int, /) -> discord.PartialMessageable: ...

    def guild_for(self, workspace: str) -> discord.Guild: ...


log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds; Discord's limit for the initial answer is 3
MAX_THREAD_NAME = 100
DONE = N_("Done.")
# Discord checks a message nonce "in the past few minutes": within this, a resend is safe.
NONCE_WINDOW = timedelta(minutes=2)


class Undeliverable(Exception):
    """Discord cannot take this item here (no such channel, a form after the deadline)."""


class DiscordChat:
    platform = PLATFORM

    def __init__(
        self, client: Gateway, workspace: str, interaction: discord.Interaction | None = None
    ) -> None:
        self.client = client
        self.workspace = workspace
        self.interaction = interaction
        self._answer = asyncio.Lock()  # the initial answer is given once, by whoever comes first
        self._thinking = False  # deferred with a "thinking…" message that the next followup replaces
        # Discord hears nothing about an interaction before it is in the inbox.
        self.stored = asyncio.Event()
        # The language the member was answered in (the core's Outcome), for the "Done." it adds.
        self.language = SOURCE

    @asynccontextmanager
    async def responding(self) -> AsyncIterator[DiscordChat]:
        """Around the core's work: defer when it is slow, acknowledge when it said nothing."""
        timer = asyncio.create_task(self._defer_later())
        try:
            yield self
        finally:
            timer.cancel()
            if self.stored.is_set():  # one that could not be stored is left for Discord to call failed
                await self._acknowledge()

    async def send(self, item: Outbound) -> MessageRef | None:
        """An answer: best effort, a refusal is logged and told to the member who is waiting."""
        try:
            # An answer has no outbox key to repeat: a fresh nonce, as discord.py would pick.
            return await self._deliver(item, secrets.token_hex(12))
        except (discord.HTTPException, Undeliverable) as error:
            with speaking(SOURCE):  # the log's words
                logged = describe(item, self.client.settings.discord.matches_channel)
            log.error("could not deliver %s to %s: %s", type(item).__name__, logged, error)
            await self._report(describe(item, self.client.settings.discord.matches_channel), error)
            return None

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        """An outbox item: a refusal goes back to the outbox, saying whether to try again."""
        try:
            return await self._deliver(item, nonce(key))
        except discord.DiscordServerError as error:
            raise Undelivered(f"Discord {error.status}: {error.text}") from None
        except discord.HTTPException as error:
            # 4xx: Discord will not take it (no access, unknown channel); 429s are retried by discord.py.
            raise Undelivered(
                f"Discord {error.status}: {error.text}", permanent=error.status != 429, may_have_arrived=False
            ) from None
        except Undeliverable as error:
            raise Undelivered(str(error), permanent=True, may_have_arrived=False) from None
        except (OSError, TimeoutError) as error:
            raise Undelivered(f"{type(error).__name__}: {error}") from None

    async def find_channel(self, name: str) -> ChannelRef | None:
        """A text channel of this guild by name or id (bot.places.ChannelFinder)."""
        try:
            guild = self.client.guild_for(self.workspace)
        except Undeliverable:
            return None
        wanted = name.removeprefix("#")
        found = discord.utils.find(lambda c: wanted in (c.name, str(c.id)), guild.text_channels)
        return ChannelRef(PLATFORM, self.workspace, str(found.id)) if found else None

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        """Within Discord's nonce window a resend returns the earlier message, if any; a thread
        is made anew each time, so a group introduction cannot be checked."""
        recent = datetime.now(UTC) - since < NONCE_WINDOW
        return Earlier(known=recent and not isinstance(item.to, Group))

    async def _deliver(self, item: Outbound, nonce: str) -> MessageRef | None:
        match item:
            case ShowForm(form=form):
                await self._show_form(form)
            case Delete(message=MessageRef() as ref):
                await self._partial(ref).delete()
            case Post(message=message, to=Ephemeral(member=member)) if self._is_actor(member):
                await self.reply(render(message))
            case Post(message=message, to=Ephemeral(member=member) | Direct(member=member)):
                return await self._direct(member, render(message), nonce)
            case Post(message=message, to=Update(message=None)):
                return await self._update_pressed(render(message))
            case Post(message=message, to=Update(message=ref)) if ref is not None:
                await self._partial(ref).edit(**render(message).edit_kwargs())
                return ref
            case Post(message=message, to=Public(channel=channel)):
                sent = await (await self._channel(channel)).send(nonce=nonce, **render(message).send_kwargs())
                return message_ref(sent, self.workspace)
            case Post(message=message, to=Group(members=members)):
                return await self._group(members, render(message))
        return None

    # --- answering the interaction ---------------------------------------------------

    async def reply(self, rendered: Rendered) -> None:
        """Tell the member behind the interaction alone (ephemeral)."""
        interaction = self._require_interaction()
        async with self._answer:
            if not interaction.response.is_done():
                await interaction.response.send_message(ephemeral=True, **rendered.send_kwargs())
                return
        self._thinking = False
        await interaction.followup.send(ephemeral=True, wait=True, **rendered.send_kwargs())

    async def _show_form(self, form: Form) -> None:
        interaction = self._require_interaction()
        async with self._answer:
            if not interaction.response.is_done():
                self.client.forms.shown(interaction.user.id, form)
                await interaction.response.send_modal(modal(form))
                return
        raise Undeliverable("Discord opens a form only as the first answer to a command or button")

    async def _update_pressed(self, rendered: Rendered) -> MessageRef | None:
        interaction = self.interaction
        if interaction is None or interaction.message is None:
            await self.reply(rendered)
            return None
        pressed = message_ref(interaction.message, self.workspace)
        async with self._answer:
            if not interaction.response.is_done():
                await interaction.response.edit_message(**rendered.edit_kwargs())
                return pressed
            answered_by_update = interaction.response.type in (
                discord.InteractionResponseType.deferred_message_update,
                discord.InteractionResponseType.message_update,
            )
        if answered_by_update:
            await interaction.edit_original_response(**rendered.edit_kwargs())
        else:
            await interaction.message.edit(**rendered.edit_kwargs())
        return pressed

    async def _defer_later(self) -> None:
        await asyncio.sleep(DEFER_AFTER)
        await self.stored.wait()
        interaction = self.interaction
        if interaction is None:
            return
        async with self._answer:
            if interaction.response.is_done():
                return
            if interaction.message is not None:  # a button, select or form on a message: keep it
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
                self._thinking = True

    async def _acknowledge(self) -> None:
        interaction = self.interaction
        if interaction is None:
            return
        with speaking(self.language):
            done = _(DONE)
        try:
            async with self._answer:
                if not interaction.response.is_done():
                    if interaction.message is not None:
                        await interaction.response.defer()
                    else:
                        await interaction.response.send_message(done, ephemeral=True)
            if self._thinking:
                await interaction.edit_original_response(content=done)
        except discord.HTTPException as error:
            log.error("could not acknowledge interaction %s: %s", interaction.id, error)

    async def _report(self, where: str, error: Exception) -> None:
        """Tell the waiting member what did not go out; nobody waits behind timed work."""
        if self.interaction is None:
            return
        reason = error.text if isinstance(error, discord.HTTPException) and error.text else str(error)
        try:
            told = _("I couldn't deliver a message to {where} ({reason}).").format(where=where, reason=reason)
            await self.reply(render(Message.of(told)))
        except discord.HTTPException as failure:  # the interaction may have expired meanwhile
            log.error("could not tell %s about the failed delivery: %s", self.interaction.user.id, failure)

    def _require_interaction(self) -> discord.Interaction:
        if self.interaction is None:
            raise Undeliverable("nobody is waiting for an answer")
        return self.interaction

    def _is_actor(self, member: MemberRef) -> bool:
        return self.interaction is not None and member.user_id == str(self.interaction.user.id)

    # --- the REST API ----------------------------------------------------------------

    async def _direct(self, member: MemberRef, rendered: Rendered, nonce: str) -> MessageRef:
        user_id = int(member.user_id)
        user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
        channel = user.dm_channel or await user.create_dm()
        return message_ref(await channel.send(nonce=nonce, **rendered.send_kwargs()), self.workspace)

    async def _group(self, members: tuple[MemberRef, ...], rendered: Rendered) -> MessageRef:
        """Bots cannot open group DMs: a private thread in the matches channel instead."""
        guild = self.client.guild_for(self.workspace)
        parent = self._named_channel(guild, self.client.settings.discord.matches_channel)
        names = [self._display_name(guild, m) for m in members]
        thread = await parent.create_thread(
            name=clip(" & ".join(names), MAX_THREAD_NAME),
            type=discord.ChannelType.private_thread,
            invitable=False,
        )
        for member in members:
            await thread.add_user(discord.Object(int(member.user_id)))
        return message_ref(await thread.send(**rendered.send_kwargs()), self.workspace)

    async def _channel(self, channel: ChannelRef | str) -> discord.abc.Messageable:
        if isinstance(channel, ChannelRef):
            return self.client.get_partial_messageable(int(channel.channel_id))
        return self._named_channel(self.client.guild_for(self.workspace), channel)

    def _named_channel(self, guild: discord.Guild, name: str) -> discord.TextChannel:
        wanted = name.removeprefix("#")
        found = discord.utils.get(guild.text_channels, name=wanted)
        if found is None:
            raise Undeliverable(f"the server {guild.name} has no text channel #{wanted}")
        return found

    def _partial(self, ref: MessageRef) -> discord.PartialMessage:
        channel = self.client.get_partial_messageable(int(ref.channel_id))
        return channel.get_partial_message(int(ref.message_id))

    @staticmethod
    def _display_name(guild: discord.Guild, member: MemberRef) -> str:
        found = guild.get_member(int(member.user_id))
        return found.display_name if found else member.user_id


def nonce(key: str) -> str:
    """Discord nonces hold at most 25 characters: a digest of the outbox key."""
    return hashlib.sha256(key.encode()).hexdigest()[:25]


def describe(item: Outbound, matches_channel: str) -> str:
    """Where an item was going, for logs and for the member who is waiting (in the language
    being spoken)."""
    match item:
        case ShowForm(form=form):
            return _("a form ({title})").format(title=form.title)
        case Delete(message=ref) | Post(to=Update(message=ref)) if ref is not None:
            return _("message {message} in channel {channel}").format(
                message=ref.message_id, channel=ref.channel_id
            )
        case Post(to=Public(channel=str() as name)):
            return f"#{name.removeprefix('#')}"
        case Post(to=Public(channel=ChannelRef(channel_id=channel_id))):
            return _("channel {channel}").format(channel=channel_id)
        case Post(to=Direct(member=member) | Ephemeral(member=member)):
            return _("a direct message to <@{member}>").format(member=member.user_id)
        case Post(to=Group()):
            return _("a private thread in #{channel}").format(channel=matches_channel)
    return _("the message you pressed")
