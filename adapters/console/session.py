"""The terminal as a chat workspace: one member at a time types, everyone's messages show.

Slash commands are typed as on Slack. `/as <name>` becomes (and if new, creates) another
member, `/press <n>` presses a numbered button or menu option, a form asks for its fields
one per line (an empty line keeps the current value). Reads a terminal or a pipe; at the
end of input the session ends. Bad input never ends it.

What an event implies beyond the answer to the typist goes through the outbox like on any
platform; the console waits for it to be delivered before reading the next line, so the
transcript reads in order.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TextIO

from adapters.console.render import Pressable, render_message
from adapters.runtime import Runtime
from bot.events import Action, Actor, Command, FormSubmitted, MemberJoined
from bot.i18n import N_, _, label_value, speaking, use_language
from bot.members import matching_names
from bot.messages import Form, Image, Message
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
from bot.outbox import Earlier
from bot.permissions import roles_of
from bot.refs import ChannelRef, MemberRef, MessageRef

PLATFORM = "console"
WORKSPACE = "console"
GENERAL = ChannelRef(PLATFORM, WORKSPACE, "general")
FIRST_MEMBER = "Alex"
HELP = N_(
    "Console commands: /as <name> [--facilitator] becomes another member; /press <n> presses a "
    "numbered button; /who lists members; /quit ends. Bot commands start with /alumni (try /alumni help)."
)
MENTION = re.compile(r"(?<![<\w])@([\w-]+)")
# Where images (charts) are saved, under the directory the console runs in.
FILES = Path("alumni-bot-files")


def save_images(message: Message) -> list[Path]:
    """A terminal shows no pictures: each image is saved as a file to open."""
    saved = []
    for block in message.blocks:
        if isinstance(block, Image):
            FILES.mkdir(exist_ok=True)
            path = FILES / Path(block.filename).name
            path.write_bytes(block.data)
            saved.append(path.resolve())
    return saved


def slug(name: str) -> str:
    return "-".join(name.lower().split())


class ConsoleChat:
    """Prints what the core sends, marking who receives it: the event's answers, and (as the
    outbox's courier) everything else."""

    platform = PLATFORM

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session

    async def send(self, item: Outbound) -> MessageRef | None:
        return await self.session.show(item)

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        return await self.session.show(item)

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        return Earlier()  # a terminal keeps no record: a resend after a crash is marked


