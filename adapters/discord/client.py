"""The discord.py client: command sync at start, every interaction routed by its data alone.

No discord.ui View or Modal is ever kept for dispatch: a button's custom id is our action
id (`feature:verb:args`), so a press on a message posted before a restart still routes.
Each interaction (and member join) is stored in the inbox before the core handles it and
before Discord gets its first answer; one a stopped process left there is handled at the
next start, its answers then going to the member's direct messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import discord

from adapters.discord import commands, translate
from adapters.discord.chat import DiscordChat, Undeliverable
from adapters.discord.forms import ShownForms
from adapters.discord.render import PLATFORM, render
from adapters.runtime import Runtime
from bot import codec
from bot.events import Actor, Event, FormSubmitted, Outcome
from bot.i18n import N_, _, speaking
from bot.inbox import Accepted
from bot.messages import Actions, Button, Form, Message
from bot.outbound import ShowForm
from bot.suggestions import suggest

log = logging.getLogger(__name__)

RETRY_FORM = "discord-retry-form"  # no colon: never one of the core's action ids
FORM_EXPIRED = N_("That form has expired. Run the command again to open it afresh.")


def intents() -> discord.Intents:
    """Guilds (channels, roles, threads), members (joins, roles of members who write in DMs) and
    direct messages (not privileged; their content is never read, only answered with help)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = True
    wanted.dm_messages = True
    return wanted


