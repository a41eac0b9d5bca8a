"""schedule kind names: `<feature>.<what fires>`, one style for every kind

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Old name -> new name; the handlers are declared under the new names by each feature.
RENAMED = {
    "intro:expire": "peer_intros.expire",
    "match_round": "matching.round",
    "match_checkin": "matching.checkin",
    "match_close": "matching.close",
    "poll_close": "polls.close",
    "poll_refresh": "polls.refresh",
    "roundtable_reminder": "roundtables.remind",
    "reminder": "reminders.deliver",
    "housekeeping": "housekeeping.prune",
}

schedules = sa.table("schedules", sa.column("kind", sa.String(32)))


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})


def _rename(names: dict[str, str]) -> None:
    for old, new in names.items():
        op.execute(schedules.update().where(schedules.c.kind == old).values(kind=new))
