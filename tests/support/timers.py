"""Firing due occurrences of the scheduling mechanism in tests, as a process's clock would."""

from __future__ import annotations

from bot.outbox import Sender
from bot.scheduling import ScheduleRunner
from tests.support.chat import RecordingChat, Sent


async def fire(runner: ScheduleRunner, chat: RecordingChat) -> list[Sent]:
    """Fire everything due now and deliver what it wrote to the outbox; return what was sent."""
    before = len(chat.sent)
    chat.current_actor = None
    await runner.fire_due(chat.platform)
    await Sender(runner.database, [chat], runner.clock).deliver_due()
    return chat.sent[before:]
