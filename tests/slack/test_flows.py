"""The foundation's flows end to end through Slack payloads and the real bolt app."""

from __future__ import annotations

import json

from tests.support.fake_slack import FakeSlack
from tests.support.slack_driver import SlackDriver


async def test_profile_via_modal_posts_the_intro_card_then_updates_it_in_place(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.command("UANA", "", command="/intro")
    view = slack.last_view()
    assert view["type"] == "modal" and view["callback_id"] == "profile:about"
    assert [b["block_id"] for b in view["blocks"]] == ["name", "organisation", "role", "country", "timezone"]
    assert view["blocks"][0]["element"]["initial_value"] == "Ana Lima"  # from users.info

    saved = await slack.submit("UANA", organisation="GBIF", country="Kenya", timezone="Africa/Nairobi")
    cards = [m for m in fake.messages if m.channel == "CINTRO"]
    assert len(cards) == 1 and "Please welcome Ana Lima!" in cards[0].words  # posted at the first page
    assert "posted in #introductions" in slack.last_private("UANA").words
    # The topics open as the next page of the same modal.
    answer = json.loads(saved.body)
    assert answer["response_action"] == "push"
    topics = answer["view"]
    assert topics["callback_id"] == "profile:topics" and json.loads(topics["private_metadata"])
    finished = await slack.submit(
        "UANA", topics | {"previous_view_id": "V1"}, expertise="open data, licensing", bio="Maps & <data>"
    )
    assert json.loads(finished.body) == {"response_action": "clear"}  # not back to the first page
    assert cards[0].updates == 1 and "Maps &amp; &lt;data&gt;" in cards[0].words  # escaped for mrkdwn
    assert "updated in #introductions" in slack.last_private("UANA").words

    await slack.command("UANA", "", command="/profile")
    await slack.press("UANA", slack.last_for("UANA"), "Edit my profile")
    edited = await slack.submit("UANA", role="Data lead")
    assert not edited.body  # a plain acknowledgement closes the modal: the topics are there already
    assert cards[0].updates == 2 and "Data lead" in cards[0].words
    assert len([m for m in fake.messages if m.channel == "CINTRO"]) == 1


async def test_find_pages_through_results_in_the_same_message(slack: SlackDriver, fake: FakeSlack) -> None:
    for index, user in enumerate(["UANA", "UBEN", "UCAROL", "UDAN"]):
        fake.add_user(user, f"Mapper {index}")
        await slack.set_up_profile(user, f"Mapper {index}", expertise="maps")
    for n in range(4, 7):
        fake.add_user(f"UX{n}", f"Mapper {n}")
        await slack.set_up_profile(f"UX{n}", f"Mapper {n}", expertise="maps")

    await slack.command("UANA", "find maps")
    results = slack.last_for("UANA")
    assert results.only_for == "UANA"  # a private reply, through the response_url
    assert "7 people" in results.words and "page 1 of 2" in results.words

    await slack.press("UANA", results, "Next")
    assert results.updates == 1 and "page 2 of 2" in results.words
    assert [b["text"]["text"] for b in results.buttons()] == ["Previous"]
    replaced = [c for c in fake.called("response_url") if c.get("replace_original")]
    assert len(replaced) == 1


async def test_introduction_accepted_brings_both_into_one_conversation(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    await slack.set_up_profile("UANA", "Ana Lima", organisation="GBIF")
    await slack.set_up_profile("UBEN", "Ben Okafor", organisation="OSM", expertise="licensing")

    await slack.command("UANA", "introduce licensing: choosing a licence")
    choices = slack.last_for("UANA")
    await slack.press("UANA", choices, "Ask Ben Okafor")
    assert "I've asked Ben Okafor" in choices.words

    ask = next(m for m in fake.messages if m.channel == "DUBEN" and "would like an introduction" in m.words)
    await slack.press("UBEN", ask, "Accept")
    assert "now have a conversation" in ask.words
    assert fake.called("conversations.open")[-1]["users"] == "UANA,UBEN"
    group = [m for m in fake.messages if m.channel == "GUANAUBEN"]
    assert len(group) == 1 and "Ana Lima, meet Ben Okafor" in group[0].words


async def test_introduction_declined_is_told_kindly(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.set_up_profile("UANA", "Ana Lima", organisation="GBIF")
    await slack.set_up_profile("UBEN", "Ben Okafor", organisation="OSM", expertise="licensing")
    await slack.command("UANA", "introduce <@UBEN|ben> about licences")
    await slack.press("UANA", slack.last_for("UANA"), "Ask Ben Okafor")
    ask = next(m for m in fake.messages if m.channel == "DUBEN" and "would like an introduction" in m.words)

    await slack.press("UBEN", ask, "Not now")
    assert "let them know kindly" in ask.words
    told = [m for m in fake.messages if m.channel == "DUANA"]
    assert told and "won't happen with them" in told[-1].words


async def test_my_data_arrives_as_a_file_in_a_direct_message(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.set_up_profile("UANA", "Ana Lima")
    await slack.command("UANA", "my-data")
    upload = fake.called("files.completeUploadExternal")[-1]
    assert upload["channel_id"] == "DUANA"
    exported = json.loads(next(iter(fake.uploads.values())))
    assert exported["profile"]["name"] == "Ana Lima"
    assert exported["profile"]["timezone"] == "Africa/Nairobi"
    assert "sent your data to you" in slack.last_private("UANA").words


async def test_forget_me_deletes_the_card_and_the_profile(slack: SlackDriver, fake: FakeSlack) -> None:
    await slack.set_up_profile("UANA", "Ana Lima")
    assert [m for m in fake.messages if m.channel == "CINTRO"]
    await slack.command("UANA", "forget-me")
    confirm = slack.last_for("UANA")
    assert confirm.button("Delete my data")["style"] == "danger"
    await slack.press("UANA", confirm, "Delete my data")
    assert fake.called("chat.delete")[-1]["channel"] == "CINTRO"
    assert not [m for m in fake.messages if m.channel == "CINTRO"]
    assert "everything alumni-bot stored about you is deleted" in confirm.words
