"""ballots: the installation's own secrets; anonymous ballots kept in key order, not voting order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installation_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_installation_secrets")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _without_rowid()
    else:
        _rewrite_anonymous_ballots()


def _without_rowid() -> None:
    """SQLite: poll_votes again WITHOUT ROWID, so rows live in key order with no hidden counter."""
    op.create_table(
        "poll_votes_keyed",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=64), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("answer IN ('yes', 'maybe', 'no')", name=op.f("ck_poll_votes_answer")),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["poll_options.id"],
            name=op.f("fk_poll_votes_option_id_poll_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_poll_votes_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_poll_votes_poll_id_polls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("poll_id", "voter_key", "option_id", name=op.f("pk_poll_votes")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO poll_votes_keyed SELECT poll_id, voter_key, option_id, answer, person_id FROM poll_votes"
    )
    op.drop_table("poll_votes")
    op.rename_table("poll_votes_keyed", "poll_votes")
    with op.batch_alter_table("poll_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_votes_option_id"), ["option_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_votes_person_id"), ["person_id"], unique=False)


def _rewrite_anonymous_ballots() -> None:
    """PostgreSQL: ballots already cast on anonymous polls sit in voting order; write them
    again sorted by their keyed hashes, as every vote does from now on (storage.polls)."""
    op.execute(
        """
        WITH old AS (
            DELETE FROM poll_votes WHERE poll_id IN (SELECT id FROM polls WHERE anonymous)
            RETURNING poll_id, voter_key, option_id, answer
        )
        INSERT INTO poll_votes (poll_id, voter_key, option_id, answer)
        SELECT poll_id, voter_key, option_id, answer FROM old ORDER BY poll_id, voter_key, option_id
        """
    )


def downgrade() -> None:
    op.drop_table("installation_secrets")
