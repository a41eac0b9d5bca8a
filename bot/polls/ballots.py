"""Who a vote belongs to, as stored: a person id on open polls, a keyed hash on anonymous ones.

The key is `ALUMNI_BOT_POLL_SECRET`. Without it, the key is derived from the platform
secret the bot already holds (never from anything in the database), and start-up says so;
with no platform secret at all (the console), a fixed development key is used and start-up
warns that anonymous polls are then anonymous only to people without this source code.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.config import Secrets

DERIVATION = b"alumni-bot anonymous ballots v1"
DEVELOPMENT_KEY = b"alumni-bot development ballots (set ALUMNI_BOT_POLL_SECRET)"


def ballot_key(secrets: Secrets) -> bytes:
    if secrets.poll_secret:
        return secrets.poll_secret.encode()
    platform = secrets.slack_signing_secret or secrets.slack_bot_token or secrets.discord_token
    if platform:
        return hmac.new(DERIVATION, platform.encode(), hashlib.sha256).digest()
    return DEVELOPMENT_KEY


def ballot_key_warning(secrets: Secrets) -> str | None:
    """What start-up should say about the key, or None when it is set."""
    if secrets.poll_secret:
        return None
    if secrets.slack_signing_secret or secrets.slack_bot_token or secrets.discord_token:
        return (
            "ALUMNI_BOT_POLL_SECRET is not set: anonymous poll votes are keyed with a value derived "
            "from the platform secret, so rotating that secret lets members vote again in open "
            "anonymous polls. Set ALUMNI_BOT_POLL_SECRET to a long random value."
        )
    return (
        "ALUMNI_BOT_POLL_SECRET is not set and there is no platform secret: anonymous polls use a "
        "fixed development key, so they are not anonymous to someone with the database and this code."
    )


def voter_key(key: bytes, poll_id: int, person_id: int, anonymous: bool) -> str:
    """One key per voter and poll; an anonymous one cannot be traced without the secret,
    and differs from poll to poll, so votes cannot be linked across polls either."""
    if not anonymous:
        return f"p{person_id}"
    return hmac.new(key, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()
