"""Profiles, cards, help, find and my-data in Spanish, French and Portuguese, through the real core
and router on SQLite and PostgreSQL: the member's choice or platform locale decides, and an
introduction card many read speaks the channel's language."""

from __future__ import annotations

from bot.app import build_router
from bot.config import BotSettings, FacilitatorSettings, Settings
from bot.core import Core
from bot.events import Actor
from bot.outbound import Direct, Public
from bot.refs import MemberRef
from storage.database import Database
from tests.support.chat import PLATFORM, WORKSPACE, Clock, Conversation, RecordingChat


def speaking_member(talk: Conversation, name: str, locale: str) -> None:
    """`name` as their platform gives them: with a locale (Slack's es-419, Discord's pt-BR)."""
    key = name.lower().replace(" ", "-")
    talk.members[key] = Actor(MemberRef(PLATFORM, WORKSPACE, key), name, locale=locale)


async def choose_language(database: Database, talk: Conversation, name: str, language: str) -> None:
    """What `/alumni language` stores: the member's own choice."""
    member = talk.ref(name)
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        assert person is not None
        person.language = language


async def test_a_member_whose_platform_speaks_spanish_sets_up_a_profile_in_spanish(
    talk: Conversation,
) -> None:
    speaking_member(talk, "Ana Lima", "es-419")
    welcome = (await talk.join("Ana Lima"))[0]
    assert isinstance(welcome.item.to, Direct)
    assert "¡Te damos la bienvenida a la red, Ana Lima!" in welcome.text
    form = (await talk.press("Ana Lima", welcome, "Crear mi perfil"))[0].form
    assert form.title == "Sobre ti" and [i.label for i in form.inputs][:2] == ["Nombre", "Organización"]

    await talk.submit("Ana Lima", form, organisation="GBIF", country="Narnia", timezone="Nairobi")
    assert talk.last_outcome.form_errors["country"] == (
        "No conozco el país «Narnia».\nPrueba: un nombre como Kenia o un código como KE"
    )
    saved, card = await talk.submit(
        "Ana Lima", form, organisation="GBIF", country="Kenia", timezone="Nairobi"
    )
    assert "Guardado. Tu presentación está publicada en #introductions." in saved.text
    assert saved.button("Agregar mis temas")
    assert talk.last_outcome.next_form is not None and talk.last_outcome.next_form.title == "Tus temas"
    # The card is read by everyone in the channel: the channel's language (English by default).
    assert card.item.to == Public("introductions") and "Please welcome Ana Lima!" in card.text
    assert "Kenya, Africa" in card.text

    await talk.submit("Ana Lima", form, organisation="GBIF", country="Kenia, Atlántida", timezone="Nairobi")
    assert "No conozco la región «Atlántida»." in talk.last_outcome.form_errors["country"]
    assert "América Latina y el Caribe" in talk.last_outcome.form_errors["country"]
    await talk.submit(
        "Ana Lima", form, organisation="GBIF", country="Kenia, América Latina y el Caribe", timezone="Nairobi"
    )
    topics = (await talk.press("Ana Lima", saved, "Agregar mis temas"))[0].form
    await talk.submit("Ana Lima", topics, expertise="")
    assert talk.last_outcome.form_errors["expertise"].startswith("Indica al menos una cosa")
    await talk.submit("Ana Lima", topics, expertise="datos abiertos")
    own = (await talk.say("Ana Lima", "/profile"))[0]
    assert "País" not in own.text and "Ubicación: Kenia, América Latina y el Caribe" in own.text
    assert "Puede ayudar con: datos abiertos" in own.text and own.button("Editar mi perfil")


async def test_an_introduction_card_speaks_the_channel_language(database: Database, clock: Clock) -> None:
    settings = Settings(bot=BotSettings(channel_language="fr"))
    talk = Conversation(Core(settings, database, build_router(), clock), RecordingChat())
    speaking_member(talk, "Bo Chen", "pt-BR")
    opened = await talk.say("Bo Chen", "/alumni intro")
    saved, card = await talk.submit(
        "Bo Chen", opened[0].form, organisation="GBIF", country="Quênia", timezone="UTC"
    )
    assert "Salvo. Sua apresentação foi publicada em #introductions." in saved.text  # Bo reads Portuguese
    assert "Souhaitons la bienvenue à Bo Chen !" in card.text  # the channel reads French
    assert "Pays" not in card.text and "Basé·e à: Kenya, Afrique" in card.text
    assert "Pas encore de sujets. Bo Chen : ajoutez" in card.text


