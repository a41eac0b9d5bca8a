"""Where a reply goes, and the one interface every adapter offers the core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.i18n import SOURCE
from bot.messages import Form, Message
from bot.refs import ChannelRef, MemberRef, MessageRef


@dataclass(frozen=True)
class Public:
    """Visible to everyone in a channel: a known channel, or a configured name ("introductions")."""

    channel: ChannelRef | str


@dataclass(frozen=True)
class Ephemeral:
    """Only `member` sees it, in `channel` (or wherever they last acted when None)."""

    member: MemberRef
    channel: ChannelRef | None = None


@dataclass(frozen=True)
class Direct:
    member: MemberRef


@dataclass(frozen=True)
class Group:
    """One conversation with two or three members (Slack group DM, Discord private thread)."""

    members: tuple[MemberRef, ...]

    def __post_init__(self) -> None:
        if not 2 <= len(self.members) <= 3:
            raise ValueError("a group conversation has 2 or 3 members")


@dataclass(frozen=True)
class Update:
    """Replace an earlier message: a known one, the one posted under `name` (see Post), or,
    with neither, the message whose button was just pressed. `platform`: the named message's,
    when it may be another than the one of the event or timer (a poll's copy on Discord)."""

    message: MessageRef | None = None
    name: str = ""
    platform: str = ""

    @property
    def pressed(self) -> bool:
        return self.message is None and not self.name


Destination = Public | Ephemeral | Direct | Group | Update


@dataclass(frozen=True)
class Batch:
    """Messages sent as one batch (a matching round's introductions): after each is delivered,
    the message posted under `name` is edited to show how many of them went out."""

    name: str
    noun: str  # what each message is, a key of bot.progress.COUNTED: "introduction"
    language: str = "en"  # the language of the one who sees its progress
    # The platform of the progress message, when its messages go to others too (a round's
    # introductions to Slack and Discord members); "" for the platform of each delivery.
    platform: str = ""


@dataclass(frozen=True)
class Post:
    """`name` ("poll:12") remembers the posted message, so that Update(name=…) and
    Delete(name=…) reach it later, even before it is posted. `lane`: deliver in the outbox lane
    of the message so named rather than this one's own, in order with it (a roundtable's
    final results, announcement and calendar file, one after another)."""

    message: Message
    to: Destination
    name: str = ""
    batch: Batch | None = None
    language: str = SOURCE  # the message's language, for what the outbox adds to it
    lane: str = ""


@dataclass(frozen=True)
class ShowForm:
    """Open a form for the member whose command or button press is being handled."""

    form: Form


@dataclass(frozen=True)
class Delete:
    """Take down a message the bot posted, known or named (a forgotten member's card)."""

    message: MessageRef | None = None
    name: str = ""


Outbound = Post | ShowForm | Delete


@dataclass(frozen=True)
class Envelope:
    """An item as the outbox keeps it, with the member to tell if it can never be delivered."""

    item: Outbound
    notify: MemberRef | None = None
    language: str = SOURCE  # the language to tell `notify` in


class Chat(Protocol):
    """What an adapter gives the core for one event: the way to answer the member who acted.

    Everything else the event implies goes through the outbox (bot.outbox)."""

    platform: str

    async def send(self, item: Outbound) -> MessageRef | None:
        """Deliver `item` now, best effort; return a reference when a message was posted or updated."""
        ...


def is_answer(item: Outbound, actor: MemberRef | None) -> bool:
    """An answer to the member waiting on an interaction: their private reply, the message they
    pressed, or a form. Answers go out at once and best effort; the rest through the outbox."""
    match item:
        case ShowForm():
            return True
        case Post(to=Ephemeral(member=member)):
            return member == actor
        case Post(to=Update() as update):
            return update.pressed
    return False
