"""The whole story of one network on two platforms, through the real slack-bolt and discord.py:
Ana on Slack and Bo on Discord find each other, are introduced, are matched, vote in one poll
and RSVP to one roundtable. What each typed and saw is written to transcript.txt in the test's
folder (and printed: run with -s to read it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.features.matching.rounds import CHECKIN_KIND
from bot.features.roundtables.service import REMINDER
from tests.crossplatform.network import ANA, CAROL, Network
from tests.crossplatform.test_introductions import discord_dm
from tests.crossplatform.transcript import Transcript, discord_text, slack_text
from tests.discord.driver import BO, CY
from tests.discord.fake_discord import CHANNELS
from tests.discord.test_flows import everything, set_up_profile


async def test_a_slack_member_and_a_discord_member_meet_vote_and_rsvp_together(
    network: Network, tmp_path: Path
) -> None:
    slack, discord = network.slack, network.discord
    story = Transcript({ANA: "ana", CAROL: "carol", BO: "bo", CY: "cy"})

    def read(actor: str | int | None = None) -> None:
        story.read(slack.fake.messages, discord.fake.messages, actor)

    async def on_slack(who: str, text: str) -> str:
        story.typed(who, "Slack", f"/alumni {text}")
        await slack.command(who, text)
        read()
        return slack.last_private(who).words

    async def on_discord(who: int, command: str, **options: str) -> str:
        story.typed(who, "Discord", f"/{command} " + " ".join(f"{k}:{v}" for k, v in options.items()))
        log = await discord.slash(who, command, **options)
        read(who)
        return everything(log.callback["data"]) if log.callback else ""

    async def press_on_discord(who: int, message: dict[str, Any], label: str) -> None:
        story.pressed(who, "Discord", label)
        await discord.press(who, message, label)
        read(who)

    story.step("Each sets up a profile on their own platform")
    story.typed(ANA, "Slack", "/intro  (two forms: GBIF, Nairobi; can help with maps)")
    await slack.set_up_profile(ANA, "Ana Lima", expertise="maps")
    story.typed(BO, "Discord", "/intro  (two forms: Bo Chen Org, Nairobi; can help with maps)")
    await set_up_profile(discord, BO, "Bo Chen", "maps")
    read(BO)  # the replies only Bo sees are his

    story.step("They find each other")
    assert "on Discord as" in await on_slack(ANA, "find maps")
    assert "on Slack as" in await on_discord(BO, "alumni find", words="maps")

    story.step("Ana asks on Slack for an introduction; Bo accepts on Discord")
    await on_slack(ANA, "introduce maps we are starting a mapping programme")
    story.pressed(ANA, "Slack", "Ask Bo Chen")
    await slack.press(ANA, slack.last_private(ANA), "Ask Bo Chen")
    read()
    await press_on_discord(BO, discord_dm(network, BO, "would like an introduction"), "Accept")
    assert network.slack_dms(ANA, "meet Bo Chen") and network.discord_dms(BO, "meet Bo Chen")

    story.step("Both join matching; Cy runs a round on Discord")
    assert "You're in" in await on_slack(ANA, "match join")
    assert "You're in" in await on_discord(BO, "alumni match", action="join")
    assert "on the way" in await on_discord(CY, "alumni match", action="run")
    assert network.slack_dms(ANA, "matched this round") and network.discord_dms(BO, "matched this round")

    story.step("Halfway through, each answers the check-in on their own platform")
    await network.fire_due(CHECKIN_KIND)
    read()
    [asked] = [m for m in slack.fake.messages if m.channel == f"D{ANA}" and "did you meet?" in m.words]
    story.pressed(ANA, "Slack", "Yes")
    await slack.press(ANA, asked, "Yes")
    read()
    await press_on_discord(BO, discord_dm(network, BO, "did you meet?"), "Yes")

    story.step("Carol posts one poll on Slack and Discord; Ana votes on Slack, Bo on Discord")
    said = await on_slack(CAROL, 'poll "Lunch on Friday?" "Pizza" "Salad" --also discord:#general')
    assert "Also posted in: discord:#general" in said
    on_slack_poll = next(m for m in slack.fake.messages if "Lunch on Friday?" in m.words and m.buttons())
    story.pressed(ANA, "Slack", "Pizza")
    await slack.press(ANA, on_slack_poll, "Pizza")
    read()
    general = str(CHANNELS["general"])
    [on_discord_poll] = [
        m
        for m in discord.fake.messages.values()
        if m["channel_id"] == general and "Lunch on Friday?" in everything(m) and m.get("components")
    ]
    await press_on_discord(BO, on_discord_poll, "Salad")
    number = on_slack_poll.words.split("#")[1].split()[0].strip(".:")
    await on_slack(CAROL, f"poll close {number}")
    finals = [m.words for m in slack.fake.messages if "Final results: Lunch on Friday?" in m.words]
    finals += [
        everything(m) for m in discord.fake.messages.values() if "Final results: Lunch" in everything(m)
    ]
    assert finals and all("2 voters" in final for final in finals)

    story.step("Carol plans a roundtable on both; each votes a time and RSVPs on their own platform")
    plan = 'roundtable plan "Licensing for open data" --slots 1 Dec 2030 at 15:00, 2 Dec 2030 at 9:00'
    assert "Also posted in: discord:#general" in await on_slack(CAROL, f"{plan} --also discord:#general")
    slots = next(m for m in slack.fake.messages if "Licensing for open data" in m.words and m.buttons())
    story.pressed(ANA, "Slack", "1 Yes")
    await slack.press(ANA, slots, "1 Yes")
    read()
    [slots_on_discord] = [
        m
        for m in discord.fake.messages.values()
        if m["channel_id"] == general and "Licensing for open data" in everything(m) and m.get("components")
    ]
    await press_on_discord(BO, slots_on_discord, "1 Yes")
    await on_slack(CAROL, f"poll close {int(number) + 1}")
    announced = next(m for m in slack.fake.messages if "Going 0" in m.words and m.buttons())
    [on_discord_announced] = [
        m for m in discord.fake.messages.values() if m["channel_id"] == general and "Going 0" in everything(m)
    ]
    story.pressed(ANA, "Slack", "Going")
    await slack.press(ANA, announced, "Going")
    read()
    await press_on_discord(BO, on_discord_announced, "Going")
    both = (
        slack.fake.message(announced.channel, announced.ts),
        discord.fake.messages[on_discord_announced["id"]],
    )
    story.saw("#general (everyone there), the announcement now", "Slack", slack_text(both[0]))
    story.saw("#general (everyone there), the announcement now", "Discord", discord_text(both[1]))
    assert "Going 2" in both[0].words and "Going 2" in everything(both[1])
    story.step("The reminders (24 h and 1 h before, brought forward) reach each on their own platform")
    await network.fire_due(REMINDER)
    read()
    assert len(network.slack_dms(ANA, "Licensing for open data")) == 2
    assert len(network.discord_dms(BO, "Licensing for open data")) == 2

    text = story.write(tmp_path / "transcript.txt")
    print(f"\n--- {tmp_path / 'transcript.txt'} ---\n{text}")
