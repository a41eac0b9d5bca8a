"""The outbox: every message a change implies is written in that change's transaction, then
delivered by a sender, lane by lane, exactly once or visibly marked.

Writing
-------
`enqueue(uow, items, key=…)` adds items with stable keys ("<cause>:<n>") in the caller's
unit of work: the core does it for what an event's handler queued, the schedule runner for
what a timer queued. Answers to the member who is waiting (their private reply, the pressed
message, a form) do not come here: they go out at once through the event's own chat.

Delivering
----------
A `Sender` claims lanes (one conversation, or one named message such as "poll:12") and
delivers each lane's items in order through the platform's `Courier`. For each item:

1. `started_at` is committed just before the platform is called: from then on it may have
   arrived;
2. on success the item is `sent` (a named post also records its message in posted_messages);
3. a refused item is retried with back-off, or marked `failed` when the platform says it
   never will be taken (the member whose action caused it is told).

After a crash an item left with `started_at` set is first looked up on the platform
(`Courier.earlier`): found, it counts as sent; surely absent (or the platform deduplicates
the resend), it is sent plainly; otherwise it is sent marked "you may have had this one
already". An item never started is sent plainly. Claims are renewed while a sender works;
a claim left unrenewed for `LEASE` (its process stopped) is taken over.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot import codec
from bot.clock import Clock
from bot.i18n import N_, _, current_language, speaking
from bot.messages import Message, Note
from bot.metrics import UNWATCHED, Metrics
from bot.outbound import (
    Delete,
    Destination,
    Direct,
    Envelope,
    Ephemeral,
    Group,
    Outbound,
    Post,
    Public,
    Update,
)
from bot.progress import progress_message
from bot.refs import ChannelRef, MemberRef, MessageRef
from storage.database import Database
from storage.models import OutboxItem
from storage.outbox import NewItem
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=20)
RENEW_EVERY = 5.0  # seconds
POLL_SECONDS = 1.0  # how often a sender looks for items other processes wrote
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)
PROGRESS_EVERY = timedelta(seconds=5)  # a batch's progress message is edited at most this often
REPEAT_NOTE = N_("You may have had this one already: I restarted while sending it.")


class Undelivered(Exception):
    """The platform did not take an item. `permanent`: it never will (no such channel, the bot
    was removed); `may_have_arrived`: the request may have reached it (a timeout, a 5xx)."""

    def __init__(self, reason: str, *, permanent: bool = False, may_have_arrived: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.may_have_arrived = may_have_arrived


@dataclass(frozen=True)
class Earlier:
    """What the platform can say of an attempt that may have arrived: `found` is the message
    it posted; `known` means the platform could tell (or will not post a resend twice)."""

    found: MessageRef | None = None
    known: bool = False


class Courier(Protocol):
    """What an adapter offers the outbox: deliver one item, and look for an earlier attempt."""

    platform: str

    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        """Deliver `item` (raise Undelivered when the platform refuses it); return what was posted."""
        ...

    async def earlier(self, item: Post, key: str, since: datetime) -> Earlier:
        """Whether a post of `item` under `key`, attempted since `since`, arrived."""
        ...


def enqueue(
    uow: UnitOfWork,
    items: Iterable[Outbound],
    *,
    key: str,
    platform: str,
    now: datetime,
    notify: MemberRef | None = None,
) -> int:
    """Write `items` in this unit of work, under the keys "<key>:<n>"; return how many."""
    rows = [
        NewItem(
            f"{key}:{n}",
            platform_of(item, platform),
            lane_of(item, platform),
            codec.dumps(Envelope(item, notify, current_language())),
            item.batch.name if isinstance(item, Post) and item.batch else None,
        )
        for n, item in enumerate(items)
    ]
    uow.outbox.add(rows, now)
    return len(rows)


def platform_of(item: Outbound, default: str) -> str:
    """The platform that delivers `item`: the one its references name, else `default`."""
    match item:
        case Post(to=Direct(member=ref) | Ephemeral(member=ref)):
            return ref.platform
        case Post(to=Group(members=members)):
            return members[0].platform
        case Post(to=Public(channel=ChannelRef() as ref)) | Post(to=Update(message=MessageRef() as ref)):
            return ref.platform
        case Post(to=Update(platform=str(named))) if named:
            return named
        case Delete(message=MessageRef() as ref):
            return ref.platform
    return default


def lane_of(item: Outbound, platform: str) -> str:
    """Items of one lane are delivered in order: a named message's posts, edits and deletion,
    or what goes to one conversation."""
    match item:
        case Post(lane=lane) if lane:
            return lane
        case Post(name=name) if name:
            return name
        case Post(to=Update(name=name)) | Delete(name=name) if name:
            return name
        case Post(to=to):
            return conversation_of(to, platform)
        case Delete(message=MessageRef() as ref):
            return f"msg:{ref.platform}:{ref.channel_id}:{ref.message_id}"
    return f"other:{platform}"


def conversation_of(to: Destination, platform: str) -> str:
    match to:
        case Public(channel=ChannelRef() as ref):
            return f"channel:{ref.platform}:{ref.channel_id}"
        case Public(channel=str(name)):
            return f"channel:{platform}:#{name.removeprefix('#')}"
        case Direct(member=ref) | Ephemeral(member=ref):
            return f"dm:{ref.platform}:{ref.user_id}"
        case Group(members=members):
            return f"group:{members[0].platform}:" + ",".join(sorted(m.user_id for m in members))
        case Update(message=MessageRef() as ref):
            return f"msg:{ref.platform}:{ref.channel_id}:{ref.message_id}"
    return f"other:{platform}"


def is_new_message(item: Outbound) -> bool:
    """Only a new post can arrive twice; an edit or a deletion done twice changes nothing."""
    return isinstance(item, Post) and not isinstance(item.to, Update)


def marked_repeat(post: Post) -> Post:
    with speaking(post.language):  # the note reads in the message's own language
        note = Note((_(REPEAT_NOTE),))
    return dataclasses.replace(post, message=Message((*post.message.blocks, note)))


def failure_notice(item: Outbound, reason: str) -> Message:
    """What the member who caused `item` is told (in the language being spoken) when it never arrives;
    `reason` is the platform's own words."""
    return Message.of(undelivered(item).format(reason=reason, channel=channel_named(item)))