class AlumniClient(discord.Client):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            chunk_guilds_at_startup=False,
            http_trace=runtime.metrics.http_trace(PLATFORM),
        )
        self.runtime = runtime
        self.settings = runtime.settings
        self.router = runtime.core.router
        self.forms = ShownForms()
        self._jobs_started = False
        self._handling: set[asyncio.Task[None]] = set()

    async def setup_hook(self) -> None:
        assert self.application_id is not None  # set by login from /oauth2/applications/@me
        ours = commands.definitions(self.router)
        await commands.sync(self.http, self.application_id, ours, self.settings.discord.guild_ids)

    async def on_ready(self) -> None:
        if not self._jobs_started:
            self._jobs_started = True
            await self.runtime.start(DiscordChat(self, self.home_workspace()), self.handle_left_over)

    async def handle_left_over(self, accepted: Accepted) -> None:
        """An interaction a stopped process stored and did not handle: its token may be gone,
        so answers go to the member's direct messages."""
        event: Event = codec.loads(accepted.payload)
        chat = DiscordChat(self, event.actor.member.workspace)
        await self.runtime.core.dispatch(event, chat, inbox_id=accepted.row_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self._track(asyncio.current_task())
        workspace = self.workspace_of(interaction)
        user = await self.member_in(workspace, interaction.user)
        who = self.actor(user, workspace, interaction.locale)
        match interaction.type:
            case discord.InteractionType.autocomplete:
                await self._autocomplete(interaction)
            case discord.InteractionType.application_command:
                await self._dispatch(translate.command(interaction, who), interaction, workspace)
            case discord.InteractionType.component if translate.custom_id(interaction) == RETRY_FORM:
                await self._reopen_form(interaction, who, workspace)
            case discord.InteractionType.component:
                await self._dispatch(translate.action(interaction, who), interaction, workspace)
            case discord.InteractionType.modal_submit:
                await self._submit(translate.form(interaction, who), interaction, workspace)

    async def _receive(self, event: Event, chat: DiscordChat) -> Outcome:
        """Into the inbox first; only then may the chat defer (see DiscordChat.stored)."""
        accepted = await self.runtime.core.accept(event)
        chat.stored.set()
        outcome = await self.runtime.core.dispatch_accepted(event, chat, accepted)
        chat.language = outcome.language
        return outcome

    async def on_message(self, message: discord.Message) -> None:
        """A member writing to the bot in a DM gets short help; nothing else is read."""
        if message.guild is not None or message.author.bot or message.type != discord.MessageType.default:
            return
        self._track(asyncio.current_task())
        workspace = self.workspace_of_user(message.author.id)
        user = await self.member_in(workspace, message.author)
        await self.runtime.core.receive(
            translate.direct_message(message, self.actor(user, workspace)), DiscordChat(self, workspace)
        )

    async def on_member_join(self, member: discord.Member) -> None:
        self._track(asyncio.current_task())
        workspace = str(member.guild.id)
        await self.runtime.core.receive(
            translate.member_joined(member, self.actor(member, workspace)), DiscordChat(self, workspace)
        )

    def actor(
        self, user: discord.User | discord.Member, workspace: str, locale: discord.Locale | None = None
    ) -> Actor:
        return translate.actor(user, workspace, self.settings.facilitators.discord_roles, locale)

    async def _dispatch(self, event: Event, interaction: discord.Interaction, workspace: str) -> None:
        async with DiscordChat(self, workspace, interaction).responding() as chat:
            await self._receive(event, chat)

    async def _submit(self, event: FormSubmitted, interaction: discord.Interaction, workspace: str) -> None:
        async with DiscordChat(self, workspace, interaction).responding() as chat:
            outcome = await self._receive(event, chat)
            if outcome.form_errors:
                self.forms.refill(interaction.user.id, event.action_id, dict(event.values))
                with speaking(outcome.language):
                    told = form_errors(self.forms.last(interaction.user.id), outcome.form_errors)
                await chat.reply(render(told))

    async def _reopen_form(self, interaction: discord.Interaction, who: Actor, workspace: str) -> None:
        async with DiscordChat(self, workspace, interaction).responding() as chat:
            chat.stored.set()  # a form shown again from memory: nothing to store
            form = self.forms.last(interaction.user.id)
            if form is None:
                chat.language = await self.runtime.core.language_for(who)
                with speaking(chat.language):
                    await chat.reply(render(Message.of(_(FORM_EXPIRED))))
            else:
                await chat.send(ShowForm(form))

    async def _autocomplete(self, interaction: discord.Interaction) -> None:
        typing = translate.focused(interaction, self.router)
        found: list[str] = []
        if typing and typing[0].kind in commands.AUTOCOMPLETED:
            found = await suggest(self.runtime.database, typing[0].kind, typing[1])  # type: ignore[arg-type]
        choices = [discord.app_commands.Choice(name=value[:100], value=value[:100]) for value in found]
        await interaction.response.autocomplete(choices)

    # --- where members live --------------------------------------------------------

    def home_workspace(self) -> str:
        """The guild the bot serves first: the first configured one, else the first it joined."""
        for guild_id in self.settings.discord.guild_ids:
            if self.get_guild(guild_id):
                return str(guild_id)
        return str(self.guilds[0].id) if self.guilds else "0"

    def workspace_of(self, interaction: discord.Interaction) -> str:
        """A button pressed in a DM belongs to the member's guild, so they stay one person."""
        if interaction.guild_id:
            return str(interaction.guild_id)
        return self.workspace_of_user(interaction.user.id)

    def workspace_of_user(self, user_id: int) -> str:
        """The guild a member belongs to, for what they do in direct messages."""
        for guild in self.guilds:
            if guild.get_member(user_id):
                return str(guild.id)
        return self.home_workspace()

    def guild_for(self, workspace: str) -> discord.Guild:
        guild = self.get_guild(int(workspace)) if workspace.isdigit() else None
        if guild is None:
            raise Undeliverable(f"the bot is not in guild {workspace}")
        return guild

    async def member_in(
        self, workspace: str, user: discord.User | discord.Member
    ) -> discord.User | discord.Member:
        """The member with their roles, also when they write from a DM."""
        if isinstance(user, discord.Member):
            return user
        guild = self.get_guild(int(workspace)) if workspace.isdigit() else None
        if guild is None:
            return user
        try:
            return guild.get_member(user.id) or await guild.fetch_member(user.id)
        except discord.NotFound:
            return user

    # --- orderly shutdown ----------------------------------------------------------

    def _track(self, task: asyncio.Task[None] | None) -> None:
        if task is not None:
            self._handling.add(task)
            task.add_done_callback(self._handling.discard)

    async def idle(self) -> None:
        """Wait until every event being handled is finished (before closing, so no reply is lost)."""
        while self._handling:
            await asyncio.wait(list(self._handling))

    async def close(self) -> None:
        await self.idle()
        await super().close()


def form_errors(form: Form | None, errors: Mapping[str, str]) -> Message:
    labels = {i.name: i.label for i in form.inputs} if form else {}
    lines = "\n".join(
        _("{label}: {problem}").format(label=labels.get(name, name), problem=problem)
        for name, problem in errors.items()
    )
    again = Actions((Button(_("Fix my answers"), RETRY_FORM, "primary"),)) if form else None
    text = _("Nothing was saved yet; please fix this:\n{problems}").format(problems=lines)
    return Message.of(text, again) if again else Message.of(text)
