"""Help, unknown commands, stale buttons, permissions and failures, through the core."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.action_ids import Number, Route, Text, action_id, read_action_id
from bot.config import FacilitatorSettings, Settings
from bot.core import Core
from bot.events import Actor
from bot.outbound import Direct
from bot.permissions import FACILITATOR, is_facilitator, roles_of
from bot.refs import MemberRef
from bot.router import Router
from storage.database import Database
from storage.models import Person
from tests.support.chat import Clock, Conversation, RecordingChat


async def test_help_lists_every_command_with_an_example(talk: Conversation) -> None:
    text = (await talk.say("Ana", "/alumni help"))[0].text
    for name, spec in talk.core.router.commands.items():
        # Facilitators' commands are listed to facilitators only.
        assert (f"/alumni {name}" in text) != spec.facilitator_only
    assert "e.g. /alumni find open data" in text and "/intro, /profile" in text
    assert (await talk.say("Ana", "/alumni"))[0].text == text


async def test_members_learn_what_facilitators_run_and_whom_to_ask(talk: Conversation) -> None:
    [shown] = await talk.say("Ana", "/alumni help")
    assert "Facilitators also run polls, roundtables and matching rounds" in shown.text
    assert "ask @fay." in shown.text  # [facilitators] members, as a mention
    assert "match preview" not in shown.text and "For facilitators" not in shown.text
    assert "/alumni match join [cohort]" in shown.text and "/alumni remind <who> <when> <what>" in shown.text


async def test_facilitators_see_the_list_in_two_groups(talk: Conversation) -> None:
    [shown] = await talk.say("Fay", "/alumni help")
    everyone, staff = shown.text.split("For facilitators")
    assert everyone.startswith("For everyone") and "/alumni find <words>" in everyone
    assert "/alumni poll" not in everyone and "match preview" not in everyone
    for usage in ("/alumni poll ", "match preview | run | end", "/alumni roundtable poll", "#channel"):
        assert usage in staff, usage
    [match] = await talk.say("Fay", "/alumni help match")
    assert "Facilitators: /alumni match preview | run | end" in match.text
    [member_view] = await talk.say("Ana", "/alumni help match")
    assert "Facilitators: /alumni match preview" not in member_view.text


async def test_writing_to_the_bot_gets_short_help_in_a_direct_message(talk: Conversation) -> None:
    [answer] = await talk.write("Ana")
    assert answer.item.to == Direct(talk.ref("Ana"))
    assert "Hi Ana! I don't read messages, but I answer commands" in answer.text
    assert "/alumni intro" in answer.text and "/alumni help" in answer.text


async def test_help_explains_one_command(talk: Conversation) -> None:
    text = (await talk.say("Ana", "/alumni help find"))[0].text
    assert "/alumni find <words>" in text and "open-data, open data and opendata" in text
    assert "Examples:" in text
    unknown = (await talk.say("Ana", "/alumni help fly"))[0].text
    assert "no command" in unknown and "Try: /alumni help" in unknown


async def test_unknown_commands_and_aliases_are_explained_privately(
    talk: Conversation, database: Database
) -> None:
    sent = await talk.say("Ana", "/alumni dance")
    assert sent[0].text == "I don't know the command \u201cdance\u201d.\nTry: /alumni help"
    assert sent[0].visible_to(talk.ref("Ana")) and not sent[0].visible_to(talk.ref("Ben"))
    assert "don't know the command" in (await talk.say("Ana", "/find maps"))[0].text  # not an alias
    async with database.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Person)) == 0  # nothing written


async def test_unbalanced_quotes_are_explained(talk: Conversation) -> None:
    await talk.set_up_profile("Ana")
    sent = await talk.say("Ana", '/alumni introduce "data access')
    assert "No one available" in sent[0].text or "quotation" in sent[0].text


@pytest.mark.parametrize("raw", ["nonsense", "intro:fly:1", "find:page:x", ":", "profile:"])
async def test_stale_or_foreign_action_ids_are_explained(talk: Conversation, raw: str) -> None:
    from bot.events import Action

    await talk._run(Action(talk.member("Ana"), raw))
    assert "no longer works" in talk.chat.sent[-1].text


async def turn_page(ctx: object, page: int, words: str) -> None:
    """A handler for the round trip below; never called."""


def test_action_ids_round_trip_and_respect_the_discord_limit() -> None:
    raw = action_id("find", "page", 2, "open: data/100%")
    call = read_action_id(raw, {("find", "page"): Route(turn_page, (Number(0, 9), Text(60)))})
    assert call is not None and call.args == (2, "open: data/100%")
    with pytest.raises(ValueError):
        action_id("find", "page", "x" * 100)


async def test_facilitator_only_commands_are_checked_in_the_core(database: Database, clock: Clock) -> None:
    router = Router()
    calls: list[str] = []

    @router.command(
        "secret", summary="s", usage="secret", examples=("/alumni secret",), facilitator_only=True
    )
    async def secret(ctx, args: str) -> None:  # type: ignore[no-untyped-def]
        calls.append(ctx.actor.display_name)

    settings = Settings(facilitators=FacilitatorSettings(members=("test:fran",)))
    talk = Conversation(Core(settings, database, router, clock), RecordingChat())
    refused = await talk.say("Ana", "/alumni secret")
    assert "Only facilitators" in refused[0].text and calls == []
    assert "/alumni secret" not in (await talk.say("Ana", "/alumni help"))[0].text
    await talk.say("Fran", "/alumni secret")
    assert calls == ["Fran"]


@pytest.mark.parametrize(
    ("platform", "held", "facilitator_roles", "expected"),
    [
        ("slack", {"facilitators"}, ("facilitators",), True),
        ("slack", {"Facilitator"}, ("facilitators",), False),
        ("discord", {"Facilitator"}, ("Facilitator",), True),
        ("discord", {"123"}, ("Facilitator",), False),
        ("console", {"facilitator"}, ("facilitator",), True),
        ("console", set(), ("facilitator",), False),
    ],
)
def test_platform_roles_become_the_neutral_role_the_core_judges(
    platform: str, held: set[str], facilitator_roles: tuple[str, ...], expected: bool
) -> None:
    actor = Actor(MemberRef(platform, "W", "u1"), "U", roles_of(held, facilitator_roles))
    assert is_facilitator(actor, FacilitatorSettings()) is expected


def test_only_the_neutral_role_counts_in_the_core() -> None:
    settings = FacilitatorSettings(slack_usergroups=("facilitators",), discord_roles=("Facilitator",))
    platform_named = Actor(MemberRef("slack", "W", "u1"), "U", frozenset({"facilitators"}))
    assert not is_facilitator(platform_named, settings)
    assert is_facilitator(Actor(MemberRef("discord", "W", "u2"), "U", frozenset({FACILITATOR})), settings)


async def test_an_unexpected_failure_rolls_back_and_tells_the_sender(
    database: Database, clock: Clock
) -> None:
    router = Router()

    @router.command("boom", summary="b", usage="boom", examples=("/alumni boom",))
    async def boom(ctx, args: str) -> None:  # type: ignore[no-untyped-def]
        ctx.person.organisation = "half-written"
        raise RuntimeError("secret detail")

    talk = Conversation(Core(Settings(), database, router, clock), RecordingChat())
    sent = await talk.say("Ana", "/alumni boom")
    assert sent[0].text.startswith("Sorry, something went wrong") and "secret detail" not in sent[0].text
    async with database.unit_of_work() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Person)) == 0
