"""linked accounts: one-time link codes, the platform a member is reached on

`link_codes` holds `/alumni link` codes, hashed, each for one identity and single use.
`identities.last_used_at` says which platform a member used last; `people.reach_platform`
is the one they chose ("" follows the last used).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_link_codes_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_link_codes_code_hash")),
    )
    op.create_index(op.f("ix_link_codes_identity_id"), "link_codes", ["identity_id"], unique=False)
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reach_platform", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("reach_platform")
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
    op.drop_index(op.f("ix_link_codes_identity_id"), table_name="link_codes")
    op.drop_table("link_codes")
