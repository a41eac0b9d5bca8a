"""`/alumni find`: ranked results, near spellings, five to a page."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.outbound import Update
from storage.models import Identity
from tests.support.chat import Conversation


@pytest.fixture
async def network(talk: Conversation) -> Conversation:
    await talk.set_up_profile("Ana Lima", organisation="GBIF", expertise="Open-Data, licensing")
    await talk.set_up_profile(
        "Ben Okoro", organisation="OpenStreetMap", expertise="maps", learning="open data"
    )
    await talk.set_up_profile(
        "Chen Wei",
        organisation="MusicBrainz",
        expertise="music metadata",
        country="Brazil",
        timezone="America/Sao_Paulo",
    )
    return talk


@pytest.mark.parametrize("query", ["open-data", "open data", "opendata", "Open Data"])
async def test_near_spellings_find_the_same_people_ranked_by_relevance(
    network: Conversation, query: str
) -> None:
    sent = await network.say("Chen Wei", f"/alumni find {query}")
    text = sent[0].text
    assert "2 people" in text
    assert text.index("Ana Lima") < text.index("Ben Okoro")  # expertise outranks learning
    assert "Chen Wei" not in text


async def test_find_by_organisation_country_region_and_name(network: Conversation) -> None:
    assert "Ben Okoro" in (await network.say("Ana Lima", "/alumni find openstreetmap"))[0].text
    brazil = (await network.say("Ana Lima", "/alumni find Brazil"))[0].text
    assert "Chen Wei" in brazil and "Ana Lima" not in brazil
    assert "Chen Wei" in (await network.say("Ana Lima", "/alumni find latin america"))[0].text
    assert "1 person" in (await network.say("Ana Lima", "/alumni find chen"))[0].text


async def test_results_page_five_at_a_time(talk: Conversation) -> None:
    for i in range(12):
        await talk.set_up_profile(f"Member {i:02}", expertise="maps")
    first = (await talk.say("Member 00", "/alumni find maps"))[0]
    assert "12 people" in first.text and "page 1 of 3" in first.text
    assert first.text.count("Can help with") == 5
    assert [b.label for b in first.buttons()] == ["Next"]
    second = (await talk.press("Member 00", first, "Next"))[0]
    assert isinstance(second.item.to, Update) and "page 2 of 3" in second.text
    assert [b.label for b in second.buttons()] == ["Previous", "Next"]
    third = (await talk.press("Member 00", second, "Next"))[0]
    assert third.text.count("Can help with") == 2 and [b.label for b in third.buttons()] == ["Previous"]
    back = (await talk.press("Member 00", third, "Previous"))[0]
    assert "page 2 of 3" in back.text


async def test_no_results_and_bad_queries(network: Conversation) -> None:
    nothing = (await network.say("Ana Lima", "/alumni find astrophysics"))[0].text
    assert "No one matches" in nothing
    empty = (await network.say("Ana Lima", "/alumni find"))[0].text
    assert "what to look for" in empty and "Try: /alumni find open data" in empty
    long = (await network.say("Ana Lima", "/alumni find " + "x" * 61))[0].text
    assert "60 characters" in long
    symbols = (await network.say("Ana Lima", "/alumni find ---"))[0].text
    assert "letters or numbers" in symbols


async def test_someone_on_another_platform_shows_where_to_reach_them(network: Conversation) -> None:
    """One pool: a member whose only account is on Discord is found from here, with their
    handle there; members on the reader's own platform show no such line."""
    async with network.core.database.unit_of_work() as uow:
        await uow.session.execute(
            update(Identity)
            .where(Identity.user_id == "ben-okoro")
            .values(platform="discord", display_name="ben.o")
        )
    found = (await network.say("Chen Wei", "/alumni find open data"))[0].text
    assert "Reach them" in found and "on Discord as ben.o" in found
    assert found.count("Reach them") == 1  # Ana Lima is on the reader's platform
