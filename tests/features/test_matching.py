"""One-on-one matching through the real core, router and schedule runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.features.matching.handlers import period_key, pool_of, run_round
from bot.outbound import Direct, Ephemeral, Group
from bot.outbox import Sender, Undelivered
from bot.scheduling import ScheduleRunner
from storage.models import Connection, MatchAvoid, MatchGroup, MatchMembership, MatchRound
from tests.support.chat import Conversation, RecordingChat, Sent
from tests.support.databases import count
from tests.support.timers import fire

PEOPLE = {
    "Ana": dict(organisation="GBIF", country="Kenya", timezone="Africa/Nairobi", expertise="licensing, maps"),
    "Bruno": dict(organisation="OKF", country="Brazil", timezone="America/Sao_Paulo", learning="licensing"),
    "Chen": dict(organisation="ODI", country="United Kingdom", timezone="Europe/London", expertise="maps"),
    "Dara": dict(organisation="OCP", country="New Zealand", timezone="Pacific/Auckland", learning="budgets"),
}


async def members(talk: Conversation, *names: str) -> None:
    for name in names:
        await talk.join(name)
        await talk.set_up_profile(name, **PEOPLE[name])
        [joined] = await talk.say(name, "/alumni match join")
        assert "You're in: matched every week with someone from alumni" in joined.text


def groups(sent: list[Sent]) -> list[Sent]:
    return [s for s in sent if isinstance(getattr(s.item, "to", None), Group)]


async def test_a_round_introduces_pairs_with_reasons_and_checks_in(
    talk, runner, clock, chat, database
) -> None:
    await members(talk, "Ana", "Bruno")
    [preview] = await talk.say("Fay", "/alumni match preview")
    assert "Preview of the next alumni round (1 group)" in preview.text
    # What the score stands for, not a bare number: Nairobi 09-18 and São Paulo 09-18 share 3 hours.
    fit = "3 h overlap \u00b7 other region \u00b7 1 shared topic \u00b7 1 thing to learn from each other"
    assert f"Ana + Bruno: {fit}" in preview.text
    assert groups(chat.sent) == [] and await count(database, MatchRound) == 0
    sent = await talk.say("Fay", "/alumni match run")
    [intro] = groups(sent)
    assert set(intro.item.to.members) == {talk.ref("Ana"), talk.ref("Bruno")}
    assert "You're matched this round: Ana (GBIF) and Bruno (OKF)" in intro.text
    assert "Ana knows licensing, which Bruno wants to learn" in intro.text
    assert "different organisations in different parts of the world" in intro.text
    assert "for Ana (Africa/Nairobi), " in intro.text and "for Bruno (America/Sao_Paulo)" in intro.text
    assert "Bruno, what would you like to do with licensing?" in intro.text
    assert "Round started for alumni: 1 introduction on the way." in sent[0].text
    assert await count(database, Connection) == 1
    clock.advance(days=6)  # rounds last 2 weeks by default ([matching] cadence)
    assert await fire(runner, chat) == []
    clock.advance(days=1)
    [checkin] = await fire(runner, chat)
    assert checkin.item.to == intro.item.to and "did you meet?" in checkin.text
    assert [b.label for b in checkin.buttons()] == ["Yes", "Not yet", "We couldn't"]
    [thanks] = await talk.press("Ana", checkin, "Yes")
    assert "Thanks, noted: \u201cYes\u201d" in thanks.text and isinstance(thanks.item.to, Ephemeral)
    [again] = await talk.press("Ana", checkin, "We couldn't")
    assert "You already answered \u201cYes\u201d" in again.text
    [stranger] = await talk.press("Chen", checkin, "Yes")
    assert "for the members of this match only" in stranger.text
    [history] = await talk.say("Fay", "/alumni match history")
    assert "The last matching round" in history.text and "alumni: 1 group, 1 met (100%), 1 answered" in (
        history.text
    )


async def test_no_overlap_suggests_an_asynchronous_exchange(talk, chat) -> None:
    await members(talk, "Ana", "Dara")
    [intro] = groups(await talk.say("Fay", "/alumni match run"))
    assert "working hours don't overlap" in intro.text and "asynchronous exchange" in intro.text


async def test_fewer_than_two_announces_and_does_nothing(talk, database) -> None:
    await members(talk, "Ana")
    [reply] = await talk.say("Fay", "/alumni match run")
    assert "Fewer than 2 members of alumni are available" in reply.text
    assert await count(database, MatchRound) == 0
    [preview] = await talk.say("Fay", "/alumni match preview")
    assert "Fewer than 2" in preview.text


async def test_odd_numbers_make_one_trio_and_not_the_same_extra_twice(talk, clock, database) -> None:
    await members(talk, "Ana", "Bruno", "Chen")
    extras = []
    for _ in range(3):
        [intro] = groups(await talk.say("Fay", "/alumni match run"))
        assert len(intro.item.to.members) == 3
        async with database.unit_of_work() as uow:
            extras.append((await uow.matching.rounds(1))[0].extra_id)
        clock.advance(days=7)
    assert extras[0] != extras[1] and extras[1] != extras[2]


async def test_avoid_list_is_private_and_respected(talk, database) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    [noted] = await talk.say("Ana", "/alumni match avoid Bruno")
    assert "you won't be paired with Bruno" in noted.text and noted.item.to.member == talk.ref("Ana")
    [status] = await talk.say("Ana", "/alumni match status")
    assert "Your private avoid list: Bruno." in status.text
    [theirs] = await talk.say("Bruno", "/alumni match status")
    assert "avoid" not in theirs.text and "Ana" not in theirs.text
    intros = groups(await talk.say("Fay", "/alumni match run"))
    assert len(intros) == 2
    assert not any({talk.ref("Ana"), talk.ref("Bruno")} <= set(i.item.to.members) for i in intros)
    assert all("avoid" not in s.text for s in intros)
    [undone] = await talk.say("Ana", "/alumni match avoid --remove Bruno")
    assert "Removed Bruno from your private list." in undone.text
    assert await count(database, MatchAvoid) == 0


async def test_three_unanswered_in_a_row_pause_and_say_how_to_come_back(talk, runner, clock, chat) -> None:
    await members(talk, "Ana", "Bruno")
    await talk.say("Fay", "/alumni match schedule alumni weekly")
    notices: list[Sent] = []
    clock.advance(days=6)  # to Monday 09:00, when rounds start
    for _ in range(3):
        sent = await fire(runner, chat)
        notices += [s for s in sent if isinstance(s.item.to, Direct) and s.item.to.member != talk.ref("Fay")]
        assert len(groups(sent)) == 1
        clock.advance(days=3.5)
        [checkin] = await fire(runner, chat)
        assert "did you meet?" in checkin.text
        clock.advance(days=3.5)
    assert notices == []
    notices = [
        s
        for s in await fire(runner, chat)
        if isinstance(s.item.to, Direct) and s.item.to.member != talk.ref("Fay")  # not the round's progress
    ]
    assert {n.item.to for n in notices} == {Direct(talk.ref("Ana")), Direct(talk.ref("Bruno"))}
    assert all("paused your matching" in n.text and "/alumni match join" in n.text for n in notices)
    [status] = await talk.say("Ana", "/alumni match status")
    assert "Paused until you come back" in status.text
    [back] = await talk.say("Ana", "/alumni match join")
    assert "Welcome back" in back.text


async def test_frequency_and_pause_keep_a_member_out_of_rounds(talk, clock) -> None:
    await members(talk, "Ana", "Bruno", "Chen")
    [ok] = await talk.say("Chen", "/alumni match frequency monthly")
    assert "every month at most" in ok.text
    [paused] = await talk.say("Ana", "/alumni match pause 2")
    assert "Paused: no matches until 2026-12-08" in paused.text
    [first] = groups(await talk.say("Fay", "/alumni match run"))
    assert set(first.item.to.members) == {talk.ref("Bruno"), talk.ref("Chen")}
    clock.advance(days=7)
    [reply] = await talk.say("Fay", "/alumni match run")
    assert "The alumni round is running until" in reply.text  # Chen waits a month, Ana is paused
    clock.advance(days=8)
    [second] = groups(await talk.say("Fay", "/alumni match run"))
    assert set(second.item.to.members) == {talk.ref("Ana"), talk.ref("Bruno")}


async def test_alumni_are_paired_across_with_a_newer_cohort(talk, clock, core) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    async with core.database.unit_of_work() as uow:
        newer = await uow.cohorts.ensure("2026", clock.now())
        for name in ("Ana", "Bruno"):
            person = await uow.people.by_identity("test", "W1", name.lower())
            await uow.cohorts.add_member(newer, person.id, clock.now())
            await uow.matching.remove_memberships(person.id)
            await uow.matching.add_membership(person.id, newer.id)
    intros = groups(await talk.say("Fay", "/alumni match run alumni with 2026"))
    assert len(intros) == 2
    for intro in intros:
        names = {m.user_id for m in intro.item.to.members}
        assert len(names & {"ana", "bruno"}) == 1


@pytest.mark.parametrize(
    ("who", "command", "problem"),
    [
        ("Ana", "/alumni match join", "You're already in matching for alumni"),
        ("Ana", "/alumni match join nowhere", "You're not in a cohort called \u201cnowhere\u201d"),
        ("Ana", "/alumni match pause two", "whole number of weeks, from 1 to 26"),
        ("Ana", "/alumni match pause 0", "whole number of weeks"),
        ("Ana", "/alumni match pause 99", "whole number of weeks"),
        ("Ana", "/alumni match frequency daily", "weekly, every 2 weeks or monthly"),
        ("Ana", "/alumni match avoid Nobody", "I can't find a member called \u201cNobody\u201d"),
        ("Ana", "/alumni match avoid", "Who shouldn't you be paired with?"),
        ("Ana", "/alumni match avoid Ana", "That's you: nobody is ever paired with themselves"),
        ("Ana", "/alumni match dance", "I don't know \u201cmatch dance\u201d"),
        ("Ana", "/alumni match preview", "Only facilitators can preview matching rounds"),
        ("Ana", "/alumni match run", "Only facilitators can run matching rounds"),
        ("Ana", "/alumni match history", "Only facilitators can see the matching history"),
        ("Ana", "/alumni match schedule alumni weekly", "Only facilitators can schedule"),
        ("Fay", "/alumni match run nowhere", "There is no cohort called \u201cnowhere\u201d"),
        ("Fay", "/alumni match preview alumni with alumni", "Pair a cohort with a different one"),
        ("Bruno", "/alumni match leave", "You're not in matching yet"),
        ("Bruno", "/alumni match pause 2", "You're not in matching yet"),
    ],
)
async def test_bad_input_tells_the_sender_alone(talk, database, who, command, problem) -> None:
    await talk.join("Ana")
    await talk.set_up_profile("Ana")
    await talk.say("Ana", "/alumni match join")
    [reply] = await talk.say(who, command)
    assert problem in reply.text, reply.text
    assert isinstance(reply.item.to, Ephemeral) and reply.item.to.member == talk.ref(who)
    assert await count(database, MatchRound) == 0 and await count(database, MatchAvoid) == 0


async def test_leave_and_status(talk, database) -> None:
    await members(talk, "Ana")
    [status] = await talk.say("Ana", "/alumni match")
    assert "Matching: alumni, every week." in status.text
    [left] = await talk.say("Ana", "/alumni match leave")
    assert "You've left matching" in left.text
    assert await count(database, MatchMembership) == 0
    [home] = await talk.say("Ana", "/alumni home")
    assert "You're not in one-on-one matching" in home.text


async def test_my_data_and_forget_me_include_matching(talk, database) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    await talk.say("Ana", "/alumni match avoid Chen")
    await talk.say("Chen", "/alumni match avoid Bruno")
    await talk.say("Fay", "/alumni match run")
    await talk.say("Chen", "/alumni my-data")
    export = next(s for s in talk.seen_by("Chen") if s.attachments).attachments[0].data.decode()
    assert '"my_private_avoid_list": [\n      "Bruno"\n    ]' in export
    assert (
        '"matched_with"' in export and "Ana" not in export.split('"my_private_avoid_list"')[1].split("]")[0]
    )
    [ask] = await talk.say("Chen", "/alumni forget-me")
    await talk.press("Chen", ask, "Delete my data")
    assert await count(database, MatchAvoid) == 0  # Chen's own entry and those naming Chen
    async with database.unit_of_work() as uow:
        members_left = [m.person_id for g in (await uow.matching.rounds(1))[0].groups for m in g.members]
    assert len(members_left) == 3


async def test_a_round_whose_timer_fails_is_made_once_when_it_fires_again(
    talk, runner, clock, chat, database, settings
) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    await talk.say("Fay", "/alumni match schedule alumni weekly")
    clock.advance(days=6)
    with pytest.raises(RuntimeError):
        async with database.unit_of_work() as uow:  # a process makes the round and stops before its commit
            [due] = await uow.schedules.lock_due("test", clock.now(), 10)
            plan = await uow.matching.get_plan(due.subject_id)
            assert plan is not None
            pool = await pool_of(uow, plan.cohort_id, None)
            key = period_key(plan, due.due_at)
            assert await run_round(uow, pool, key, clock.now(), settings, "weekly")
            raise RuntimeError("killed")
    assert await count(database, MatchRound) == 0
    sent = await fire(runner, chat)
    assert len(groups(sent)) == 2
    assert await count(database, MatchRound) == 1 and await count(database, MatchGroup) == 2
    assert await fire(runner, chat) == []


async def test_a_round_whose_introductions_are_refused_sends_them_once_later(
    talk, runner, clock, chat, database
) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    await talk.say("Fay", "/alumni match schedule alumni weekly")
    clock.advance(days=6)

    class Down(RecordingChat):
        async def deliver(self, item, key):  # type: ignore[no-untyped-def]
            raise Undelivered("the platform is down")

    await runner.fire_due("test")
    await Sender(database, [Down()], clock).deliver_due()  # made the round, sent nothing: retried later
    assert await fire(runner, chat) == []  # not yet: the retry waits
    clock.advance(minutes=2)
    sent = await fire(runner, chat)
    assert len(groups(sent)) == 2 and await count(database, MatchRound) == 1
    assert await count(database, Connection) == 2


async def test_two_runners_make_one_round(core, settings, clock, talk, database) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    await talk.say("Fay", "/alumni match schedule alumni weekly")
    clock.advance(days=6)
    chats = [RecordingChat(), RecordingChat()]
    runners = [ScheduleRunner(core.database, core.router, settings, clock) for _ in chats]
    await asyncio.gather(*(r.fire_due("test") for r in runners))
    senders = [Sender(core.database, [c], clock) for c in chats]
    await asyncio.gather(*(s.deliver_due() for s in senders))
    assert sum(len(groups(c.sent)) for c in chats) == 2
    assert await count(database, MatchRound) == 1


async def test_schedule_off_stops_rounds(talk, runner, clock, chat) -> None:
    await members(talk, "Ana", "Bruno")
    [set_up] = await talk.say("Fay", "/alumni match schedule alumni biweekly")
    assert "Rounds for alumni every 2 weeks, from 2026-11-30T09:00:00+00:00" in set_up.text
    [off] = await talk.say("Fay", "/alumni match schedule alumni off")
    assert "No more scheduled rounds for alumni" in off.text
    clock.advance(days=timedelta(weeks=3).days)
    assert await fire(runner, chat) == []


async def test_home_shows_the_current_match(talk) -> None:
    await members(talk, "Ana", "Bruno")
    await talk.say("Fay", "/alumni match run")
    [home] = await talk.say("Ana", "/alumni home")
    assert (
        "Matching: alumni, every week." in home.text and "This round: you're matched with Bruno." in home.text
    )


async def test_avoiding_oneself_suggests_someone_else(talk) -> None:
    await members(talk, "Ana")
    [reply] = await talk.say("Ana", "/alumni match avoid @ana")
    assert "Try: /alumni match avoid @Bo" in reply.text


async def test_joining_without_a_profile_asks_for_it_first(talk, database) -> None:
    await talk.join("Ana")
    [asked] = await talk.say("Ana", "/alumni match join")
    assert "Before I match you, tell me your organisation" in asked.text
    assert await count(database, MatchMembership) == 0
    [form] = await talk.press("Ana", asked, "Set up my profile")
    assert form.form.title == "About you"
    await talk.set_up_profile("Ana")
    [joined] = await talk.say("Ana", "/alumni match join")
    assert "You're in" in joined.text


async def test_a_trio_sharing_half_an_hour_is_told_its_overlap(talk) -> None:
    # Kolkata works 03:30-12:30 UTC, São Paulo 12:00-21:00 UTC, London 09:00-18:00 UTC in November.
    trio = {
        "Ana": dict(organisation="GBIF", country="India", timezone="Asia/Kolkata"),
        "Bruno": dict(organisation="OKF", country="Brazil", timezone="America/Sao_Paulo"),
        "Chen": dict(organisation="ODI", country="United Kingdom", timezone="Europe/London"),
    }
    for name, profile in trio.items():
        await talk.join(name)
        await talk.set_up_profile(name, **profile)
        await talk.say(name, "/alumni match join")
    [preview] = await talk.say("Fay", "/alumni match preview")
    assert "30 min overlap" in preview.text
    [intro] = groups(await talk.say("Fay", "/alumni match run"))
    assert "don't overlap" not in intro.text
    assert "(only 30 min: enough for a short call)" in intro.text
    assert "5:30\u202fPM\u20136:00\u202fPM for Ana (Asia/Kolkata)" in intro.text
    assert "9:00\u202fAM\u20139:30\u202fAM for Bruno (America/Sao_Paulo)" in intro.text


async def test_a_second_run_says_a_round_is_running_and_how_to_end_it(talk, clock, database) -> None:
    await members(talk, "Ana", "Bruno")
    await talk.say("Fay", "/alumni match run")
    clock.advance(days=2)
    [busy] = await talk.say("Fay", "/alumni match run")
    assert "The alumni round is running until 2026-12-08" in busy.text
    assert "(1 group, started 2026-11-24" in busy.text
    assert "/alumni match end alumni, then /alumni match run alumni" in busy.text
    [preview] = await talk.say("Fay", "/alumni match preview")
    assert "round is running" in preview.text
    [ended] = await talk.say("Fay", "/alumni match end")
    assert "The alumni round is ended (1 group)" in ended.text
    [status] = await talk.say("Ana", "/alumni match status")
    assert "This round" not in status.text
    [again] = await talk.say("Fay", "/alumni match end")
    assert "No alumni round is running" in again.text and "Try: /alumni match run alumni" in again.text
    sent = await talk.say("Fay", "/alumni match run")
    assert len(groups(sent)) == 1 and await count(database, MatchRound) == 2


async def test_ending_a_round_sends_no_check_in_and_counts_no_silence(
    talk, runner, clock, chat, database
) -> None:
    await members(talk, "Ana", "Bruno")
    await talk.say("Fay", "/alumni match run")
    await talk.say("Fay", "/alumni match end alumni")
    clock.advance(days=15)
    assert await fire(runner, chat) == []
    async with database.unit_of_work() as uow:
        preferences = await uow.matching.settings_of([p for p, _ in await uow.people.names_on("test", "W1")])
    assert all(p.unanswered == 0 for p in preferences.values())


async def test_after_a_partner_leaves_the_network_status_says_so(talk, runner, clock, chat) -> None:
    await members(talk, "Ana", "Bruno", "Chen", "Dara")
    await talk.say("Fay", "/alumni match schedule alumni weekly")
    clock.advance(days=6)
    [intro, _] = groups(await fire(runner, chat))
    gone, stays = (m.user_id for m in intro.item.to.members)
    name = {"ana": "Ana", "bruno": "Bruno", "chen": "Chen", "dara": "Dara"}
    [ask] = await talk.say(name[gone], "/alumni forget-me")
    await talk.press(name[gone], ask, "Delete my data")
    [status] = await talk.say(name[stays], "/alumni match status")
    assert "This round: your match left the network, so you're free." in status.text
    assert "You're in the next round, from 2026-12-07T09:00:00+00:00." in status.text
    assert "matched with ." not in status.text
    clock.advance(days=7)
    nextround = groups(await fire(runner, chat))
    assert any(talk.ref(name[stays]) in g.item.to.members for g in nextround)


async def test_history_counts_rounds_in_words(talk, clock) -> None:
    await members(talk, "Ana", "Bruno")
    for _ in range(2):
        await talk.say("Fay", "/alumni match run")
        await talk.say("Fay", "/alumni match end")
    [history] = await talk.say("Fay", "/alumni match history")
    assert "The last 2 matching rounds" in history.text
