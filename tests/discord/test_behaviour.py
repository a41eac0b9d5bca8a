"""Discord's rules: 3-second answers, failures reported, joins, roles, autocomplete, options."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord as discord_py
import pytest
from sqlalchemy import text

from adapters.discord import translate
from adapters.discord.translate import actor
from bot.app import build_router
from bot.command_options import command_text
from bot.permissions import FACILITATOR, is_facilitator
from bot.refs import MemberRef
from storage.database import Database
from tests.discord.driver import ANA, APPLICATION_COMMAND, BO, CY, DiscordDriver
from tests.discord.fake_discord import BOT_ID, CHANNELS, GUILD_ID, Recorded
from tests.discord.test_flows import EPHEMERAL, _last_dm, everything, reply, set_up_profile

INTRODUCTIONS = rf"/channels/{CHANNELS['introductions']}/messages"


@asynccontextmanager
async def database_held(database: Database) -> AsyncIterator[None]:
    """Another writer holds the database (a slow migration, a backup): work waits for it."""
    async with database.engine.begin() as connection:
        if database.dialect == "postgresql":
            await connection.exec_driver_sql("LOCK TABLE inbox IN EXCLUSIVE MODE")
        else:
            await connection.exec_driver_sql("DELETE FROM health_checks")  # takes SQLite's write lock
        yield


async def test_slow_work_is_deferred_within_three_seconds_then_followed_up(
    discord: DiscordDriver, database: Database
) -> None:
    async def release_later(held: asyncio.Event) -> None:
        async with database_held(database):
            held.set()
            await asyncio.sleep(2.5)

    held = asyncio.Event()
    holder = asyncio.create_task(release_later(held))
    await held.wait()
    helped = await discord.slash(ANA, "alumni help")
    await holder
    assert helped.callback == {"type": 5, "data": {"flags": EPHEMERAL}}  # deferred, "thinking…"
    assert "alumni-bot commands" in everything(helped.followups[0])
    assert not discord.fake.late_responses


async def test_no_answer_reaches_discord_before_the_interaction_is_stored(
    discord: DiscordDriver, database: Database
) -> None:
    released = asyncio.Event()

    async def release_later(held: asyncio.Event) -> None:
        async with database_held(database):
            held.set()
            await asyncio.sleep(2.4)  # past the 2 s deferral: the inbox write still waits
            released.set()

    held = asyncio.Event()
    holder = asyncio.create_task(release_later(held))
    await held.wait()
    pressed = asyncio.create_task(discord.slash(ANA, "alumni help"))
    await released.wait()
    interaction = list(discord.fake.interactions.values())[-1]
    assert interaction.callback is None  # not even "thinking…" while the write waited
    await holder
    helped = await pressed
    assert helped.callback == {"type": 5, "data": {"flags": EPHEMERAL}}
    async with database.unit_of_work() as uow:
        assert await uow.session.scalar(text("SELECT COUNT(*) FROM inbox")) == 1


async def test_a_refused_delivery_is_logged_and_reported_to_the_member(
    discord: DiscordDriver, caplog
) -> None:
    def refused(request: Recorded) -> bool:
        return request.method == "POST" and bool(re.fullmatch(INTRODUCTIONS, request.path))

    discord.fake.refuse = refused
    await set_up_profile(discord, ANA, "Ana Lima", "maps")
    told = everything(discord.fake.messages[_last_dm(discord.fake, ANA)])
    assert "couldn't deliver a message to #introductions (Discord 403: Missing Permissions)" in told
    assert "not delivered: Discord 403: Missing Permissions" in caplog.text


async def test_a_new_member_is_welcomed_in_a_dm(discord: DiscordDriver) -> None:
    await discord.join(7001, "Dee Okafor")
    dm = rf"/channels/{10_000 + 7001}/messages"
    sent = await discord.fake.wait_for(lambda: discord.fake.sent("POST", dm))
    assert "Welcome to the network, Dee Okafor!" in sent[0].body["content"]
    assert sent[0].body["components"][0]["components"][0]["custom_id"] == "profile:edit"


async def test_a_button_pressed_in_a_dm_acts_for_the_same_member(discord: DiscordDriver) -> None:
    await discord.join(7002, "Eve")
    dm = rf"/channels/{10_000 + 7002}/messages"
    await discord.fake.wait_for(lambda: discord.fake.sent("POST", dm))
    welcome = next(m for m in discord.fake.messages.values() if m["channel_id"] == str(10_000 + 7002))
    opened = await discord.press(7002, welcome, "Set up my profile")
    assert opened.callback["type"] == 9 and opened.payload.get("guild_id") is None
    saved = await discord.submit(7002, opened, organisation="ODI", country="Ghana", timezone="Accra")
    assert "Saved" in reply(saved)["content"]
    profile = await discord.slash(7002, "alumni profile")
    assert "ODI" in everything(reply(profile))  # the guild member is the one who filled the DM form


@pytest.mark.parametrize(
    ("discord_roles", "cy_facilitates"),
    [(("Facilitators",), True), (("4000",), True), (("facilitators", "4001"), False), ((), False)],
)
async def test_roles_named_or_given_by_id_make_a_facilitator(
    discord: DiscordDriver, discord_roles: tuple[str, ...], cy_facilitates: bool
) -> None:
    guild = discord.client.get_guild(GUILD_ID)
    assert guild is not None
    cy = actor(guild.get_member(CY), str(GUILD_ID), discord_roles)
    ana = actor(guild.get_member(ANA), str(GUILD_ID), discord_roles)
    assert cy.roles == (frozenset({FACILITATOR}) if cy_facilitates else frozenset())
    assert ana.roles == frozenset()
    settings = discord.client.settings.facilitators
    assert is_facilitator(cy, settings) is cy_facilitates and not is_facilitator(ana, settings)


async def test_topics_autocomplete_from_profile_tags(discord: DiscordDriver) -> None:
    await set_up_profile(discord, ANA, "Ana Lima", "Open data, maps")
    await set_up_profile(discord, BO, "Bo Chen", "open-data licensing")
    offered = await discord.autocomplete(CY, "alumni find", "words", "open")
    assert offered.callback["type"] == 8
    assert [c["name"] for c in offered.callback["data"]["choices"]] == ["Open data", "open-data licensing"]


async def test_command_definitions_have_typed_options_and_aliases(discord: DiscordDriver) -> None:
    commands = {c["name"]: c for c in discord.fake.commands[str(GUILD_ID)]}
    assert set(commands) == {"alumni", "intro", "profile"}
    subcommands = {o["name"]: o for o in commands["alumni"]["options"]}
    assert set(subcommands) == {
        "help",
        "intro",
        "profile",
        "find",
        "introduce",
        "match",
        "remind",
        "reminders",
        "poll",
        "roundtable",
        "roundtables",
        "my-data",
        "forget-me",
        "language",
        "insights",
        "home",
        "link",
        "unlink",
        "links",
    }
    words = subcommands["find"]["options"][0]
    assert (words["type"], words["autocomplete"], words["required"]) == (3, True, True)
    assert subcommands["profile"]["options"][0]["type"] == 6  # a member picker
    action, _, member = subcommands["match"]["options"]
    assert "avoid" in [c["value"] for c in action["choices"]] and member["type"] == 6
    assert all(len(o["description"]) <= 100 for o in subcommands.values())


async def test_profile_of_a_member_picked_from_the_list(discord: DiscordDriver) -> None:
    await set_up_profile(discord, BO, "Bo Chen", "licensing")
    shown = await discord.slash(ANA, "profile", member=str(BO))
    assert "Bo Chen" in everything(reply(shown)) and reply(shown)["flags"] == EPHEMERAL


async def test_typed_options_reach_the_core_typed(discord: DiscordDriver) -> None:
    """Read by discord.py from the payload Discord sends: the member picked is a member."""
    data = discord.command_data("alumni match", {"action": "avoid", "member": str(BO)})
    interaction = discord_py.Interaction(
        data=discord.payload(APPLICATION_COMMAND, data, ANA), state=discord.client._connection
    )
    who = discord.client.actor(interaction.user, str(GUILD_ID))
    event = translate.command(interaction, who)
    assert (event.name, event.text) == ("alumni", "match")
    assert event.options == {"action": "avoid", "member": MemberRef("discord", str(GUILD_ID), str(BO))}
    assert event.given_member(str(BO)) == MemberRef("discord", str(GUILD_ID), str(BO))


async def test_multi_word_topics_are_quoted_for_the_core() -> None:
    introduce = build_router().commands["introduce"]
    assert command_text(introduce, {"subject": "data access", "note": "for our API"}) == (
        '"data access" for our API'
    )
    assert command_text(introduce, {"subject": "data access"}) == "data access"
    profile = build_router().commands["profile"]
    assert command_text(profile, {"member": MemberRef("discord", str(GUILD_ID), "5001")}) == "<@5001>"


async def test_every_handled_interaction_was_answered(discord: DiscordDriver) -> None:
    await asyncio.gather(*(discord.slash(user, "alumni help") for user in (ANA, BO, CY)))
    assert all(log.callback for log in discord.fake.interactions.values())


async def test_a_direct_message_to_the_bot_gets_short_help(discord: DiscordDriver) -> None:
    fake = discord.fake

    def written(author: int, **extra: object) -> dict:
        return {
            "id": fake.snowflake(),
            "channel_id": str(10_000 + ANA),
            "author": fake.users[author],
            "content": "",  # without the message content intent, Discord leaves it out anyway
            "timestamp": "2026-11-24T09:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
        } | extra

    def answers() -> list[Recorded]:
        return [
            r
            for r in fake.sent("POST", rf"/channels/{10_000 + ANA}/messages")
            if "answer commands" in everything(r.body)
        ]

    await fake.dispatch("MESSAGE_CREATE", written(ANA))
    [answer] = await fake.wait_for(answers, within=10)
    assert "I don't read messages, but I answer commands" in everything(answer.body)
    # Its own messages and messages in the server get no answer.
    await fake.dispatch("MESSAGE_CREATE", written(BOT_ID))
    await fake.dispatch(
        "MESSAGE_CREATE", written(ANA, guild_id=str(GUILD_ID), channel_id=str(CHANNELS["general"]))
    )
    await asyncio.sleep(0.5)
    await discord.settle()
    assert len(answers()) == 1
