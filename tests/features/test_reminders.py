"""Reminders through the real core and the schedule runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.outbound import Direct, Ephemeral, Public, Update
from bot.outbox import LEASE, Sender, Undelivered
from bot.refs import ChannelRef
from bot.scheduling import ScheduleRunner
from storage.models import Reminder, Schedule
from tests.support.chat import Conversation, RecordingChat
from tests.support.databases import count
from tests.support.timers import fire


async def london(talk: Conversation, *names: str) -> None:
    for name in names:
        talk.member(name, timezone="Europe/London")


async def test_a_reminder_arrives_once_when_due(talk: Conversation, runner, clock, chat) -> None:
    await london(talk, "Ana")
    [confirm] = await talk.say("Ana", "/alumni remind me in 20 minutes stretch your legs")
    assert isinstance(confirm.item.to, Ephemeral)
    assert "I'll remind you: \u201cstretch your legs\u201d" in confirm.text
    assert "Next: 2026-11-24T09:20:00+00:00 (your time)." in confirm.text
    clock.advance(minutes=19)
    assert await fire(runner, chat) == []
    clock.advance(minutes=1)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Direct(talk.ref("Ana"))
    assert "Reminder: stretch your legs" in delivered.text
    assert "Late" not in delivered.text
    assert [b.label for b in delivered.buttons()] == [
        "Done",
        "Snooze 15 min",
        "Snooze 1 hour",
        "Tomorrow 9:00",
    ]
    clock.advance(minutes=5)
    assert await fire(runner, chat) == []


async def test_a_quoted_time_is_exactly_the_quoted_words(talk: Conversation) -> None:
    # Platforms with typed options (Discord) send `me "next Friday" call Ana`.
    [confirm] = await talk.say("Ana", '/alumni remind me "next Friday at 10:00" call Ana')
    assert "I'll remind you: \u201ccall Ana\u201d\nNext: 2026-11-27T10:00:00+00:00" in confirm.text


async def test_a_repeating_reminder_shows_its_rule_and_moves_on(talk, runner, clock, chat) -> None:
    await london(talk, "Ana")
    [confirm] = await talk.say("Ana", "/alumni remind me every first Tuesday at 15:00 community call")
    assert "Next: 2026-12-01T15:00:00+00:00 (your time), then every first Tuesday at 15:00." in confirm.text
    clock.current = datetime(2026, 12, 1, 15, 0, 1, tzinfo=UTC)
    [delivered] = await fire(runner, chat)
    assert "community call" in delivered.text
    [listing] = await talk.say("Ana", "/alumni reminders")
    assert "Next: 2027-01-05T15:00:00+00:00, then every first Tuesday" in listing.text


async def test_due_while_down_is_sent_late_and_older_is_reported_missed(talk, runner, clock, chat) -> None:
    await london(talk, "Ana")
    await talk.say("Ana", "/alumni remind me in 1 hour call the bank")
    await talk.say("Ana", "/alumni remind me tomorrow at 9 water the plants")
    clock.advance(hours=3)  # the first is 2 hours late: within the 6-hour grace
    [late] = await fire(runner, chat)
    assert "call the bank" in late.text and "Late: this was due 2026-11-24T10:00:00+00:00" in late.text
    clock.advance(days=1)  # the second is 3 hours late
    [second] = await fire(runner, chat)
    assert "water the plants" in second.text
    await talk.say("Ana", "/alumni remind me every day at 8:00 vitamins")
    clock.current = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 8 hours after 08:00
    [missed] = await fire(runner, chat)
    assert missed.item.to == Direct(talk.ref("Ana"))
    assert "I missed your reminder \u201cvitamins\u201d, due 2026-11-26T08:00:00+00:00" in missed.text
    assert missed.buttons() == []
    clock.current = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    [next_day] = await fire(runner, chat)
    assert "vitamins" in next_day.text and "Late" not in next_day.text


async def test_snooze_done_and_tomorrow_in_the_recipients_zone(talk, runner, clock, chat) -> None:
    talk.member("Ana", timezone="America/Sao_Paulo")
    await talk.say("Ana", "/alumni remind me in 20 minutes send the slides")
    clock.advance(minutes=20)
    [delivered] = await fire(runner, chat)
    [snoozed] = await talk.press("Ana", delivered, "Snooze 15 min")
    assert snoozed.item.to == Update() and "Snoozed until 2026-11-24T09:35:00+00:00" in snoozed.text
    clock.advance(minutes=15)
    [again] = await fire(runner, chat)
    assert "send the slides" in again.text
    [tomorrow] = await talk.press("Ana", again, "Tomorrow 9:00")
    assert "Snoozed until 2026-11-25T12:00:00+00:00" in tomorrow.text  # 09:00 in São Paulo
    clock.current = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    [last] = await fire(runner, chat)
    [done] = await talk.press("Ana", last, "Done")
    assert done.item.to == Update() and "Done: send the slides" in done.text and not done.buttons()


async def test_done_is_final_and_stale_presses_say_so(talk, runner, clock, chat, database) -> None:
    await talk.say("Ana", "/alumni remind me in 20 minutes send the slides")
    clock.advance(minutes=20)
    [delivered] = await fire(runner, chat)
    [done] = await talk.press("Ana", delivered, "Done")
    assert done.item.to == Update() and done.buttons() == []
    # The same message pressed again (an old screen, a second device): nothing is rescheduled.
    shown, told = await talk.press("Ana", delivered, "Snooze 15 min")
    assert shown.item.to == Update() and "Done: send the slides" in shown.text and shown.buttons() == []
    assert "Already answered: \u2713 Done: send the slides" in told.text and told.visible_to(talk.ref("Ana"))
    assert await count(database, Reminder) == 1 and await count(database, Schedule) == 1
    clock.advance(hours=2)
    assert await fire(runner, chat) == []
    # A snoozed message is spent too: its other buttons do not snooze (or finish) it again.
    await talk.say("Ana", "/alumni remind me in 10 minutes water the plants")
    clock.advance(minutes=10)
    [plants] = await fire(runner, chat)
    await talk.press("Ana", plants, "Snooze 1 hour")
    shown, told = await talk.press("Ana", plants, "Tomorrow 9:00")
    assert "Snoozed until" in shown.text and "Already answered: Snoozed until" in told.text
    assert await count(database, Reminder) == 3  # the two, and one snoozed copy


async def test_each_occurrence_of_a_repeat_is_answered_on_its_own(talk, runner, clock, chat) -> None:
    await talk.say("Ana", "/alumni remind me every day at 10:00 stretch")
    clock.current = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    [monday] = await fire(runner, chat)
    await talk.press("Ana", monday, "Done")
    clock.current = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    [tuesday] = await fire(runner, chat)
    [snoozed] = await talk.press("Ana", tuesday, "Snooze 15 min")
    assert "Snoozed until 2026-11-25T10:15:00+00:00" in snoozed.text


async def test_buttons_sent_before_answers_were_kept_still_work(talk, runner, clock, chat) -> None:
    await talk.say("Ana", "/alumni remind me in 20 minutes send the slides")
    clock.advance(minutes=20)
    [delivered] = await fire(runner, chat)
    older = delivered.button("Done").action_id.rsplit(":", 1)[0]  # rem:done:<reminder>, no occurrence
    [done] = await talk.press_id("Ana", delivered, older)
    assert "Done: send the slides" in done.text
    _, told = await talk.press_id("Ana", delivered, older.replace("done", "snooze") + ":15")
    assert "Already answered" in told.text


async def test_reminding_a_member_and_only_they_press_its_buttons(talk, runner, clock, chat) -> None:
    await talk.say("Bruno", "/alumni help")
    [confirm] = await talk.say("Ana", "/alumni remind @Bruno in 1 hour read the draft")
    assert "I'll remind Bruno" in confirm.text
    clock.advance(hours=1)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Direct(talk.ref("Bruno"))
    assert "Reminder from Ana: read the draft" in delivered.text
    [refused] = await talk.press("Carla", delivered, "Snooze 1 hour")
    assert "only they can use its buttons" in refused.text and refused.visible_to(talk.ref("Carla"))


async def test_list_and_cancel_and_privacy(talk, runner, clock, chat, database) -> None:
    await talk.say("Ana", "/alumni remind me tomorrow at 9 renew passport")
    await talk.say("Ana", "/alumni remind me next Friday book trains")
    [listing] = await talk.say("Ana", "/alumni reminders")
    assert "Your reminders (2)" in listing.text
    assert listing.text.index("renew passport") < listing.text.index("book trains")
    [theirs] = await talk.say("Bruno", "/alumni reminders")
    assert "You have no reminders" in theirs.text
    menu = listing.select()
    assert [o.label for o in menu.options] == ["1. renew passport", "2. book trains"]
    [refused] = await talk.choose("Bruno", menu, menu.options[0].value)
    assert "Only its creator" in refused.text
    [cancelled] = await talk.choose("Ana", menu, menu.options[0].value)
    assert (
        "Cancelled: \u201crenew passport\u201d" in cancelled.text and "Your reminders (1)" in cancelled.text
    )
    [stale] = await talk.choose("Ana", menu, "not a number")
    assert "That button no longer works" in stale.text
    clock.advance(days=7)
    [only] = await fire(runner, chat)
    assert "book trains" in only.text
    assert await count(database, Reminder) == 1  # the delivered one-off is kept, inactive


async def test_a_long_list_pages_so_every_reminder_can_be_cancelled(talk) -> None:
    for hours in range(1, 46):
        await talk.say("Ana", f"/alumni remind me in {hours} hours task {hours}")
    [first] = await talk.say("Ana", "/alumni reminders")
    assert "Your reminders (45)" in first.text and "Page 1 of 3: reminders 1\u201320 of 45" in first.text
    assert [o.label for o in first.select().options][-1] == "20. task 20"
    [second] = await talk.press("Ana", first, "Later \u203a")
    [third] = await talk.press("Ana", second, "Later \u203a")
    assert "Page 3 of 3: reminders 41\u201345 of 45" in third.text
    assert [o.label for o in third.select().options] == [f"{n}. task {n}" for n in range(41, 46)]
    menu = third.select()
    [cancelled] = await talk.choose("Ana", menu, menu.options[-1].value)
    assert "Cancelled: \u201ctask 45\u201d" in cancelled.text and "Your reminders (44)" in cancelled.text
    [back] = await talk.press("Ana", third, "\u2039 Sooner")
    assert "Page 2 of 3: reminders 21\u201340 of 44" in back.text


async def test_channels_and_cohorts_are_for_facilitators(talk, runner, clock, chat, database) -> None:
    [refused] = await talk.say("Ana", "/alumni remind #general tomorrow at 9 demo day")
    assert "Only facilitators can set reminders for a channel" in refused.text
    [refused] = await talk.say("Ana", "/alumni remind cohort:alumni tomorrow at 9 demo day")
    assert "Only facilitators can set reminders for a cohort" in refused.text
    assert await count(database, Reminder) == 0
    for name in ("Ana", "Bruno"):
        await talk.join(name)
    [ok] = await talk.say("Fay", "/alumni remind #general tomorrow at 9 demo day")
    assert "I'll remind #general" in ok.text
    await talk.say("Fay", "/alumni remind cohort:alumni tomorrow at 10 fill in the survey")
    [facilitator_view] = await talk.say("Fay", "/alumni reminders")
    assert "demo day" in facilitator_view.text and "fill in the survey" in facilitator_view.text
    [member_view] = await talk.say("Ana", "/alumni reminders")
    assert "You have no reminders" in member_view.text
    clock.current = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    sent = await fire(runner, chat)
    assert [s.item.to for s in sent if "demo day" in s.text] == [Public("general")]
    await talk.say("Fay", "/alumni remind <#C0123|events> in 1 hour doors open")
    clock.advance(hours=1)
    [doors] = await fire(runner, chat)
    assert doors.item.to == Public(ChannelRef("test", "W1", "C0123"))
    survey = {s.item.to for s in sent if "fill in the survey" in s.text}
    assert survey == {Direct(talk.ref("Ana")), Direct(talk.ref("Bruno"))}


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("/alumni remind me whenever x", "I can't tell when"),
        ('/alumni remind me "tomorrow at 9 send" the report', "I can't tell when"),
        ("/alumni remind me yesterday x", "in the past"),
        ("/alumni remind me every 5 minutes x", "at most every 15 minutes"),
        ("/alumni remind me tomorrow at 9", "What should the reminder say?"),
        ("/alumni remind me tomorrow at 9 to", "What should the reminder say?"),
        ("/alumni remind", "Tell me who to remind"),
        ("/alumni remind everyone tomorrow at 9 x", "Who should I remind?"),
        ("/alumni remind @Nobody tomorrow at 9 x", "I can't find a member"),
        ("/alumni remind cohort:nope tomorrow at 9 x", "Only facilitators"),
        ("/alumni remind me tomorrow at 9 " + "x" * 501, "at most 500 characters"),
    ],
)
async def test_bad_input_tells_the_sender_alone_and_saves_nothing(talk, database, command, problem) -> None:
    [reply] = await talk.say("Ana", command)
    assert problem in reply.text
    assert isinstance(reply.item.to, Ephemeral) and reply.item.to.member == talk.ref("Ana")
    assert await count(database, Reminder) == 0 and await count(database, Schedule) == 0


async def test_at_most_100_active_reminders(talk, database) -> None:
    await talk.say("Ana", "/alumni remind me in 1 hour first")
    for number in range(99):
        await talk.say("Ana", f"/alumni remind me in {number + 2} hours number {number}")
    [refused] = await talk.say("Ana", "/alumni remind me in 3 days one too many")
    assert "You already have 100 active reminders" in refused.text
    assert await count(database, Reminder) == 100 and await count(database, Schedule) == 100


async def test_my_data_and_forget_me_include_reminders(talk, runner, clock, chat, database) -> None:
    await talk.say("Bruno", "/alumni help")
    await talk.say("Ana", "/alumni remind me every weekday at 9:00 stand-up")
    await talk.say("Bruno", "/alumni remind @Ana tomorrow at 10 lunch")
    await talk.say("Ana", "/alumni my-data")
    export = next(s for s in talk.seen_by("Ana") if s.attachments).attachments[0].data.decode()
    assert '"text": "stand-up"' in export and '"text": "lunch"' in export
    [ask] = await talk.say("Ana", "/alumni forget-me")
    await talk.press("Ana", ask, "Delete my data")
    assert await count(database, Reminder) == 0 and await count(database, Schedule) == 0
    clock.advance(days=3)
    assert await fire(runner, chat) == []


async def killed_while_sending(database, clock, *, started: bool) -> None:
    """A sender claims the due items and stops (kill -9): after the platform call began, or before."""
    async with database.unit_of_work() as uow:
        claimed = await uow.outbox.claim(["test"], clock.now(), clock.now() - LEASE, "deadbeef", 10)
        assert claimed
        for item in claimed if started else []:
            await uow.outbox.started(item.id, "deadbeef", clock.now())


@pytest.mark.parametrize("started", [True, False])
async def test_a_send_left_by_a_killed_process_is_taken_over_and_marked_only_if_it_began(
    talk, runner, clock, chat, database, started
) -> None:
    await talk.say("Ana", "/alumni remind me in 20 minutes stretch")
    clock.advance(minutes=20)
    await runner.fire_due("test")
    await killed_while_sending(database, clock, started=started)
    assert await fire(runner, chat) == []  # its claim still holds
    clock.advance(seconds=LEASE.total_seconds() + 1)
    [taken_over] = await fire(runner, chat)
    assert "stretch" in taken_over.text
    assert ("You may have had this one already" in taken_over.text) is started
    assert await fire(runner, chat) == []


async def test_two_runners_and_two_senders_on_one_database_deliver_each_once(
    core, settings, clock, talk
) -> None:
    for number in range(30):
        await talk.say("Ana", f"/alumni remind me in 20 minutes note {number}")
    clock.advance(minutes=20)
    chats = [RecordingChat(), RecordingChat()]
    runners = [ScheduleRunner(core.database, core.router, settings, clock) for _ in chats]
    await asyncio.gather(*(r.fire_due("test") for r in runners))
    await asyncio.gather(*(Sender(core.database, [c], clock).deliver_due() for c in chats))
    delivered = sorted(s.text.splitlines()[0] for c in chats for s in c.sent)
    assert delivered == sorted(f"\u23f0 Reminder: note {n}" for n in range(30))


class FlakyChat(RecordingChat):
    """A platform that refuses the first send."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 1

    async def deliver(self, item, key):  # type: ignore[no-untyped-def]
        if self.refusals:
            self.refusals -= 1
            raise Undelivered("platform unavailable", may_have_arrived=False)
        return await super().deliver(item, key)


