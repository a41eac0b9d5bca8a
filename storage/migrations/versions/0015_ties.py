"""new ties kept as members meet

`ties` holds each pair's first meeting (a check-in "yes" in their group), so the insights count
new ties per period without searching the whole matching history. Filled from the check-ins
already given.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import true

from storage.ties import first_meetings

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ties",
        sa.Column("person_a", sa.Integer(), nullable=False),
        sa.Column("person_b", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("first_met_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_a"], ["people.id"], name=op.f("fk_ties_person_a_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_b"], ["people.id"], name=op.f("fk_ties_person_b_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["match_rounds.id"], name=op.f("fk_ties_round_id_match_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_a", "person_b", name=op.f("pk_ties")),
    )
    op.create_index(op.f("ix_ties_person_b"), "ties", ["person_b"], unique=False)
    op.create_index(op.f("ix_ties_round_id"), "ties", ["round_id"], unique=False)
    op.get_bind().execute(first_meetings(true()))


def downgrade() -> None:
    op.drop_index(op.f("ix_ties_round_id"), table_name="ties")
    op.drop_index(op.f("ix_ties_person_b"), table_name="ties")
    op.drop_table("ties")
