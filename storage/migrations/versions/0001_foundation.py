"""foundation: people, cohorts, introductions

Revision ID: 0001
Revises:
Create Date: 2026-11-24 09:33:36.918883
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("name", name=op.f("uq_cohorts_name")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("region_is_override", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("profile_saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "processed_deliveries",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_deliveries")),
    )
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_deliveries_received_at"),
            ["received_at"],
            unique=False,
        )

    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_members_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_cohort_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "person_id", name=op.f("pk_cohort_members")),
    )
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_members_person_id"), ["person_id"], unique=False)

    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_a", sa.Integer(), nullable=False),
        sa.Column("person_b", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("person_a < person_b", name=op.f("ck_connections_ordered")),
        sa.ForeignKeyConstraint(
            ["person_a"],
            ["people.id"],
            name=op.f("fk_connections_person_a_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_b"],
            ["people.id"],
            name=op.f("fk_connections_person_b_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
    )
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.create_index("ix_connections_pair", ["person_a", "person_b"], unique=False)
        batch_op.create_index(batch_op.f("ix_connections_person_b"), ["person_b"], unique=False)

    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_identities_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("platform", "workspace", "user_id", name=op.f("uq_identities_platform")),
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identities_person_id"), ["person_id"], unique=False)

    op.create_table(
        "intro_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["people.id"],
            name=op.f("fk_intro_requests_requester_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_requests")),
    )
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intro_requests_requester_id"), ["requester_id"], unique=False)

    op.create_table(
        "posted_cards",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_posted_cards_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "platform", "workspace", "kind", name=op.f("pk_posted_cards")),
    )
    op.create_table(
        "profile_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('expertise', 'learning', 'language')",
            name=op.f("ck_profile_tags_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_profile_tags_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_tags")),
    )
    with op.batch_alter_table("profile_tags", schema=None) as batch_op:
        batch_op.create_index("ix_profile_tags_kind_key", ["kind", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_tags_person_id"), ["person_id"], unique=False)

    op.create_table(
        "intro_candidates",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('proposed', 'asked', 'accepted', 'declined', 'expired')",
            name=op.f("ck_intro_candidates_state"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_intro_candidates_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["intro_requests.id"],
            name=op.f("fk_intro_candidates_request_id_intro_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "person_id", name=op.f("pk_intro_candidates")),
    )
    with op.batch_alter_table("intro_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intro_candidates_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_intro_candidates_state_asked_at", ["state", "asked_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("intro_candidates", schema=None) as batch_op:
        batch_op.drop_index("ix_intro_candidates_state_asked_at")
        batch_op.drop_index(batch_op.f("ix_intro_candidates_person_id"))

    op.drop_table("intro_candidates")
    with op.batch_alter_table("profile_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_tags_person_id"))
        batch_op.drop_index("ix_profile_tags_kind_key")

    op.drop_table("profile_tags")
    op.drop_table("posted_cards")
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intro_requests_requester_id"))

    op.drop_table("intro_requests")
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identities_person_id"))

    op.drop_table("identities")
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_person_b"))
        batch_op.drop_index("ix_connections_pair")

    op.drop_table("connections")
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_members_person_id"))

    op.drop_table("cohort_members")
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_deliveries_received_at"))

    op.drop_table("processed_deliveries")
    op.drop_table("people")
    op.drop_table("cohorts")