class ConsoleSession:
    def __init__(self, runtime: Runtime, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        self.runtime = runtime
        self.stdin = stdin
        self.stdout = stdout
        self.chat = ConsoleChat(self)
        self.members: dict[str, Actor] = {}
        self.current: Actor | None = None
        self.pressables: dict[int, Pressable] = {}
        self.pending_forms: list[Form] = []
        self.pressed: MessageRef | None = None
        self._numbers = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        # The acting member's language: the console's own words and what it shows are in it.
        self.language = runtime.settings.bot.default_language

    async def run(self) -> None:
        self._read_in_background()
        with speaking(self.language):
            self.say(_("alumni-bot console. {help}").format(help=_(HELP)))
        await self.runtime.start(self.chat)
        await self.load_members()
        with speaking(self.language):
            await self.become(FIRST_MEMBER, facilitator=False)
        while (line := await self.read_line(self.prompt())) is not None:
            with speaking(self.language):
                await self.handle(line.strip())

    def _read_in_background(self) -> None:
        """Lines come from a daemon thread, so a blocked read never holds up the exit."""
        loop = asyncio.get_running_loop()

        def read() -> None:
            for line in iter(self.stdin.readline, ""):
                loop.call_soon_threadsafe(self._lines.put_nowait, line)
            loop.call_soon_threadsafe(self._lines.put_nowait, None)

        threading.Thread(target=read, name="console-input", daemon=True).start()

    def prompt(self) -> str:
        return f"{self.current.display_name}> " if self.current else "> "

    async def read_line(self, prompt: str = "") -> str | None:
        """Read one line; from a pipe, echo it after its prompt so the output reads as a transcript."""
        interactive = self.stdin.isatty()
        if interactive and prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = await self._lines.get()
        if line is None:
            self._lines.put_nowait(None)  # the end of input stays the end
            return None
        line = line.rstrip("\n")
        if not interactive and (prompt or line.strip()):
            self.say(f"{prompt}{line}")
        return line

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def handle(self, line: str) -> None:
        if not line or line.startswith("#"):
            return
        verb, _space, rest = line.partition(" ")
        match verb:
            case "/as":
                await self.switch(rest)
            case "/press":
                await self.press(rest.strip())
            case "/who":
                names = ", ".join(a.display_name for a in self.members.values())
                self.say(_("Members here: {names}").format(names=names))
            case "/quit" | "/exit":
                raise EOFError
            case "/help":
                self.say(_(HELP))
            case _ if verb.startswith("/") and len(verb) > 1:
                await self.dispatch(Command(self.actor, verb[1:].lower(), self.with_mentions(rest), GENERAL))
            case _:
                self.say(
                    _("(console) Commands start with a slash, e.g. /alumni help. {help}").format(help=_(HELP))
                )

    @property
    def actor(self) -> Actor:
        assert self.current is not None
        return self.current

    async def switch(self, rest: str) -> None:
        facilitator = "--facilitator" in rest.split()
        name = " ".join(w for w in rest.split() if w != "--facilitator")
        if not name:
            self.say(_("(console) Say who to become, e.g. /as Ana Lima"))
            return
        await self.become(name, facilitator)

    async def load_members(self) -> None:
        """The console's members are people in the database like any platform's: a new run
        knows everyone an earlier one made."""
        async with self.runtime.core.database.unit_of_work() as uow:
            for user_id, name in await uow.people.accounts_on(PLATFORM, WORKSPACE):
                self.members[user_id] = Actor(MemberRef(PLATFORM, WORKSPACE, user_id), name)

    async def become(self, name: str, facilitator: bool) -> None:
        """Become the member called `name` (or whose name it begins, when only one does);
        someone new is created, and welcomed."""
        key = slug(name)
        if key not in self.members:
            found = matching_names(name, [(k, (a.display_name,)) for k, a in self.members.items()])
            if len(found) > 1:
                names = ", ".join(self.members[k].display_name for k in found)
                self.say(
                    _("(console) {names} all match “{name}”: type more of the name.").format(
                        names=names, name=name
                    )
                )
                return
            key = found[0] if found else key
        known = self.members.get(key)
        # `--facilitator` gives the console role "facilitator", which `[facilitators] console_roles` lists.
        console_roles = self.runtime.settings.facilitators.console_roles
        roles = (
            roles_of({"facilitator"}, console_roles)
            if facilitator
            else (known.roles if known else frozenset())
        )
        self.current = Actor(
            MemberRef(PLATFORM, WORKSPACE, key), name if not known else known.display_name, roles
        )
        self.members[key] = self.current
        self.speak(await self.runtime.core.language_for(self.current))
        now = self.current.display_name
        if roles:
            self.say(_("(console) You are now {name} (facilitator).").format(name=now))
        else:
            self.say(_("(console) You are now {name}.").format(name=now))
        if known is None:
            await self.dispatch(MemberJoined(self.current))

    async def press(self, number: str) -> None:
        pressable = self.pressables.get(int(number)) if number.isdigit() else None
        if pressable is None:
            self.say(
                _("(console) There is no button [{number}]. Press one shown on screen, e.g. /press 1").format(
                    number=number
                )
            )
            return
        self.pressed = pressable.message
        await self.dispatch(
            Action(self.actor, pressable.action_id, pressable.value, GENERAL, pressable.message)
        )

    def speak(self, language: str) -> None:
        """From now on, the console speaks `language` (the acting member's)."""
        self.language = language
        use_language(language)

    async def dispatch(self, event: Command | Action | FormSubmitted | MemberJoined) -> None:
        self.speak((await self.runtime.core.dispatch(event, self.chat)).language)
        await self.delivered()
        while self.pending_forms:
            await self.fill(self.pending_forms.pop(0))

    async def fill(self, form: Form) -> None:
        """Ask each field in turn; show field errors and ask again, keeping what was typed."""
        while True:
            self.say(
                _("[form: {title}] One line per field; an empty line keeps the value in brackets.").format(
                    title=form.title
                )
            )
            values: dict[str, str] = {}
            for field in form.inputs:
                current = f" [{field.initial}]" if field.initial else ""
                optional = " " + _("(optional)") if not field.required else ""
                line = await self.read_line(f"  {field.label}{optional}{current}: ")
                if line is None:
                    self.say(_("(console) Input ended before the form was complete; nothing was saved."))
                    return
                if line.startswith("/"):
                    # A command instead of a value: the member has left the form.
                    self.say(
                        _("(console) Form \u201c{title}\u201d closed; nothing was saved.").format(
                            title=form.title
                        )
                    )
                    await self.handle(line.strip())
                    return
                values[field.name] = line.strip() or field.initial
            outcome = await self.runtime.core.dispatch(
                FormSubmitted(self.actor, form.action_id, values, GENERAL), self.chat
            )
            self.speak(outcome.language)
            await self.delivered()
            if not outcome.form_errors:
                return
            for name, problem in outcome.form_errors.items():
                label = next((f.label for f in form.inputs if f.name == name), name)
                self.say("  ! " + label_value(label, problem))
            form = form.refilled(values)

    async def delivered(self) -> None:
        """Wait for what the event wrote to the outbox to be shown."""
        if self.runtime.sender is not None:
            await self.runtime.sender.settle()

    def with_mentions(self, text: str) -> str:
        """`@ana-lima` or `@Ana` becomes <@ana-lima> when such a member is here, as on Slack."""

        def replace(match: re.Match[str]) -> str:
            word = match.group(1).lower()
            found = [
                k for k, a in self.members.items() if k == word or slug(a.display_name).split("-")[0] == word
            ]
            return f"<@{found[0]}>" if len(found) == 1 else match.group(0)

        return MENTION.sub(replace, text)

    async def show(self, item: Outbound) -> MessageRef | None:
        """Shown to the acting member, in their language (the outbox's courier runs apart)."""
        with speaking(self.language):
            return await self._show(item)

    async def _show(self, item: Outbound) -> MessageRef | None:
        match item:
            case ShowForm(form=form):
                self.pending_forms.append(form)
                return None
            case Delete(message=MessageRef() as ref):
                self.say(
                    _("[deleted message {message} in #{channel}]").format(
                        message=ref.message_id, channel=ref.channel_id
                    )
                )
                return None
            case Post(message=message, to=to):
                ref, header = self.place(to)
                viewer = await self.viewer_zone()
                lines = render_message(message, viewer, self.number, ref, self.name_of)
                lines.extend(_("(saved to {path})").format(path=path) for path in save_images(message))
                self.say("\n".join([header, *("  " + line for line in lines)]))
                return ref
        return None

    def place(self, to: Destination) -> tuple[MessageRef, str]:
        """Where a message lands, and the header line saying who sees it."""
        match to:
            case Update(message=ref):
                ref = ref or self.pressed or MessageRef(PLATFORM, WORKSPACE, "general", "?")
                return ref, _("[updated message {message}]").format(message=ref.message_id)
            case Public(channel=channel):
                name = channel if isinstance(channel, str) else channel.channel_id
                return self.new_ref(name), f"[#{name}]"
            case Ephemeral(member=member):
                return self.new_ref("general"), _("[only {name} sees this]").format(
                    name=self.name_of(member.user_id)
                )
            case Direct(member=member):
                return self.new_ref(f"dm-{member.user_id}"), _("[DM to {name}]").format(
                    name=self.name_of(member.user_id)
                )
            case Group(members=members):
                names = ", ".join(self.name_of(m.user_id) for m in members)
                return self.new_ref("group-" + "-".join(m.user_id for m in members)), _(
                    "[conversation: {names}]"
                ).format(names=names)
        raise ValueError(f"unknown destination {to!r}")

    def new_ref(self, channel: str) -> MessageRef:
        return MessageRef(PLATFORM, WORKSPACE, channel, str(next(self._message_ids)))

    def number(self, pressable: Pressable) -> int:
        n = next(self._numbers)
        self.pressables[n] = pressable
        return n

    def name_of(self, user_id: str) -> str:
        actor = self.members.get(user_id)
        return actor.display_name if actor else user_id

    async def viewer_zone(self) -> str:
        """The terminal shows everything to the acting member, so times are in their zone."""
        return await self.runtime.core.timezone_of(self.actor.member) or "UTC"
