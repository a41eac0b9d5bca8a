"""Several adapters in one process: `alumni-bot run --adapter slack,discord` (and `auto` with
both tokens set) against the fake Slack and the fake Discord of the test's own event loop,
one database, a command on each side answered (SQLite and PostgreSQL); and the other shape,
a Slack process and a Discord process on one PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters import web
from adapters.cli import build_parser, choose_adapters
from bot.config import ConfigError, load_settings
from tests.discord.driver import APPLICATION_COMMAND, COMPONENT, CY, DiscordDriver, find_component
from tests.discord.fake_discord import BOT_TOKEN, FACILITATOR_ROLE, GUILD_ID, FakeDiscord
from tests.discord.fake_discord import CHANNELS as DISCORD_CHANNELS
from tests.discord.process import DiscordProcess
from tests.discord.test_flows import everything
from tests.support.fake_slack import FakeMessage, FakeSlack
from tests.support.network import free_port
from tests.support.processes import settled, spawn
from tests.support.slack_driver import SIGNING_SECRET
from tests.support.slack_process import FACILITATOR, SlackProcess, vote_body


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    fake.add_member(CY, "Cy Diallo", roles=(FACILITATOR_ROLE,))
    await fake.start()
    yield fake
    await fake.stop()


async def start_both(
    adapter: str, process_database_url: str, folder: Path, slack: FakeSlack, discord: FakeDiscord
) -> SlackProcess:
    """One process serving both platforms; its Slack side is driven like a Slack-only one."""
    bot = SlackProcess(process_database_url, folder, slack)
    config = folder / "both.toml"
    config.write_text(
        f'[slack]\napi_base_url = "{slack.url}/api/"\n'
        f"[discord]\nguild_ids = [{GUILD_ID}]\n"
        f'[facilitators]\nmembers = ["slack:{FACILITATOR}"]\ndiscord_roles = ["Facilitators"]\n'
    )
    environment = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        **discord.bot_environment(),
        "ALUMNI_BOT_WEB_PORT": str(bot.port),
    }
    bot.starts = 1
    log = folder / f"bot-{bot.port}-1.log"
    bot.process = await spawn(adapter, config, process_database_url, environment, log)
    await bot.healthy(within=90)  # /readyz: Slack's token checked and Discord's gateway ready
    await discord.wait_for(lambda: str(GUILD_ID) in discord.commands, within=10)
    return bot


@pytest.mark.parametrize("adapter", ["slack,discord", "auto"])
async def test_one_process_answers_on_slack_and_on_discord(
    adapter: str, process_database_url: str, tmp_path: Path, slack: FakeSlack, discord: FakeDiscord
) -> None:
    bot = await start_both(adapter, process_database_url, tmp_path, slack, discord)
    await poll_on_each_side(bot, slack, discord)

    async with aiohttp.ClientSession() as http:
        async with http.get(bot.url + web.READY_PATH) as response:
            ready = await response.json()
        async with http.get(bot.url + web.METRICS_PATH) as response:
            metrics = await response.text()
    assert ready["platform"] == {"ok": True, "name": "discord,slack"}
    assert 'platform="slack"} 1.0' in metrics and 'platform="discord"} 1.0' in metrics

    await settled(process_database_url)
    assert await bot.stop() == 0, bot.log[-3000:]
    assert "Traceback" not in bot.log


async def poll_on_each_side(bot: SlackProcess, slack: FakeSlack, discord: FakeDiscord) -> None:
    """A facilitator posts a poll on each platform; each answer goes out on its own only."""
    assert await bot.command(FACILITATOR, 'poll "Slack first?" "Yes" "No"') == 200
    await slack.wait_for(lambda: any("Slack first?" in m.words for m in slack.messages), within=15)

    members = DiscordDriver(discord, None)  # type: ignore[arg-type]  # builds payloads only
    asked = members.command_data("alumni poll", {"poll": '"Discord first?" "Yes" "No"'})
    await discord.interact(members.payload(APPLICATION_COMMAND, asked, CY))
    await discord.wait_for(
        lambda: [m for m in discord.messages.values() if "Discord first?" in everything(m)], within=15
    )
    assert not any("Discord first?" in m.words for m in slack.messages)
    assert not [m for m in discord.messages.values() if "Slack first?" in everything(m)]


async def test_a_slack_process_and_a_discord_process_share_one_postgresql(
    process_postgres_url: str, tmp_path: Path, slack: FakeSlack, discord: FakeDiscord
) -> None:
    """Each process delivers its own platform's messages from the one outbox, and nothing waits."""
    on_slack = SlackProcess(process_postgres_url, tmp_path, slack)
    on_discord = DiscordProcess(process_postgres_url, tmp_path, discord)
    await on_slack.start()
    await on_discord.start()
    await poll_on_each_side(on_slack, slack, discord)
    await settled(process_postgres_url)
    assert await on_slack.stop() == 0, on_slack.log[-3000:]
    assert await on_discord.stop() == 0, on_discord.log[-3000:]
    assert "Traceback" not in on_slack.log + on_discord.log