def undelivered(item: Outbound) -> str:
    match item:
        case Post(to=Public(channel=str())):
            return _("I couldn't deliver a message to #{channel} ({reason}). Nothing else was affected.")
        case Post(to=Public(channel=ChannelRef())):
            return _(
                "I couldn't deliver a message to channel {channel} ({reason}). Nothing else was affected."
            )
        case Post(to=Direct() | Ephemeral()):
            return _("I couldn't deliver a direct message ({reason}). Nothing else was affected.")
        case Post(to=Group()):
            return _(
                "I couldn't deliver a message to a group conversation ({reason}). Nothing else was affected."
            )
        case Post(to=Update()):
            return _("I couldn't deliver an update of a message ({reason}). Nothing else was affected.")
        case Delete():
            return _("I couldn't remove a message ({reason}). Nothing else was affected.")
    return _("I couldn't deliver a message ({reason}). Nothing else was affected.")


def channel_named(item: Outbound) -> str:
    match item:
        case Post(to=Public(channel=str(name))):
            return name.removeprefix("#")
        case Post(to=Public(channel=ChannelRef(channel_id=channel_id))):
            return channel_id
    return ""


class Sender:
    """Delivers the outbox for the platforms this process serves, up to `lanes` lanes at once,
    so a slow conversation (a platform's rate limit) holds up no other."""

    def __init__(
        self,
        database: Database,
        couriers: Sequence[Courier],
        clock: Clock,
        lanes: int = 32,
        metrics: Metrics = UNWATCHED,
    ) -> None:
        self.database = database
        self.couriers = {courier.platform: courier for courier in couriers}
        self.clock = clock
        self.lanes = lanes
        self.metrics = metrics
        self._active: dict[str, asyncio.Task[None]] = {}  # claim token -> the task delivering its lane
        self._wake = asyncio.Event()
        # Wakes are counted: "quiet" counts only for a look that began after the last wake.
        self._woken = 0
        self._quiet_since = -1
        self._quiet = asyncio.Event()
        self._draining = False
        self._progress_shown: dict[str, datetime] = {}  # batch -> when its progress was last queued

    def serve(self, courier: Courier) -> None:
        """Deliver `courier`'s platform too (another adapter of this process has started)."""
        self.couriers[courier.platform] = courier
        self.wake()

    def wake(self) -> None:
        """Something was written: look now rather than at the next poll."""
        self._woken += 1
        self._wake.set()

    async def run(self) -> None:
        """Deliver what comes due, until `finish` (or cancellation)."""
        renewing = asyncio.create_task(self._renew())
        try:
            while True:
                looking_since = self._woken
                self._wake.clear()
                if await self._start_lanes():
                    continue
                if not self._active:
                    self._quiet_since = looking_since
                    self._quiet.set()
                    if self._draining:
                        return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
        finally:
            renewing.cancel()
            for task in self._active.values():
                task.cancel()

    async def settle(self) -> None:
        """Return once `run` has delivered everything that is due (the console's transcript)."""
        self.wake()
        asked = self._woken
        while self._quiet_since < asked:
            self._quiet.clear()
            await self._quiet.wait()

    def finish(self) -> None:
        """Make `run` return once nothing is due any more (a graceful stop)."""
        self._draining = True
        self._wake.set()

    async def deliver_due(self) -> int:
        """Deliver everything due now, without `run`; return how many items were claimed."""
        claimed = 0
        while batch := await self._claim():
            claimed += len(batch[1])
            await self._deliver_lane(*batch)
        return claimed

    async def _start_lanes(self) -> int:
        started = 0
        while len(self._active) < self.lanes and (batch := await self._claim()):
            token = batch[0]
            task = asyncio.create_task(self._deliver_lane(*batch))
            self._active[token] = task
            task.add_done_callback(functools.partial(self._lane_done, token))
            started += 1
        return started

    def _lane_done(self, token: str, _lane: asyncio.Task[None]) -> None:
        self._active.pop(token, None)
        self.wake()

    async def _claim(self) -> tuple[str, list[OutboxItem]] | None:
        """The due items of one lane, claimed under a fresh token."""
        token, now = uuid.uuid4().hex, self.clock.now()
        async with self.database.unit_of_work() as uow:
            items = await uow.outbox.claim(list(self.couriers), now, now - LEASE, token, 1)
        return (token, items) if items else None

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            if self._active:
                async with self.database.unit_of_work() as uow:
                    await uow.outbox.renew(list(self._active), self.clock.now())

    async def _deliver_lane(self, token: str, lane: list[OutboxItem]) -> None:
        try:
            for row in lane:
                if not await self._deliver_one(token, row):
                    return  # the rest of the lane waits behind this item, in order
        finally:
            async with self.database.unit_of_work() as uow:
                await uow.outbox.release(token)

    async def _deliver_one(self, token: str, row: OutboxItem) -> bool:
        """Deliver one claimed item; False when it must be tried again later."""
        stored: Envelope = codec.loads(row.item)
        courier = self.couriers[row.platform]
        item = stored.item
        try:
            if row.started_at is not None and is_new_message(item):
                assert isinstance(item, Post)
                earlier = await courier.earlier(item, row.key, row.started_at)
                if earlier.found is not None:
                    log.info("outbox item %s had arrived before a stop: not sent again", row.key)
                    await self._sent(token, row, item, earlier.found)
                    return True
                if not earlier.known:
                    log.info("outbox item %s may have arrived before a stop: sent again, marked", row.key)
                    item = marked_repeat(item)
            resolved = await self._resolve(item)
            async with self.database.unit_of_work() as uow:
                await uow.outbox.started(row.id, token, self.clock.now())
            posted = await courier.deliver(resolved, row.key) if resolved is not None else None
        except Undelivered as refused:
            return await self._refused(token, row, stored, refused)
        except Exception as error:  # a bug or an unexpected library error: retried, and logged
            log.exception("delivering outbox item %s failed", row.key)
            return await self._refused(token, row, stored, Undelivered(type(error).__name__))
        await self._sent(token, row, stored.item, posted)
        self.metrics.outbox_delivered(row.platform)
        return True

    async def _resolve(self, item: Outbound) -> Outbound | None:
        """Named messages become the message posted under that name (None: it never was)."""
        name = item.name if isinstance(item, Delete) else getattr(getattr(item, "to", None), "name", "")
        if not name:
            return item
        async with self.database.unit_of_work() as uow:
            found = await uow.posted.get(name)
        if found is None:
            log.warning("no message was posted as %s; skipping %s", name, type(item).__name__)
            return None
        ref = MessageRef(found.platform, found.workspace, found.channel_id, found.message_id)
        if isinstance(item, Delete):
            return Delete(ref)
        assert isinstance(item, Post)
        return dataclasses.replace(item, to=Update(ref))

    async def _sent(self, token: str, row: OutboxItem, item: Outbound, posted: MessageRef | None) -> None:
        now = self.clock.now()
        async with self.database.unit_of_work() as uow:
            await uow.outbox.finish(row.id, token, now, "sent")
            if isinstance(item, Post) and item.name and posted is not None:
                await uow.posted.save(
                    item.name, posted.platform, posted.workspace, posted.channel_id, posted.message_id, now
                )
            elif isinstance(item, Delete) and item.name:
                await uow.posted.forget(item.name)
            progressed = await self._queue_progress(uow, item, row.platform, now)
        if progressed:
            self.wake()

    async def _refused(self, token: str, row: OutboxItem, stored: Envelope, refused: Undelivered) -> bool:
        now = self.clock.now()
        give_up = refused.permanent or row.attempts + 1 >= MAX_ATTEMPTS
        self.metrics.outbox_refused(row.platform, retrying=not give_up)
        async with self.database.unit_of_work() as uow:
            if not give_up:
                backoff = min(timedelta(seconds=2 ** (row.attempts + 1)), MAX_BACKOFF)
                await uow.outbox.retry(
                    row.id, token, now + backoff, refused.reason, may_have_arrived=refused.may_have_arrived
                )
                log.warning("outbox item %s refused (%s); retrying in %s", row.key, refused.reason, backoff)
                return False
            await uow.outbox.finish(row.id, token, now, "failed", refused.reason)
            log.error("outbox item %s not delivered: %s", row.key, refused.reason)
            if stored.notify is not None:
                with speaking(stored.language):
                    said = failure_notice(stored.item, refused.reason)
                notice = Post(said, Direct(stored.notify), language=stored.language)
                enqueue(uow, [notice], key=f"failed:{row.key}", platform=stored.notify.platform, now=now)
            await self._queue_progress(uow, stored.item, row.platform, now)
        self.wake()
        return True

    async def _queue_progress(self, uow: UnitOfWork, item: Outbound, platform: str, now: datetime) -> bool:
        """Queue the edit of the batch's progress message in the transaction that records the
        delivery it reports, so a stop between the two cannot lose it (nor the final summary): at
        most every PROGRESS_EVERY, and always at the batch's end. Processes finishing items of one
        batch take turns here, so each sees the others' deliveries and the edits are queued in
        the order of what they report. True when an edit was queued."""
        batch = item.batch if isinstance(item, Post) else None
        if batch is None:
            return False
        await uow.outbox.lock_batch(batch.name)
        shown = self._progress_shown.get(batch.name)
        if shown and now - shown < PROGRESS_EVERY and await uow.outbox.batch_unfinished(batch.name):
            return False
        counts = await uow.outbox.batch_counts(batch.name)
        with speaking(batch.language):  # whichever process sends it, in its reader's language
            update = Post(
                progress_message(batch.noun, counts, now),
                Update(name=batch.name, platform=batch.platform),
                language=batch.language,
            )
        enqueue(uow, [update], key=f"progress:{batch.name}:{uuid.uuid4().hex}", platform=platform, now=now)
        if counts.unfinished:
            self._progress_shown[batch.name] = now
        else:
            self._progress_shown.pop(batch.name, None)
        return True
