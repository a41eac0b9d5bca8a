"""How a person's profile reads in a message; used by introductions, search and matching.

Written in the language being spoken: the reader's, or the channel's for an introduction card."""

from __future__ import annotations

from bot.geo import country_shown
from bot.i18n import _
from bot.messages import Field, Message, Note, Section, Strong, rich
from storage.models import Person

NOT_SET = "\u2014"


def headline(person: Person) -> str:
    """ "Ana Lima, Data lead at GBIF" (as much of it as the profile says)."""
    if person.role and person.organisation:
        return _("{name}, {role} at {organisation}").format(
            name=person.display_name, role=person.role, organisation=person.organisation
        )
    work = person.role or person.organisation
    return f"{person.display_name}, {work}" if work else person.display_name


def place(person: Person) -> str:
    parts = [
        country_shown(person.country) if person.country else "",
        _(person.region) if person.region else "",
    ]
    return ", ".join(p for p in parts if p) or NOT_SET


def listing(labels: list[str]) -> str:
    return ", ".join(labels) or NOT_SET


def summary(person: Person, why: str = "", reach: str = "") -> Section:
    """A short block: who they are, where, what they can help with (and why they were found,
    and where to reach them when they are on another platform)."""
    fields = [Field(_("Can help with"), (listing(person.tag_labels("expertise")),))]
    if why:
        fields.append(Field(_("Matched"), (why,)))
    if reach:
        fields.append(Field(_("Reach them"), (reach,)))
    return Section(rich(Strong(headline(person)), f"\n{place(person)}"), tuple(fields))


def profile_card(person: Person, title: str = "") -> Message:
    fields = (
        Field(_("Organisation"), (person.organisation or NOT_SET,)),
        Field(_("Role"), (person.role or NOT_SET,)),
        Field(_("Based in"), (place(person),)),
        Field(_("Time zone"), (person.timezone or NOT_SET,)),
        Field(_("Can help with"), (listing(person.tag_labels("expertise")),)),
        Field(_("Wants to learn"), (listing(person.tag_labels("learning")),)),
        Field(_("Languages"), (listing(person.tag_labels("language")),)),
    )
    blocks: list[Section | Note] = [Section(rich(Strong(title or person.display_name)), fields)]
    if person.bio:
        blocks.append(Section((person.bio,)))
    return Message(tuple(blocks))


def intro_card(person: Person) -> Message:
    """The public introduction; until topics are added it says how (the profile's second page)."""
    card = profile_card(person, title=_("Please welcome {name}!").format(name=person.display_name))
    notes = [Note((_("Say hello in a thread, or ask for an introduction with /alumni introduce."),))]
    if not person.tag_labels("expertise"):
        notes.insert(
            0,
            Note(
                (
                    _(
                        "No topics yet. {name}: add what you can help with and want to learn with "
                        "/alumni intro (or the Add my topics button I sent you)."
                    ).format(name=person.display_name),
                )
            ),
        )
    return Message((*card.blocks, *notes))
