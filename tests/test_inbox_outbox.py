"""The inbox, the outbox, housekeeping and the health check, through the real core and
database (SQLite and PostgreSQL). Real processes: tests/test_durability_slack.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot import codec, housekeeping
from bot.config import HealthSettings, Settings
from bot.core import Core
from bot.events import Action, Actor, Command, FormSubmitted
from bot.health import check_health
from bot.messages import Actions, Attachment, Button, Message, Note, Section, Strong, Timestamp
from bot.outbound import Delete, Direct, Envelope, Group, Post, Public, Update
from bot.outbox import REPEAT_NOTE, Earlier, Sender, Undelivered, enqueue
from bot.refs import ChannelRef, MemberRef, MessageRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.models import InboxEvent, OutboxItem
from tests.support.chat import PLATFORM, WORKSPACE, Clock, Conversation, RecordingChat
from tests.support.timers import fire

ANA = MemberRef(PLATFORM, WORKSPACE, "ana")
BO = MemberRef(PLATFORM, WORKSPACE, "bo")
GENERAL = ChannelRef(PLATFORM, WORKSPACE, "C-general")


def test_the_neutral_model_survives_the_database_as_written(clock: Clock) -> None:
    message = Message(
        (
            Section(("Hello ", Strong("you"), " at ", Timestamp(clock.now(), "time"))),
            Note(("small print",)),
            Actions((Button("Yes", "poll:vote:1:2", "primary"),)),
            Attachment(b"\x00\xffdata", "x.csv", "text/csv"),
        )
    )
    items = [
        Envelope(Post(message, Group((ANA, BO)), "poll:1"), ANA),
        Envelope(Post(message, Update(name="poll:1"))),
        Envelope(Delete(MessageRef(PLATFORM, WORKSPACE, "C", "1"))),
        Command(
            Actor(ANA, "Ana", frozenset({"facilitator"}), "Africa/Nairobi"),
            "alumni",
            "find maps",
            GENERAL,
            "d1",
        ),
        FormSubmitted(Actor(ANA, "Ana"), "profile:about", {"name": "Ana", "bio": "ü\n"}, None, "d2"),
    ]
    for item in items:
        assert codec.loads(codec.dumps(item)) == item


async def test_a_redelivered_event_is_stored_and_handled_once(
    core: Core, talk: Conversation, database: Database
) -> None:
    talk.member("Ana")
    event = Command(talk.members["ana"], "alumni", "help", GENERAL, "trigger-1")
    outcomes = await asyncio.gather(*(core.receive(event, talk.chat) for _ in range(5)))
    assert sorted(o.duplicate for o in outcomes) == [False, True, True, True, True]
    assert len([s for s in talk.chat.sent if "alumni-bot commands" in s.text]) == 1
    async with database.unit_of_work() as uow:
        [row] = list(await uow.session.scalars(select(InboxEvent)))
    assert row.state == "done" and row.payload is None  # nothing of who did what stays behind


async def test_bad_input_and_failures_are_handled_once_and_leave_nothing_pending(
    core: Core, talk: Conversation, database: Database
) -> None:
    talk.member("Ana")
    await core.receive(Command(talk.members["ana"], "alumni", "nonsense", GENERAL, "t-bad"), talk.chat)
    await core.receive(Action(talk.members["ana"], "poll:vote:999:1", delivery_id="t-stale"), talk.chat)
    async with database.unit_of_work() as uow:
        states = list(await uow.session.scalars(select(InboxEvent.state).order_by(InboxEvent.id)))
    assert states == ["done", "done"]
    assert "I don't know the command" in talk.chat.sent[0].text


async def test_what_an_event_implies_is_written_with_it_and_delivered_in_order(
    core: Core, talk: Conversation, database: Database, clock: Clock
) -> None:
    async with database.unit_of_work() as uow:
        enqueue(
            uow,
            [Post(Message.of("first"), Public(GENERAL), name="poll:7")],
            key="a",
            platform=PLATFORM,
            now=clock.now(),
        )
        enqueue(
            uow,
            [Post(Message.of("second"), Update(name="poll:7"))],
            key="b",
            platform=PLATFORM,
            now=clock.now(),
        )
        enqueue(uow, [Delete(name="poll:7")], key="c", platform=PLATFORM, now=clock.now())
    chat = RecordingChat()
    await Sender(database, [chat], clock).deliver_due()
    posted, edited, deleted = chat.sent
    assert (
        posted.text == "first" and edited.item.to == Update(posted.ref) and deleted.item == Delete(posted.ref)
    )
    async with database.unit_of_work() as uow:
        assert await uow.posted.get("poll:7") is None  # taken down: its name is free again


async def test_a_message_the_platform_never_takes_is_failed_and_its_sender_told(
    database: Database, clock: Clock
) -> None:
    class Refusing(RecordingChat):
        async def deliver(self, item, key):  # type: ignore[no-untyped-def]
            if isinstance(item, Post) and isinstance(item.to, Public):
                raise Undelivered("not_in_channel", permanent=True, may_have_arrived=False)
            return await super().deliver(item, key)

    async with database.unit_of_work() as uow:
        enqueue(
            uow,
            [Post(Message.of("hello"), Public("general"))],
            key="e",
            platform=PLATFORM,
            now=clock.now(),
            notify=ANA,
        )
    chat = Refusing()
    await Sender(database, [chat], clock).deliver_due()
    [told] = chat.sent
    assert told.item.to == Direct(ANA)
    assert "I couldn't deliver a message to #general (not_in_channel)" in told.text
    async with database.unit_of_work() as uow:
        states = dict((await uow.session.execute(select(OutboxItem.key, OutboxItem.state))).all())
    assert states == {"e:0": "failed", "failed:e:0:0": "sent"}


async def test_a_send_that_may_have_arrived_is_looked_up_before_it_is_sent_again(
    database: Database, clock: Clock
) -> None:
    class Remembers(RecordingChat):
        async def earlier(self, item, key, since):  # type: ignore[no-untyped-def]
            return Earlier(MessageRef(PLATFORM, WORKSPACE, "C-general", "42"), known=True)

    async with database.unit_of_work() as uow:
        enqueue(
            uow,
            [Post(Message.of("card"), Public(GENERAL), name="card:1")],
            key="k",
            platform=PLATFORM,
            now=clock.now(),
        )
        [item] = await uow.outbox.claim([PLATFORM], clock.now(), clock.now(), "dead", 1)
        await uow.outbox.started(item.id, "dead", clock.now())
    clock.advance(minutes=1)  # the claimer's lease has run out
    chat = Remembers()
    await Sender(database, [chat], clock).deliver_due()
    assert chat.sent == []  # found on the platform: not sent twice
    async with database.unit_of_work() as uow:
        posted = await uow.posted.get("card:1")
    assert posted is not None and posted.message_id == "42"


async def test_a_marked_repeat_carries_the_note(database: Database, clock: Clock) -> None:
    async with database.unit_of_work() as uow:
        enqueue(uow, [Post(Message.of("hi"), Direct(ANA))], key="r", platform=PLATFORM, now=clock.now())
        [item] = await uow.outbox.claim([PLATFORM], clock.now(), clock.now(), "dead", 1)
        await uow.outbox.started(item.id, "dead", clock.now())
    clock.advance(minutes=1)
    chat = RecordingChat()
    await Sender(database, [chat], clock).deliver_due()
    [again] = chat.sent
    assert REPEAT_NOTE in again.text


async def test_housekeeping_prunes_what_is_older_than_the_retention(
    core: Core, talk: Conversation, database: Database, clock: Clock, settings: Settings
) -> None:
    await talk.say("Ana", "/alumni my-data", delivery_id="old")  # an event, and a DM in the outbox
    async with database.unit_of_work() as uow:
        await housekeeping.ensure(uow, clock.now())
        await housekeeping.ensure(uow, clock.now())  # once, however often a process starts
    clock.advance(days=settings.bot.retention_days, hours=2)
    await talk.say("Ana", "/alumni help", delivery_id="new")
    await fire(ScheduleRunner(database, core.router, settings, clock), talk.chat)
    async with database.unit_of_work() as uow:
        inbox = list(await uow.session.scalars(select(InboxEvent.key)))
        outbox = await uow.session.scalar(select(func.count()).select_from(OutboxItem))
    assert inbox == ["test:new"] and outbox == 0


async def test_health_says_what_is_wrong(
    core: Core, talk: Conversation, database: Database, clock: Clock
) -> None:
    settings = HealthSettings(inbox_max_age_seconds=60)
    healthy = await check_health(database, settings, clock)
    assert healthy.ok and healthy.as_json()["status"] == "ok"
    await core.inbox.accept("test:stuck", PLATFORM, codec.dumps(Command(Actor(ANA, "Ana"), "alumni", "help")))
    clock.advance(minutes=2)
    stuck = await check_health(database, settings, clock)
    assert not stuck.ok and stuck.checks["inbox"]["oldest_waiting_seconds"] == 120.0
    async with database.unit_of_work() as uow:
        enqueue(
            uow,
            [Post(Message.of("x"), Direct(ANA))],
            key="o",
            platform=PLATFORM,
            now=clock.now() - timedelta(hours=1),
        )
    assert not (await check_health(database, HealthSettings(inbox_max_age_seconds=600), clock)).checks[
        "outbox"
    ]["ok"]
