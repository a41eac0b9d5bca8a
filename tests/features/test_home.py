"""`/alumni home`: the member's own page (Slack's App Home tab)."""

from __future__ import annotations

from tests.support.chat import Conversation


async def test_home_invites_a_newcomer_to_set_up_a_profile(talk: Conversation) -> None:
    [home] = await talk.say("Ana Lima", "/alumni home")
    assert home.visible_to(talk.ref("Ana Lima")) and not home.visible_to(talk.ref("Ben"))
    assert "Hello, Ana Lima" in home.text and "no profile yet" in home.text
    opened = await talk.press("Ana Lima", home, "Set up my profile")
    assert opened[0].form.title == "About you"


async def test_home_summarises_the_profile_and_offers_the_main_actions(talk: Conversation) -> None:
    await talk.set_up_profile("Ana Lima", expertise="licensing")
    [home] = await talk.say("Ana Lima", "/alumni home")
    assert "Ana Lima, GBIF" in home.text and "licensing" in home.text
    assert [b.label for b in home.buttons()] == ["Edit my profile", "Edit my topics"]
    assert "/alumni find" in home.text and "/alumni introduce" in home.text
    opened = await talk.press("Ana Lima", home, "Edit my topics")
    assert opened[0].form.title == "Your topics"


async def test_home_takes_no_arguments(talk: Conversation) -> None:
    [reply] = await talk.say("Ana Lima", "/alumni home now")
    assert "takes no arguments" in reply.text and "Try: /alumni home" in reply.text
