"""Choosing a linked profile part by part: name and work, place, bio, topics, each from one of
the two profiles. The choice so far rides in the buttons' ids as a bit mask (a bit set takes
that part from the account typing the code), so nothing is stored until the member links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.cards import headline, listing, place
from bot.i18n import N_, _
from bot.text import clip
from storage.models import Person
from storage.unit_of_work import UnitOfWork

TAG_KINDS = ("expertise", "learning", "language")
MAX_SHOWN = 60


@dataclass(frozen=True)
class Part:
    title: str  # marked with N_(), read in the reader's language
    attributes: tuple[str, ...]  # the Person columns it holds; topics are the tags
    shown: Callable[[Person], str]


PARTS = (
    Part(N_("Name and work"), ("display_name", "organisation", "role"), headline),
    Part(
        N_("Where and when"),
        ("country", "region", "region_is_override", "timezone"),
        lambda p: " \u00b7 ".join(x for x in (place(p), p.timezone) if x),
    ),
    Part(N_("Bio"), ("bio",), lambda p: p.bio or listing([])),
    Part(N_("Topics"), (), lambda p: listing([t.label for t in p.tags])),
)
EVERY_PART = (1 << len(PARTS)) - 1


def differing(first: Person, second: Person) -> list[int]:
    """The parts the two profiles say differently, by number."""
    return [n for n, part in enumerate(PARTS) if part.shown(first) != part.shown(second)]


def shown(part: int, person: Person) -> str:
    return clip(PARTS[part].shown(person), MAX_SHOWN)


def title(part: int) -> str:
    return _(PARTS[part].title)


def takes(mask: int, part: int) -> bool:
    """Whether the choice `mask` takes this part from the account typing the code."""
    return bool(mask >> part & 1)


async def take_parts(uow: UnitOfWork, kept: Person, source: Person, mask: int) -> None:
    """Give the kept profile the chosen parts of the other one."""
    for number, part in enumerate(PARTS):
        if not takes(mask, number):
            continue
        for attribute in part.attributes:
            setattr(kept, attribute, getattr(source, attribute))
        if not part.attributes:
            for kind in TAG_KINDS:
                await uow.people.replace_tags(kept, kind, source.tag_labels(kind))
