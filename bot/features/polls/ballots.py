"""Who a vote belongs to, as stored: a person id on open polls, a keyed hash on anonymous ones.

The key is `ALUMNI_BOT_POLL_SECRET` when it is set: kept outside the database, so even a
full copy of the database cannot tell who voted what. Without it, the installation makes
its own random key at first start and keeps it in the database (`installation_secrets`),
where every process finds it; then whoever holds the database and that row could test
each member against each ballot. There is no fixed or derived fallback key.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from bot.config import Secret
from storage.unit_of_work import UnitOfWork

KEY_NAME = "anonymous_ballots"


async def ballot_key(poll_secret: Secret | None, uow: UnitOfWork, now: datetime) -> bytes:
    """The configured `poll_secret` (passed in: the core reads no other secret), else the
    installation's own key."""
    if poll_secret:
        return poll_secret.encode()
    return (await uow.secrets.get_or_make(KEY_NAME, now)).encode()


def voter_key(key: bytes | None, poll_id: int, person_id: int) -> str:
    """One key per voter and poll: "p<person id>" on open polls (key None); on anonymous ones a
    hash that cannot be traced without the key, and differs from poll to poll, so votes
    cannot be linked across polls either."""
    if key is None:
        return f"p{person_id}"
    return hmac.new(key, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()
