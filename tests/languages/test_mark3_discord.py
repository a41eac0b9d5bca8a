"""Discord speaks the interaction's locale through discord.py and the fake Discord: bad input,
a refused form with its button, and what the adapter says by itself (an expired form)."""

from __future__ import annotations

from tests.discord.conftest import discord, discord_settings, fake, runtime  # noqa: F401
from tests.discord.driver import ANA, BO, DiscordDriver
from tests.discord.test_flows import everything, reply


async def test_a_member_whose_discord_speaks_french_is_answered_in_french(
    discord: DiscordDriver,  # noqa: F811
) -> None:
    discord.locales[ANA] = "fr"
    symbols = await discord.slash(ANA, "alumni find", words="?!")
    assert (
        everything(reply(symbols))
        == "Cherchez avec des lettres ou des chiffres.\nEssayez : /alumni find données ouvertes"
    )

    opened = await discord.slash(ANA, "alumni intro")
    assert reply(opened)["title"] == "À propos de vous"
    refused = await discord.submit(ANA, opened, organisation="GBIF", country="Atlantis", timezone="Nairobi")
    answer = everything(reply(refused))
    assert answer.startswith(
        "Rien n’est encore enregistré ; veuillez corriger ceci :\nPays : Je ne connais pas"
    )
    retry = await discord.press(
        ANA, discord.fake.messages[refused.payload["_original"]], "Corriger mes réponses"
    )
    assert reply(retry)["title"] == "À propos de vous"


async def test_an_expired_form_is_told_in_the_pressers_language(discord: DiscordDriver) -> None:  # noqa: F811
    discord.locales[ANA] = "fr"
    opened = await discord.slash(ANA, "alumni intro")
    refused = await discord.submit(ANA, opened, organisation="GBIF", country="Atlantis", timezone="Nairobi")
    discord.locales[BO] = "pt-BR"
    # Bo presses Ana's button: no form of Bo's is remembered.
    expired = await discord.press(
        BO, discord.fake.messages[refused.payload["_original"]], "Corriger mes réponses"
    )
    assert (
        everything(reply(expired))
        == "Esse formulário expirou. Execute o comando de novo para abri-lo outra vez."
    )
