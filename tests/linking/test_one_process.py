"""Linking accounts in one `alumni-bot run --adapter slack,discord` process, through the real
slack-bolt and discord.py against the fake Slack and the fake Discord (SQLite and PostgreSQL):
a code made on Slack typed on Discord, wrong, expired and reused codes, unlink, the profile
choice pressed on Discord, and forget-me from one side removing both accounts. The Discord
account's reminder, vote, match, introduction and RSVP move over, a poll and a roundtable
answered from both accounts keeping one answer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.features.linking.codes import code_hash
from storage.database import Database
from storage.models import (
    Connection,
    Identity,
    IntroCandidate,
    IntroRequest,
    MatchGroup,
    MatchGroupMember,
    MatchRound,
    PollOption,
    PollVote,
    Reminder,
    Roundtable,
    Rsvp,
)
from tests.discord.driver import ANA, APPLICATION_COMMAND, BO, COMPONENT, CY, DiscordDriver, find_component
from tests.discord.fake_discord import GUILD_ID, FakeDiscord, InteractionLog
from tests.discord.test_flows import everything
from tests.support.fake_slack import TEAM, FakeSlack
from tests.support.processes import settled
from tests.support.slack_process import SlackProcess
from tests.test_several_adapters import start_both

SLACK_ANA = "UANA"
CODE = re.compile(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")


class Members:
    """Discord members acting on the fake Discord the bot process is connected to."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.payloads = DiscordDriver(fake, None)  # type: ignore[arg-type]  # builds payloads only

    async def slash(self, user: int, command: str, **options: Any) -> str:
        return await self._answer(await self.command(user, command, **options))

    async def command(self, user: int, command: str, **options: Any) -> InteractionLog:
        asked = self.payloads.command_data(command, options)
        log = await self.fake.interact(self.payloads.payload(APPLICATION_COMMAND, asked, user))
        await self._answer(log)
        return log

    async def press(self, user: int, message: dict[str, Any], label: str) -> str:
        return await self._answer(await self.click(user, message, label))

    async def click(self, user: int, message: dict[str, Any], label: str) -> InteractionLog:
        """A press, answered; its log (a form it opened can be submitted)."""
        component = find_component(message, label)
        data = {"custom_id": component["custom_id"], "component_type": component["type"]}
        dm = int(message["channel_id"]) - 10_000 in self.fake.users  # a press in direct messages
        log = await self.fake.interact(self.payloads.payload(COMPONENT, data, user, message=message, dm=dm))
        await self._answer(log)
        return log

    async def submit(self, user: int, opened: InteractionLog, **values: str) -> InteractionLog:
        """Submit the form `opened` showed (its prefilled values unless given here)."""
        log = await self.fake.interact(self.payloads.submit_payload(user, opened, **values))
        await self._answer(log)
        return log

    async def _answer(self, log: InteractionLog) -> str:
        await self.fake.wait_for(lambda: log.callback is not None, within=15)
        assert log.callback is not None
        return everything(log.callback.get("data") or {})

    async def profile_of(self, user: int) -> str:
        return await self.slash(user, "alumni profile")

    def dms(self, user: int) -> str:
        return "\n".join(
            everything(m) for m in self.fake.messages.values() if m["channel_id"] == str(10_000 + user)
        )


async def slack_says(bot: SlackProcess, fake: FakeSlack, user: str, text: str, expect: str) -> str:
    """A command on Slack and the private answer that has `expect` in it."""
    seen = len(fake.messages)
    assert await bot.command(user, text) == 200

    def answered() -> str | None:
        return next((m.words for m in fake.messages[seen:] if m.only_for == user and expect in m.words), None)

    await fake.wait_for(answered, within=15)
    return answered() or ""


async def save_profile(url: str, platform: str, user: str, organisation: str) -> None:
    """A saved profile for the account (made first when the bot has not met it yet)."""
    database = Database(url)
    now = datetime.now(UTC)
    workspace = TEAM if platform == "slack" else str(GUILD_ID)
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(platform, workspace, user) or await uow.people.add(
            platform=platform, workspace=workspace, user_id=user, display_name="Ana Lima", now=now
        )
        person.organisation, person.country, person.timezone = organisation, "KE", "Africa/Nairobi"
        person.profile_saved_at = now
    await database.close()