async def test_a_refused_send_is_retried(talk, runner, clock) -> None:
    await talk.say("Ana", "/alumni remind me in 20 minutes stretch")
    clock.advance(minutes=20)
    flaky = FlakyChat()
    assert await fire(runner, flaky) == []
    clock.advance(minutes=1)
    assert ["stretch" in s.text for s in await fire(runner, flaky)] == [True]
    clock.advance(minutes=5)
    assert await fire(runner, flaky) == []


@pytest.mark.parametrize(
    ("zone", "typed", "due"),
    [
        ("Europe/London", "on 28 March 2027 at 1:30", "2027-03-28T01:00:00+00:00"),  # 02:00 BST
        ("Europe/Berlin", "on 28 March 2027 at 2:30", "2027-03-28T01:00:00+00:00"),  # 03:00 CEST
        ("Pacific/Auckland", "on 26 September 2027 at 2:30", "2027-09-25T14:00:00+00:00"),  # 03:00 NZDT
    ],
)
async def test_a_time_the_clocks_skip_comes_at_the_jump(talk, runner, clock, chat, zone, typed, due) -> None:
    talk.member("Ana", timezone=zone)
    [confirm] = await talk.say("Ana", f"/alumni remind me {typed} clocks changed")
    assert f"Next: {due} (your time)" in confirm.text
    clock.current = datetime.fromisoformat(due)
    [delivered] = await fire(runner, chat)
    assert "clocks changed" in delivered.text


async def test_a_reminder_for_someone_elsewhere_shows_their_time_too(talk) -> None:
    talk.member("Ana", timezone="Europe/London")
    talk.member("Bo Chen", timezone="Pacific/Auckland")
    talk.member("Carla", timezone="Europe/Lisbon")  # the same clock as London in November
    for name in ("Bo Chen", "Carla"):
        await talk.say(name, "/alumni help")
    [confirm] = await talk.say("Ana", "/alumni remind @Bo tomorrow at 12:00 call me")
    assert (
        "Next: 2026-11-25T12:00:00+00:00 (your time), that is Thu, 1:00\u202fAM for Bo Chen in Auckland."
        in (confirm.text)
    )
    [same_day] = await talk.say("Ana", "/alumni remind @Bo tomorrow at 8:00 call me")
    assert "that is 9:00\u202fPM for Bo Chen in Auckland" in same_day.text
    [same_clock] = await talk.say("Ana", "/alumni remind @Carla tomorrow at 12:00 call me")
    assert "that is" not in same_clock.text
    [repeat] = await talk.say("Ana", "/alumni remind @Bo every Monday at 9:00 weekly call")
    assert "that is 10:00\u202fPM for Bo Chen in Auckland, then every Monday at 09:00." in repeat.text
