"""Forged and mangled button ids, signed, through the Slack HTTP entry point: a polite no to the
presser alone, nothing written, no traceback."""

from __future__ import annotations

import logging

import pytest

from bot.errors import STALE_BUTTON
from storage.models import PollVote
from tests.support.databases import count
from tests.support.fake_slack import FakeMessage, FakeSlack
from tests.support.slack_driver import HttpSlackDriver


async def posted_poll(slack: HttpSlackDriver, fake: FakeSlack, text: str) -> FakeMessage:
    await slack.command("UCAROL", text)
    return [m for m in fake.messages if m.channel == "CGENERAL" and m.only_for is None][-1]


def told_no(fake: FakeSlack, presser: str, before: int) -> None:
    """Exactly one new message, private to the presser, saying the button no longer works."""
    new = fake.messages[before:]
    assert [m.only_for for m in new] == [presser], [m.words for m in new]
    assert STALE_BUTTON in new[0].words


def no_errors(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_time_slot_answer_is_refused_on_a_single_choice_poll(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    poll = await posted_poll(http_slack, fake, 'poll "Q?" "Yes" "No"')
    await http_slack.press("UANA", poll, "Yes")
    poll_id, yes = poll.button("Yes")["action_id"].split(":")[2:]
    no = poll.button("No")["action_id"].split(":")[3]
    for option in (yes, no):
        before = len(fake.messages)
        await http_slack.press_id("UANA", poll, f"poll:answer:{poll_id}:{option}:yes")
        told_no(fake, "UANA", before)
    assert await count(http_slack.bot.core.database, PollVote) == 1  # Ana's one vote, on "Yes"
    no_errors(caplog)


async def test_a_choice_is_refused_on_a_time_slot_poll(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slots = await posted_poll(
        http_slack, fake, 'roundtable plan "Maps" --slots 1 Dec 2030 at 15:00, 2 Dec 2030 at 9:00'
    )
    poll_id, option = slots.button("1 Yes")["action_id"].split(":")[2:4]
    before = len(fake.messages)
    await http_slack.press_id("UANA", slots, f"poll:vote:{poll_id}:{option}")
    told_no(fake, "UANA", before)
    assert await count(http_slack.bot.core.database, PollVote) == 0
    no_errors(caplog)


async def test_a_press_naming_another_message_s_poll_is_refused(
    http_slack: HttpSlackDriver, fake: FakeSlack
) -> None:
    first = await posted_poll(http_slack, fake, 'poll "First?" "A" "B"')
    second = await posted_poll(http_slack, fake, 'poll "Second?" "C" "D"')
    before = len(fake.messages)
    await http_slack.press_id("UANA", first, second.button("C")["action_id"])
    told_no(fake, "UANA", before)
    assert await count(http_slack.bot.core.database, PollVote) == 0


@pytest.mark.parametrize(
    "action_id",
    [
        "poll:vote:99999999999999999999:1",
        "poll:vote:\u00b2:1",
        "poll:vote:" + "7" * 3000 + ":1",
        "poll:vote:-1:1",
        "poll:vote:0x10:1",
        "poll:vote:1:1:extra",
        "poll:vote:%00:1",
        "rem:cancel:99999999999999999999",
        "rem:snooze:1:forever",
        "intro:ask:\u0661:1",
        "match:answer:2147483648:yes",
        "rt:rsvp:1:sure",
        "data:forget:\u00b2",
        "find:page:99999999999999999999:maps",
        "find:page:1:%00",
        "poll:withdraw",
        "poll",
        ":",
    ],
)
async def test_mangled_ids_say_the_button_no_longer_works(
    http_slack: HttpSlackDriver, fake: FakeSlack, caplog: pytest.LogCaptureFixture, action_id: str
) -> None:
    poll = await posted_poll(http_slack, fake, 'poll "Q?" "Yes" "No"')
    before = len(fake.messages)
    await http_slack.press_id("UANA", poll, action_id)
    told_no(fake, "UANA", before)
    assert await count(http_slack.bot.core.database, PollVote) == 0
    no_errors(caplog)