async def expired_code_of_slack_ana(url: str) -> str:
    """A code Ana made on Slack 20 minutes ago (the process's clock cannot be moved on)."""
    database = Database(url)
    now = datetime.now(UTC)
    async with database.unit_of_work() as uow:
        ana = await uow.people.by_identity("slack", TEAM, SLACK_ANA)
        assert ana is not None
        hashed = await code_hash(uow, "EXPD2345", now)
        await uow.link_codes.replace(
            ana.identities[0].id, hashed, now - timedelta(minutes=20), now - timedelta(minutes=5)
        )
    await database.close()
    return "EXPD-2345"


async def accounts(url: str) -> dict[int, list[str]]:
    """Each person's accounts, as "platform:user"."""
    database = Database(url)
    async with database.unit_of_work() as uow:
        rows = await uow.session.execute(select(Identity.person_id, Identity.platform, Identity.user_id))
        found: dict[int, list[str]] = {}
        for person_id, platform, user in rows:
            found.setdefault(person_id, []).append(f"{platform}:{user}")
    await database.close()
    return {person: sorted(names) for person, names in found.items()}


async def seed_history(url: str, poll: dict[str, Any]) -> None:
    """What the two accounts did apart, that the bot has no command to make in a test: the
    Discord account matched and introduced with Cy, both accounts answering one roundtable, and
    the Slack account's vote on the Discord poll (as a poll shown on both platforms takes it)."""
    database = Database(url)
    now = datetime.now(UTC)
    async with database.unit_of_work() as uow:
        on_slack = await uow.people.by_identity("slack", TEAM, SLACK_ANA)
        on_discord = await uow.people.by_identity("discord", str(GUILD_ID), str(ANA))
        cy = await uow.people.by_identity("discord", str(GUILD_ID), str(CY))
        assert on_slack and on_discord and cy
        cohort = await uow.cohorts.ensure("alumni", now)
        made = MatchRound(key="seeded", cohort_id=cohort.id, starts_at=now, ends_at=now, groups=[])
        made.groups.append(
            MatchGroup(
                score=1,
                members=[MatchGroupMember(person_id=on_discord.id), MatchGroupMember(person_id=cy.id)],
            )
        )
        low, high = sorted((on_discord.id, cy.id))
        table = Roundtable(
            topic="Licences",
            starts_at=now,
            platform="discord",
            workspace=str(GUILD_ID),
            channel_id="1",
            created_at=now,
        )
        uow.session.add_all(
            [
                made,
                Connection(person_a=low, person_b=high, kind="match", created_at=now),
                IntroRequest(
                    requester_id=on_discord.id,
                    subject="maps",
                    created_at=now,
                    candidates=[IntroCandidate(person_id=cy.id, rank=0)],
                ),
                table,
            ]
        )
        await uow.session.flush()
        uow.session.add_all(
            [
                Rsvp(roundtable_id=table.id, person_id=on_slack.id, answer="going", answered_at=now),
                Rsvp(roundtable_id=table.id, person_id=on_discord.id, answer="no", answered_at=now),
            ]
        )
        asked = await uow.polls.get(int(poll["components"][0]["components"][0]["custom_id"].split(":")[2]))
        assert asked is not None
        coffee = next(o for o in asked.options if o.label == "Coffee")
        uow.session.add(
            PollVote(
                poll_id=asked.id, voter_key=f"p{on_slack.id}", option_id=coffee.id, person_id=on_slack.id
            )
        )
    await database.close()


async def history(
    url: str,
) -> tuple[list[int], list[tuple[int | None, str, str]], dict[str, list[int]], list[tuple[int, str]]]:
    """Reminders' creators, votes (with the option), where Ana met Cy, and RSVPs."""
    database = Database(url)
    async with database.unit_of_work() as uow:
        creators = list(await uow.session.scalars(select(Reminder.creator_id)))
        votes = list(
            await uow.session.execute(
                select(PollVote.person_id, PollVote.voter_key, PollOption.label).join(PollOption)
            )
        )
        cy = await uow.people.by_identity("discord", str(GUILD_ID), str(CY))
        assert cy is not None
        pair = (await uow.session.execute(select(Connection.person_a, Connection.person_b))).one()
        met = {
            "connection": [p for p in pair if p != cy.id],
            "group": [p for p in await uow.session.scalars(select(MatchGroupMember.person_id)) if p != cy.id],
            "asked": list(await uow.session.scalars(select(IntroRequest.requester_id))),
        }
        rsvps = list(await uow.session.execute(select(Rsvp.person_id, Rsvp.answer)))
    await database.close()
    return creators, [tuple(v) for v in votes], met, [tuple(r) for r in rsvps]


