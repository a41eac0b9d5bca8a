"""a matched group's time to meet and its proposals; outbox items tagged with their batch

A group keeps the time it was suggested (or agreed), its private meeting-room code, and the
other times one member proposed; `reschedules` numbers the calendar file's changes. An
outbox item of a round's introductions names its batch, whose progress the facilitator sees.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meets_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("meeting_code", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("proposed_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("proposed_times", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("reschedules", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_foreign_key(
            batch_op.f("fk_match_groups_proposed_by_people"),
            "people",
            ["proposed_by"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch", sa.String(length=80), nullable=True))
        batch_op.create_index("ix_outbox_batch_state", ["batch", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_batch_state")
        batch_op.drop_column("batch")
    with op.batch_alter_table("match_groups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_match_groups_proposed_by_people"), type_="foreignkey")
        for column in ("reschedules", "proposed_times", "proposed_by", "meeting_code", "meets_at"):
            batch_op.drop_column(column)
