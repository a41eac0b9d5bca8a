"""What the outbox adds to a message, in the reader's language, through the real outbox and
database (SQLite and PostgreSQL): the note on a message that may arrive twice reads in that
message's language, and the member told of a failed delivery reads their own."""

from __future__ import annotations

from bot.i18n import speaking
from bot.messages import Message
from bot.outbound import Direct, Post, Public
from bot.outbox import Sender, Undelivered, enqueue
from bot.refs import MemberRef
from storage.database import Database
from tests.languages.english import english_left
from tests.support.chat import PLATFORM, WORKSPACE, Clock, RecordingChat

ANA = MemberRef(PLATFORM, WORKSPACE, "ana")


async def test_a_member_told_of_a_failed_delivery_reads_their_language(
    database: Database, clock: Clock
) -> None:
    class Refusing(RecordingChat):
        async def deliver(self, item, key):  # type: ignore[no-untyped-def]
            if isinstance(item, Post) and isinstance(item.to, Public):
                raise Undelivered("not_in_channel", permanent=True, may_have_arrived=False)
            return await super().deliver(item, key)

    async with database.unit_of_work() as uow:
        with speaking("fr"):  # as the core queues what a French-speaking member caused
            post = Post(Message.of("bonjour"), Public("general"))
            enqueue(uow, [post], key="e", platform=PLATFORM, now=clock.now(), notify=ANA)
    chat = Refusing()
    await Sender(database, [chat], clock).deliver_due()
    [told] = chat.sent
    assert told.item.to == Direct(ANA)
    assert "Je n’ai pas pu remettre un message dans #general (not_in_channel)." in told.text
    assert english_left(told.text, "fr") == []


async def test_a_repeat_is_noted_in_the_messages_language(database: Database, clock: Clock) -> None:
    async with database.unit_of_work() as uow:
        post = Post(Message.of("hola"), Direct(ANA), language="es")
        enqueue(uow, [post], key="r", platform=PLATFORM, now=clock.now())
        [item] = await uow.outbox.claim([PLATFORM], clock.now(), clock.now(), "dead", 1)
        await uow.outbox.started(item.id, "dead", clock.now())
    clock.advance(minutes=1)  # the claimer's lease has run out
    chat = RecordingChat()
    await Sender(database, [chat], clock).deliver_due()
    [again] = chat.sent
    assert "Puede que ya hayas recibido este mensaje: me reinicié mientras lo enviaba." in again.text
    assert english_left(again.text, "es") == []
