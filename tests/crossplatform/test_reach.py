"""Which platform reaches a member: a cohort reminder and a roundtable reminder reach each member
once, where they are reached (Dee, with an account on each platform, once, not once per account);
a two-account member is reached where she acted last, then where she chose on her home."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.features.reminders import DELIVER
from bot.features.roundtables.service import REMINDER
from storage.models import Roundtable
from tests.crossplatform.network import ANA, CAROL, DEE_DISCORD, DEE_SLACK, Network, two_accounts
from tests.discord.driver import BO
from tests.discord.fake_discord import CHANNELS, GUILD_ID, InteractionLog
from tests.discord.test_flows import everything
from tests.support.fake_slack import TEAM


async def test_cohort_and_roundtable_reminders_reach_each_member_once_on_their_platform(
    network: Network,
) -> None:
    slack, discord = network.slack, network.discord
    dee = await two_accounts(network.database, datetime.now(UTC))
    await slack.command(ANA, "home")
    await discord.slash(BO, "alumni home")
    await discord.slash(DEE_DISCORD, "alumni home")  # Dee acts on Discord: reached there now
    async with network.database.unit_of_work() as uow:
        cohort = await uow.cohorts.ensure("alumni", datetime.now(UTC))
        ana = await uow.people.by_identity("slack", TEAM, ANA)
        bo = await uow.people.by_identity("discord", str(GUILD_ID), str(BO))
        assert ana and bo
        for person in (ana.id, bo.id, dee):
            await uow.cohorts.add_member(cohort, person, datetime.now(UTC))
        starts = datetime.now(UTC) + timedelta(days=2)
        roundtable = await uow.roundtables.add(
            Roundtable(
                topic="Licensing for open data",
                starts_at=starts,
                platform="discord",
                workspace=str(GUILD_ID),
                channel_id=str(CHANNELS["general"]),
                created_at=datetime.now(UTC),
            )
        )
        for person in (ana.id, bo.id, dee):
            await uow.roundtables.answer(roundtable.id, person, "going", datetime.now(UTC))
        await uow.schedules.add(REMINDER, roundtable.id, starts, datetime.now(UTC), platform="discord")

    await slack.command(CAROL, "remind cohort:alumni tomorrow at 9 send the slides")
    assert "I'll remind" in slack.last_private(CAROL).words
    await network.fire_due(DELIVER)
    await network.fire_due(REMINDER)

    for words in ("send the slides", "Licensing for open data"):
        assert len(network.slack_dms(ANA, words)) == 1
        assert len(network.discord_dms(BO, words)) == 1
        assert len(network.discord_dms(DEE_DISCORD, words)) == 1
        assert network.slack_dms(DEE_SLACK, words) == []


async def test_two_accounts_are_reached_where_used_last_then_where_chosen_on_the_home(
    network: Network,
) -> None:
    slack, discord = network.slack, network.discord
    await two_accounts(network.database, datetime.now(UTC))

    await slack.command(ANA, "home")
    assert "Reach me on" not in slack.last_private(ANA).words  # one platform: nothing to choose
    await slack.command(DEE_SLACK, "home")
    home = slack.last_private(DEE_SLACK)
    assert "Reach me on" in home.words
    assert [b.get("text", {}).get("text") for b in home.buttons()][-3:] == [
        "Slack",
        "Discord",
        "The one I used last",
    ]

    async def reminded(words: str) -> tuple[int, int]:
        """Ana reminds Dee; how many reached Dee on Slack and on Discord."""
        await slack.command(ANA, f"remind @Dee in 10 minutes {words}")
        await network.fire_due(DELIVER)
        return len(network.slack_dms(DEE_SLACK, words)), len(network.discord_dms(DEE_DISCORD, words))

    assert await reminded("read the notes") == (1, 0)  # used Slack last
    shown = await discord.slash(DEE_DISCORD, "alumni home")
    assert await reminded("water the plants") == (0, 1)  # now Discord

    chosen = await discord.press(DEE_DISCORD, pressable(network, shown), "Slack")
    assert "from now on I'll reach you on Slack" in said(chosen)
    await discord.slash(DEE_DISCORD, "alumni home")  # acting on Discord changes nothing now
    assert await reminded("call the bank") == (1, 0)

    shown = await discord.slash(DEE_DISCORD, "alumni home")
    back = await discord.press(DEE_DISCORD, pressable(network, shown), "The one I used last")
    assert "the platform you used last (Discord for now)" in said(back)
    assert await reminded("book the room") == (0, 1)


def pressable(network: Network, shown: InteractionLog) -> dict[str, Any]:
    """The private reply an interaction was answered with, as a message to press on."""
    return network.discord.fake.messages[shown.payload["_original"]]


def said(pressed: InteractionLog) -> str:
    """Everything the press was answered with: its first answer, follow-ups and edits."""
    answers = [pressed.callback.get("data") or {} if pressed.callback else {}]
    return "\n".join(everything(m) for m in [*answers, *pressed.followups, *pressed.edits])


async def test_a_choice_of_a_platform_without_an_account_is_refused_and_use_is_noted_once_a_minute(
    network: Network,
) -> None:
    slack = network.slack
    await slack.command(ANA, "home")
    first = await last_used(network, ANA)
    await slack.command(ANA, "home")
    assert await last_used(network, ANA) == first  # a second event within the minute writes nothing

    await slack.press_id(ANA, slack.last_private(ANA), "home:reach:discord")
    refused = slack.last_private(ANA).words
    assert "You have no Discord account linked, so I can't reach you there." in refused
    assert "/alumni home" in refused
    async with network.database.unit_of_work() as uow:
        ana = await uow.people.by_identity("slack", TEAM, ANA)
        assert ana is not None and ana.reach_platform == ""


async def last_used(network: Network, user: str) -> datetime | None:
    async with network.database.unit_of_work() as uow:
        person = await uow.people.by_identity("slack", TEAM, user)
        assert person is not None
        return person.identities[0].last_used_at
