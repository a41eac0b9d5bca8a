"""Where members the bot puts in touch (a match, a peer introduction) read what it says to them
together: one conversation when each is reached on the same platform, else each one's direct
message on their own platform (a Slack member and a Discord member cannot share a chat)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.group_language import group_language, to_group
from bot.i18n import language_of, speaking
from bot.members import reach
from bot.messages import Message
from bot.outbound import Destination, Direct, Group
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
    """An introduction, where the members read it: the shared conversation's message first (and
    private copies in other languages, bot.group_language), or each member's own. Nothing for
    fewer than two."""
    reached = reached_at(people)
    if len(reached) < 2:
        return []
    if one_place([ref for _person, ref in reached]):
        return to_group(lambda: build(None), reached, settings)
    return each_own(build, reached, settings)


def to_all(
    build: Callable[[], Message], people: Sequence[Person], settings: Settings
) -> list[tuple[Message, Destination]]:
    """What the members answer or act on (a check-in, another time): once in their shared
    conversation, in its language, or in each member's own."""
    reached = reached_at(people)
    if len(reached) < 2:
        return []
    if one_place([ref for _person, ref in reached]):
        with speaking(group_language(people, settings)):
            return [(build(), Group(tuple(ref for _person, ref in reached)))]
    return each_own(lambda _reader: build(), reached, settings)


def reached_at(people: Sequence[Person]) -> list[tuple[Person, MemberRef]]:
    return [(person, ref) for person in people if (ref := reach(person))]


def each_own(
    build: Build, reached: Sequence[tuple[Person, MemberRef]], settings: Settings
) -> list[tuple[Message, Destination]]:
    """A message to each member's own direct messages, in their language."""
    sent: list[tuple[Message, Destination]] = []
    for person, ref in reached:
        with speaking(language_of(person, settings)):
            sent.append((build(ref), Direct(ref)))
    return sent


def one_place(refs: Sequence[MemberRef]) -> bool:
    """Whether these accounts can share one conversation: all on one platform's workspace."""
    return len({(ref.platform, ref.workspace) for ref in refs}) == 1
