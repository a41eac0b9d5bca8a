"""Profiles, the welcome flow and introduction cards, as members experience them."""

from __future__ import annotations

from sqlalchemy import select

from bot.outbound import Direct, Post, Public, Update
from storage.database import Database
from storage.models import CohortMember, Person, PostedMessage, ProfileTag
from tests.support.chat import Conversation
from tests.support.databases import count


async def test_a_new_member_is_welcomed_and_joins_the_default_cohort(
    talk: Conversation, database: Database
) -> None:
    sent = await talk.join("Ana Lima")
    assert isinstance(sent[0].item.to, Direct)
    assert "Welcome to the network, Ana Lima" in sent[0].text
    opened = await talk.press("Ana Lima", sent[0], "Set up my profile")
    assert opened[0].form.title == "About you"
    assert await count(database, CohortMember) == 1


async def test_the_first_form_posts_the_card_and_the_topics_update_it(
    talk: Conversation, database: Database
) -> None:
    opened = await talk.say("Ana Lima", "/alumni intro")
    saved, card = await talk.submit(
        "Ana Lima", opened[0].form, organisation="GBIF", country="Kenya", timezone="Nairobi"
    )
    assert "Saved. Your introduction is posted in #introductions." in saved.text
    assert talk.last_outcome.next_form is not None and talk.last_outcome.next_form.title == "Your topics"
    assert card.item.to == Public("introductions") and "Please welcome Ana Lima!" in card.text
    assert "No topics yet" in card.text and "/alumni intro" in card.text  # how to add them, on the card
    topics = await talk.press("Ana Lima", saved, "Add my topics")
    told, updated = await talk.submit("Ana Lima", topics[0].form, expertise="open data, licensing")
    assert "Your introduction is updated in #introductions." in told.text
    assert updated.item.to == Update(message=card.ref)
    assert "open data, licensing" in updated.text and "No topics yet" not in updated.text
    assert await count(database, PostedMessage) == 1
    again = await talk.submit("Ana Lima", (await talk.say("Ana Lima", "/intro"))[0].form, role="Data lead")
    assert talk.last_outcome.next_form is None and not again[0].buttons()  # topics are there already


async def test_saving_the_profile_posts_one_card_and_editing_updates_it(
    talk: Conversation, database: Database
) -> None:
    sent = await talk.set_up_profile("Ana Lima", expertise="open data, licensing", learning="fundraising")
    card = next(s for s in talk.chat.sent if isinstance(s.item, Post) and isinstance(s.item.to, Public))
    assert card.item.to.channel == "introductions"
    assert "Please welcome Ana Lima!" in card.text
    assert "updated in #introductions" in sent[0].text

    opened = await talk.say("Ana Lima", "/intro")
    assert opened[0].form.inputs[1].initial == "GBIF"  # prefilled
    edited = await talk.submit("Ana Lima", opened[0].form, organisation="Wikimedia Foundation")
    update = next(s for s in edited if isinstance(s.item.to, Update))
    assert update.item.to.message == card.ref
    assert "Wikimedia Foundation" in update.text
    assert await count(database, PostedMessage) == 1
    public_posts = [s for s in talk.chat.sent if isinstance(s.item, Post) and isinstance(s.item.to, Public)]
    assert len(public_posts) == 1


async def test_profile_shows_own_and_others(talk: Conversation) -> None:
    await talk.set_up_profile("Ana Lima", expertise="maps", country="Brazil", timezone="Sao Paulo")
    own = await talk.say("Ana Lima", "/profile")
    assert "Brazil, Latin America & Caribbean" in own[0].text
    assert "America/Sao_Paulo" in own[0].text
    assert own[0].button("Edit my profile")
    await talk.join("Ben")
    other = await talk.say("Ben", "/alumni profile <@ana-lima>")
    assert "maps" in other[0].text and not other[0].buttons()
    by_name = await talk.say("Ben", "/alumni profile Ana Lima")
    assert "maps" in by_name[0].text


async def test_profile_finds_a_name_by_its_start_in_any_case_or_accents(talk: Conversation) -> None:
    await talk.set_up_profile("Bo Chen", expertise="maps")
    await talk.set_up_profile("Zoë Álvarez", expertise="budgets")
    await talk.set_up_profile("Ana Lima", expertise="licensing")
    for typed in ("Bo", "bo", "@bo", "BO CHEN", "chen", "<@bo-chen>", "bo-chen"):
        [shown] = await talk.say("Ana Lima", f"/alumni profile {typed}")
        assert "Bo Chen" in shown.text and "maps" in shown.text, typed
    [accents] = await talk.say("Ana Lima", "/alumni profile zoe alvarez")
    assert "budgets" in accents.text
    await talk.set_up_profile("Bob Marley", expertise="music", organisation="Island")
    [several] = await talk.say("Ana Lima", "/alumni profile bo")
    assert "2 members match \u201cbo\u201d: Bo Chen (GBIF), Bob Marley (Island)" in several.text
    assert "Try: /alumni profile @Bo Chen" in several.text
    [exact] = await talk.say("Ana Lima", "/alumni profile bo chen")
    assert "maps" in exact.text


async def test_region_override_and_country_codes(talk: Conversation) -> None:
    await talk.set_up_profile("Ana", country="ke, europe")
    shown = await talk.say("Ana", "/profile")
    assert "Kenya, Europe" in shown[0].text


async def test_invalid_about_form_names_each_field_and_saves_nothing(
    talk: Conversation, database: Database
) -> None:
    opened = await talk.say("Ana", "/intro")
    await talk.submit("Ana", opened[0].form, organisation="", country="Narnia", timezone="Mars/Olympus")
    errors = talk.last_outcome.form_errors
    assert set(errors) == {"organisation", "country", "timezone"}
    assert "Narnia" in errors["country"] and "Kenya" in errors["country"]
    assert "Africa/Nairobi" in errors["timezone"]
    async with database.unit_of_work() as uow:
        person = (await uow.session.scalars(select(Person))).one()
    assert person.organisation == "" and person.profile_saved_at is None


async def test_invalid_topics_form_is_refused(talk: Conversation, database: Database) -> None:
    opened = await talk.say("Ana", "/intro")
    saved = await talk.submit("Ana", opened[0].form, organisation="GBIF", country="Kenya", timezone="Nairobi")
    topics = await talk.press("Ana", saved[0], "Add my topics")
    form = topics[0].form
    await talk.submit("Ana", form, expertise="", bio="x" * 501)
    assert set(talk.last_outcome.form_errors) == {"expertise", "bio"}
    await talk.submit("Ana", form, expertise=", ".join(f"topic {i}" for i in range(11)))
    assert "At most 10" in talk.last_outcome.form_errors["expertise"]
    await talk.submit("Ana", form, expertise="maps", language="Klingon")
    assert "Klingon" in talk.last_outcome.form_errors["language"]
    assert await count(database, ProfileTag) == 0
    assert await count(database, PostedMessage) == 1  # the card of the first form, without topics


async def test_bad_profile_commands_answer_privately(talk: Conversation) -> None:
    sent = await talk.say("Ana", "/intro please")
    assert "takes no arguments" in sent[0].text and "/alumni intro" in sent[0].text
    sent = await talk.say("Ana", "/alumni profile Nobody Here")
    assert "can't find a member" in sent[0].text and "Try:" in sent[0].text
    assert all(s.visible_to(talk.ref("Ana")) and not s.visible_to(talk.ref("Ben")) for s in talk.chat.sent)
