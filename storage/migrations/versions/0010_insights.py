"""insights: reminder firings (on time, late, missed), roundtable attendance, dashboard passes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_firings",
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('on time', 'late', 'missed')", name=op.f("ck_reminder_firings_status")
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminders.id"],
            name=op.f("fk_reminder_firings_reminder_id_reminders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reminder_id", "due_at", name=op.f("pk_reminder_firings")),
    )
    with op.batch_alter_table("reminder_firings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_firings_fired_at"), ["fired_at"], unique=False)
    op.create_table(
        "roundtable_attendance",
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_roundtable_attendance_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_roundtable_attendance_roundtable_id_roundtables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("roundtable_id", "person_id", name=op.f("pk_roundtable_attendance")),
    )
    with op.batch_alter_table("roundtable_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roundtable_attendance_person_id"), ["person_id"], unique=False)

    op.create_table(
        "dashboard_passes",
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('link', 'session')", name=op.f("ck_dashboard_passes_kind")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_dashboard_passes_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("secret_hash", name=op.f("pk_dashboard_passes")),
    )
    with op.batch_alter_table("dashboard_passes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dashboard_passes_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dashboard_passes_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dashboard_passes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dashboard_passes_expires_at"))
        batch_op.drop_index(batch_op.f("ix_dashboard_passes_person_id"))
    op.drop_table("dashboard_passes")
    with op.batch_alter_table("roundtable_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roundtable_attendance_person_id"))
    op.drop_table("roundtable_attendance")
    with op.batch_alter_table("reminder_firings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_firings_fired_at"))
    op.drop_table("reminder_firings")
