"""Peer introductions with double opt-in, as the requester and the helper live them."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.config import PeerIntroSettings, Settings
from bot.outbound import Direct, Group, Outbound, Update
from bot.outbox import Sender, Undelivered
from bot.refs import MessageRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.models import Connection, IntroCandidate, IntroRequest, Schedule
from tests.support.chat import Clock, Conversation, RecordingChat
from tests.support.databases import count
from tests.support.timers import fire


@pytest.fixture
async def network(talk: Conversation) -> Conversation:
    await talk.set_up_profile(
        "Requester",
        organisation="GBIF",
        expertise="biodiversity",
        learning="data access",
        languages="English, Portuguese",
    )
    await talk.set_up_profile(
        "Helper One", organisation="OpenStreetMap", expertise="data access programmes", languages="Portuguese"
    )
    await talk.set_up_profile("Helper Two", organisation="Wikimedia", expertise="data access")
    await talk.set_up_profile("Same Org", organisation="GBIF", expertise="data access")
    return talk


async def test_accepted_introduction_opens_a_conversation_naming_common_ground(
    network: Conversation, database: Database
) -> None:
    proposal = (await network.say("Requester", '/alumni introduce "data access" starting a programme'))[0]
    text = proposal.text
    assert [b.label for b in proposal.buttons()] == ["Ask Helper One", "Ask Helper Two"]
    assert "Not proposed: Same Org (same organisation as you)" in text
    asked = await network.press("Requester", proposal, "Ask Helper One")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    assert ask.item.to.member == network.ref("Helper One")
    assert "starting a programme" in ask.text and "Requester" in ask.text
    assert any("I've asked Helper One" in s.text for s in asked if isinstance(s.item.to, Update))

    answered = await network.press("Helper One", ask, "Accept")
    intro = next(s for s in answered if isinstance(s.item.to, Group))
    assert set(intro.item.to.members) == {network.ref("Requester"), network.ref("Helper One")}
    assert "data access programmes, which Requester wants to learn" in intro.text
    assert "You can talk in Portuguese" in intro.text
    assert "One of you is at GBIF, the other at OpenStreetMap" in intro.text
    assert await count(database, Connection) == 1

    again = (await network.say("Requester", "/alumni introduce <@helper-one>"))[0].text
    assert "already been introduced" in again


async def test_decline_tells_the_requester_kindly_and_offers_the_next(network: Conversation) -> None:
    proposal = (await network.say("Requester", "/alumni introduce data access: need advice"))[0]
    asked = await network.press("Requester", proposal, "Ask Helper One")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    declined = await network.press("Helper One", ask, "Not now")
    to_requester = next(s for s in declined if isinstance(s.item.to, Direct))
    assert to_requester.item.to.member == network.ref("Requester")
    assert "can't take this on right now" in to_requester.text and "people get busy" in to_requester.text
    assert [b.label for b in to_requester.buttons()] == ["Ask Helper Two"]
    assert "let them know kindly" in next(s for s in declined if isinstance(s.item.to, Update)).text
    late = (await network.press("Helper One", ask, "Accept"))[0].text
    assert "already answered or has expired" in late

    second = await network.press("Requester", to_requester, "Ask Helper Two")
    assert any(
        isinstance(s.item.to, Direct) and s.item.to.member == network.ref("Helper Two") for s in second
    )


async def test_an_unanswered_ask_expires_after_72_hours_exactly_once(
    network: Conversation, clock: Clock, settings: Settings
) -> None:
    proposal = (await network.say("Requester", "/alumni introduce data access"))[0]
    asked = await network.press("Requester", proposal, "Ask Helper One")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    runner = ScheduleRunner(network.core.database, network.core.router, settings, clock)
    clock.advance(hours=71)
    assert await fire(runner, network.chat) == []
    clock.advance(hours=2)
    told = await fire(runner, network.chat) + await fire(runner, network.chat)
    assert len(told) == 1 and "hasn't answered in 72 hours" in told[0].text
    assert told[0].button("Ask Helper Two")
    assert "expired" in (await network.press("Helper One", ask, "Accept"))[0].text


async def test_nobody_is_asked_more_than_the_weekly_cap(talk: Conversation, clock: Clock) -> None:
    await talk.set_up_profile("Expert", organisation="OSM", expertise="licensing")
    for n in range(3):
        await talk.set_up_profile(f"Asker {n}", organisation=f"Org {n}", expertise="maps")
    for n in range(2):
        proposal = (await talk.say(f"Asker {n}", "/alumni introduce licensing"))[0]
        await talk.press(f"Asker {n}", proposal, "Ask Expert")
    third = (await talk.say("Asker 2", "/alumni introduce licensing"))[0].text
    assert "No one available" in third
    clock.advance(days=8)
    assert "Expert" in (await talk.say("Asker 2", "/alumni introduce licensing"))[0].text


async def test_the_weekly_cap_is_configurable(database: Database, clock: Clock) -> None:
    from bot.app import build_router
    from bot.core import Core
    from tests.support.chat import RecordingChat

    settings = dataclasses.replace(Settings(), peer_intros=PeerIntroSettings(max_asks_per_week=1))
    talk = Conversation(Core(settings, database, build_router(), clock), RecordingChat())
    await talk.set_up_profile("Expert", organisation="OSM", expertise="licensing")
    await talk.set_up_profile("Asker", organisation="GBIF", expertise="maps")
    await talk.set_up_profile("Other", organisation="Wiki", expertise="maps")
    await talk.press("Asker", (await talk.say("Asker", "/alumni introduce licensing"))[0], "Ask Expert")
    assert "No one available" in (await talk.say("Other", "/alumni introduce licensing"))[0].text


async def test_buttons_answer_only_their_owner(network: Conversation, database: Database) -> None:
    proposal = (await network.say("Requester", "/alumni introduce data access"))[0]
    stolen = (await network.press("Helper Two", proposal, "Ask Helper One"))[0]
    assert "Only the person who asked" in stolen.text and stolen.visible_to(network.ref("Helper Two"))
    asked = await network.press("Requester", proposal, "Ask Helper One")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    foreign = (await network.press("Helper Two", ask, "Accept"))[0].text
    assert "only they can answer" in foreign
    twice = (await network.press("Requester", proposal, "Ask Helper Two"))[0].text
    assert "wait for their answer" in twice
    assert await count(database, Connection) == 0


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/alumni introduce", "Tell me the topic"),
        ("/alumni introduce " + "x" * 101, "at most 100 characters"),
        ("/alumni introduce maps: " + "x" * 501, "at most 500 characters"),
        ("/alumni introduce <@requester>", "to yourself"),
        ("/alumni introduce @nobody", "can't find a member"),
    ],
)
async def test_bad_requests_write_nothing(
    network: Conversation, database: Database, command: str, expected: str
) -> None:
    sent = await network.say("Requester", command)
    assert (expected in sent[0].text and "Try:" in sent[0].text) or expected in sent[0].text
    assert sent[0].visible_to(network.ref("Requester")) and not sent[0].visible_to(network.ref("Helper One"))
    assert await count(database, IntroRequest) == 0 and await count(database, IntroCandidate) == 0


async def test_a_retried_press_is_handled_once(network: Conversation, database: Database) -> None:
    proposal = (await network.say("Requester", "/alumni introduce data access"))[0]
    first = await network.press("Requester", proposal, "Ask Helper One", delivery_id="evt-1")
    again = await network.press("Requester", proposal, "Ask Helper One", delivery_id="evt-1")
    assert first and again == [] and network.last_outcome.duplicate
    async with database.unit_of_work() as uow:
        states = list(await uow.session.scalars(select(IntroCandidate.state)))
    assert states.count("asked") == 1


async def test_an_answer_cancels_the_expiry_and_a_refused_send_is_retried(
    network: Conversation, clock: Clock, settings: Settings, database: Database
) -> None:
    runner = ScheduleRunner(network.core.database, network.core.router, settings, clock)
    proposal = (await network.say("Requester", "/alumni introduce data access"))[0]
    asked = await network.press("Requester", proposal, "Ask Helper One")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    await network.press("Helper One", ask, "Accept")
    assert await count(database, Schedule) == 0

    other = (await network.say("Helper Two", "/alumni introduce biodiversity"))[0]
    await network.press("Helper Two", other, "Ask Requester")
    clock.advance(hours=73)
    await runner.fire_due("test")
    await Sender(database, [RefusingChat()], clock).deliver_due()  # the platform refuses the message
    assert await fire(runner, network.chat) == []  # the retry waits its back-off
    clock.advance(minutes=2)
    told = await fire(runner, network.chat) + await fire(runner, network.chat)
    assert len(told) == 1 and "Requester hasn't answered in 72 hours" in told[0].text


class RefusingChat(RecordingChat):
    async def deliver(self, item: Outbound, key: str) -> MessageRef | None:
        raise Undelivered("platform unavailable")


@pytest.fixture
async def topics(talk: Conversation) -> Conversation:
    await talk.set_up_profile("Asker", organisation="GBIF", expertise="maps")
    await talk.set_up_profile("Lena", organisation="OSM", expertise="licensing")
    await talk.set_up_profile("Dara", organisation="Wiki", expertise="data policy")
    await talk.set_up_profile(
        "Omar", organisation="ODI", expertise="licence management", learning="licensing"
    )
    await talk.set_up_profile("Amira", organisation="OKF Egypt", expertise="البيانات المفتوحة")
    return talk


async def test_the_topic_is_the_longest_known_one_at_the_start(topics: Conversation) -> None:
    sent = await topics.say("Asker", "/alumni introduce licensing we are drafting a data licence policy")
    assert [b.label for b in sent[0].buttons()] == ["Ask Lena"]  # Omar only wants to learn it
    assert "Who could help with \u201clicensing\u201d" in sent[0].text
    asked = await topics.press("Asker", sent[0], "Ask Lena")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    assert "\u201clicensing\u201d" in ask.text and "we are drafting a data licence policy" in ask.text


async def test_near_spellings_and_any_script_find_who_lists_the_topic(topics: Conversation) -> None:
    near = (await topics.say("Asker", "/alumni introduce licencing: a question"))[0]
    assert [b.label for b in near.buttons()] == ["Ask Lena", "Ask Omar"]  # licensing, licence
    arabic = (await topics.say("Asker", '/alumni introduce "البيانات المفتوحة" سؤال'))[0]
    assert [b.label for b in arabic.buttons()] == ["Ask Amira"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/alumni introduce 🎉", "Tell me the topic in words"),
        ('/alumni introduce "data access', "never closes"),
    ],
)
async def test_a_topic_without_words_is_explained(
    topics: Conversation, database: Database, command: str, expected: str
) -> None:
    sent = (await topics.say("Asker", command))[0]
    assert expected in sent.text and "Try:" in sent.text and sent.visible_to(topics.ref("Asker"))
    assert await count(database, IntroRequest) == 0


async def test_nobody_lists_the_topic_so_the_nearest_ones_are_suggested(
    topics: Conversation, database: Database
) -> None:
    none = (await topics.say("Asker", "/alumni introduce astrophysics"))[0].text
    assert "No one lists \u201castrophysics\u201d" in none and "Topics people do list" not in none
    near = (await topics.say("Asker", '/alumni introduce "data licensing"'))[0].text
    assert "No one lists \u201cdata licensing\u201d" in near
    assert "\u201clicensing\u201d" in near and "\u201cdata policy\u201d" in near
    assert await count(database, IntroRequest) == 0


async def test_who_was_not_proposed_and_why(topics: Conversation, clock: Clock) -> None:
    for name, organisation in (("Kim", "GBIF"), ("Ravi", "Mozilla"), ("Sol", "Carto")):
        await topics.set_up_profile(name, organisation=organisation, expertise="licensing")
    for asker in ("Ravi", "Sol"):  # Lena is asked twice this week
        proposal = (await topics.say(asker, "/alumni introduce licensing"))[0]
        await topics.press(asker, proposal, "Ask Lena")
    first = (await topics.say("Asker", "/alumni introduce licensing"))[0]
    asked = await topics.press("Asker", first, "Ask Ravi")
    ask = next(s for s in asked if isinstance(s.item.to, Direct))
    await topics.press("Ravi", ask, "Accept")  # Asker and Ravi are now introduced

    again = (await topics.say("Asker", "/alumni introduce licensing"))[0]
    assert [b.label for b in again.buttons()] == ["Ask Sol"]
    assert "Not proposed:" in again.text
    assert "Kim (same organisation as you)" in again.text
    assert "Lena (asked 2 times this week already)" in again.text
    assert "Ravi (already introduced to you)" in again.text
