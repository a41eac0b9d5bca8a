"""A recording chat and a conversation driver: tests read like a transcript.

`Conversation` sends events through the real core and router, exactly as an adapter
would, and delivers the outbox after each; `RecordingChat` is both the event's chat and
the outbox's courier, and keeps everything sent, with who could see it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core import Core
from bot.events import Action, Actor, Command, DirectMessage, FormSubmitted, MemberJoined, Outcome
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Form,
    Message,
    Note,
    Section,
    Select,
    words,
)
from bot.outbound import Direct, Ephemeral, Group, Outbound, Post, Public, ShowForm, Update
from bot.outbox import Earlier, Sender
from bot.refs import ChannelRef, MemberRef, MessageRef

PLATFORM = "test"
WORKSPACE = "W1"


@dataclass
class Sent:
    """One thing the core sent, as a participant would see it."""

    item: Outbound
    ref: MessageRef | None
    actor: MemberRef | None  # whose event caused it (for ephemeral replies and updates)

    @property
    def message(self) -> Message:
        assert isinstance(self.item, Post), self.item
        return self.item.message

    @property
    def text(self) -> str:
        return plain(self.message) if isinstance(self.item, Post) else repr(self.item)

    def visible_to(self, member: MemberRef) -> bool:
        match self.item:
            case Post(to=Ephemeral(member=m)) | Post(to=Direct(member=m)):
                return m == member
            case Post(to=Group(members=ms)):
                return member in ms
            case ShowForm() | Post(to=Update(message=None)):
                return self.actor == member
            case _:
                return True

    def buttons(self) -> list[Button]:
        if not isinstance(self.item, Post):
            return []
        return [
            e
            for b in self.item.message.blocks
            if isinstance(b, Actions)
            for e in b.elements
            if isinstance(e, Button)
        ]

    def button(self, label: str) -> Button:
        for button in self.buttons():
            if button.label == label or button.label.startswith(label):
                return button
        raise AssertionError(f"no button {label!r} in: {[b.label for b in self.buttons()]}\n{self.text}")

    def select(self) -> Select:
        """The message's one menu."""
        [menu] = [
            e
            for b in self.message.blocks
            if isinstance(b, Actions)
            for e in b.elements
            if isinstance(e, Select)
        ]
        return menu

    @property
    def form(self) -> Form:
        assert isinstance(self.item, ShowForm), self.item
        return self.item.form

    @property
    def attachments(self) -> list[Attachment]:
        return [b for b in self.message.blocks if isinstance(b, Attachment)]


def plain(message: Message) -> str:
    """A transcript of the message as a participant sees it: Message.plain_text()'s words, with
    the buttons, menus and files where they stand."""
    lines: list[str] = []
    for block in message.blocks:
        match block:
            case Section(text=text, fields=fields):
                lines.append(words(text))
                lines.extend(f"{f.label}: {words(f.value)}" for f in fields)
            case Note(text=text):
                lines.append(words(text))
            case Actions(elements=elements):
                lines.append(
                    " ".join(
                        f"[{e.label}]" if isinstance(e, Button) else f"<{e.placeholder}>" for e in elements
                    )
                )
            case Attachment(filename=name):
                lines.append(f"(file {name})")
    return "\n".join(lines)


class RecordingChat:
    def __init__(self, platform: str = PLATFORM) -> None:
        self.platform = platform
        self.sent: list[Sent] = []
        self.current_actor: MemberRef | None = None
        self._ids = itertools.count(1)
        self.channels = {"introductions": "C-intro", "general": "C-general"}

    async def find_channel(self, name: str) -> ChannelRef | None:
        channel_id = self.channels.get(name.removeprefix("#"))
        return ChannelRef(self.platform, WORKSPACE, channel_id) if channel_id else None

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        return await self.send(item)

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        return Earlier()

    async def send(self, item: Outbound) -> MessageRef | None:
        ref = None
        if isinstance(item, Post):
            match item.to:
                case Update(message=message):
                    ref = message
                case Public(channel=channel):
                    channel_id = (
                        self.channels.get(channel, channel)
                        if isinstance(channel, str)
                        else channel.channel_id
                    )
                    ref = MessageRef(self.platform, WORKSPACE, channel_id, str(next(self._ids)))
                case _:
                    ref = MessageRef(self.platform, WORKSPACE, "D", str(next(self._ids)))
        self.sent.append(Sent(item, ref, self.current_actor))
        return ref