async def test_a_member_who_chose_french_gets_help_find_and_errors_in_french(
    talk: Conversation, database: Database
) -> None:
    await talk.join("Ana Lima")
    await choose_language(database, talk, "Ana Lima", "fr")
    overview = (await talk.say("Ana Lima", "/alumni help"))[0].text
    assert "Commandes d’alumni-bot" in overview
    assert (
        "Trouver des membres par sujet, nom, organisation, pays ou région. "
        "p. ex. /alumni find données ouvertes" in overview
    )
    assert "Les animateur·rices gèrent aussi les sondages" in overview
    assert "Raccourcis : /intro, /profile" in overview
    explained = (await talk.say("Ana Lima", "/alumni help find"))[0].text
    assert "Les graphies proches fonctionnent aussi" in explained and "Exemples :" in explained

    empty = (await talk.say("Ana Lima", "/alumni find"))[0].text
    assert empty == "Dites-moi ce qu’il faut chercher.\nEssayez : /alumni find données ouvertes"
    none = (await talk.say("Ana Lima", "/alumni find cartographie"))[0].text
    assert none.startswith("Personne ne correspond encore à « cartographie ».")
    unknown = (await talk.say("Ana Lima", "/alumni fly"))[0].text
    assert unknown == "Je ne connais pas la commande « fly ».\nEssayez : /alumni help"
    refused = (await talk.say("Ana Lima", "/alumni match run"))[0].text
    assert refused.startswith("Seul·es les animateur·rices peuvent lancer des tours de mises en relation.")
    written = (await talk.write("Ana Lima"))[0]
    assert isinstance(written.item.to, Direct) and "Je ne lis pas les messages" in written.text


async def test_find_counts_people_in_the_readers_language(talk: Conversation, database: Database) -> None:
    for name in ("Ana Lima", "Bo Chen"):
        await talk.set_up_profile(name, expertise="maps")
    speaking_member(talk, "Cy Diallo", "es-ES")
    found = (await talk.say("Cy Diallo", "/alumni find maps"))[0].text
    assert "2 personas para «maps»" in found and "Coincide: puede ayudar con: maps" in found
    await choose_language(database, talk, "Cy Diallo", "pt")
    one = (await talk.say("Cy Diallo", "/alumni find Ana"))[0].text
    assert "1 pessoa para “Ana”" in one and "Corresponde: nome: Ana Lima" in one


async def test_a_member_who_chose_portuguese_gets_their_data_and_deletion_in_portuguese(
    talk: Conversation, database: Database
) -> None:
    await talk.set_up_profile("Ana Lima")
    await choose_language(database, talk, "Ana Lima", "pt")
    answer, data = await talk.say("Ana Lima", "/alumni my-data")
    assert answer.text == "Enviei seus dados para você por mensagem direta."
    assert data.text.startswith("Aqui está tudo o que o alumni-bot guarda sobre você.")
    bad = (await talk.say("Ana Lima", "/alumni my-data please"))[0].text
    assert bad == "Este comando não aceita argumentos (recebeu “please”).\nTente: /alumni my-data"
    asked = (await talk.say("Ana Lima", "/alumni forget-me"))[0]
    kept = (await talk.press("Ana Lima", asked, "Manter"))[0]
    assert kept.text == "Nada foi apagado."
    home = (await talk.say("Ana Lima", "/alumni home"))[0]
    assert "Olá, Ana Lima" in home.text and home.button("Editar meus temas")


async def test_a_facilitator_list_reads_as_the_language_lists_alternatives(
    database: Database, clock: Clock
) -> None:
    facilitators = FacilitatorSettings(members=("test:fay", "test:gil"), console_roles=())
    talk = Conversation(
        Core(Settings(facilitators=facilitators), database, build_router(), clock), RecordingChat()
    )
    speaking_member(talk, "Ana Lima", "es")
    overview = (await talk.say("Ana Lima", "/alumni help"))[0].text
    assert "pregunta a @fay o @gil." in overview
