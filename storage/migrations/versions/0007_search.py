"""search: profile entries on the database's full-text engine, words for near spellings

SQLite: FTS5 tables (unicode61 without diacritics; trigram for the words) kept in step with
their tables by triggers. PostgreSQL: a stored `simple` tsvector of the terms with a GIN index,
and a pg_trgm GIN index on the words (the extension is created here). Existing profiles are indexed
and their topic keys folded again (every script now folds to letters).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.text import fold
from storage.models import Person, ProfileTag
from storage.search import write_entries

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_entries', content_rowid='id', "
    "detail=none, prefix='2 3 4', tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE VIRTUAL TABLE search_words_fts USING fts5(word, content='search_words', detail=none, "
    "tokenize='trigram')",
    "CREATE TRIGGER search_words_fts_insert AFTER INSERT ON search_words BEGIN "
    "INSERT INTO search_words_fts(rowid, word) VALUES (new.rowid, new.word); END",
    "CREATE TRIGGER search_words_fts_delete AFTER DELETE ON search_words BEGIN "
    "INSERT INTO search_words_fts(search_words_fts, rowid, word) VALUES ('delete', old.rowid, old.word); END",
]
_PROFILE = ("id", "display_name", "organisation", "role", "country", "region", "bio", "profile_saved_at")
_TAG = ("id", "person_id", "kind", "label", "key", "position")
_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_entries ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    # Without a pending list to scan, searches stay fast while profiles are being saved.
    "CREATE INDEX ix_search_entries_tsv ON search_entries USING gin (tsv) WITH (fastupdate = off)",
    "CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
]


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_search_entries_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entries_person_id"), ["person_id"], unique=False)
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    bind = op.get_bind()
    for statement in _POSTGRESQL if bind.dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)
    backfill(bind)


def backfill(bind: sa.Connection) -> None:
    """Fold every topic key again and index every saved profile. Only the columns this revision
    knows are read (later revisions may add more), into unsaved Person objects."""
    people, tags = (
        sa.table("people", *map(sa.column, _PROFILE)),
        sa.table("profile_tags", *map(sa.column, _TAG)),
    )
    for tag_id, label in bind.execute(sa.select(tags.c.id, tags.c.label)).all():
        bind.execute(sa.update(tags).where(tags.c.id == tag_id).values(key=fold(label)))
    saved = sa.select(people).where(people.c.profile_saved_at.is_not(None)).order_by(people.c.id)
    for batch in bind.execute(saved).mappings().partitions(500):
        by_id = {row["id"]: Person(**row, tags=[]) for row in batch}
        topics = sa.select(tags).where(tags.c.person_id.in_(by_id)).order_by(tags.c.position)
        for tag in bind.execute(topics).mappings():
            by_id[tag["person_id"]].tags.append(ProfileTag(**tag))
        write_entries(bind, list(by_id.values()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_words_trgm")
        op.execute("DROP INDEX IF EXISTS ix_search_entries_tsv")
    else:
        for name in ("search_fts_insert", "search_fts_delete", "search_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TRIGGER IF EXISTS search_words_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS search_words_fts_delete")
        op.execute("DROP TABLE IF EXISTS search_words_fts")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_words")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_person_id"))
    op.drop_table("search_entries")