@dataclass
class Clock:
    current: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class Conversation:
    """Drives the core as members would; every call returns what that event caused. The outbox
    is delivered through `chat` and any `others` (the platforms the same process serves)."""

    def __init__(self, core: Core, chat: RecordingChat, others: tuple[RecordingChat, ...] = ()) -> None:
        self.core = core
        self.chat = chat
        self.others = others
        self.members: dict[str, Actor] = {}

    def member(self, name: str, *, roles: frozenset[str] = frozenset(), timezone: str | None = None) -> Actor:
        key = name.lower().replace(" ", "-")
        if key not in self.members or roles:
            self.members[key] = Actor(MemberRef(self.chat.platform, WORKSPACE, key), name, roles, timezone)
        return self.members[key]

    def ref(self, name: str) -> MemberRef:
        return self.member(name).member

    async def _run(
        self, event: Command | Action | FormSubmitted | MemberJoined | DirectMessage
    ) -> list[Sent]:
        before = len(self.chat.sent)
        self.chat.current_actor = event.actor.member
        self.last_outcome: Outcome = await self.core.receive(event, self.chat)
        await deliver_outbox(self.core, self.chat, *self.others)
        return self.chat.sent[before:]

    async def say(
        self, name: str, text: str, delivery_id: str | None = None, channel_id: str = "C-general"
    ) -> list[Sent]:
        command, _, rest = text.removeprefix("/").partition(" ")
        channel = ChannelRef(self.chat.platform, WORKSPACE, channel_id)
        return await self._run(Command(self.member(name), command, rest, channel, delivery_id))

    async def press(self, name: str, sent: Sent, label: str, delivery_id: str | None = None) -> list[Sent]:
        button = sent.button(label)
        return await self._run(
            Action(self.member(name), button.action_id, message=sent.ref, delivery_id=delivery_id)
        )

    async def press_id(self, name: str, sent: Sent, action_id: str) -> list[Sent]:
        """A press on `sent` carrying any id: an older version of a button, or a forged one."""
        return await self._run(Action(self.member(name), action_id, message=sent.ref))

    async def choose(self, name: str, select: Select, value: str) -> list[Sent]:
        return await self._run(Action(self.member(name), select.action_id, value=value))

    async def submit(self, who: str, form: Form, **values: str) -> list[Sent]:
        filled = {i.name: i.initial for i in form.inputs} | values
        return await self._run(FormSubmitted(self.member(who), form.action_id, filled))

    async def join(self, name: str) -> list[Sent]:
        return await self._run(MemberJoined(self.member(name)))

    async def write(self, name: str) -> list[Sent]:
        """The member writes to the bot directly (what they wrote is not passed on)."""
        direct = ChannelRef(self.chat.platform, WORKSPACE, f"D-{name}")
        return await self._run(DirectMessage(self.member(name), direct))

    async def set_up_profile(self, who: str, **fields: str) -> list[Sent]:
        """The whole /intro flow with sensible defaults; returns what the last step sent."""
        defaults = {"organisation": "GBIF", "country": "Kenya", "timezone": "Africa/Nairobi"}
        about = defaults | {k: fields.pop(k) for k in defaults.keys() | {"role"} if k in fields}
        opened = await self.say(who, "/alumni intro")
        saved = await self.submit(who, opened[0].form, name=who, **about)
        offered = next((s for s in saved if s.buttons()), None)  # not when topics are there already
        topics = await (
            self.press(who, offered, "Add my topics")
            if offered
            else self._run(Action(self.member(who), "profile:topics"))
        )
        return await self.submit(who, topics[0].form, **({"expertise": "open data"} | fields))

    def seen_by(self, name: str) -> list[Sent]:
        member = self.ref(name)
        return [s for s in self.chat.sent if isinstance(s.item, Post) and s.visible_to(member)]

    def last_for(self, name: str) -> Sent:
        return self.seen_by(name)[-1]


async def deliver_outbox(core: Core, *chats: RecordingChat) -> None:
    """What the outbox sender of a running bot would deliver now."""
    await Sender(core.database, list(chats), core.clock).deliver_due()
