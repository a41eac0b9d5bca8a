"""A poll through discord.py and the fake Discord: a facilitator whose Discord speaks Portuguese
is answered in Portuguese, a voter whose Discord speaks French votes in French, and the poll many
read stays in the channel's language (English here)."""

from __future__ import annotations

from tests.discord.conftest import discord, discord_settings, fake, runtime  # noqa: F401
from tests.discord.driver import ANA, CY, DiscordDriver
from tests.discord.fake_discord import InteractionLog
from tests.discord.test_flows import everything, reply


def answered(log: InteractionLog) -> str:
    """What the member was told, at once or (on a slow machine, after a deferral) later."""
    return "\n".join(everything(m) for m in (reply(log), *log.followups, *log.edits))


async def test_each_discord_member_reads_their_own_part_of_a_poll_in_their_language(
    discord: DiscordDriver,  # noqa: F811
) -> None:
    discord.locales[CY] = "pt-BR"
    discord.locales[ANA] = "fr"
    posted = await discord.slash(CY, "alumni poll", poll='"Which topic?" "Maps" "Portals"')
    assert "A enquete nº" in answered(posted) and "foi publicada" in answered(posted)
    poll = next(m for m in discord.fake.messages.values() if "Which topic?" in everything(m))
    labels = [c["label"] for row in poll["components"] for c in row["components"]]
    assert labels == ["Maps", "Portals", "Withdraw my vote", "Who voted", "Close poll"]
    voted = await discord.press(ANA, poll, "Maps")
    assert "Votre vote à présent : “Maps”." in answered(voted) and reply(voted)["flags"] == 64  # private
    mistaken = await discord.slash(CY, "alumni poll", poll='"Lunch?" "Pizza"')
    assert "Uma enquete tem de 2 a 10 opções (você deu 1)" in answered(mistaken)
    assert '/alumni poll "Qual é o próximo tema?"' in answered(mistaken)
