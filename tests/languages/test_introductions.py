"""Peer introductions in Spanish, French and Portuguese through the real core and router on
SQLite and PostgreSQL: the requester, each person asked and the one who answers read their own
language; the conversation opened for both speaks the channel's; no English sentence is left."""

from __future__ import annotations

import pytest

from bot.outbound import Direct, Ephemeral, Group, Update
from storage.database import Database
from tests.languages.english import english_left
from tests.support.chat import Conversation, Sent


async def speaks(database: Database, talk: Conversation, name: str, language: str) -> None:
    """What `/alumni language` stores: the member's own choice."""
    member = talk.ref(name)
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        assert person is not None
        person.language = language


@pytest.fixture
async def network(talk: Conversation, database: Database) -> Conversation:
    """Ana reads Spanish, Bruno French, Carla Portuguese; Bruno and Carla know about data access."""
    await talk.set_up_profile("Ana", organisation="GBIF", learning="data access")
    await talk.set_up_profile("Bruno", organisation="OpenStreetMap", expertise="data access")
    await talk.set_up_profile("Carla", organisation="Wikimedia", expertise="data access")
    for name, language in (("Ana", "es"), ("Bruno", "fr"), ("Carla", "pt")):
        await speaks(database, talk, name, language)
    return talk


def no_english(sent: Sent, language: str) -> None:
    shown = " ".join([sent.text, *(b.label for b in sent.buttons())])
    assert english_left(shown, language) == [], shown


def to(sent: list[Sent], kind: type) -> Sent:
    return next(s for s in sent if isinstance(s.item.to, kind))


async def test_each_person_in_an_introduction_reads_their_own_language(network: Conversation) -> None:
    [proposal] = await network.say("Ana", '/alumni introduce "data access" empezamos un programa')
    assert "Quién podría ayudar con «data access»:" in proposal.text
    assert [b.label for b in proposal.buttons()] == ["Preguntar a Bruno", "Preguntar a Carla"]
    no_english(proposal, "es")

    asked = await network.press("Ana", proposal, "Preguntar a Bruno")
    ask, update = to(asked, Direct), to(asked, Update)
    assert ask.item.to == Direct(network.ref("Bruno"))
    assert "Ana aimerait être mis·e en relation avec vous pour parler de « data access »." in ask.text
    assert [b.label for b in ask.buttons()] == ["Accepter", "Pas maintenant"]
    no_english(ask, "fr")
    assert "Le pregunté a Bruno." in update.text
    no_english(update, "es")

    declined = await network.press("Bruno", ask, "Pas maintenant")
    assert "Pas de souci" in to(declined, Update).text
    offer = to(declined, Direct)
    assert offer.item.to == Direct(network.ref("Ana"))
    assert "Bruno no puede asumir esto ahora" in offer.text
    assert [b.label for b in offer.buttons()] == ["Preguntar a Carla"]
    no_english(offer, "es")

    asked = await network.press("Ana", offer, "Preguntar a Carla")
    ask = to(asked, Direct)
    assert "Ana gostaria de uma apresentação" in ask.text
    no_english(ask, "pt")
    accepted = await network.press("Carla", ask, "Aceitar")
    assert "Obrigado! Agora você e Ana têm uma conversa." in to(accepted, Update).text
    # One message for both in their group conversation: the channel's language (English here),
    # then each privately in their own.
    intro = to(accepted, Group)
    assert "Ana, meet Carla. Carla, meet Ana." in intro.text
    copies = {s.item.to: s.text for s in accepted if isinstance(s.item.to, Direct)}
    assert copies[Direct(network.ref("Ana"))].startswith(
        "El mismo mensaje en tu idioma: la conversación está en English."
    )
    assert "Ana, te presento a Carla." in copies[Direct(network.ref("Ana"))]
    assert copies[Direct(network.ref("Carla"))].startswith("A mesma mensagem no seu idioma")


@pytest.mark.parametrize(
    ("language", "typed", "problem"),
    [
        ("es", '/alumni introduce "data access', "El tema abre comillas pero nunca las cierra."),
        ("fr", "/alumni introduce @Bruno", "une mise en relation avec vous-même."),
        ("pt", "/alumni introduce astrologia", "Ainda ninguém indica “astrologia”"),
    ],
)
async def test_bad_requests_are_explained_privately_in_the_members_language(
    network: Conversation, language: str, typed: str, problem: str
) -> None:
    name = {"es": "Ana", "fr": "Bruno", "pt": "Carla"}[language]
    [refused] = await network.say(name, typed)
    assert isinstance(refused.item.to, Ephemeral) and problem in refused.text
    no_english(refused, language)
