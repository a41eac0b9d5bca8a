"""everyday: reminder answers (Done and Snooze are final per message); rounds ended early

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_answers",
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("answer IN ('done', 'snoozed')", name=op.f("ck_reminder_answers_answer")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reminder_answers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminders.id"],
            name=op.f("fk_reminder_answers_reminder_id_reminders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reminder_id", "due_at", "recipient", name=op.f("pk_reminder_answers")),
    )
    with op.batch_alter_table("reminder_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_answers_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("match_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_early", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("match_rounds", schema=None) as batch_op:
        batch_op.drop_column("ended_early")
    with op.batch_alter_table("reminder_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_answers_person_id"))
    op.drop_table("reminder_answers")
