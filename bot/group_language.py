"""What a conversation of several members reads: their language when they share one, else the
channel's (the platform posts one message to the group); and, to each member who reads another
language, a private copy in theirs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.i18n import LANGUAGES, N_, _, language_of, speaking
from bot.messages import Message, Note, rich
from bot.outbound import Destination, Direct, Group
from bot.refs import MemberRef

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.models import Person

COPY_NOTE = N_("The same message in your language: the conversation with them is in {language}.")


def group_language(people: Sequence[Person], settings: Settings) -> str:
    languages = {language_of(p, settings) for p in people}
    return languages.pop() if len(languages) == 1 else settings.bot.channel_speaks


def to_group(
    build: Callable[[], Message], members: Sequence[tuple[Person, MemberRef]], settings: Settings
) -> list[tuple[Message, Destination]]:
    """The group's message first (built in its language), then each private copy."""
    spoken = group_language([person for person, _ref in members], settings)
    with speaking(spoken):
        sent: list[tuple[Message, Destination]] = [(build(), Group(tuple(ref for _person, ref in members)))]
    for person, ref in members:
        if (own := language_of(person, settings)) != spoken:
            with speaking(own):
                note = Note(rich(_(COPY_NOTE).format(language=LANGUAGES[spoken])))
                sent.append((Message((note, *build().blocks)), Direct(ref)))
    return sent
