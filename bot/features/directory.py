"""`/alumni find <words>`: the member directory, ranked, five to a page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.action_ids import Number, Text, action_id
from bot.cards import summary
from bot.context import Context
from bot.errors import UserError
from bot.geo import countries_matching, country_name
from bot.messages import Actions, Button, Message, Section, Strong, rich
from bot.outbound import Update
from bot.router import Param, Router
from bot.text import fold
from storage.models import Person

_WORD_BREAK = re.compile(r"[\s\-/_,.;:()]+")
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


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]  # folded words of three letters or more, or the whole query
    phrase: str  # the whole query folded: "open-data" -> "opendata"

    @classmethod
    def parse(cls, text: str) -> Query:
        text = " ".join(text.split())
        if not text:
            raise UserError("Tell me what to look for.", EXAMPLE)
        if len(text) > MAX_QUERY:
            raise UserError(f"Search words are limited to {MAX_QUERY} characters.", EXAMPLE)
        phrase = fold(text)
        if not phrase:
            raise UserError("Search with letters or numbers.", EXAMPLE)
        words = tuple(w for w in (fold(part) for part in text.replace("-", " ").split()) if len(w) >= 3)
        return cls(text, words or (phrase,), phrase)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.phrase, *self.words)))


def register(router: Router) -> None:
    @router.command(
        "find",
        summary="Find members by topic, name, organisation, country or region",
        usage="find <words>",
        examples=(EXAMPLE, "/alumni find Kenya", "/alumni find licensing"),
        params=(Param("words", "What to look for", kind="topic"),),
        details="Near spellings match too: open-data, open data and opendata find the same people.",
    )
    async def find(ctx: Context, args: str) -> None:
        ctx.reply(await results_page(ctx, Query.parse(args), 0))

    @router.action("find", "page", Number(0, MAX_PAGE), Text(MAX_QUERY))
    async def page(ctx: Context, number: int, words: str) -> None:
        ctx.send(await results_page(ctx, Query.parse(words), number), Update())


async def results_page(ctx: Context, query: Query, page: int) -> Message:
    candidates = await ctx.uow.people.search(
        query.words, query.keys, [code for w in query.words for code in countries_matching(w)]
    )
    ranked = rank(candidates, query)
    if not ranked:
        return Message.of(f"No one matches \u201c{query.text}\u201d yet. Try a broader word, or {EXAMPLE}.")
    pages = (len(ranked) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(page, pages - 1)
    shown = ranked[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    heading = Section(
        rich(
            Strong(
                f"{len(ranked)} {'person' if len(ranked) == 1 else 'people'} for \u201c{query.text}\u201d"
            ),
            f" (page {page + 1} of {pages})" if pages > 1 else "",
        )
    )
    buttons = []
    if page > 0:
        buttons.append(Button("Previous", action_id("find", "page", page - 1, query.text)))
    if page < pages - 1:
        buttons.append(Button("Next", action_id("find", "page", page + 1, query.text)))
    blocks = (heading, *(summary(person) for person in shown))
    return Message(blocks + ((Actions(tuple(buttons)),) if buttons else ()))


def rank(people: list[Person], query: Query) -> list[Person]:
    scored = [(relevance(person, query), person) for person in people]
    scored = [(score, person) for score, person in scored if score > 0]
    scored.sort(key=lambda item: (-item[0], item[1].display_name.casefold(), item[1].id))
    return [person for _, person in scored]


def relevance(person: Person, query: Query) -> int:
    texts = {
        "name": person.display_name,
        "organisation": person.organisation,
        "role": person.role,
        "region": person.region,
        "bio": person.bio,
        "country": country_name(person.country) if person.country else "",
    }
    score = sum(WEIGHTS[part] * _hits(text, query) for part, text in texts.items())
    if person.country and person.country.lower() in query.words:
        score += WEIGHTS["country"]
    for tag in person.tags:
        score += WEIGHTS[tag.kind] * _hits(tag.label, query)
    return score


def _hits(text: str, query: Query) -> int:
    """The whole query, spelled any way, counts double; otherwise one per word that starts a word."""
    if not text:
        return 0
    if query.phrase in fold(text):
        return 2 * max(1, len(query.words))
    tokens = [fold(token) for token in _WORD_BREAK.split(text)]
    return sum(1 for word in query.words if any(token.startswith(word) for token in tokens))
