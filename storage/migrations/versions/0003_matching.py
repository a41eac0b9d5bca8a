"""matching: opt-ins, preferences, avoid lists, plans, rounds, groups and check-in answers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:25:37.106955
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_avoids",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("avoided_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["avoided_id"], ["people.id"], name=op.f("fk_match_avoids_avoided_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_match_avoids_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "avoided_id", name=op.f("pk_match_avoids")),
    )
    with op.batch_alter_table("match_avoids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_avoids_avoided_id"), ["avoided_id"], unique=False)

    op.create_table(
        "match_memberships",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_match_memberships_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_match_memberships_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "cohort_id", name=op.f("pk_match_memberships")),
    )
    with op.batch_alter_table("match_memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_memberships_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "match_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("partner_cohort_id", sa.Integer(), nullable=True),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "cadence IN ('weekly', 'biweekly', 'monthly')", name=op.f("ck_match_plans_cadence")
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_match_plans_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["partner_cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_match_plans_partner_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_plans")),
    )
    with op.batch_alter_table("match_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_plans_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "match_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("partner_cohort_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extra_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_match_rounds_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["extra_id"], ["people.id"], name=op.f("fk_match_rounds_extra_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["partner_cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_match_rounds_partner_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rounds")),
        sa.UniqueConstraint("key", name=op.f("uq_match_rounds_key")),
    )
    with op.batch_alter_table("match_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_rounds_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "match_settings",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('weekly', 'biweekly', 'monthly')", name=op.f("ck_match_settings_frequency")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_match_settings_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_match_settings")),
    )
    op.create_table(
        "match_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["match_rounds.id"],
            name=op.f("fk_match_groups_round_id_match_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_groups")),
    )
    with op.batch_alter_table("match_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_groups_round_id"), ["round_id"], unique=False)

    op.create_table(
        "match_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("answer IN ('yes', 'not yet', 'no')", name=op.f("ck_match_group_members_answer")),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["match_groups.id"],
            name=op.f("fk_match_group_members_group_id_match_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_match_group_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "person_id", name=op.f("pk_match_group_members")),
    )
    with op.batch_alter_table("match_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_group_members_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_group_members_person_id"))

    op.drop_table("match_group_members")
    with op.batch_alter_table("match_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_groups_round_id"))

    op.drop_table("match_groups")
    op.drop_table("match_settings")
    with op.batch_alter_table("match_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_rounds_cohort_id"))

    op.drop_table("match_rounds")
    with op.batch_alter_table("match_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_plans_cohort_id"))

    op.drop_table("match_plans")
    with op.batch_alter_table("match_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_memberships_cohort_id"))

    op.drop_table("match_memberships")
    with op.batch_alter_table("match_avoids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_avoids_avoided_id"))

    op.drop_table("match_avoids")
