"""inbox, outbox and posted messages by name

Events are stored before they are acknowledged, messages written with the change that
implies them; a timer fires in one transaction (no "firing" state, no claim columns).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'done', 'failed')", name=op.f("ck_inbox_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("key", name=op.f("uq_inbox_key")),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_received_at"), ["received_at"], unique=False)
        batch_op.create_index("ix_inbox_state_id", ["state", "id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("lane", sa.String(length=200), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')", name=op.f("ck_outbox_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_finished_at"), ["finished_at"], unique=False)
        batch_op.create_index("ix_outbox_lane_id", ["lane", "id"], unique=False)
        batch_op.create_index("ix_outbox_state_due_at", ["state", "due_at"], unique=False)

    posted = op.create_table(
        "posted_messages",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_posted_messages")),
    )
    _copy_posted_messages(posted)
    op.create_table(
        "health_checks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_health_checks")),
    )

    op.drop_table("posted_cards")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_column("message_id")
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_deliveries_received_at"))
    op.drop_table("processed_deliveries")

    # An occurrence now fires in one transaction: one left "firing" by a stopped process was
    # never sent, so it is simply due again.
    op.execute("UPDATE schedules SET state = 'pending' WHERE state = 'firing'")
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_schedules_state"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_schedules_state"), "state IN ('pending', 'done', 'missed', 'failed')"
        )
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claim_token")


def _copy_posted_messages(posted: sa.Table) -> None:
    """Introduction cards and polls already posted keep being updated in place."""
    connection = op.get_bind()
    now = datetime.now(UTC)
    cards = connection.execute(
        sa.text("SELECT person_id, platform, workspace, channel_id, message_id FROM posted_cards")
    )
    rows = [
        {
            "name": f"card:{person}:{platform}:{workspace}",
            "platform": platform,
            "workspace": workspace,
            "channel_id": channel,
            "message_id": message,
            "posted_at": now,
        }
        for person, platform, workspace, channel, message in cards
    ]
    polls = connection.execute(
        sa.text("SELECT id, platform, workspace, channel_id, message_id FROM polls WHERE message_id != ''")
    )
    rows += [
        {
            "name": f"poll:{poll}",
            "platform": platform,
            "workspace": workspace,
            "channel_id": channel,
            "message_id": message,
            "posted_at": now,
        }
        for poll, platform, workspace, channel, message in polls
    ]
    if rows:
        op.bulk_insert(posted, rows)


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_schedules_state"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_schedules_state"), "state IN ('pending', 'firing', 'done', 'missed', 'failed')"
        )

    op.create_table(
        "processed_deliveries",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_deliveries")),
    )
    with op.batch_alter_table("processed_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_deliveries_received_at"), ["received_at"], unique=False
        )

    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=64), nullable=False, server_default=""))
    op.execute(
        "UPDATE polls SET message_id = (SELECT message_id FROM posted_messages "
        "WHERE posted_messages.name = 'poll:' || polls.id) "
        "WHERE EXISTS (SELECT 1 FROM posted_messages WHERE posted_messages.name = 'poll:' || polls.id)"
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.alter_column("message_id", server_default=None)

    op.create_table(
        "posted_cards",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_posted_cards_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "platform", "workspace", "kind", name=op.f("pk_posted_cards")),
    )
    connection = op.get_bind()
    for name, platform, workspace, channel, message in connection.execute(
        sa.text(
            "SELECT name, platform, workspace, channel_id, message_id FROM posted_messages "
            "WHERE name LIKE 'card:%'"
        )
    ):
        person = int(name.split(":")[1])
        connection.execute(
            sa.text(
                "INSERT INTO posted_cards (person_id, platform, workspace, kind, channel_id, message_id) "
                "SELECT :person, :platform, :workspace, 'intro', :channel, :message "
                "WHERE EXISTS (SELECT 1 FROM people WHERE id = :person)"
            ),
            {
                "person": person,
                "platform": platform,
                "workspace": workspace,
                "channel": channel,
                "message": message,
            },
        )

    op.drop_table("health_checks")
    op.drop_table("posted_messages")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_due_at")
        batch_op.drop_index("ix_outbox_lane_id")
        batch_op.drop_index(batch_op.f("ix_outbox_finished_at"))
    op.drop_table("outbox")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_state_id")
        batch_op.drop_index(batch_op.f("ix_inbox_received_at"))
    op.drop_table("inbox")
