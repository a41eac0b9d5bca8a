"""How a person's profile reads in a message; used by introductions, search and matching."""

from __future__ import annotations

from bot.geo import country_name
from bot.messages import Field, Message, Note, Section, Strong, rich
from storage.models import Person

NOT_SET = "\u2014"


def headline(person: Person) -> str:
    """ "Ana Lima, Data lead at GBIF" (as much of it as the profile says)."""
    work = " at ".join(part for part in (person.role, person.organisation) if part)
    return f"{person.display_name}, {work}" if work else person.display_name


def place(person: Person) -> str:
    parts = [country_name(person.country) if person.country else "", person.region]
    return ", ".join(p for p in parts if p) or NOT_SET


def listing(labels: list[str]) -> str:
    return ", ".join(labels) or NOT_SET


def summary(person: Person, why: str = "") -> Section:
    """A short block: who they are, where, what they can help with (and why they were found)."""
    fields = [Field("Can help with", (listing(person.tag_labels("expertise")),))]
    if why:
        fields.append(Field("Matched", (why,)))
    return Section(rich(Strong(headline(person)), f"\n{place(person)}"), tuple(fields))


def profile_card(person: Person, title: str = "") -> Message:
    fields = (
        Field("Organisation", (person.organisation or NOT_SET,)),
        Field("Role", (person.role or NOT_SET,)),
        Field("Based in", (place(person),)),
        Field("Time zone", (person.timezone or NOT_SET,)),
        Field("Can help with", (listing(person.tag_labels("expertise")),)),
        Field("Wants to learn", (listing(person.tag_labels("learning")),)),
        Field("Languages", (listing(person.tag_labels("language")),)),
    )
    blocks: list[Section | Note] = [Section(rich(Strong(title or person.display_name)), fields)]
    if person.bio:
        blocks.append(Section((person.bio,)))
    return Message(tuple(blocks))


def intro_card(person: Person) -> Message:
    """The public introduction; until topics are added it says how (the profile's second page)."""
    card = profile_card(person, title=f"Please welcome {person.display_name}!")
    notes = [Note(("Say hello in a thread, or ask for an introduction with /alumni introduce.",))]
    if not person.tag_labels("expertise"):
        notes.insert(
            0,
            Note(
                (
                    f"No topics yet. {person.display_name}: add what you can help with and want to "
                    "learn with /alumni intro (or the Add my topics button I sent you).",
                )
            ),
        )
    return Message((*card.blocks, *notes))
