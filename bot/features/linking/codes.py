"""One-time link codes: 8 characters a member copies from one platform to the other, read
without doubt (no 0/O, 1/I/L), shown as two groups of four, kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from storage.unit_of_work import UnitOfWork

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
KEY_NAME = "link_codes"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """ "K7MX-2QPA" """
    return f"{code[:4]}-{code[4:]}"


def read_code(typed: str) -> str | None:
    """The code as typed, in any case, with or without its dash and spaces; None when it cannot
    be one."""
    code = "".join(c for c in typed.upper() if c not in "- ")
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


async def code_hash(uow: UnitOfWork, code: str, now: datetime) -> str:
    """The code as stored: HMAC-SHA256 under the installation's own secret, so a copy of the
    table alone does not let anyone test the few billion codes there are."""
    key = (await uow.secrets.get_or_make(KEY_NAME, now)).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
