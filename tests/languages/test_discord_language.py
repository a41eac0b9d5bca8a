"""Discord: the registered commands carry their translations for Discord's locales, and a member's
own choice of language wins over the locale of their interactions (discord.py, the fake Discord)."""

from __future__ import annotations

from pathlib import Path

from adapters.discord.commands import DISCORD_LOCALES
from tests.discord.conftest import discord, discord_settings, fake, runtime  # noqa: F401
from tests.discord.driver import ANA, DiscordDriver
from tests.discord.fake_discord import APP_ID, GUILD_ID
from tests.discord.test_flows import everything, reply

ROOT = Path(__file__).resolve().parents[2]
LOCALES = {locale for locales in DISCORD_LOCALES.values() for locale in locales}


async def test_every_command_and_option_description_is_localised(discord: DiscordDriver) -> None:  # noqa: F811
    registered = {c["name"]: c for c in discord.fake.commands[str(GUILD_ID)]}
    group = registered["alumni"]
    assert sorted(LOCALES) == ["es-419", "es-ES", "fr", "pt-BR"]
    described = [group, *registered.values(), *group["options"]]
    described += [o for command in described for o in command.get("options") or () if o["type"] != 1]
    for item in described:
        localised = item["description_localizations"]
        assert set(localised) == LOCALES, item["name"]
        assert all(len(text) <= 100 for text in localised.values())
    subcommands = {o["name"]: o for o in group["options"]}
    assert {name for name, o in subcommands.items() if o["description_localizations"]} >= {
        "help",
        "intro",
        "profile",
        "find",
        "my-data",
        "forget-me",
        "home",
        "language",
    }
    assert group["description_localizations"]["es-419"].startswith("alumni-bot: perfiles")
    find = subcommands["find"]
    assert find["description_localizations"]["fr"].startswith("Trouver des membres")
    assert find["options"][0]["description_localizations"]["pt-BR"] == "O que procurar"


async def test_the_language_choices_read_as_names_in_each_locale(discord: DiscordDriver) -> None:  # noqa: F811
    group = next(c for c in discord.fake.commands[str(GUILD_ID)] if c["name"] == "alumni")
    [param] = next(o for o in group["options"] if o["name"] == "language")["options"]
    assert [(c["name"], c["value"]) for c in param["choices"]] == [
        ("English", "en"),
        ("Español", "es"),
        ("Français", "fr"),
        ("Português (Brasil)", "pt"),
        ("Follow my platform", "auto"),
    ]
    assert param["choices"][1]["name_localizations"] == {}  # a language is named in its own words
    assert param["choices"][4]["name_localizations"] == {
        "es-ES": "Seguir mi plataforma",
        "es-419": "Seguir mi plataforma",
        "fr": "Suivre ma plateforme",
        "pt-BR": "Seguir minha plataforma",
    }


async def test_a_chosen_language_wins_over_the_interaction_locale(discord: DiscordDriver) -> None:  # noqa: F811
    discord.locales[ANA] = "fr"
    chosen = await discord.slash(ANA, "alumni language", language="es")
    assert everything(reply(chosen)) == "Desde ahora te hablaré en Español."
    empty = await discord.slash(ANA, "alumni find", words="?!")
    assert everything(reply(empty)) == "Busca con letras o números.\nPrueba: /alumni find datos abiertos"
    followed = await discord.slash(ANA, "alumni language", language="auto")
    assert everything(reply(followed)) == (
        "Je suis de nouveau la langue de votre Slack ou Discord : Français pour l’instant."
    )


async def test_the_locale_followed_is_the_one_of_the_latest_interaction(discord: DiscordDriver) -> None:  # noqa: F811
    discord.locales[ANA] = "fr"
    await discord.slash(ANA, "alumni find", words="?!")
    discord.locales[ANA] = "pt-BR"  # Ana's Discord now speaks Portuguese
    empty = await discord.slash(ANA, "alumni find", words="?!")
    assert everything(reply(empty)).startswith("Pesquise com letras ou números.")


async def test_a_changed_translation_is_uploaded(discord: DiscordDriver) -> None:  # noqa: F811
    """Discord is asked for whole localisation dictionaries, so what it holds compares with ours."""
    held, path = discord.fake, rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    asked = held.sent("GET", path)
    assert asked and all(r.query.get("with_localizations") == "true" for r in asked)
    uploads = len(held.sent("PUT", path))
    await discord.client.setup_hook()  # a restart with the same definitions uploads nothing
    assert len(held.sent("PUT", path)) == uploads
    held.commands[str(GUILD_ID)][0]["description_localizations"]["fr"] = "une ancienne traduction"
    await discord.client.setup_hook()
    assert len(held.sent("PUT", path)) == uploads + 1


async def test_the_profile_forms_language_field_chooses_the_language(discord: DiscordDriver) -> None:  # noqa: F811
    discord.locales[ANA] = "fr"
    opened = await discord.slash(ANA, "alumni intro")
    saved = await discord.submit(ANA, opened, organisation="GBIF", country="Kenya", timezone="Nairobi")
    topics = await discord.press(ANA, discord.fake.messages[saved.payload["_original"]], "Ajouter mes sujets")
    fields = {c["custom_id"]: c for row in reply(topics)["components"] for c in row["components"]}
    assert fields["language"]["label"] == "Langue dans laquelle je vous parle"
    assert fields["language"]["value"] == "auto" and len(fields) == 5

    refused = await discord.submit(ANA, topics, expertise="cartes", language="klingon")
    assert "Je ne parle pas « klingon »." in everything(reply(refused))
    chosen = await discord.submit(ANA, topics, expertise="cartes", language="es")
    assert "Desde ahora te hablaré en Español." in everything(reply(chosen))
    shown = await discord.slash(ANA, "alumni profile")  # the interaction still says fr
    assert "Puede ayudar con" in everything(reply(shown))
