"""HTTP mode's door: each request is checked before anything parses it.

Slack signs every request (an HMAC of its timestamp and body under the signing secret).
A request without a fresh, valid signature gets 401; a signed one whose body is not what
Slack sends (UTF-8: a JSON object, or a form whose `payload` is a JSON object) gets 400.
Only then does bolt read it. Neither answer costs a traceback: each refusal is one short
log line (status, reason, peer address; never the body), at most `per_window` a minute,
and the next line after a quiet minute says how many were left out.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 5 * 60  # Slack's own rule for a replayed request
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def bolt_request(
    headers: Mapping[str, str], body: bytes, query: str, secret: str, now: float
) -> AsyncBoltRequest:
    """The request for bolt, once it is Slack's and readable; otherwise raise Refused."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not TIMESTAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        raise Refused(401, "missing, malformed or stale timestamp")
    if not SIGNATURE.fullmatch(signature):
        raise Refused(401, "missing or malformed signature")
    if not hmac.compare_digest(slack_signature(secret, timestamp, body), signature):
        raise Refused(401, "wrong signature")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    try:  # bolt reads the body as it is made: JSON, a form, or a form's JSON `payload`
        request = AsyncBoltRequest(body=text, query=query, headers=headers)  # type: ignore[arg-type]
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError):
        raise Refused(400, "body is not a Slack payload") from None
    if not isinstance(request.body, dict):
        raise Refused(400, "body is not a JSON object")
    return request


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature, over the bytes as they came (slack_sdk's wants UTF-8 text)."""
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return "v0=" + digest.hexdigest()


@dataclass
class Refusals:
    """One line per refused request, at most `per_window` each `window` seconds."""

    per_window: int = 10
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _started: float = field(default=float("-inf"), init=False)
    _logged: int = field(default=0, init=False)
    _left_out: int = field(default=0, init=False)

    def note(self, refused: Refused, peer: str | None) -> None:
        now = self.clock()
        if now - self._started >= self.window:
            if self._left_out:
                log.warning("Slack HTTP: %d more requests were refused and not logged", self._left_out)
            self._started, self._logged, self._left_out = now, 0, 0
        if self._logged < self.per_window:
            self._logged += 1
            log.warning(
                "Slack HTTP: refused a request from %s (%d: %s)", peer, refused.status, refused.reason
            )
        else:
            self._left_out += 1
