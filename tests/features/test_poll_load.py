"""500 members vote at once on one anonymous poll, with platform retries and changed votes."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.config import Settings
from bot.core import Core
from bot.events import Action
from bot.outbound import Update
from bot.scheduling import ScheduleRunner
from storage.models import PollVote
from tests.support.chat import Clock, Conversation, RecordingChat
from tests.support.timers import fire

MEMBERS = 500
OPTIONS = ("Maps", "Portals", "Licences")


async def test_every_vote_counts_once_and_the_last_edit_shows_the_final_count(
    talk: Conversation, core: Core, chat: RecordingChat, clock: Clock, settings: Settings
) -> None:
    # Anonymous: one vote a member must hold through the keyed hash alone.
    _, poll = await talk.say("Fay", '/alumni poll "Next?" "Maps" "Portals" "Licences" --anonymous')
    ids = {b.label: b.action_id for b in poll.buttons()}

    async def press(member: int, option: str, delivery: str) -> None:
        actor = talk.member(f"M{member}")
        await core.receive(Action(actor, ids[option], message=poll.ref, delivery_id=delivery), chat)

    first = [press(m, OPTIONS[m % 3], f"d{m}") for m in range(MEMBERS)]
    retried = [press(m, OPTIONS[m % 3], f"d{m}") for m in range(0, MEMBERS, 5)]  # same delivery again
    await asyncio.gather(*first, *retried)
    # Every tenth member changes to Licences.
    await asyncio.gather(*(press(m, "Licences", f"c{m}") for m in range(0, MEMBERS, 10)))

    expected = {o: 0 for o in OPTIONS}
    for m in range(MEMBERS):
        expected["Licences" if m % 10 == 0 else OPTIONS[m % 3]] += 1
    async with core.database.unit_of_work() as uow:
        stored = await uow.session.scalar(select(func.count()).select_from(PollVote))
    assert stored == MEMBERS

    runner = ScheduleRunner(core.database, core.router, settings, clock)
    clock.advance(seconds=1)
    [edit] = await fire(runner, chat)
    assert edit.item.to == Update(poll.ref)
    assert f"{MEMBERS} voters" in edit.text
    for option, count in expected.items():
        assert (
            f"{option}\n" in edit.text and f" {count} (" in edit.text.split(f"{option}\n")[1].split("\n")[0]
        )
