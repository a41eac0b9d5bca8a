"""One poll in channels on Slack and Discord at once (`--also`, `[bot] mirror_channels`): one
set of votes, every copy refreshed and closed, bad places refused before anything is saved;
through the real core, router, outbox and schedule runner, on SQLite and PostgreSQL. The two
platforms are two recording chats served by one core, as one process serves both."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.config import BotSettings, FacilitatorSettings, Settings
from bot.core import Core
from bot.outbound import Ephemeral, Public, Update
from bot.outbox import Sender
from bot.refs import ChannelRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.models import ChannelCopy, Poll
from tests.support.chat import WORKSPACE, Clock, Conversation, RecordingChat, Sent

ASK = '/alumni poll "Lunch on Friday?" "Pizza" "Salad"'
PLAN = '/alumni roundtable plan "Open licences" --slots Tue 1 Dec at 15:00, Thu 3 Dec at 12:00'


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bot=BotSettings(mirror_channels={"slack:#roundtables": ("discord:#general", "discord:#gone")}),
        facilitators=FacilitatorSettings(members=("slack:fay", "discord:cy")),
    )


@pytest.fixture
def slack() -> RecordingChat:
    chat = RecordingChat("slack")
    chat.channels["roundtables"] = "C-rt"
    return chat


@pytest.fixture
def discord() -> RecordingChat:
    chat = RecordingChat("discord")
    chat.channels["general"] = "G-general"
    return chat


@pytest.fixture
def on_slack(core: Core, slack: RecordingChat, discord: RecordingChat) -> Conversation:
    core.channel_finders.update(slack=slack, discord=discord)
    return Conversation(core, slack, (discord,))


@pytest.fixture
def on_discord(core: Core, slack: RecordingChat, discord: RecordingChat) -> Conversation:
    core.channel_finders.update(slack=slack, discord=discord)
    return Conversation(core, discord, (slack,))


async def fire(runner: ScheduleRunner, *chats: RecordingChat) -> list[Sent]:
    """Fire what is due on Slack (where the polls were made), deliver on both; what each got."""
    before = [len(chat.sent) for chat in chats]
    await runner.fire_due("slack")
    await Sender(runner.database, list(chats), runner.clock).deliver_due()
    return [sent for chat, n in zip(chats, before, strict=True) for sent in chat.sent[n:]]


async def test_votes_from_both_platforms_count_together_on_every_copy(
    on_slack: Conversation,
    on_discord: Conversation,
    slack: RecordingChat,
    discord: RecordingChat,
    runner: ScheduleRunner,
    clock: Clock,
) -> None:
    confirm, on_slack_poll = await on_slack.say("Fay", ASK + " --also discord:#general")
    assert "Poll #" in confirm.text and "Also posted in: discord:#general." in confirm.text
    [on_discord_poll] = discord.sent
    assert on_discord_poll.item.to == Public(ChannelRef("discord", WORKSPACE, "G-general"))
    assert on_discord_poll.text == on_slack_poll.text and "[Pizza] [Salad]" in on_discord_poll.text

    [mine] = await on_slack.press("Ana", on_slack_poll, "Pizza")
    assert "Your vote now: \u201cPizza\u201d." in mine.text
    [theirs] = await on_discord.press("Bo", on_discord_poll, "Salad")
    assert "Your vote now: \u201cSalad\u201d." in theirs.text and theirs.visible_to(on_discord.ref("Bo"))
    await on_discord.press("Cy", on_discord_poll, "Salad")
    edits = await fire(runner, slack, discord)
    assert [e.item.to for e in edits] == [Update(on_slack_poll.ref), Update(on_discord_poll.ref)]
    assert edits[0].text == edits[1].text and "3 voters" in edits[0].text
    assert "Pizza\n\u2587\u2587\u2587\u2591\u2591\u2591\u2591\u2591\u2591\u2591 1 (33%)" in edits[1].text

    clock.advance(seconds=1)
    await on_slack.press("Ana", on_slack_poll, "Salad")  # a change on one side shows on both
    edits = await fire(runner, slack, discord)
    assert [e.item.to for e in edits] == [Update(on_slack_poll.ref), Update(on_discord_poll.ref)]
    assert all(
        "Salad\n\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587\u2587 3 (100%)" in e.text
        for e in edits
    )

    closed = await on_discord.press("Cy", on_discord_poll, "Close poll")  # a Discord facilitator
    everything = closed + slack.sent[-2:]
    assert {(type(s.item.to).__name__, s.ref.platform if s.ref else "") for s in everything} == {
        ("Update", "discord"),
        ("Public", "discord"),
        ("Update", "slack"),
        ("Public", "slack"),
    }
    assert all("Final results: Lunch on Friday?" in s.text and s.buttons() == [] for s in everything)
    [refused] = await on_slack.press("Ana", on_slack_poll, "Pizza")
    assert "Voting on \u201cLunch on Friday?\u201d has ended" in refused.text
    clock.advance(seconds=1)
    assert await fire(runner, slack, discord) == []  # the final edits were the last

    number = confirm.text.split("Poll #")[1].split(" ")[0]
    [exported] = await on_slack.say("Fay", f"/alumni poll export {number}")
    rows = list(csv.reader(io.StringIO(exported.attachments[0].data.decode())))
    assert rows[0] == ["option", "answer", "voter", "platform"]
    assert sorted(rows[1:]) == [
        ["Salad", "yes", n, p] for n, p in (("Ana", "Slack"), ("Bo", "Discord"), ("Cy", "Discord"))
    ]


@pytest.mark.parametrize(
    ("also", "problem"),
    [
        ("matrix:#general", "I don't know the platform \u201cmatrix\u201d: say slack or discord."),
        ("general", "\u201cgeneral\u201d is not a channel I can read"),
        ("discord:", "\u201cdiscord:\u201d is not a channel I can read"),
        ("discord:#nowhere", "I can't find the channel #nowhere on Discord"),
    ],
)
async def test_a_bad_place_is_refused_privately_and_nothing_is_posted(
    on_slack: Conversation, discord: RecordingChat, database: Database, also: str, problem: str
) -> None:
    [refused] = await on_slack.say("Fay", f"{ASK} --also discord:#general --also {also}")
    assert isinstance(refused.item.to, Ephemeral) and refused.visible_to(on_slack.ref("Fay"))
    assert problem in refused.text
    assert 'Try: /alumni poll "Lunch on Friday?" "Pizza" "Salad" --also discord:#general' in refused.text
    assert discord.sent == []
    async with database.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Poll)) == 0
        assert await uow.session.scalar(select(func.count()).select_from(ChannelCopy)) == 0


async def test_also_with_no_channel_is_refused(on_slack: Conversation, discord: RecordingChat) -> None:
    [refused] = await on_slack.say("Fay", ASK + " --also")
    assert "Say which channel after --also, like discord:#general." in refused.text
    assert "Try: /alumni poll" in refused.text and refused.visible_to(on_slack.ref("Fay"))
    [refused] = await on_slack.say("Fay", PLAN + " --also")
    assert "Try: /alumni roundtable plan" in refused.text and discord.sent == []


async def test_a_platform_this_process_does_not_serve_is_refused(
    on_slack: Conversation, core: Core, database: Database
) -> None:
    del core.channel_finders["discord"]
    [refused] = await on_slack.say("Fay", ASK + " --also discord:#general")
    assert "This bot is not connected to Discord here, so it cannot post in discord:#general." in refused.text
    [refused] = await on_slack.say("Fay", PLAN + " --also discord:#general")  # a time-slot poll too
    assert "This bot is not connected to Discord here" in refused.text
    async with database.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Poll)) == 0


async def test_a_mapped_channel_is_mirrored_and_what_cannot_be_is_said(
    on_slack: Conversation, discord: RecordingChat
) -> None:
    confirm, posted = await on_slack.say("Fay", ASK, channel_id="C-rt")
    assert "Also posted in: discord:#general." in confirm.text
    assert (
        "Not posted in discord:#gone (from [bot] mirror_channels): I can't find the channel #gone on Discord"
        in confirm.text
    )
    [copy] = discord.sent
    assert copy.text == posted.text
    [plain] = (await on_slack.say("Fay", '/alumni poll "Tea?" "Yes" "No"'))[:1]  # #general: not mapped
    assert "Also posted" not in plain.text and len(discord.sent) == 1


async def test_a_time_slot_poll_on_both_makes_one_roundtable_answered_from_both(
    on_slack: Conversation,
    on_discord: Conversation,
    slack: RecordingChat,
    discord: RecordingChat,
    runner: ScheduleRunner,
    clock: Clock,
) -> None:
    confirm, on_slack_poll = await on_slack.say("Fay", PLAN + " --also discord:#general")
    assert "Time poll #" in confirm.text and "Also posted in: discord:#general." in confirm.text
    [on_discord_poll] = discord.sent
    assert [b.label for b in on_discord_poll.buttons()][:3] == ["1 Yes", "1 If need be", "1 No"]
    await on_slack.press("Ana", on_slack_poll, "2 Yes")
    await on_discord.press("Bo", on_discord_poll, "2 Yes")
    await on_discord.press("Bo", on_discord_poll, "1 No")
    edits = await fire(runner, slack, discord)
    assert [e.item.to for e in edits] == [Update(on_slack_poll.ref), Update(on_discord_poll.ref)]
    assert all("Yes 0 \u00b7 If need be 0 \u00b7 No 1" in e.text and "Yes 2 \u00b7" in e.text for e in edits)

    await on_slack.say("Fay", "/alumni poll close " + confirm.text.split("#")[1].split(" ")[0])
    for chat, poll in ((slack, on_slack_poll), (discord, on_discord_poll)):
        final, results, announced, calendar = chat.sent[-4:]
        assert final.item.to == Update(poll.ref) and "Final results" in final.text and final.buttons() == []
        assert isinstance(results.item.to, Public) and results.text == final.text
        assert (
            "Roundtable: Open licences\n2026-12-03T12:00:00+00:00 (your time), 60 minutes" in announced.text
        )
        assert calendar.attachments[0].filename.endswith(".ics")

    on_slack_rt, on_discord_rt = slack.sent[-2], discord.sent[-2]
    [answer, pressed] = await on_slack.press("Ana", on_slack_rt, "Going")
    assert "Your answer: Going." in answer.text and pressed.item.to == Update(on_slack_rt.ref)
    [other] = discord.sent[-1:]
    assert other.item.to == Update(on_discord_rt.ref) and other.text == pressed.text
    assert "Going 1 \u00b7 Maybe 0 \u00b7 Can't 0" in other.text
    [answer, pressed] = await on_discord.press("Bo", on_discord_rt, "Maybe")
    assert (
        pressed.item.to == Update(on_discord_rt.ref)
        and "Going 1 \u00b7 Maybe 1 \u00b7 Can't 0" in pressed.text
    )
    assert slack.sent[-1].item.to == Update(on_slack_rt.ref) and slack.sent[-1].text == pressed.text
    [listing] = await on_discord.say("Bo", "/alumni roundtables")
    assert "Open licences\n2026-12-03T12:00:00+00:00 \u00b7 you: Maybe" in listing.text

    clock.current = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # it has ended: who came, on both
    asked = await fire(runner, slack, discord)
    came = [s for s in asked if isinstance(s.item.to, Public) and s.buttons()]
    assert sorted((s.item.to.channel.platform, s.buttons()[0].label) for s in came) == [
        ("discord", "I came"),
        ("slack", "I came"),
    ]


async def test_forget_me_redraws_every_copy(
    on_slack: Conversation, on_discord: Conversation, slack: RecordingChat, discord: RecordingChat
) -> None:
    _confirm, on_slack_poll = await on_slack.say("Fay", ASK + " --also discord:#general")
    [on_discord_poll] = discord.sent
    await on_discord.press("Bo", on_discord_poll, "Pizza")
    [confirm] = await on_discord.say("Bo", "/alumni forget-me")
    await on_discord.press("Bo", confirm, "Delete my data")
    redrawn = [s for s in slack.sent + discord.sent if isinstance(s.item.to, Update) and "0 voters" in s.text]
    assert {s.item.to for s in redrawn} == {Update(on_slack_poll.ref), Update(on_discord_poll.ref)}
