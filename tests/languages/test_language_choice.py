"""`/alumni language`, its buttons, and the menus on App Home and one's own profile, through the real
core and router on SQLite and PostgreSQL: a choice overrides the platform's locale, `auto` follows it
again, confirmations speak the language just chosen, and bad input is told with an example."""

from __future__ import annotations

from bot.outbound import Ephemeral, Post, Update
from storage.database import Database
from tests.languages.test_mark3_profiles import speaking_member
from tests.support.chat import Conversation


async def stored_language(database: Database, talk: Conversation, name: str) -> str:
    member = talk.ref(name)
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        assert person is not None
        return person.language


async def test_a_choice_overrides_the_platform_locale_until_auto(
    talk: Conversation, database: Database
) -> None:
    speaking_member(talk, "Ana Lima", "es-419")
    [shown] = await talk.say("Ana Lima", "/alumni language")
    assert shown.text.startswith("Te hablo en Español, según tu Slack o Discord.\n")
    assert [b.label for b in shown.buttons()] == [
        "English",
        "Español",
        "Français",
        "Português (Brasil)",
        "Seguir mi plataforma",
    ]

    [chosen] = await talk.press("Ana Lima", shown, "Français")
    assert chosen.text == "Désormais, je vous parlerai en Français."
    assert await stored_language(database, talk, "Ana Lima") == "fr"
    [empty] = await talk.say("Ana Lima", "/alumni find")
    assert empty.text == "Dites-moi ce qu’il faut chercher.\nEssayez : /alumni find données ouvertes"
    [again] = await talk.say("Ana Lima", "/alumni language")
    assert again.text.startswith("Je vous parle en Français, comme vous l’avez choisi.\n")
    assert again.button("Français").style == "primary"

    [followed] = await talk.say("Ana Lima", "/alumni language auto")
    assert followed.text == "Volveré a seguir el idioma de tu Slack o Discord: por ahora, Español."
    assert await stored_language(database, talk, "Ana Lima") == ""


async def test_languages_are_typed_as_codes_locales_or_names(talk: Conversation, database: Database) -> None:
    for typed, said in (
        ("PT", "A partir de agora, vou falar com você em Português (Brasil)."),
        ("es-419", "Desde ahora te hablaré en Español."),
        ("francais", "Désormais, je vous parlerai en Français."),
        ("English", "From now on I'll speak English to you."),
        ("default", "I'll follow the language of your Slack or Discord again: English for now."),
    ):
        [answer] = await talk.say("Bo Chen", f"/alumni language {typed}")
        assert answer.text == said
    assert await stored_language(database, talk, "Bo Chen") == ""


async def test_an_unknown_language_is_refused_with_an_example_and_nothing_changes(
    talk: Conversation, database: Database
) -> None:
    await talk.say("Bo Chen", "/alumni language es")
    [refused] = await talk.say("Bo Chen", "/alumni language klingon")
    assert isinstance(refused.item, Post) and isinstance(refused.item.to, Ephemeral)
    assert refused.text == (
        "No hablo «klingon». Elige en, es, fr o pt, o auto para seguir el idioma de tu Slack o Discord."
        "\nPrueba: /alumni language es"
    )
    assert await stored_language(database, talk, "Bo Chen") == "es"
    [_told, data] = await talk.say("Bo Chen", "/alumni my-data")
    assert '"language": "es"' in data.attachments[0].data.decode()
    [forged] = await talk.press_id("Bo Chen", refused, "language:set:xx")
    assert "Ese botón ya no funciona" in forged.text


