"""The adapter under Slack's rules: acks in time, retries, errors, identity, events, App Home."""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlalchemy import select

from adapters.slack import app as slack_app
from adapters.slack.app import SlackBot
from adapters.slack.translate import Origin
from bot.core import Core
from bot.messages import Message
from bot.outbound import Direct, Ephemeral, Post, Public
from bot.permissions import FACILITATOR
from bot.refs import MemberRef
from storage.models import InboxEvent
from tests.support.fake_slack import TEAM, Failure, FakeSlack
from tests.support.slack_driver import SlackDriver, home_action_payload, interaction_body

ANA = MemberRef("slack", TEAM, "UANA")


async def test_bad_input_gets_a_private_message_with_an_example(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.command("UANA", "find")
    reply = slack.last_for("UANA")
    assert reply.only_for == "UANA"
    assert "Tell me what to look for." in reply.words and "Try: /alumni find open data" in reply.words

    await slack.command("UANA", "dance")
    assert "I don't know the command \u201cdance\u201d" in slack.last_for("UANA").words
    assert not fake.seen_by("UBEN")


async def test_form_errors_show_inside_the_modal(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.command("UANA", "", command="/intro")
    response = await slack.submit("UANA", organisation="GBIF", country="Narnia", timezone="Mars/Base")
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"country", "timezone"}
    assert not fake.called("chat.postMessage")  # nothing half-written


async def test_a_slow_form_closes_in_time_and_its_errors_come_privately(
    slack: SlackDriver, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_app, "FORM_ANSWER_SECONDS", 0)
    await slack.command("UANA", "", command="/intro")
    response = await slack.submit("UANA", organisation="GBIF", country="Narnia", timezone="Africa/Nairobi")
    assert response.status == 200 and not response.body
    assert "Your form was not saved" in slack.last_for("UANA").words
    assert "*Country*" in slack.last_for("UANA").words  # the label the member saw


async def test_commands_are_acknowledged_before_slow_work(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.delays["response_url"] = 1.5
    started = time.perf_counter()
    response = await slack.bolt_only(slack.command, "UANA", "help")
    acked = time.perf_counter() - started
    assert response.status == 200 and acked < 0.5
    await fake.wait_for(lambda: fake.called("response_url"))
    await slack.settle()


async def test_a_retried_event_is_acknowledged_and_not_processed_again(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    joined = {"type": "team_join", "user": fake.users["UBEN"]}
    first = await slack.event(joined, event_id="Ev1")
    assert first.status == 200
    welcomes = [m for m in fake.messages if "Welcome to the network" in m.words]
    assert len(welcomes) == 1 and welcomes[0].channel == "DUBEN"

    retried = await slack.event(joined, event_id="Ev1", retry=1)
    assert retried.status == 200
    redelivered = await slack.event(joined, event_id="Ev1", retry=0)  # e.g. another process
    assert redelivered.status == 200
    assert len([m for m in fake.messages if "Welcome to the network" in m.words]) == 1


async def test_joining_the_community_channel_welcomes_only_there(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.event({"type": "member_joined_channel", "user": "UDAN", "channel": "CGENERAL"})
    assert not fake.messages
    await slack.event({"type": "member_joined_channel", "user": "UDAN", "channel": "CCOMMUNITY"})
    [welcome] = fake.messages
    assert welcome.channel == "DUDAN" and "Welcome to the network, Dan Wu!" in welcome.words


async def test_app_home_shows_the_profile_and_its_buttons_open_forms(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DUANA", "tab": "home"})
    published = fake.called("views.publish")[-1]
    assert published["user_id"] == "UANA" and published["view"]["type"] == "home"
    words = json.dumps(published["view"])
    assert "Hello, Ana Lima" in words and "Set up my profile" in words

    setup = published["view"]["blocks"]
    button = next(e for b in setup if b["type"] == "actions" for e in b["elements"])
    await slack.deliver(interaction_body(home_action_payload("UANA", button)))
    assert slack.last_view()["callback_id"] == "profile:about"
    await slack.submit("UANA", organisation="GBIF", country="Kenya", timezone="Africa/Nairobi")
    saved = next(m for m in fake.messages if "Saved." in m.words)
    assert saved.channel == "DUANA"  # no channel behind a Home button: a DM

    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DUANA", "tab": "messages"})
    assert len(fake.called("views.publish")) == 1


async def test_the_language_menu_on_app_home_confirms_and_redraws_the_tab(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.event({"type": "app_home_opened", "user": "UANA", "channel": "DUANA", "tab": "home"})
    blocks = fake.called("views.publish")[-1]["view"]["blocks"]
    menu = next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "static_select"
    )
    pressed = home_action_payload("UANA", menu)
    pressed["actions"][0] |= {"type": "static_select", "selected_option": {"value": "es"}}
    await slack.deliver(interaction_body(pressed))
    redrawn = fake.called("views.publish")[-1]
    assert redrawn["user_id"] == "UANA" and redrawn["view"]["type"] == "home"
    assert "Hola, Ana Lima" in json.dumps(redrawn["view"], ensure_ascii=False)
    assert any("hablaré en Español" in m.words for m in fake.messages if m.channel == "DUANA")


async def test_slack_fills_in_name_time_zone_and_locale(slack: SlackDriver, core: Core) -> None:
    await slack.command("UANA", "help")
    async with core.database.unit_of_work() as uow:
        person = await uow.people.by_identity("slack", TEAM, "UANA")
        assert person is not None
        assert (person.display_name, person.timezone, person.locale) == ("Ana Lima", "Europe/Lisbon", "en-GB")


async def test_user_group_handles_become_roles_and_lookups_are_cached(
    slack_bot: SlackBot, fake: FakeSlack
) -> None:
    carol = await slack_bot.identities.actor(Origin(TEAM, "UCAROL"))
    ana = await slack_bot.identities.actor(Origin(TEAM, "UANA"))
    again = await slack_bot.identities.actor(Origin(TEAM, "UCAROL"))
    assert carol.roles == frozenset({FACILITATOR}) and ana.roles == frozenset()
    assert again == carol
    assert len(fake.called("users.info")) == 2 and len(fake.called("usergroups.list")) == 1


async def test_mentions_reach_the_core_as_ids(slack: SlackDriver) -> None:
    await slack.set_up_profile("UBEN", "Ben Okafor", organisation="OSM")
    await slack.command("UANA", "profile <@UBEN|ben.okafor>")
    assert "OSM" in slack.last_for("UANA").words


async def test_rate_limits_and_server_errors_are_retried(slack_bot: SlackBot, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", Failure(429, {"Retry-After": "0"}), Failure(503))
    ref = await slack_bot.chat().send(Post(Message.of("hello"), Public("introductions")))
    assert ref is not None and ref.channel_id == "CINTRO"
    assert len(fake.called("chat.postMessage")) == 3
    assert [m.text for m in fake.messages] == ["hello"]


async def test_what_cannot_be_sent_is_logged_with_its_destination(
    slack_bot: SlackBot, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("conversations.open", *[Failure(200, body={"ok": False, "error": "user_disabled"})])
    with caplog.at_level(logging.ERROR):
        assert await slack_bot.chat().send(Post(Message.of("hi"), Direct(ANA))) is None
        assert await slack_bot.chat().send(Post(Message.of("hi"), Public("no-such-channel"))) is None
    assert "Direct(member=MemberRef(platform='slack', workspace='T1', user_id='UANA'))" in caplog.text
    assert "user_disabled" in caplog.text
    assert "Public(channel='no-such-channel')" in caplog.text and "no channel #no-such-channel" in caplog.text


async def test_private_replies_fall_back_from_response_url_to_ephemeral_to_a_dm(
    slack_bot: SlackBot, fake: FakeSlack
) -> None:
    expired = f"{fake.url}/respond/unknown"
    chat = slack_bot.chat(Origin(TEAM, "UANA", channel_id="CGENERAL", response_url=expired))
    await chat.send(Post(Message.of("first"), Ephemeral(ANA)))
    assert fake.messages[-1].channel == "CGENERAL" and fake.messages[-1].only_for == "UANA"

    fake.not_in.add("CGENERAL")
    await chat.send(Post(Message.of("second"), Ephemeral(ANA)))
    assert fake.messages[-1].channel == "DUANA" and fake.messages[-1].text == "second"


async def test_a_direct_message_to_the_bot_gets_short_help(slack: SlackDriver, fake: FakeSlack) -> None:
    written = {"type": "message", "channel_type": "im", "channel": "DUANA", "user": "UANA", "text": "hi?"}
    await slack.event(written)
    [answer] = fake.messages
    assert answer.channel == "DUANA" and "I don't read messages, but I answer commands" in answer.words
    assert "/alumni help" in answer.words and "hi?" not in answer.words
    # The bot's own messages, other bots', edits and deletions get no answer.
    await slack.event(written | {"bot_id": "B1", "user": "UBOT"})
    await slack.event(written | {"subtype": "message_changed"})
    await slack.event({"type": "message", "channel_type": "channel", "channel": "CGENERAL", "user": "UANA"})
    assert len(fake.messages) == 1


async def test_what_a_member_writes_to_the_bot_is_not_stored(slack: SlackDriver, core: Core) -> None:
    text = "my secret plan"
    await slack.bolt_only(
        slack.event,
        {"type": "message", "channel_type": "im", "channel": "DUANA", "user": "UANA", "text": text},
    )
    async with core.database.unit_of_work() as uow:
        stored = await uow.session.scalars(select(InboxEvent.payload))
        assert all(text not in (payload or "") for payload in stored)
    await slack.settle()
