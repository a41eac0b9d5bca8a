"""Polls through the real core, router and schedule runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from bot.outbound import Ephemeral, Public, Update
from storage.database import Database
from storage.models import PollVote, Schedule
from tests.support.chat import Conversation, Sent
from tests.support.timers import fire

ASK = '/alumni poll "Which topic next?" "Open licences" "Data portals" "Maps"'


async def ask(talk: Conversation, text: str = ASK) -> Sent:
    confirm, posted = await talk.say("Fay", text)
    assert isinstance(posted.item.to, Public) and "Poll #" in confirm.text
    return posted


async def test_votes_change_and_withdraw_and_the_message_updates_coalesced(talk, runner, clock, chat) -> None:
    poll = await ask(talk)
    assert "Which topic next?" in poll.text and "Choose one option." in poll.text
    [mine] = await talk.press("Ana", poll, "Open licences")
    assert isinstance(mine.item.to, Ephemeral) and "Your vote now: \u201cOpen licences\u201d." in mine.text
    [edit] = await fire(runner, chat)
    assert edit.item.to == Update(poll.ref)
    assert "Open licences\n\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587 1 (100%)" in edit.text
    await talk.press("Bo", poll, "Maps")
    await talk.press("Ana", poll, "Data portals")  # a change replaces the old vote
    assert await fire(runner, chat) == []  # at most one edit a second
    clock.advance(seconds=1)
    [edit] = await fire(runner, chat)
    assert "Open licences\n\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591 0 (0%)" in edit.text
    assert "Data portals\n\u2587\u2587\u2587\u2587\u2587\u2591\u2591\u2591\u2591\u2591 1 (50%)" in edit.text
    assert "2 voters" in edit.text
    [gone] = await talk.press("Ana", poll, "Withdraw my vote")
    assert "You have no vote" in gone.text
    clock.advance(seconds=1)
    [edit] = await fire(runner, chat)
    assert (
        "1 voter" in edit.text
        and "Maps\n\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587 1 (100%)" in edit.text
    )


async def test_multi_toggles_and_hidden_shows_results_only_at_the_close(talk, runner, clock, chat) -> None:
    poll = await ask(talk, '/alumni poll "Lunch?" "Pizza" "Salad" "Soup" --multi --hidden')
    assert "(0%)" not in poll.text and "results shown when the poll closes" in poll.text
    await talk.press("Ana", poll, "Pizza")
    [both] = await talk.press("Ana", poll, "Soup")
    assert "Your vote now: \u201cPizza\u201d, \u201cSoup\u201d." in both.text
    [one] = await talk.press("Ana", poll, "Pizza")
    assert "Your vote now: \u201cSoup\u201d." in one.text
    [edit] = await fire(runner, chat)
    assert "(100%)" not in edit.text and "1 voter" in edit.text
    [final, results] = await talk.press("Fay", poll, "Close poll")
    assert final.item.to == Update(poll.ref) and final.buttons() == []
    assert "Final results: Lunch?" in final.text and "Soup\n" in final.text and "1 (100%)" in final.text
    assert isinstance(results.item.to, Public) and results.text == final.text
    [refused] = await talk.press("Bo", poll, "Pizza")
    assert "Voting on \u201cLunch?\u201d has ended: the poll is closed." in refused.text
    assert refused.visible_to(talk.ref("Bo"))
    clock.advance(seconds=1)
    assert await fire(runner, chat) == []  # the final edit is shown once


async def test_closing_at_the_deadline_happens_once(talk, runner, clock, chat) -> None:
    talk.member("Fay", timezone="Europe/London")
    poll = await ask(talk, ASK + " --closes in 2 hours")
    assert "closes 2026-11-24T11:00:00+00:00" in poll.text
    await talk.press("Ana", poll, "Maps")
    await fire(runner, chat)
    clock.advance(hours=2)
    sent = await fire(runner, chat)
    assert [s.item.to for s in sent] == [Update(poll.ref), Public(poll.ref and results_channel(poll))]
    assert "Final results" in sent[0].text and sent[0].buttons() == []
    clock.advance(hours=1)
    assert await fire(runner, chat) == []  # closed once, the final edit shown once
    [late] = await talk.say("Fay", "/alumni poll close " + poll_id(poll))
    assert "already closed" in late.text


def results_channel(poll: Sent):  # the channel the poll was posted in
    from bot.refs import ChannelRef

    assert poll.ref is not None
    return ChannelRef(poll.ref.platform, poll.ref.workspace, poll.ref.channel_id)


def poll_id(poll: Sent) -> str:
    return poll.text.split("Poll #")[1].split(" ")[0]


async def test_a_poll_that_is_not_there_suggests_one_that_is(talk) -> None:
    [none_yet] = await talk.say("Fay", "/alumni poll close 99")
    assert "There is no poll #99 here" in none_yet.text and "Try: /alumni poll " in none_yet.text
    first = poll_id(await ask(talk))
    second = poll_id(await ask(talk, '/alumni poll "Lunch?" "Pizza" "Salad"'))
    await talk.say("Fay", f"/alumni poll close {second}")
    [close] = await talk.say("Fay", "/alumni poll close 99")
    assert f"Try: /alumni poll close {first}" in close.text  # the newest one still open
    [export] = await talk.say("Fay", "/alumni poll export 99")
    assert f"Try: /alumni poll export {second}" in export.text  # the newest one
    [which] = await talk.say("Fay", "/alumni poll export twelve")
    assert "Which poll?" in which.text and f"Try: /alumni poll export {second}" in which.text


async def test_who_voted_and_export_for_facilitators_only(talk) -> None:
    poll = await ask(talk)
    await talk.press("Ana", poll, "Maps")
    await talk.press("Bo", poll, "Open licences")
    [who] = await talk.press("Fay", poll, "Who voted")
    assert "Open licences: Bo" in who.text and "Maps: Ana" in who.text and "Data portals: nobody" in who.text
    [refused] = await talk.press("Ana", poll, "Who voted")
    assert "Only facilitators can see who voted." in refused.text
    [exported] = await talk.say("Fay", f"/alumni poll export {poll_id(poll)}")
    rows = list(csv.reader(io.StringIO(exported.attachments[0].data.decode())))
    assert rows == [
        ["option", "answer", "voter", "platform"],
        ["Open licences", "yes", "Bo", "test"],
        ["Maps", "yes", "Ana", "test"],
    ]
    [refused] = await talk.say("Ana", f"/alumni poll export {poll_id(poll)}")
    assert "Only facilitators can use /alumni poll." in refused.text
    [refused] = await talk.press("Ana", poll, "Close poll")
    assert "Only facilitators can close polls." in refused.text


async def test_anonymous_polls_store_no_voter_and_export_counts(talk, database: Database) -> None:
    poll = await ask(talk, '/alumni poll "Happy?" "Yes" "No" --anonymous')
    assert "anonymous" in poll.text and "Who voted" not in poll.text
    await talk.press("Ana", poll, "Yes")
    await talk.press("Ana", poll, "No")  # still one vote
    await talk.press("Bo", poll, "No")
    async with database.unit_of_work() as uow:
        votes = list(await uow.session.scalars(select(PollVote)))
        people = {p.id: p for p in (await uow.people.get_many(range(1, 1000))).values()}
    assert len(votes) == 2 and all(v.person_id is None for v in votes)
    for vote in votes:
        assert len(vote.voter_key) == 64 and int(vote.voter_key, 16) >= 0  # a keyed hash, nothing else
        assert not any(person.display_name.lower() in vote.voter_key for person in people.values())
    [exported] = await talk.say("Fay", f"/alumni poll export {poll_id(poll)}")
    assert exported.attachments[0].data.decode().splitlines() == ["option,answer,votes", "No,yes,2"]


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('/alumni poll "Only one?" "Yes"', "A poll has 2 to 10 options (you gave 1)"),
        ('/alumni poll "Many?" ' + " ".join(f'"{n}"' for n in range(11)), "(you gave 11)"),
        ('/alumni poll "Twice?" "Maps" "maps"', "The option \u201cMaps\u201d is there twice."),
        ('/alumni poll "' + "x" * 301 + '?" "A" "B"', "A question has at most 300 characters"),
        ('/alumni poll "Long?" "A" "' + "b" * 76 + '"', "Each option has 1 to 75 characters"),
        ('/alumni poll "Past?" "A" "B" --closes yesterday at 9', "is in the past"),
        ('/alumni poll "When?" "A" "B" --closes flibbertigibbet', "I can't tell when"),
        ('/alumni poll "Open quote? "A" "B"', "A quote is not closed"),
        ('/alumni poll "Flag?" "A" "B" --secret', "I don't know the option"),
    ],
)
async def test_bad_input_is_told_privately_and_saves_nothing(talk, database, command, problem) -> None:
    [reply] = await talk.say("Fay", command)
    assert problem in reply.text and "Try: /alumni poll" in reply.text
    assert reply.visible_to(talk.ref("Fay")) and not reply.visible_to(talk.ref("Ana"))
    async with database.unit_of_work() as uow:
        assert await uow.polls.get(1) is None
        assert list(await uow.session.scalars(select(Schedule))) == []


async def test_the_form_creates_a_poll_and_shows_field_errors(talk) -> None:
    [opened] = await talk.say("Fay", "/alumni poll")
    await talk.submit("Fay", opened.form, question="Best day?", options="Monday\nmonday", settings="")
    assert talk.last_outcome.form_errors == {"options": "The option \u201cMonday\u201d is there twice."}
    _, posted = await talk.submit(
        "Fay", opened.form, question="Best day?", options="Monday\nTuesday", settings="multi, anonymous"
    )
    assert "Best day?" in posted.text and "Choose any options you like." in posted.text
    assert "anonymous" in posted.text


async def test_my_data_lists_open_votes_and_forget_me_keeps_anonymous_ones(talk, database) -> None:
    open_poll = await ask(talk)
    secret = await ask(talk, '/alumni poll "Happy?" "Yes" "No" --anonymous')
    await talk.press("Ana", open_poll, "Maps")
    await talk.press("Ana", secret, "Yes")
    await talk.say("Ana", "/alumni my-data")
    exported = next(s for s in talk.seen_by("Ana") if s.attachments).attachments[0].data.decode()
    assert '"poll": "Which topic next?"' in exported and '"option": "Maps"' in exported
    assert "Happy?" not in exported
    [confirm] = await talk.say("Ana", "/alumni forget-me")
    sent = await talk.press("Ana", confirm, "Delete my data")
    redrawn = [s for s in sent if s.item.to == Update(open_poll.ref)]
    assert len(redrawn) == 1 and "0 voters" in redrawn[0].text
    async with database.unit_of_work() as uow:
        votes = list(await uow.session.scalars(select(PollVote)))
    # The anonymous vote still counts: nothing stored says it was Ana's.
    assert len(votes) == 1 and votes[0].person_id is None