async def test_a_failing_adapter_stops_the_process_with_one_line(
    process_database_url: str, tmp_path: Path, slack: FakeSlack
) -> None:
    """Discord unreachable: the Slack side is stopped too, and the reason is one line."""
    config = tmp_path / "both.toml"
    config.write_text(f'[slack]\napi_base_url = "{slack.url}/api/"\n')
    environment = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_APP_TOKEN": "",
        "DISCORD_TOKEN": BOT_TOKEN,
        "DISCORD_API_BASE_URL": f"http://127.0.0.1:{free_port()}/api/v10",
    }
    log = tmp_path / "failing.log"
    process = await spawn("slack,discord", config, process_database_url, environment, log)
    assert await asyncio.wait_for(process.wait(), 60) == 2
    output = log.read_text()
    assert "cannot reach Discord" in output and "Traceback" not in output


def test_auto_picks_every_platform_whose_token_is_set() -> None:
    run = build_parser().parse_args(["run"])
    both = load_settings(None, {"SLACK_BOT_TOKEN": "xoxb-1", "DISCORD_TOKEN": "d"})
    assert choose_adapters(run, both) == ("slack", "discord")
    assert choose_adapters(run, load_settings(None, {"DISCORD_TOKEN": "d"})) == ("discord",)
    assert choose_adapters(run, load_settings(None, {})) == ("console",)
    listed = build_parser().parse_args(["run", "--adapter", "discord, slack"])
    assert choose_adapters(listed, both) == ("discord", "slack")