async def test_app_home_and_ones_profile_offer_the_choice_as_a_menu(
    talk: Conversation, database: Database
) -> None:
    speaking_member(talk, "Chen Wei", "fr-FR")
    [home] = await talk.say("Chen Wei", "/alumni home")
    assert "La langue dans laquelle je vous parle" in home.text
    menu = home.select()
    assert [o.value for o in menu.options] == ["en", "es", "fr", "pt", "auto"]
    assert menu.initial == "auto" and menu.placeholder == "Langue"
    chosen, redrawn = await talk.choose("Chen Wei", menu, "pt")
    assert chosen.text == "A partir de agora, vou falar com você em Português (Brasil)."
    assert isinstance(redrawn.item.to, Update) and "O idioma em que falo com você" in redrawn.text

    [profile] = await talk.say("Chen Wei", "/alumni profile")
    assert profile.select().initial == "pt" and profile.select().placeholder == "Idioma"
    [back] = await talk.choose("Chen Wei", profile.select(), "auto")
    assert back.text == "Je suis de nouveau la langue de votre Slack ou Discord : Français pour l’instant."
    [forged] = await talk.choose("Chen Wei", profile.select(), "tlh")
    assert forged.text.startswith("Ce bouton ne fonctionne plus")
    assert await stored_language(database, talk, "Chen Wei") == ""


async def test_a_newcomer_may_choose_a_language_in_the_welcome(talk: Conversation) -> None:
    [welcome] = await talk.join("Dee Okafor")  # her platform speaks English
    assert welcome.text.startswith("Welcome to the network, Dee Okafor!")
    [chosen] = await talk.choose("Dee Okafor", welcome.select(), "fr")
    assert chosen.text == "Désormais, je vous parlerai en Français."
    [opened] = await talk.press("Dee Okafor", welcome, "Set up my profile")
    assert opened.form.title == "À propos de vous"


async def test_help_explains_the_command(talk: Conversation) -> None:
    [overview] = await talk.say("Ana Lima", "/alumni help")
    assert "Choose the language I speak to you" in overview.text
    [explained] = await talk.say("Ana Lima", "/alumni help language")
    assert (
        "Portuguese is Brazilian Portuguese" in explained.text and "/alumni language auto" in explained.text
    )


async def test_the_profile_form_chooses_the_language_as_the_command_does(
    talk: Conversation, database: Database
) -> None:
    speaking_member(talk, "Ana Lima", "es-419")
    opened = await talk.say("Ana Lima", "/alumni intro")
    saved, _card = await talk.submit(
        "Ana Lima", opened[0].form, organisation="GBIF", country="Kenia", timezone="Nairobi"
    )
    [topics] = await talk.press("Ana Lima", saved, "Agregar mis temas")
    [field] = [i for i in topics.form.inputs if i.name == "language"]
    assert (field.label, field.initial) == ("Idioma en que te hablo", "auto")

    refused = await talk.submit("Ana Lima", topics.form, expertise="datos abiertos", language="klingon")
    assert talk.last_outcome.form_errors == {
        "language": "No hablo «klingon». Elige en, es, fr o pt, o auto para seguir el idioma de tu Slack"
        " o Discord.\nPrueba: es"
    }
    assert refused == [] and await stored_language(database, talk, "Ana Lima") == ""

    told, news, _updated = await talk.submit("Ana Lima", topics.form, expertise="datos", language="Français")
    assert told.text == "Désormais, je vous parlerai en Français."
    assert news.text == "Votre présentation est mise à jour dans #introductions."
    assert isinstance(told.item.to, Ephemeral) and await stored_language(database, talk, "Ana Lima") == "fr"
    [again] = await talk.press_id("Ana Lima", saved, "profile:topics")
    [field] = [i for i in again.form.inputs if i.name == "language"]
    assert (field.label, field.initial) == ("Langue dans laquelle je vous parle", "fr")

    told, _news, _updated = await talk.submit("Ana Lima", again.form, language="")
    assert told.text == "Volveré a seguir el idioma de tu Slack o Discord: por ahora, Español."
    assert await stored_language(database, talk, "Ana Lima") == ""
    kept, _updated = await talk.submit("Ana Lima", again.form, language="auto")
    assert kept.text == "Tu presentación está actualizada en #introductions."
