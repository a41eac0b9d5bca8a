"""`/alumni find <words>`: the member directory, ranked, five to a page."""

from __future__ import annotations

from dataclasses import dataclass

from bot.action_ids import Number, Text, action_id
from bot.cards import summary
from bot.context import Context
from bot.errors import UserError
from bot.features.linking.reach import elsewhere
from bot.geo import country_from_english, country_in_english
from bot.i18n import N_, _, label_value, ngettext, number
from bot.messages import Actions, Button, Message, Section, Strong, rich
from bot.outbound import Update
from bot.router import Feature, Param
from bot.text import clip, fold
from storage.search import Hit

PAGE_SIZE = 5
MAX_QUERY = 60  # the query rides in the Next/Previous button ids (100 characters in all)
MAX_PAGE = 9999
EXAMPLE = N_("/alumni find open data")

# How much a hit in each part of a profile counts; expertise matters most.
WEIGHTS = {
    "expertise": 6,
    "name": 5,
    "organisation": 4,
    "country": 3,
    "region": 2,
    "learning": 2,
    "role": 1,
    "language": 1,
    "bio": 1,
}
# How each part of a profile reads in "Matched: …".
FIELD_WORDS = {
    "expertise": N_("can help with"),
    "learning": N_("wants to learn"),
    "name": N_("name"),
    "organisation": N_("organisation"),
    "country": N_("country"),
    "region": N_("region"),
    "role": N_("role"),
    "language": N_("speaks"),
    "bio": N_("bio"),
}
MAX_SHOWN_LABEL = 60


@dataclass(frozen=True)
class Query:
    text: str

    @classmethod
    def parse(cls, text: str) -> Query:
        text = " ".join(text.split())
        if not text:
            raise UserError(_("Tell me what to look for."), _(EXAMPLE))
        if len(text) > MAX_QUERY:
            raise UserError(
                _("Search words are limited to {count} characters.").format(count=MAX_QUERY), _(EXAMPLE)
            )
        if not fold(text):
            raise UserError(_("Search with letters or numbers."), _(EXAMPLE))
        return cls(text)


feature = Feature("directory")


@feature.command(
    "find",
    summary=N_("Find members by topic, name, organisation, country or region"),
    usage=N_("find <words>"),
    examples=(EXAMPLE, N_("/alumni find Kenya"), N_("/alumni find licensing")),
    params=(Param("words", N_("What to look for"), kind="topic"),),
    details=N_("Near spellings match too: open-data, open data and opendata find the same people."),
)
async def find(ctx: Context, args: str) -> None:
    ctx.reply(await results_page(ctx, Query.parse(args), 0))


@feature.action("find", "page", Number(0, MAX_PAGE), Text(MAX_QUERY))
async def page(ctx: Context, number: int, words: str) -> None:
    ctx.send(await results_page(ctx, Query.parse(words), number), Update())


async def results_page(ctx: Context, query: Query, page: int) -> Message:
    # A country named in the reader's language is looked for as the index keeps it, in English.
    plan = await ctx.uow.search.plan(country_in_english(query.text) or query.text)
    found = await ctx.uow.search.ranked(plan, WEIGHTS, page * PAGE_SIZE, PAGE_SIZE)
    if not found.total:
        return Message.of(
            _("No one matches \u201c{words}\u201d yet. Try a broader word, or {example}.").format(
                words=query.text, example=_(EXAMPLE)
            )
        )
    pages = (found.total + PAGE_SIZE - 1) // PAGE_SIZE
    if page >= pages:  # people left since the button was drawn
        page = pages - 1
        found = await ctx.uow.search.ranked(plan, WEIGHTS, page * PAGE_SIZE, PAGE_SIZE)
    people = await ctx.uow.people.get_many(found.person_ids)
    found_line = ngettext(
        "{count} person for \u201c{words}\u201d", "{count} people for \u201c{words}\u201d", found.total
    ).format(count=number(found.total), words=query.text)
    heading = Section(
        rich(
            Strong(found_line),
            " " + _("(page {page} of {pages})").format(page=page + 1, pages=pages) if pages > 1 else "",
        )
    )
    buttons = []
    if page > 0:
        buttons.append(Button(_("Previous"), action_id("find", "page", page - 1, query.text)))
    if page < pages - 1:
        buttons.append(Button(_("Next"), action_id("find", "page", page + 1, query.text)))
    reach = await elsewhere(ctx.uow, people, ctx.platform)
    shown = (
        summary(people[pid], why(found.matched[pid]), reach.get(pid, ""))
        for pid in found.person_ids
        if pid in people
    )
    blocks = (heading, *shown)
    return Message(blocks + ((Actions(tuple(buttons)),) if buttons else ()))


def label_shown(hit: Hit) -> str:
    """A country or a world region in the reader's language; the rest as the member wrote it."""
    if hit.field == "country":
        return country_from_english(hit.label)
    return _(hit.label) if hit.field == "region" else hit.label


def why(hits: list[Hit]) -> str:
    """ "can help with: Open-Data; wants to learn: open data", the parts in order of weight."""
    labels: dict[str, list[str]] = {}
    for hit in hits:
        labels.setdefault(hit.field, []).append(clip(label_shown(hit), MAX_SHOWN_LABEL))
    parts = sorted(labels, key=lambda part: -WEIGHTS[part])
    return "; ".join(label_value(_(FIELD_WORDS[part]), ", ".join(labels[part])) for part in parts)