@pytest.mark.parametrize("value", ["slack,console", "slack,irc", "slack,auto"])
def test_a_list_names_platforms_only(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--adapter", value])
    assert "several platforms joined by commas (slack,discord)" in capsys.readouterr().err
    with pytest.raises(ConfigError, match=r"ALUMNI_BOT_BOT_ADAPTER: expected one of auto"):
        load_settings(None, {"ALUMNI_BOT_BOT_ADAPTER": value})
    assert isinstance(build_parser().parse_args(["run", "--adapter", "slack,discord"]), argparse.Namespace)


BO = 7002  # a Discord member who is not a facilitator


def discord_poll(discord: FakeDiscord, words: str) -> dict[str, Any]:
    [found] = [m for m in discord.messages.values() if words in everything(m) and m.get("components")][-1:]
    return found


async def press_on_discord(discord: FakeDiscord, user: int, message: dict[str, Any], label: str) -> None:
    members = DiscordDriver(discord, None)  # type: ignore[arg-type]  # builds payloads only
    data = {"custom_id": find_component(message, label)["custom_id"], "component_type": 2}
    log = await discord.interact(members.payload(COMPONENT, data, user, message=message))
    await asyncio.wait_for(log.answered.wait(), 10)


async def test_a_poll_posted_on_both_platforms_is_voted_from_both_and_closed_on_both(
    process_database_url: str, tmp_path: Path, slack: FakeSlack, discord: FakeDiscord
) -> None:
    """Through slack-bolt and discord.py in one process: the copies show the same final counts,
    closing closes both, and the export lists the votes of both platforms."""
    discord.add_member(BO, "Bo Nguyen")
    bot = await start_both("slack,discord", process_database_url, tmp_path, slack, discord)
    assert await bot.command(FACILITATOR, 'poll "Lunch?" "Pizza" "Salad" --also discord:#general') == 200
    await slack.wait_for(lambda: any("Also posted in: discord:#general." in m.words for m in slack.messages))
    await slack.wait_for(lambda: any("Lunch?" in m.words and m.buttons() for m in slack.messages), 15)
    on_slack = next(m for m in slack.messages if "Lunch?" in m.words and m.buttons())
    await discord.wait_for(lambda: [m for m in discord.messages.values() if "Lunch?" in everything(m)], 15)
    on_discord = discord_poll(discord, "Lunch?")
    assert on_discord["channel_id"] == str(DISCORD_CHANNELS["general"])

    async with aiohttp.ClientSession() as http:
        assert await bot.post(http, vote_body(slack, "UANA", on_slack, "Pizza")) == 200
        assert await bot.post(http, vote_body(slack, "UBEN", on_slack, "Salad")) == 200
    await press_on_discord(discord, BO, on_discord, "Salad")
    await press_on_discord(discord, CY, on_discord, "Salad")

    # Fake Slack's wait looks again every 50 ms (fake Discord's only on a Discord request): it
    # waits for what both show.
    def both_show(*words: str) -> bool:
        slack_words = next(m for m in slack.messages if m.ts == on_slack.ts).words
        discord_words = everything(discord.messages[on_discord["id"]])
        return all(w in slack_words and w in discord_words for w in words)

    await slack.wait_for(lambda: both_show("4 voters", "1 (25%)", "3 (75%)"), within=15)

    await press_on_discord(discord, CY, discord.messages[on_discord["id"]], "Close poll")
    await slack.wait_for(lambda: both_show("Final results: Lunch?"), within=15)
    assert not next(m for m in slack.messages if m.ts == on_slack.ts).buttons()
    assert not discord.messages[on_discord["id"]].get("components")

    def results_posted() -> bool:  # under each copy, the final results as a new message
        on_discord = [m for m in discord.messages.values() if "Final results: Lunch?" in everything(m)]
        return (
            len(on_discord) == 2
            and len([m for m in slack.messages if "Final results: Lunch?" in m.words]) == 2
        )

    await slack.wait_for(results_posted, within=15)

    number = re.search(r"Poll #(\d+)", next(m for m in slack.messages if "Lunch?" in m.words).words)
    assert number is not None
    assert await bot.command(FACILITATOR, f"poll export {number[1]}") == 200
    await slack.wait_for(lambda: any(b"voter" in data for data in slack.uploads.values()), within=15)
    exported = next(data for data in slack.uploads.values() if b"voter" in data).decode()
    header, *rows = csv.reader(io.StringIO(exported))
    assert header == ["option", "answer", "voter", "platform"]
    assert sorted((r[0], r[3]) for r in rows) == [
        ("Pizza", "Slack"),
        ("Salad", "Discord"),
        ("Salad", "Discord"),
        ("Salad", "Slack"),
    ]

    await settled(process_database_url)
    assert await bot.stop() == 0, bot.log[-3000:]
    assert "Traceback" not in bot.log


async def test_a_time_slot_poll_on_both_platforms_makes_one_roundtable_rsvped_from_both(
    process_database_url: str, tmp_path: Path, slack: FakeSlack, discord: FakeDiscord
) -> None:
    """Through slack-bolt and discord.py in one process: a time-slot poll posted on both is
    answered from both, and the roundtable it makes is announced on both and answered from both,
    each announcement showing every answer."""
    discord.add_member(BO, "Bo Nguyen")
    bot = await start_both("slack,discord", process_database_url, tmp_path, slack, discord)
    plan = 'roundtable plan "Open data" --slots tomorrow at 15:00, tomorrow at 17:00 --also discord:#general'
    assert await bot.command(FACILITATOR, plan) == 200
    await slack.wait_for(lambda: any("Open data" in m.words and m.buttons() for m in slack.messages), 15)
    await discord.wait_for(lambda: [m for m in discord.messages.values() if "Open data" in everything(m)], 15)
    on_slack = next(m for m in slack.messages if "Open data" in m.words and m.buttons())
    on_discord = discord_poll(discord, "Open data")

    async with aiohttp.ClientSession() as http:
        assert await bot.post(http, vote_body(slack, "UANA", on_slack, "2 Yes")) == 200
    await press_on_discord(discord, BO, on_discord, "2 Yes")
    await press_on_discord(discord, CY, on_discord, "1 Yes")

    def both_read(slack_ts: str, discord_id: str, *words: str) -> bool:
        slack_words = next(m for m in slack.messages if m.ts == slack_ts).words
        discord_words = everything(discord.messages[discord_id])
        return all(w in slack_words and w in discord_words for w in words)

    await discord.wait_for(
        lambda: both_read(on_slack.ts, on_discord["id"], "Yes 1 ", "Yes 2 ", "3 voters"), 15
    )

    number = re.search(r"Poll #(\d+)", on_slack.words)
    assert number is not None
    assert await bot.command(FACILITATOR, f"poll close {number[1]}") == 200

    def announced() -> tuple[FakeMessage, dict[str, Any]] | None:
        on_slack = [m for m in slack.messages if "Roundtable: Open data" in m.words and m.buttons()]
        on_discord = [m for m in discord.messages.values() if "Roundtable: Open data" in everything(m)]
        return (on_slack[0], on_discord[0]) if on_slack and on_discord else None

    await slack.wait_for(announced, within=15)
    found = announced()
    assert found is not None
    slack_rt, discord_rt = found
    assert both_read(on_slack.ts, on_discord["id"], "Final results")

    async with aiohttp.ClientSession() as http:
        assert await bot.post(http, vote_body(slack, "UANA", slack_rt, "Going")) == 200
    await press_on_discord(discord, BO, discord_rt, "Going")
    await press_on_discord(discord, CY, discord_rt, "Maybe")
    await slack.wait_for(lambda: both_read(slack_rt.ts, discord_rt["id"], "Going 2", "Maybe 1"), 15)

    await settled(process_database_url)
    assert await bot.stop() == 0, bot.log[-3000:]
    assert "Traceback" not in bot.log
