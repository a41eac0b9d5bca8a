"""A matching round with a Slack member and a Discord member: they are paired, each gets the
introduction in their own platform's direct messages (where to write to the other, the hours
they share in their own time, the same meeting room), and the check-in, answered on each side,
counts each answer once; another time proposed on one side is chosen on the other."""

from __future__ import annotations

from sqlalchemy import select

from bot.features.matching.rounds import CHECKIN_KIND
from storage.models import MatchGroupMember, OutboxItem
from tests.crossplatform.network import ANA, MEETING, Network
from tests.crossplatform.test_introductions import discord_dm
from tests.discord.driver import BO, CY
from tests.discord.test_flows import everything, reply, set_up_profile


async def test_a_round_pairs_across_platforms_and_counts_each_check_in_once(network: Network) -> None:
    slack, discord = network.slack, network.discord
    await slack.set_up_profile(ANA, "Ana Lima", expertise="maps")
    await set_up_profile(discord, BO, "Bo Chen", "maps")
    await slack.command(ANA, "match join")
    assert "You're in" in slack.last_private(ANA).words
    assert "You're in" in everything(reply(await discord.slash(BO, "alumni match", action="join")))

    ran = await discord.slash(CY, "alumni match", action="run")
    assert "2 introductions on the way" in everything(reply(ran))  # one to each, on their platform

    [to_ana] = network.slack_dms(ANA, "matched this round")
    [to_bo] = network.discord_dms(BO, "matched this round")
    assert "Bo Chen, on Discord as @Bo Chen" in to_ana and "<@UANA>" in to_ana
    assert "Ana Lima, on Slack as @Ana Lima" in to_bo and f"<@{BO}>" in to_bo
    assert "you share maps" in to_ana and "you share maps" in to_bo
    assert "<!date^" in to_ana and "<t:" in to_bo  # the shared hours, each in the reader's own zone
    room = MEETING.split("{")[0]
    [link] = {word.strip("<>|.") for word in to_ana.split() if word.startswith(("<" + room, room))}
    assert link.split("|")[0] in to_bo  # the same room for both
    assert not discord.fake.threads and all(
        "," not in call["users"] for call in slack.fake.called("conversations.open")
    )

    [introduced] = [
        m for m in slack.fake.messages if m.channel == f"D{ANA}" and "matched this round" in m.words
    ]
    await slack.press(ANA, introduced, "Another time")  # proposed on Slack, chosen on Discord
    assert len(network.slack_dms(ANA, "proposes another time")) == 1  # each sees it, the others choose
    proposed = discord_dm(network, BO, "Ana Lima proposes another time")
    await discord.press(BO, proposed, "Option 1")
    assert (
        len(network.slack_dms(ANA, "Bo Chen chose")) == 1
        and len(network.discord_dms(BO, "Bo Chen chose")) == 1
    )

    await network.fire_due(CHECKIN_KIND)
    [asked_ana] = [m for m in slack.fake.messages if m.channel == f"D{ANA}" and "did you meet?" in m.words]
    await slack.press(ANA, asked_ana, "Yes")
    assert "Thanks, noted" in slack.last_private(ANA).words
    asked_bo = discord_dm(network, BO, "did you meet?")
    assert "Thanks, noted" in everything(reply(await discord.press(BO, asked_bo, "Yes")))
    again = await discord.press(BO, asked_bo, "We couldn't")
    assert "You already answered" in everything(reply(again))

    async with network.database.unit_of_work() as uow:
        answers = list(await uow.session.scalars(select(MatchGroupMember.answer)))
    assert sorted(answers) == ["yes", "yes"]
    history = await discord.slash(CY, "alumni match", action="history")
    assert "1 group, 1 met (100%), 1 answered" in everything(reply(history))
    async with network.database.unit_of_work() as uow:  # the round's progress edits reached Cy too
        assert (
            list(await uow.session.scalars(select(OutboxItem.key).where(OutboxItem.state == "failed"))) == []
        )
    [progress] = network.discord_dms(CY, "introductions")
    assert "Sent all 2 introductions" in progress
