"""scheduling: schedules (the clock of every timed thing) and reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:50:00
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Asks already waiting get their expiry row; the sweep that expired them is gone.
ANSWER_HOURS = 72  # [introductions] answer_hours' default; the settings are not read here


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("anchor_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'firing', 'done', 'missed', 'failed')", name=op.f("ck_schedules_state")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=op.f("fk_schedules_owner_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index("ix_schedules_kind_subject_id", ["kind", "subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_schedules_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_schedules_state_due_at", ["state", "due_at"], unique=False)

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("repeats", sa.String(length=120), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("target IN ('person', 'channel', 'cohort')", name=op.f("ck_reminders_target")),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_reminders_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["people.id"], name=op.f("fk_reminders_creator_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["people.id"], name=op.f("fk_reminders_recipient_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminders_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminders_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminders_recipient_id"), ["recipient_id"], unique=False)

    schedule_expiry_of_waiting_asks()


def schedule_expiry_of_waiting_asks() -> None:
    candidates = sa.table(
        "intro_candidates",
        sa.column("request_id", sa.Integer),
        sa.column("person_id", sa.Integer),
        sa.column("state", sa.String),
        sa.column("asked_at", sa.DateTime(timezone=True)),
    )
    schedules = sa.table(
        "schedules",
        *(sa.column(name, sa.String) for name in ("kind", "platform", "rule", "zone", "state")),
        *(sa.column(name, sa.Integer) for name in ("subject_id", "owner_id", "attempts")),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in ("due_at", "created_at")),
    )
    waiting = op.get_bind().execute(
        sa.select(candidates.c.request_id, candidates.c.person_id, candidates.c.asked_at).where(
            candidates.c.state == "asked"
        )
    )
    now = datetime.now(UTC)
    rows = [
        {
            "kind": "intro:expire",
            "subject_id": request_id,
            "owner_id": person_id,
            "platform": "",
            "due_at": _utc(asked_at) + timedelta(hours=ANSWER_HOURS),
            "rule": "",
            "zone": "UTC",
            "state": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for request_id, person_id, asked_at in waiting
    ]
    if rows:
        op.bulk_insert(schedules, rows)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back the stored UTC time without its zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_table("schedules")
