"""A round's delivery shown to its facilitator: one message edited in place as the introductions go
out at a slow platform's pace, at most every few seconds, ending with a summary that names why
an introduction failed. Through the real core, outbox and database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.outbound import Direct, Group, Outbound, Post, Update
from bot.outbox import Undelivered
from bot.progress import progress_message
from bot.refs import MessageRef
from storage.outbox import BatchCounts
from tests.support.chat import Clock, Conversation, RecordingChat, plain

NAMES = [f"Member{n}" for n in range(10)]
STEP = timedelta(seconds=2)  # what each introduction takes on this platform


class SlowPlatform(RecordingChat):
    """Takes `STEP` (of the test clock) per group conversation, and refuses the one with `refused`."""

    def __init__(self, clock: Clock, refused: str) -> None:
        super().__init__()
        self.clock, self.refused = clock, refused

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        if isinstance(item, Post) and isinstance(item.to, Group):
            self.clock.current += STEP
            if any(m.user_id == self.refused for m in item.to.members):
                raise Undelivered("cannot_dm_bot", permanent=True)
        return await super().deliver(item, key)


async def test_the_facilitator_sees_one_message_edited_in_place_ending_with_a_summary(
    talk: Conversation, clock: Clock
) -> None:
    for n, name in enumerate(NAMES):
        await talk.join(name)
        await talk.set_up_profile(name, organisation=f"Org {n}")
        await talk.say(name, "/alumni match join")
    platform = SlowPlatform(clock, refused="member3")
    talk.chat = platform  # the outbox delivers through the slow platform
    sent = await talk.say("Fay", "/alumni match run")
    assert "5 introductions on the way" in sent[0].text
    [progress, notice] = [s for s in platform.sent if s.item.to == Direct(talk.ref("Fay"))]
    assert progress.text == "Sending 5 introductions\u2026"
    assert "I couldn't deliver a message to a group conversation (cannot_dm_bot)" in notice.text
    edits = [s for s in platform.sent if isinstance(s.item.to, Update)]
    assert {e.item.to.message for e in edits} == {progress.ref}  # one message, edited in place
    # Introductions every 2 s, edits at most every 5 s: after the 1st and the 4th, and the end.
    assert [e.text for e in edits] == [
        "Sent 1 of 5 introductions, less than a minute left.",
        "Sent 4 of 5 introductions, less than a minute left.",
        "Sent 4 of 5 introductions; 1 could not be delivered: cannot_dm_bot (1).",
    ]
    assert len([s for s in platform.sent if isinstance(s.item.to, Group)]) == 4


def test_the_time_left_comes_from_the_rate_so_far() -> None:
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    counts = BatchCounts(total=5000, sent=1200, failed={}, unfinished=3800, since=now - timedelta(minutes=24))
    # 1,200 in 24 min: 3,800 more take 76 min.
    assert plain(progress_message("introduction", counts, now)) == (
        "Sent 1,200 of 5,000 introductions, about 1 h 16 left."
    )
    soon = BatchCounts(total=50, sent=40, failed={}, unfinished=10, since=now - timedelta(minutes=20))
    assert plain(progress_message("introduction", soon, now)) == (
        "Sent 40 of 50 introductions, about 5 min left."
    )
    done = BatchCounts(total=1, sent=1, failed={}, unfinished=0, since=now)
    assert plain(progress_message("introduction", done, now)) == "Sent 1 introduction."
