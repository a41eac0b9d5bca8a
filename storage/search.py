"""The member directory's search index and its queries, on the database's own full-text engine.

Every saved profile has one `SearchEntry` per searchable part (name, organisation, role,
country, region, bio, each topic and language). `IndexedSession` rewrites a person's entries
in the transaction that changes their profile, as it commits, so no feature has to remember
it; a forgotten person's entries go with their row (ON DELETE CASCADE). The migration adds what
reads them: SQLite FTS5 tables kept in step by triggers; on PostgreSQL a stored `simple`
tsvector with a GIN index, and pg_trgm for near spellings.

A query is a list of units (storage.search_terms). A person is found when every unit matches
one of their entries, or one entry holds the whole query. Their score adds up their field
weights: once for each unit an entry matches, and 2 x (number of units) more for an entry that
holds the whole query.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from bot.geo import country_name
from storage.models import Person, SearchEntry, SearchWord
from storage.search_terms import (
    LONGEST_WORD,
    NEAR_SIMILARITY,
    Unit,
    index_terms,
    inner_trigrams,
    query_units,
    similarity,
    spaced_words,
    whole_term,
)

# What the engines add beside the models (the migration creates them); schema comparisons skip them.
ENGINE_OBJECTS = ("search_fts", "search_words_fts", "tsv", "ix_search_entries_tsv", "ix_search_words_trgm")
_PROFILE_ATTRIBUTES = (
    "display_name",
    "organisation",
    "role",
    "country",
    "region",
    "bio",
    "tags",
    "profile_saved_at",
)
MAX_UNITS = 8  # a query's words beyond this are ignored (60 characters rarely hold more)
NEAR_CANDIDATES = 50


def is_engine_object(name: str | None) -> bool:
    return name is not None and name.startswith(ENGINE_OBJECTS)


# --- what is indexed -------------------------------------------------------------------------


# An entry's id says whose it is and which field it is in, so that ranking needs nothing but the
# ids the full-text engine returns: person * 1024 + field * 64 + position.
FIELDS = ("name", "organisation", "role", "region", "bio", "country", "expertise", "learning", "language")
_PER_FIELD, _PER_PERSON = 64, 1024


def entry_id(person_id: int, field: str, position: int) -> int:
    return person_id * _PER_PERSON + FIELDS.index(field) * _PER_FIELD + position


def profile_entries(person: Person) -> list[tuple[str, str, str]]:
    """(field, label as shown, terms) for every searchable part of a saved profile."""
    if person.profile_saved_at is None:
        return []
    parts = [
        ("name", person.display_name),
        ("organisation", person.organisation),
        ("role", person.role),
        ("region", person.region),
        ("bio", person.bio),
        *((tag.kind, tag.label) for tag in person.tags),
    ]
    entries = [(part, label, " ".join(index_terms(label))) for part, label in parts]
    if person.country:
        name = country_name(person.country)
        entries.append(("country", name, " ".join([*index_terms(name), person.country.lower()])))
    return [entry for entry in entries if entry[2]]


def _vocabulary(labels: Iterable[str]) -> set[str]:
    """The words of spaced scripts in `labels`: where near spellings and run-together words
    ("opendata") are looked up."""
    return {word for label in labels for word in spaced_words(label) if len(word) <= LONGEST_WORD}


class IndexedSession(Session):
    """The session every unit of work uses: it keeps the search index in step with profiles.

    Flushes note whose profile changed; the commit writes their entries once, however many
    flushes the unit of work made (a profile form saves its topics kind by kind)."""


_CHANGED, _GONE = "search:changed", "search:gone"


@event.listens_for(IndexedSession, "after_flush")
def _note_changes(session: Session, _context: UOWTransaction) -> None:
    changed: dict[int, Person] = session.info.setdefault(_CHANGED, {})
    gone: dict[int, Person] = session.info.setdefault(_GONE, {})
    for obj in (*session.new, *session.dirty):
        saved = isinstance(obj, Person) and obj.profile_saved_at is not None
        if saved and (obj in session.new or _profile_changed(obj)):
            changed[obj.id] = obj
    for obj in session.deleted:
        if isinstance(obj, Person):
            gone[obj.id] = obj
            changed.pop(obj.id, None)


@event.listens_for(IndexedSession, "before_commit")
def _write_changes(session: Session) -> None:
    session.flush()
    changed, gone = session.info.pop(_CHANGED, {}), session.info.pop(_GONE, {})
    if changed or gone:
        write_entries(session.connection(), list(changed.values()), list(gone.values()))


@event.listens_for(IndexedSession, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_GONE, None)


def write_entries(connection: Connection, changed: Sequence[Person], gone: Sequence[Person] = ()) -> None:
    """Replace the entries of `changed` people, and drop from the vocabulary the words no one
    uses any more (`gone` people's own entries went with their rows)."""
    engine = _engine_for(connection.dialect.name)
    ids = [person.id for person in changed]
    old_labels = set(connection.scalars(select(SearchEntry.label).where(SearchEntry.person_id.in_(ids))))
    old_labels |= {label for person in gone for _, label, _ in profile_entries(person)}
    connection.execute(delete(SearchEntry).where(SearchEntry.person_id.in_(ids)))
    rows = []
    labels: list[str] = []
    for person in changed:
        positions: dict[str, int] = {}
        for part, label, terms in profile_entries(person):  # at most 10 topics of a kind: < 64
            position = positions[part] = positions.get(part, -1) + 1
            row = {"person_id": person.id, "field": part, "label": label, "terms": terms}
            rows.append(row | {"id": entry_id(person.id, part, position)})
            labels.append(label)
    if rows:
        connection.execute(insert(SearchEntry), rows)
    new_words = _vocabulary(labels)
    if new_words:
        connection.execute(engine.insert_words(sorted(new_words)))
    unused = [w for w in sorted(_vocabulary(old_labels) - new_words) if not engine.used(connection, w)]
    if unused:
        connection.execute(delete(SearchWord).where(SearchWord.word.in_(unused)))


def _profile_changed(person: Person) -> bool:
    state = inspect(person)
    return any(state.attrs[name].history.has_changes() for name in _PROFILE_ATTRIBUTES)


# --- the two engines -----------------------------------------------------------------------------


class _Engine:
    """How one database matches terms; everything else is shared SQL."""

    serial = ""  # a statement that keeps this transaction's queries in one process

    def entries_matching(self, param: str, ids: tuple[int, int] | None = None) -> str:
        """SQL for the ids of the entries matching :param (with ids in this range, when given)."""
        raise NotImplementedError

    def expression(self, unit: Unit) -> str:
        raise NotImplementedError

    def exact(self, term: str) -> str:
        return self.expression(Unit((term,), prefix=False))

    def binary(self, column: str) -> str:
        """The column compared code point by code point, the same on both databases."""
        return column

    def words_with(self, param: str) -> str:
        raise NotImplementedError

    def trigram_pattern(self, trigram: str) -> str:
        raise NotImplementedError

    def insert_words(self, words: Sequence[str]) -> Any:
        raise NotImplementedError

    def word_starting(self, param: str) -> str:
        """SQL for one vocabulary word that starts with :param, if any."""
        raise NotImplementedError

    def used(self, connection: Connection, word: str) -> bool:
        statement = text(f"SELECT EXISTS ({self.entries_matching('term')})")
        return bool(connection.scalar(statement, {"term": self.exact(word)}))


class _SQLite(_Engine):
    def entries_matching(self, param: str, ids: tuple[int, int] | None = None) -> str:
        within = f" AND rowid BETWEEN {ids[0]} AND {ids[1]}" if ids else ""
        return f"SELECT rowid AS entry_id FROM search_fts WHERE search_fts MATCH :{param}{within}"

    def expression(self, unit: Unit) -> str:
        terms = [f'"{term}"' for term in unit.terms]
        if unit.prefix:
            terms[-1] += "*"
        either = " OR ".join([f"({' AND '.join(terms)})", *(f'"{near}"' for near in unit.near)])
        return f'({either}) NOT "{unit.unless}"' if unit.unless else either

    def words_with(self, param: str) -> str:
        return f"SELECT word FROM search_words_fts WHERE search_words_fts MATCH :{param}"

    def trigram_pattern(self, trigram: str) -> str:
        return f'"{trigram}"'

    def insert_words(self, words: Sequence[str]) -> Any:
        return sqlite_insert(SearchWord).values([{"word": w} for w in words]).on_conflict_do_nothing()

    def word_starting(self, param: str) -> str:
        upper = f":{param} || char(1114111)"  # after every word that starts with it
        return f"SELECT word FROM search_words WHERE word >= :{param} AND word < {upper} LIMIT 1"


class _PostgreSQL(_Engine):
    # Starting parallel workers costs more than a search takes (measured: 4-6 ms of 7).
    serial = "SET LOCAL max_parallel_workers_per_gather = 0"

    def entries_matching(self, param: str, ids: tuple[int, int] | None = None) -> str:
        within = f" AND id BETWEEN {ids[0]} AND {ids[1]}" if ids else ""
        return f"SELECT id AS entry_id FROM search_entries WHERE tsv @@ CAST(:{param} AS tsquery){within}"

    def expression(self, unit: Unit) -> str:
        terms = [f"'{term}'" for term in unit.terms]
        if unit.prefix:
            terms[-1] += ":*"
        either = " | ".join([f"({' & '.join(terms)})", *(f"'{near}'" for near in unit.near)])
        return f"({either}) & !'{unit.unless}'" if unit.unless else either

    def binary(self, column: str) -> str:
        return f'{column} COLLATE "C"'

    def words_with(self, param: str) -> str:
        return f"SELECT word FROM search_words WHERE word LIKE :{param}"

    def trigram_pattern(self, trigram: str) -> str:
        return f"%{trigram}%"

    def insert_words(self, words: Sequence[str]) -> Any:
        return pg_insert(SearchWord).values([{"word": w} for w in words]).on_conflict_do_nothing()

    def word_starting(self, param: str) -> str:
        return f"SELECT word FROM search_words WHERE word LIKE :{param} || '%' LIMIT 1"

    def used(self, connection: Connection, word: str) -> bool:
        # Counted through the GIN index: EXISTS would be planned as a scan of every entry.
        statement = text(f"SELECT COUNT(*) FROM ({self.entries_matching('term')}) AS m")
        return bool(connection.scalar(statement, {"term": self.exact(word)}))


def _engine_for(dialect: str) -> _Engine:
    return _PostgreSQL() if dialect == "postgresql" else _SQLite()


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A query ready to run: its units (with near spellings found) and its whole-query term."""

    units: tuple[Unit, ...]
    whole: str | None

    @property
    def empty(self) -> bool:
        return not self.units


@dataclass(frozen=True)
class Hit:
    """One entry of a person that matched: its field, its label, and whether it holds the
    whole query (or every unit of it)."""

    field: str
    label: str
    complete: bool


@dataclass(frozen=True)
class Page:
    total: int
    person_ids: list[int] = field(default_factory=list)  # best first
    matched: dict[int, list[Hit]] = field(default_factory=dict)  # each one's entries that matched


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _engine(self) -> _Engine:
        return _engine_for(self.session.get_bind().dialect.name)

    async def plan(self, query: str) -> Plan:
        """Read the query; a single long word that is two indexed words run together
        ("opendata") is read as those two words, so it finds what "open data" finds."""
        units = query_units(query)[:MAX_UNITS]
        whole = whole_term(query)
        if len(units) == 1 and whole is not None:
            units = await self._split(units[0]) or units
        units = [await self._with_near(unit) for unit in units]
        if len(units) == 1 and whole is not None:
            # One word: the entries holding it whole are found as such; the unit keeps the
            # others (words it starts, near spellings), so no entry is read twice.
            units = [replace(units[0], unless=whole)]
        return Plan(tuple(units), whole)

    async def _split(self, unit: Unit) -> list[Unit] | None:
        """ "opendata" -> open, data* when "open" is an indexed word and some word starts with "data"."""
        word = unit.terms[0]
        cuts = range(3, len(word) - 2)
        lefts = {word[:cut] for cut in cuts}
        if not lefts:
            return None
        known = set(await self.session.scalars(select(SearchWord.word).where(SearchWord.word.in_(lefts))))
        for cut in cuts:
            if word[:cut] in known and await self.session.scalar(
                text(self._engine.word_starting("start")), {"start": word[cut:]}
            ):
                return [Unit((word[:cut],), prefix=True), Unit((word[cut:],), prefix=True)]
        return None

    async def _with_near(self, unit: Unit) -> Unit:
        """Add the indexed words spelled nearly like this one ("licencing" ~ "licensing")."""
        if not unit.can_be_near:
            return unit
        word = unit.terms[0]
        grams = inner_trigrams(word)
        union = " UNION ALL ".join(self._engine.words_with(f"g{i}") for i in range(len(grams)))
        statement = text(
            f"SELECT word FROM ({union}) AS shared GROUP BY word HAVING COUNT(*) >= 2 "
            f"ORDER BY COUNT(*) DESC, word LIMIT {NEAR_CANDIDATES}"
        )
        params = {f"g{i}": self._engine.trigram_pattern(g) for i, g in enumerate(grams)}
        candidates = await self.session.scalars(statement, params)
        near = sorted(
            w for w in candidates if not w.startswith(word) and similarity(word, w) >= NEAR_SIMILARITY
        )
        return replace(unit, near=tuple(near))

    def _matches(
        self, plan: Plan, fields: Sequence[str], people: Sequence[int] = ()
    ) -> tuple[str, dict[str, Any]]:
        """SQL for (person_id, entry_id, field code, unit) of every matching entry in `fields`
        (of `people` only, when given); unit -1 is the whole query."""
        params: dict[str, Any] = {f"u{i}": self._engine.expression(u) for i, u in enumerate(plan.units)}
        queries = [(f"u{i}", str(i)) for i in range(len(plan.units))]
        if plan.whole is not None:
            params["whole"] = self._engine.exact(plan.whole)
            queries.append(("whole", "-1"))
        ranges: list[tuple[int, int] | None] = [
            (p * _PER_PERSON, (p + 1) * _PER_PERSON - 1) for p in people
        ] or [None]
        selects = [
            f"SELECT entry_id, {unit} AS unit FROM ({self._engine.entries_matching(param, ids)}) AS m{n}"
            for n, ((param, unit), ids) in enumerate(itertools.product(queries, ranges))
        ]
        field = f"(entry_id / {_PER_FIELD}) % {_PER_PERSON // _PER_FIELD}"
        sql = (
            f"SELECT entry_id / {_PER_PERSON} AS person_id, entry_id, {field} AS field, unit "
            f"FROM ({' UNION ALL '.join(selects)}) AS h"
        )
        if set(fields) != set(FIELDS):
            sql += f" WHERE {field} IN ({', '.join(str(FIELDS.index(name)) for name in fields)})"
        return sql, params

    async def ranked(self, plan: Plan, weights: Mapping[str, int], offset: int, limit: int) -> Page:
        """People who match, best first (then by name): one page of them, with what matched."""
        if plan.empty:
            return Page(0)
        if self._engine.serial:
            await self.session.execute(text(self._engine.serial))
        matches, params = self._matches(plan, list(weights))
        weight = " ".join(f"WHEN {FIELDS.index(name)} THEN {value}" for name, value in weights.items())
        points = f"CASE WHEN unit < 0 THEN {2 * len(plan.units)} ELSE 1 END"
        units = " + ".join(f"MAX(CASE WHEN unit = {i} THEN 1 ELSE 0 END)" for i in range(len(plan.units)))
        statement = text(
            "SELECT s.person_id, s.total FROM ("
            f"SELECT person_id, SUM(CASE field {weight} ELSE 0 END * {points}) AS score, "
            f"COUNT(*) OVER () AS total FROM ({matches}) AS hits GROUP BY person_id "
            f"HAVING {units} = {len(plan.units)} OR MIN(unit) < 0) AS s "
            f"JOIN people p ON p.id = s.person_id ORDER BY s.score DESC, "
            f"{self._engine.binary('p.display_name')}, s.person_id LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        rows = (await self.session.execute(statement, params)).all()
        if not rows and offset:
            return replace(await self.ranked(plan, weights, 0, 1), person_ids=[])
        ids = [row.person_id for row in rows]
        return Page(rows[0].total if rows else 0, ids, await self.hits(plan, ids, list(weights)))

    async def hits(
        self, plan: Plan, person_ids: Sequence[int], fields: Sequence[str]
    ) -> dict[int, list[Hit]]:
        """Each person's matching entries in `fields`, those holding the whole query first."""
        if plan.empty or not person_ids:
            return {}
        matches, params = self._matches(plan, fields, person_ids)
        statement = text(
            "SELECT h.person_id, e.field, e.label, MIN(h.unit) AS whole, COUNT(*) AS units "
            f"FROM ({matches}) AS h JOIN search_entries e ON e.id = h.entry_id "
            "GROUP BY h.person_id, h.entry_id, e.field, e.label "
            "ORDER BY h.person_id, MIN(h.unit), COUNT(*) DESC, h.entry_id"
        )
        found: dict[int, list[Hit]] = {}
        for row in await self.session.execute(statement, params):
            complete = row.whole < 0 or row.units == len(plan.units)
            found.setdefault(row.person_id, []).append(Hit(row.field, row.label, complete))
        return found

    async def listing(self, plan: Plan, fields: Sequence[str]) -> list[tuple[int, bool]]:
        """(person, holds the whole query) for everyone with one entry in `fields` matching every
        unit (or the whole query), those holding the whole query first, then by folded name."""
        if plan.empty:
            return []
        matches, params = self._matches(plan, fields)
        statement = text(
            f"WITH hits AS ({matches}), complete AS (SELECT person_id, MIN(unit) < 0 AS whole "
            f"FROM hits GROUP BY person_id, entry_id HAVING MIN(unit) < 0 OR COUNT(*) = {len(plan.units)}) "
            "SELECT c.person_id, MAX(CASE WHEN c.whole THEN 1 ELSE 0 END) AS whole FROM complete c "
            "JOIN search_entries n ON n.person_id = c.person_id AND n.field = 'name' "
            "GROUP BY c.person_id, n.terms ORDER BY whole DESC, n.terms, c.person_id"
        )
        return [(row.person_id, bool(row.whole)) for row in await self.session.execute(statement, params)]

    async def labels_near(self, plan: Plan, fields: Sequence[str], limit: int) -> list[str]:
        """Labels in `fields` that match some of the query, the closest and most listed first."""
        if plan.empty:
            return []
        matches, params = self._matches(plan, fields)
        statement = text(
            f"SELECT MIN(e.label) AS label FROM ({matches}) AS h JOIN search_entries e ON e.id = h.entry_id "
            "GROUP BY e.terms ORDER BY MIN(h.unit), COUNT(DISTINCT h.unit) DESC, "
            f"COUNT(DISTINCT h.person_id) DESC, e.terms LIMIT {int(limit)}"
        )
        return list(await self.session.scalars(statement, params))
