"""One network in two processes on one PostgreSQL: a real `alumni-bot run --adapter slack`
process (HTTP mode, against the fake Slack) and a real `alumni-bot run --adapter discord`
process (against the fake Discord). Only the Slack process can reach the fake Slack and only
the Discord process the fake Discord, so what a member reads on a platform was delivered by
that platform's process, whichever process handled the command that queued it.

Ana saves her profile through the forms on Slack and Bo his on Discord, each in their own
platform's process; Dee links her two accounts across the processes; Ana asks for an
introduction on a topic only Bo lists, and they are introduced each on their own platform. A poll
mirrored to the other platform needs a process serving both: the Slack process refuses it
privately, and nothing is posted (README, "Polls and roundtables")."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from storage.database import Database
from storage.models import Poll
from tests.crossplatform.network import ANA, DEE_DISCORD, DEE_SLACK
from tests.discord.driver import BO
from tests.discord.fake_discord import FakeDiscord
from tests.discord.process import DiscordProcess
from tests.discord.test_flows import everything, reply
from tests.linking.test_one_process import CODE, Members, accounts, slack_says
from tests.support.fake_slack import FakeMessage, FakeSlack
from tests.support.processes import settled
from tests.support.slack_driver import action_payload, interaction_body, view_payload
from tests.support.slack_process import FACILITATOR, SlackProcess

EPHEMERAL = 64


async def slack_profile(bot: SlackProcess, fake: FakeSlack, user: str, name: str, expertise: str) -> None:
    """`/alumni intro` on Slack: the form, then "Add my topics" and its form, in the Slack process."""

    async def submitted(values: dict[str, str]) -> None:
        await fake.wait_for(lambda: len(fake.called("views.open")) > forms, within=15)
        view = fake.called("views.open")[-1]["view"]
        async with aiohttp.ClientSession() as http:
            assert await bot.post(http, interaction_body(view_payload(user, view, values))) == 200

    forms = len(fake.called("views.open"))
    assert await bot.command(user, "intro") == 200
    await submitted(
        {"name": name, "organisation": f"{name} Org", "country": "Kenya", "timezone": "Africa/Nairobi"}
    )

    def topics_offered() -> FakeMessage | None:
        return next((m for m in fake.messages if m.only_for == user and m.buttons()), None)

    await fake.wait_for(topics_offered, within=15)
    offered = topics_offered()
    assert offered is not None
    forms = len(fake.called("views.open"))
    async with aiohttp.ClientSession() as http:
        pressed = interaction_body(action_payload(fake, user, offered, offered.button("Add my topics")))
        assert await bot.post(http, pressed) == 200
    await submitted({"expertise": expertise})


async def discord_profile(members: Members, user: int, name: str, expertise: str) -> None:
    """`/alumni intro` on Discord: the form, then "Add my topics" and its form, in the Discord process."""
    opened = await members.command(user, "alumni intro")
    about = {"name": name, "organisation": f"{name} Org", "country": "Kenya", "timezone": "Nairobi"}
    saved = await members.submit(user, opened, **about)
    topics = await members.click(user, members.fake.messages[saved.payload["_original"]], "Add my topics")
    assert "updated" in everything(reply(await members.submit(user, topics, expertise=expertise)))


async def polls_saved(url: str) -> int:
    database = Database(url)
    async with database.unit_of_work() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(Poll))
    await database.close()
    return count or 0


def slack_dms(fake: FakeSlack, user: str, words: str) -> list[str]:
    return [m.words for m in fake.messages if m.channel == f"D{user}" and words in m.words]


def discord_dms(fake: FakeDiscord, user: int, words: str) -> list[str]:
    channel = str(10_000 + user)
    return [
        everything(m) for m in fake.messages.values() if m["channel_id"] == channel and words in everything(m)
    ]


async def test_link_introduce_and_a_refused_mirror_across_a_slack_and_a_discord_process(
    process_postgres_url: str, tmp_path: Path, slack_fake: FakeSlack, discord_fake: FakeDiscord
) -> None:
    url, slack, discord = process_postgres_url, slack_fake, discord_fake
    on_slack = SlackProcess(url, tmp_path, slack)
    on_discord = DiscordProcess(url, tmp_path, discord)
    await on_slack.start()
    await on_discord.start()
    members = Members(discord)
    await slack_profile(on_slack, slack, ANA, "Ana Lima", "fundraising")
    await discord_profile(members, BO, "Bo Chen", "maps")
    await settled(url)

    # 1. Linking: a wrong code is refused to Dee alone; the code the Slack process gave joins
    # her accounts when typed on Discord, and the Slack process tells her on Slack.
    asked = await members.command(DEE_DISCORD, "alumni link", code="AAAA-AAAA")
    assert asked.callback is not None and asked.callback["data"]["flags"] == EPHEMERAL
    assert "I don't know that code" in everything(asked.callback["data"])
    assert not [names for names in (await accounts(url)).values() if len(names) == 2]
    given = await slack_says(on_slack, slack, DEE_SLACK, "link", "Your link code")
    code = CODE.search(given)
    assert code and f"On Discord, type: /alumni link {code.group(0)}" in given
    linked = await members.command(DEE_DISCORD, "alumni link", code=code.group(0))
    assert linked.callback is not None and linked.callback["data"]["flags"] == EPHEMERAL
    assert "Linked: your Slack and Discord accounts are one member now" in everything(linked.callback["data"])
    await slack.wait_for(lambda: slack_dms(slack, DEE_SLACK, "Linked"), within=15)
    assert [f"discord:{DEE_DISCORD}", f"slack:{DEE_SLACK}"] in (await accounts(url)).values()

    # 2. Asked on Slack for a topic only Bo lists: the ask reaches Bo in his Discord DMs.
    choices = await slack_says(on_slack, slack, ANA, "introduce maps for our mapping programme", "Who could")
    assert "Bo Chen, Bo Chen Org" in choices and "Can help with: maps" in choices
    shown = next(m for m in slack.messages if m.only_for == ANA and m.words == choices)
    async with aiohttp.ClientSession() as http:
        pressed = interaction_body(action_payload(slack, ANA, shown, shown.button("Ask Bo Chen")))
        assert await on_slack.post(http, pressed) == 200
    await slack.wait_for(
        lambda: any(m.only_for == ANA and "I've asked Bo Chen" in m.words for m in slack.messages), 15
    )
    ask = await discord.wait_for(
        lambda: next(
            (
                m
                for m in discord.messages.values()
                if m["channel_id"] == str(10_000 + BO) and "would like an introduction" in everything(m)
            ),
            None,
        ),
        within=15,
    )
    assert "Ana Lima" in everything(ask) and "maps" in everything(ask)

    # Accepted on Discord: each is introduced in their own platform's DMs, once.
    assert "each where I reach you" in await members.press(BO, ask, "Accept")
    await slack.wait_for(lambda: slack_dms(slack, ANA, "meet Bo Chen"), within=15)
    await discord.wait_for(lambda: discord_dms(discord, BO, "meet Bo Chen"), within=15)
    await settled(url)
    [to_ana] = slack_dms(slack, ANA, "meet Bo Chen")
    assert "Where to write to them: Bo Chen, on Discord as @Bo Chen" in to_ana
    assert "mapping programme" in to_ana
    [to_bo] = discord_dms(discord, BO, "meet Bo Chen")
    assert "Where to write to them: Ana Lima, on Slack as @Ana Lima" in to_bo
    # Bo's DMs were written twice: the ask (since edited to say he accepted), the introduction.
    assert len(discord.sent("POST", rf"/channels/{10_000 + BO}/messages")) == 2

    # 3. The Slack process serves no Discord: a poll mirrored there is refused, privately.
    refused = await slack_says(
        on_slack, slack, FACILITATOR, 'poll "Lunch?" "Pizza" "Salad" --also discord:#general', "Lunch"
    )
    assert "This bot is not connected to Discord here, so it cannot post in discord:#general." in refused
    assert await polls_saved(url) == 0
    assert not any("Lunch?" in m.words for m in slack.messages if m.only_for is None)
    assert not [m for m in discord.messages.values() if "Lunch?" in everything(m)]

    await settled(url)
    assert await on_slack.stop() == 0, on_slack.log[-3000:]
    assert await on_discord.stop() == 0, on_discord.log[-3000:]
    assert "Traceback" not in on_slack.log + on_discord.log
