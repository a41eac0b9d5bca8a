"""linking accounts: wrong code attempts, and who entered a code

`link_attempts` keeps each wrong `/alumni link <code>` for a while, so codes cannot be guessed
(a few tries per identity per quarter of an hour). `link_codes.entered_by` is the identity that
entered a code and is choosing which profile to keep: only it may finish that link.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_link_attempts_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempts")),
    )
    op.create_index(
        "ix_link_attempts_identity_id_attempted_at",
        "link_attempts",
        ["identity_id", "attempted_at"],
        unique=False,
    )
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_link_codes_entered_by_identities"),
            "identities",
            ["entered_by"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("link_codes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_link_codes_entered_by_identities"), type_="foreignkey")
        batch_op.drop_column("entered_by")
    op.drop_index("ix_link_attempts_identity_id_attempted_at", table_name="link_attempts")
    op.drop_table("link_attempts")
