"""`/alumni find <words>`: the member directory, ranked, five to a page."""

from __future__ import annotations

from dataclasses import dataclass

from bot.action_ids import Number, Text, action_id
from bot.cards import summary
from bot.context import Context
from bot.errors import UserError
from bot.messages import Actions, Button, Message, Section, Strong, rich
from bot.outbound import Update
from bot.router import Feature, Param
from bot.text import clip, fold
from storage.search import Hit

PAGE_SIZE = 5
MAX_QUERY = 60  # the query rides in the Next/Previous button ids (100 characters in all)
MAX_PAGE = 9999
EXAMPLE = "/alumni find open data"

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
    "expertise": "can help with",
    "learning": "wants to learn",
    "name": "name",
    "organisation": "organisation",
    "country": "country",
    "region": "region",
    "role": "role",
    "language": "speaks",
    "bio": "bio",
}
MAX_SHOWN_LABEL = 60


@dataclass(frozen=True)
class Query:
    text: str

    @classmethod
    def parse(cls, text: str) -> Query:
        text = " ".join(text.split())
        if not text:
            raise UserError("Tell me what to look for.", EXAMPLE)
        if len(text) > MAX_QUERY:
            raise UserError(f"Search words are limited to {MAX_QUERY} characters.", EXAMPLE)
        if not fold(text):
            raise UserError("Search with letters or numbers.", EXAMPLE)
        return cls(text)


feature = Feature("directory")


@feature.command(
    "find",
    summary="Find members by topic, name, organisation, country or region",
    usage="find <words>",
    examples=(EXAMPLE, "/alumni find Kenya", "/alumni find licensing"),
    params=(Param("words", "What to look for", kind="topic"),),
    details="Near spellings match too: open-data, open data and opendata find the same people.",
)
async def find(ctx: Context, args: str) -> None:
    ctx.reply(await results_page(ctx, Query.parse(args), 0))


@feature.action("find", "page", Number(0, MAX_PAGE), Text(MAX_QUERY))
async def page(ctx: Context, number: int, words: str) -> None:
    ctx.send(await results_page(ctx, Query.parse(words), number), Update())


async def results_page(ctx: Context, query: Query, page: int) -> Message:
    plan = await ctx.uow.search.plan(query.text)
    found = await ctx.uow.search.ranked(plan, WEIGHTS, page * PAGE_SIZE, PAGE_SIZE)
    if not found.total:
        return Message.of(f"No one matches \u201c{query.text}\u201d yet. Try a broader word, or {EXAMPLE}.")
    pages = (found.total + PAGE_SIZE - 1) // PAGE_SIZE
    if page >= pages:  # people left since the button was drawn
        page = pages - 1
        found = await ctx.uow.search.ranked(plan, WEIGHTS, page * PAGE_SIZE, PAGE_SIZE)
    people = await ctx.uow.people.get_many(found.person_ids)
    people_word = "person" if found.total == 1 else "people"
    heading = Section(
        rich(
            Strong(f"{found.total} {people_word} for \u201c{query.text}\u201d"),
            f" (page {page + 1} of {pages})" if pages > 1 else "",
        )
    )
    buttons = []
    if page > 0:
        buttons.append(Button("Previous", action_id("find", "page", page - 1, query.text)))
    if page < pages - 1:
        buttons.append(Button("Next", action_id("find", "page", page + 1, query.text)))
    shown = (summary(people[pid], why(found.matched[pid])) for pid in found.person_ids if pid in people)
    blocks = (heading, *shown)
    return Message(blocks + ((Actions(tuple(buttons)),) if buttons else ()))


def why(hits: list[Hit]) -> str:
    """ "can help with: Open-Data; wants to learn: open data", the parts in order of weight."""
    labels: dict[str, list[str]] = {}
    for hit in hits:
        labels.setdefault(hit.field, []).append(clip(hit.label, MAX_SHOWN_LABEL))
    parts = sorted(labels, key=lambda part: -WEIGHTS[part])
    return "; ".join(f"{FIELD_WORDS[part]}: {', '.join(labels[part])}" for part in parts)