async def test_link_from_slack_on_discord_then_unlink_and_forget_me(
    process_database_url: str, tmp_path: Path, slack: FakeSlack, discord: FakeDiscord
) -> None:
    url = process_database_url
    slack.add_user(SLACK_ANA, "Ana Lima")
    discord.add_member(ANA, "Ana Lima")
    discord.add_member(BO, "Bo Chen")
    await save_profile(url, "slack", SLACK_ANA, "GBIF")  # before the bot starts
    bot = await start_both("slack,discord", url, tmp_path, slack, discord)
    members = Members(discord)

    # Ana's Discord account has a reminder and a vote of its own before it is linked.
    assert "I'll remind you" in await members.slash(
        ANA, "alumni remind", who="me", when="in 2 hours", what="stretch"
    )
    await members.slash(CY, "alumni poll", poll='"Tea or coffee?" "Tea" "Coffee"')
    poll = await discord.wait_for(
        lambda: next((m for m in discord.messages.values() if "Tea or coffee?" in everything(m)), None),
        within=15,
    )
    assert "Your vote now" in await members.press(ANA, poll, "Tea")

    await seed_history(url, poll)

    wrong = await members.slash(ANA, "alumni link", code="AAAA-AAAA")
    assert "I don't know that code" in wrong and "/alumni link K7MX-2QPA" in wrong
    expired = await members.slash(ANA, "alumni link", code=await expired_code_of_slack_ana(url))
    assert "That code has expired" in expired

    given = await slack_says(bot, slack, SLACK_ANA, "link", "Your link code")
    code = CODE.search(given)
    assert code and f"On Discord, type: /alumni link {code.group(0)}" in given
    linked = await members.slash(ANA, "alumni link", code=code.group(0).lower().replace("-", " "))
    assert "Linked: your Slack and Discord accounts are one member now, Ana Lima" in linked
    await slack.wait_for(
        lambda: any("Linked" in m.words for m in slack.messages if m.channel == f"D{SLACK_ANA}"), within=15
    )
    [both] = [names for names in (await accounts(url)).values() if len(names) == 2]
    assert both == [f"discord:{ANA}", f"slack:{SLACK_ANA}"]
    assert "GBIF" in await members.profile_of(ANA)  # the Slack profile, seen from Discord: one member
    kept = next(person for person, names in (await accounts(url)).items() if len(names) == 2)
    creators, votes, met, rsvps = await history(url)
    assert creators == [kept] and votes == [(kept, f"p{kept}", "Coffee")]  # one vote: the kept one
    assert met == {"connection": [kept], "group": [kept], "asked": [kept]} and rsvps == [(kept, "going")]

    reused = await members.slash(BO, "alumni link", code=code.group(0))
    assert "That code was already used" in reused

    split = await slack_says(bot, slack, SLACK_ANA, "unlink discord", "Unlinked")
    assert "your Discord account is a member of its own now" in split
    await discord.wait_for(lambda: "Unlinked" in members.dms(ANA), within=15)
    assert sorted(len(names) for names in (await accounts(url)).values()) == [1, 1, 1]

    # Both accounts have a profile now: Ana chooses, with a button of the reply on Discord.
    await save_profile(url, "discord", str(ANA), "OSM Kenya")
    again = CODE.search(await slack_says(bot, slack, SLACK_ANA, "link", "Your link code"))
    assert again
    asked = await members.command(ANA, "alumni link", code=again.group(0))
    choice = discord.messages[asked.payload["_original"]]
    assert "Both accounts have a profile" in everything(choice)
    assert "Linked" in await members.press(ANA, choice, "Keep the Discord profile")
    assert "OSM Kenya" in await members.profile_of(ANA)
    asked = await members.command(ANA, "alumni forget-me")
    confirm = discord.messages[asked.payload["_original"]]
    assert "everything alumni-bot stored about you is deleted" in await members.press(
        ANA, confirm, "Delete my data"
    )
    remaining = [name for names in (await accounts(url)).values() for name in names]
    assert remaining == [f"discord:{CY}"]  # Bo's refused code left nothing behind

    await settled(url)
    assert await bot.stop() == 0, bot.log[-3000:]
    assert "Traceback" not in bot.log
