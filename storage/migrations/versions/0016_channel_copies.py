"""channel copies: a poll or a roundtable announcement posted in more channels than its own

`channel_copies` holds each further channel (on any platform) a poll, or the roundtable its
time-slot poll made, is posted in; each copy's message is the one posted as "copy:<id>"
(posted_messages). `poll_votes.platform` is the platform a vote came from ("" on anonymous
polls, which keep nothing about their voters).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.Column("roundtable_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(poll_id IS NULL) <> (roundtable_id IS NULL)", name=op.f("ck_channel_copies_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_channel_copies_poll_id_polls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtables.id"],
            name=op.f("fk_channel_copies_roundtable_id_roundtables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_copies")),
    )
    op.create_index(op.f("ix_channel_copies_poll_id"), "channel_copies", ["poll_id"], unique=False)
    op.create_index(
        op.f("ix_channel_copies_roundtable_id"), "channel_copies", ["roundtable_id"], unique=False
    )
    with op.batch_alter_table("poll_votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("platform", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("poll_votes", schema=None) as batch_op:
        batch_op.drop_column("platform")
    op.drop_index(op.f("ix_channel_copies_roundtable_id"), table_name="channel_copies")
    op.drop_index(op.f("ix_channel_copies_poll_id"), table_name="channel_copies")
    op.drop_table("channel_copies")
