"""Garbage into the Slack HTTP entry point: 401 unsigned, 400 unreadable, one short log line each."""

from __future__ import annotations

import logging
import time

import pytest

from adapters.slack.request_check import Refusals
from storage.models import Person
from tests.support.databases import count
from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import FORM, SIGNING_SECRET, HttpSlackDriver, signed_headers

JSON = "application/json"
GARBAGE = [
    (b"{not json", JSON),
    (b"text=caf\xff&user_id=UANA", FORM),
    (b"payload=notjson", FORM),
    (b"payload=%5B1%2C2%5D", FORM),  # a JSON list where Slack sends an object
    (b"[" * 50_000, JSON),
]


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "adapters.slack.request_check"]


def assert_short_and_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback anywhere, and nothing of any body in the log."""
    for record in caplog.records:
        assert record.exc_info is None and record.levelno < logging.ERROR, record.getMessage()
    text = caplog.text
    assert "Traceback" not in text and "not json" not in text and "notjson" not in text


@pytest.mark.parametrize(("body", "content_type"), GARBAGE)
async def test_unsigned_garbage_gets_401_and_reaches_nothing(
    http_slack: HttpSlackDriver,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    caplog.set_level(logging.INFO)
    unsigned = {"content-type": content_type, "x-slack-request-timestamp": str(int(time.time()))}
    status, _ = await http_slack.post(body, unsigned)
    assert status == 401
    assert [r.getMessage() for r in refusal_lines(caplog)] == [
        "Slack HTTP: refused a request from 127.0.0.1 (401: missing or malformed signature)"
    ]
    assert_short_and_quiet(caplog)
    assert not fake.calls and await count(http_slack.bot.core.database, Person) == 0


@pytest.mark.parametrize(("body", "content_type"), GARBAGE)
async def test_signed_garbage_gets_400(
    http_slack: HttpSlackDriver,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    caplog.set_level(logging.INFO)
    status, reason = await http_slack.post(body, signed_headers(body, content_type))
    assert status == 400 and reason.startswith("body ")
    assert len(refusal_lines(caplog)) == 1
    assert_short_and_quiet(caplog)
    assert not fake.calls


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"x-slack-request-timestamp": "abc"}, "missing, malformed or stale timestamp"),
        ({"x-slack-request-timestamp": "²"}, "missing, malformed or stale timestamp"),
        ({"x-slack-request-timestamp": "9" * 400}, "missing, malformed or stale timestamp"),
        ({"x-slack-request-timestamp": str(int(time.time()) - 301)}, "missing, malformed or stale timestamp"),
        ({"x-slack-signature": "v0=" + "0" * 64}, "wrong signature"),
        ({"x-slack-signature": "v0=é"}, "missing or malformed signature"),
    ],
)
async def test_bad_signature_headers_get_401(
    http_slack: HttpSlackDriver,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    reason: str,
) -> None:
    body = b"command=%2Falumni&text=help&user_id=UANA&team_id=T1"
    status, _ = await http_slack.post(body, signed_headers(body, FORM) | headers)
    assert status == 401
    assert [r.getMessage() for r in refusal_lines(caplog)] == [
        f"Slack HTTP: refused a request from 127.0.0.1 (401: {reason})"
    ]
    assert_short_and_quiet(caplog)
    assert not fake.calls


async def test_a_request_signed_with_another_secret_is_refused(
    http_slack: HttpSlackDriver, fake: FakeSlack
) -> None:
    body = b"command=%2Falumni&text=help&user_id=UANA&team_id=T1"
    status, _ = await http_slack.post(body, signed_headers(body, FORM, secret="not-" + SIGNING_SECRET))
    assert status == 401 and not fake.calls


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_flood_of_refusals_is_logged_a_few_lines_a_minute(
    http_slack: HttpSlackDriver, refusals: Refusals, caplog: pytest.LogCaptureFixture
) -> None:
    ticks = Ticks()
    refusals.clock = ticks
    for _ in range(200):
        await http_slack.post(b"{not json", {"content-type": JSON})
    assert len(refusal_lines(caplog)) == refusals.per_window
    ticks.now += refusals.window
    await http_slack.post(b"{not json", {"content-type": JSON})
    lines = [r.getMessage() for r in refusal_lines(caplog)]
    assert lines[-2:] == [
        f"Slack HTTP: {200 - refusals.per_window} more requests were refused and not logged",
        "Slack HTTP: refused a request from 127.0.0.1 (401: missing, malformed or stale timestamp)",
    ]
    assert sum(len(line) for line in lines) < 100 * len(lines)


async def test_a_signed_request_still_works_through_http(http_slack: HttpSlackDriver) -> None:
    response = await http_slack.command("UANA", "help")
    assert response.status == 200
    assert "/alumni find" in http_slack.last_for("UANA").words


async def test_an_oversized_body_is_refused_before_it_is_read(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"x" * (2 * 1024 * 1024)
    status, _ = await http_slack.post(body, signed_headers(body, FORM))
    assert status == 413 and not fake.calls
    assert_short_and_quiet(caplog)
