"""Where members the bot puts in touch (a match, a peer introduction) read what it says to them
together: one conversation when each is reached on the same platform, else each one's direct
message on their own platform (a Slack member and a Discord member cannot share a chat)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.group_language import to_group
from bot.i18n import language_of, speaking
from bot.members import reach
from bot.messages import Message
from bot.outbound import Destination, Direct
from bot.refs import MemberRef

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.models import Person

# Builds the message for one reader (their account, to mention the others from there), or for
# the one conversation they all share (None).
Build = Callable[[MemberRef | None], Message]


def to_members(
    build: Build, people: Sequence[Person], settings: Settings
) -> list[tuple[Message, Destination]]:
    """What the members read, where: the shared conversation's message first (and private copies
    in other languages, bot.group_language), or each member's own. Nothing for fewer than two."""
    reached = [(person, ref) for person in people if (ref := reach(person))]
    if len(reached) < 2:
        return []
    if one_place([ref for _person, ref in reached]):
        return to_group(lambda: build(None), reached, settings)
    sent: list[tuple[Message, Destination]] = []
    for person, ref in reached:
        with speaking(language_of(person, settings)):
            sent.append((build(ref), Direct(ref)))
    return sent


def alike(build: Callable[[], Message]) -> Build:
    """A message every member reads alike, wherever they read it (each in their language)."""
    return lambda _reader: build()


def one_place(refs: Sequence[MemberRef]) -> bool:
    """Whether these accounts can share one conversation: all on one platform's workspace."""
    return len({(ref.platform, ref.workspace) for ref in refs}) == 1
