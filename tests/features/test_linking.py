"""Linking accounts through the real core: a code made on one platform, typed on the other,
the profile choice, every refusal, unlink, what facilitators see, my-data and forget-me.

Two recording chats stand for Slack and Discord; each event delivers the outbox of both."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from bot import housekeeping
from bot.config import FacilitatorSettings, Settings
from bot.core import Core
from bot.events import Actor, Command
from bot.features.polls.ballots import ballot_key, voter_key
from bot.outbound import Delete, Direct, Ephemeral, Update
from bot.outbox import Sender
from bot.refs import ChannelRef, MemberRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.models import (
    CohortMember,
    Connection,
    Identity,
    IntroCandidate,
    IntroRequest,
    LinkAttempt,
    LinkCode,
    MatchAvoid,
    MatchGroup,
    MatchGroupMember,
    MatchRound,
    Person,
    PollVote,
    Reminder,
    Roundtable,
    Rsvp,
    SearchWord,
    Tie,
)
from tests.features.test_member_data import rows_naming
from tests.features.test_polls import poll_id
from tests.support.chat import WORKSPACE, Clock, Conversation, RecordingChat, Sent
from tests.support.databases import count, snapshot

CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{4})-([A-HJKMNP-Z2-9]{4})\b")


class PlatformChat(RecordingChat):
    def __init__(self, platform: str) -> None:
        super().__init__()
        self.platform = platform


class Side(Conversation):
    """Members on one platform; each event delivers what the outbox holds for every platform."""

    def __init__(self, core: Core, chat: PlatformChat, everyone: list[PlatformChat]) -> None:
        super().__init__(core, chat)
        self.everyone = everyone

    def member(self, name: str, *, roles: frozenset[str] = frozenset(), timezone: str | None = None) -> Actor:
        key = name.lower()
        if key not in self.members or roles:
            self.members[key] = Actor(MemberRef(self.chat.platform, WORKSPACE, key), name, roles, timezone)
        return self.members[key]

    async def say(self, name: str, text: str, delivery_id: str | None = None) -> list[Sent]:
        command, _, rest = text.removeprefix("/").partition(" ")
        channel = ChannelRef(self.chat.platform, WORKSPACE, "C-general")
        return await self._run(Command(self.member(name), command, rest, channel, delivery_id))

    async def _run(self, event: Any) -> list[Sent]:
        before = len(self.chat.sent)
        self.chat.current_actor = event.actor.member
        self.last_outcome = await self.core.receive(event, self.chat)
        await Sender(self.core.database, self.everyone, self.core.clock).deliver_due()
        return self.chat.sent[before:]


@pytest.fixture
def settings() -> Settings:
    return Settings(facilitators=FacilitatorSettings(members=("slack:fay", "discord:fay")))


@pytest.fixture
def chats() -> list[PlatformChat]:
    return [PlatformChat("slack"), PlatformChat("discord")]


@pytest.fixture
def slack(core: Core, chats: list[PlatformChat]) -> Side:
    return Side(core, chats[0], chats)


@pytest.fixture
def discord(core: Core, chats: list[PlatformChat]) -> Side:
    return Side(core, chats[1], chats)


async def make_code(side: Side, name: str) -> str:
    [reply] = await side.say(name, "/alumni link")
    assert isinstance(reply.item.to, Ephemeral) and reply.item.to.member == side.ref(name)
    found = CODE.search(reply.text)
    assert found, reply.text
    return found.group(0)


async def person_of(database: Database, platform: str, user: str) -> Person:
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(platform, WORKSPACE, user)
        assert person is not None
        return person


async def accounts(database: Database, platform: str, user: str) -> list[tuple[str, str]]:
    person = await person_of(database, platform, user)
    return sorted((i.platform, i.user_id) for i in person.identities)


async def test_a_code_from_slack_typed_on_discord_makes_one_member(
    slack: Side, discord: Side, database: Database
) -> None:
    await slack.set_up_profile("Ana", organisation="GBIF", expertise="licensing")
    await discord.say("Ana", "/alumni help")  # the Discord account is known, without a profile
    [reply] = await slack.say("Ana", "/alumni link")
    code = CODE.search(reply.text)
    assert code and "works once, for 15 minutes" in reply.text
    assert f"On Discord, type: /alumni link {code.group(0)}" in reply.text
    async with database.unit_of_work() as uow:
        [stored] = list(await uow.session.scalars(select(LinkCode)))
    assert len(stored.code_hash) == 64 and code.group(0).replace("-", "") not in stored.code_hash

    typed = f"{code.group(1).lower()} {code.group(2).lower()}"  # lowercase, a space for the dash
    [linked] = await discord.say("Ana", f"/alumni link {typed}")
    assert isinstance(linked.item.to, Ephemeral)
    assert "Linked: your Slack and Discord accounts are one member now, Ana" in linked.text
    [told] = [s for s in slack.seen_by("Ana") if isinstance(s.item.to, Direct)]
    assert "Linked" in told.text  # the other side hears it too, through the outbox
    assert await accounts(database, "discord", "ana") == [("discord", "ana"), ("slack", "ana")]
    assert (await person_of(database, "discord", "ana")).organisation == "GBIF"
    assert await count(database, Person) == 1

    await discord.set_up_profile("Bo", organisation="OSM")
    [found] = await discord.say("Bo", "/alumni find licensing")
    assert found.text.count("Ana") == 1 and "on Slack as" not in found.text


async def test_a_new_code_replaces_the_unused_one(slack: Side, discord: Side, database: Database) -> None:
    first = await make_code(slack, "Ana")
    second = await make_code(slack, "Ana")
    assert await count(database, LinkCode) == 1
    [refused] = await discord.say("Ana", f"/alumni link {first}")
    assert "I don't know that code" in refused.text and "Try: /alumni link K7MX-2QPA" in refused.text
    [linked] = await discord.say("Ana", f"/alumni link {second.replace('-', '')}")
    assert "Linked" in linked.text


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("K7MX", "A link code has 8 letters and digits, like K7MX-2QPA."),
        ("K7MX-2QP0", "A link code has 8 letters and digits"),  # 0 is not in the alphabet
        ("K7MX-2QPA-9", "A link code has 8 letters and digits"),
    ],
)
async def test_a_malformed_code_is_explained_and_saves_nothing(
    discord: Side, database: Database, typed: str, problem: str
) -> None:
    await discord.say("Ana", "/alumni help")
    before = await snapshot(database)
    [refused] = await discord.say("Ana", f"/alumni link {typed}")
    assert isinstance(refused.item.to, Ephemeral) and problem in refused.text
    assert "Try: /alumni link K7MX-2QPA" in refused.text
    assert await snapshot(database) == before


async def test_expired_used_and_own_codes_are_refused(
    slack: Side, discord: Side, database: Database, clock: Clock
) -> None:
    code = await make_code(slack, "Ana")
    clock.advance(minutes=15, seconds=1)
    await discord.say("Ana", "/alumni help")
    before = await snapshot(database)
    [expired] = await discord.say("Ana", f"/alumni link {code}")
    assert "That code has expired (codes last 15 minutes)" in expired.text
    assert "Try: /alumni link on your Slack account" in expired.text

    code = await make_code(slack, "Ana")
    [own] = await slack.say("Ana", f"/alumni link {code}")
    assert "This code was made on Slack: type it on your account on another platform." in own.text
    [same_platform] = await slack.say("Bo", f"/alumni link {code}")
    assert "This code was made on Slack" in same_platform.text

    await discord.say("Ana", f"/alumni link {code}")
    await discord.say("Cy", "/alumni help")
    before = await snapshot(database)
    [used] = await discord.say("Cy", f"/alumni link {code}")
    assert "That code was already used." in used.text
    assert await snapshot(database) == before


async def test_accounts_already_linked_are_refused(slack: Side, discord: Side, database: Database) -> None:
    await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    [again] = await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    assert "These accounts are already linked." in again.text and "Try: /alumni unlink slack" in again.text

    bo_code = await make_code(slack, "Bo")
    [taken] = await discord.say("Ana", f"/alumni link {bo_code}")
    assert "Your Discord account is already linked to a Slack account" in taken.text
    assert "Try: /alumni unlink slack" in taken.text
    await discord.say("Cy", "/alumni help")
    [theirs] = await discord.say("Cy", f"/alumni link {await make_code(slack, 'Ana')}")
    assert "The Slack account that made this code is already linked to a Discord account" in theirs.text
    assert await accounts(database, "slack", "bo") == [("slack", "bo")]
    assert await accounts(database, "discord", "cy") == [("discord", "cy")]


async def test_wrong_codes_are_limited_per_account(
    slack: Side, discord: Side, database: Database, clock: Clock
) -> None:
    for _ in range(5):
        [wrong] = await discord.say("Ana", "/alumni link AAAA-AAAA")
        assert "I don't know that code" in wrong.text
    assert await count(database, LinkAttempt) == 5
    code = await make_code(slack, "Ana")
    [limited] = await discord.say("Ana", f"/alumni link {code}")
    assert "Too many wrong codes. You can try again in 15 minutes." in limited.text
    assert await accounts(database, "slack", "ana") == [("slack", "ana")]
    clock.advance(minutes=15)
    [linked] = await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    assert "Linked" in linked.text


async def test_with_two_profiles_the_member_chooses_which_to_keep(
    slack: Side, discord: Side, database: Database
) -> None:
    await slack.set_up_profile("Ana", organisation="GBIF", expertise="licensing")
    await discord.set_up_profile("Ana", organisation="OSM Kenya", expertise="mapping")
    [choice] = await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    assert "Both accounts have a profile: which one do you keep?" in choice.text
    assert "GBIF" in choice.text and "OSM Kenya" in choice.text
    assert [b.label for b in choice.buttons()] == [
        "Keep the Slack profile",
        "Keep the Discord profile",
        "Choose part by part",
        "Don't link",
    ]
    assert await count(database, Person) == 2

    [forged] = await discord.press("Bo", choice, "Keep the Slack profile")
    assert "That button no longer works" in forged.text
    [done] = await discord.press("Ana", choice, "Keep the Discord profile")
    assert done.item.to == Update() and "Linked" in done.text
    ana = await person_of(database, "slack", "ana")
    assert ana.organisation == "OSM Kenya" and ana.tag_labels("expertise") == ["mapping"]
    assert await count(database, Person) == 1
    [gone] = await discord.say("Ana", "/alumni find licensing")
    assert "Ana" not in gone.text  # the dropped profile left the directory with its person
    async with database.unit_of_work() as uow:
        words = set(await uow.session.scalars(select(SearchWord.word)))
    assert "mapping" in words and "licensing" not in words  # and the index its words
    [spent] = await discord.press("Ana", choice, "Keep the Slack profile")
    assert "That code was already used" in spent.text


async def test_the_profile_can_be_chosen_part_by_part(slack: Side, discord: Side, database: Database) -> None:
    await slack.set_up_profile("Ana", organisation="GBIF", expertise="licensing")
    await discord.set_up_profile("Ana", organisation="OSM Kenya", expertise="mapping")
    [choice] = await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    [parts] = await discord.press("Ana", choice, "Choose part by part")
    assert parts.item.to == Update() and "For each part, press the profile it comes from" in parts.text
    assert "Where and when" not in parts.text  # the same on both: nothing to choose
    labels = [b.label for b in parts.buttons()]
    assert labels[:4] == [
        "\u2713 Slack: Ana, GBIF",
        "Discord: Ana, OSM Kenya",
        "\u2713 Slack: licensing",
        "Discord: mapping",
    ]
    [parts] = await discord.press("Ana", parts, "Discord: Ana, OSM Kenya")
    assert [b.label for b in parts.buttons()][:2] == ["Slack: Ana, GBIF", "\u2713 Discord: Ana, OSM Kenya"]
    [forged] = await discord.press("Bo", parts, "Link with these")
    assert "That button no longer works" in forged.text
    done, card = await discord.press("Ana", parts, "Link with these")
    assert isinstance(card.item, Delete)  # the Discord profile's card goes with it
    assert "Linked" in done.text
    ana = await person_of(database, "discord", "ana")
    assert ana.organisation == "OSM Kenya" and ana.tag_labels("expertise") == ["licensing"]
    assert await accounts(database, "discord", "ana") == [("discord", "ana"), ("slack", "ana")]
    [found] = await slack.say("Ana", "/alumni find licensing")
    assert "OSM Kenya" in found.text


async def test_dont_link_keeps_both_apart_and_spends_the_code(
    slack: Side, discord: Side, database: Database
) -> None:
    await slack.set_up_profile("Ana", organisation="GBIF")
    await discord.set_up_profile("Ana", organisation="OSM Kenya")
    code = await make_code(slack, "Ana")
    [choice] = await discord.say("Ana", f"/alumni link {code}")
    [kept_apart] = await discord.press("Ana", choice, "Don't link")
    assert "Nothing was linked" in kept_apart.text
    assert await count(database, Person) == 2
    [used] = await discord.say("Ana", f"/alumni link {code}")
    assert "That code was already used" in used.text


async def test_unlink_gives_the_account_a_blank_profile(
    slack: Side, discord: Side, database: Database
) -> None:
    [unknown] = await slack.say("Ana", "/alumni unlink irc")
    assert "I can unlink a Slack or a Discord account, not \u201circ\u201d." in unknown.text
    [alone] = await slack.say("Ana", "/alumni unlink discord")
    assert "Your account isn't linked to a Discord account." in alone.text
    await slack.set_up_profile("Ana", organisation="GBIF")
    await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    async with database.unit_of_work() as uow:
        ana = await uow.people.by_identity("slack", WORKSPACE, "ana")
        assert ana is not None
        ana.reach_platform = "discord"  # as chosen on the home

    [split] = await slack.say("Ana", "/alumni unlink discord")
    assert "Unlinked: your Discord account is a member of its own now" in split.text
    assert "Your profile stays on Slack." in split.text
    [told] = [s for s in discord.seen_by("Ana") if isinstance(s.item.to, Direct) and "Unlinked" in s.text]
    assert told.item.to == Direct(discord.ref("Ana"))
    assert await accounts(database, "slack", "ana") == [("slack", "ana")]
    fresh = await person_of(database, "discord", "ana")
    assert fresh.organisation == "" and fresh.profile_saved_at is None
    ana = await person_of(database, "slack", "ana")
    assert ana.organisation == "GBIF" and ana.reach_platform == ""  # reached where it still is


async def test_facilitators_see_links_and_members_cannot(slack: Side, discord: Side) -> None:
    [none] = await slack.say("Fay", "/alumni links")
    assert "No member has linked accounts yet." in none.text
    await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    [refused] = await slack.say("Ana", "/alumni links")
    assert "Only facilitators can use /alumni links." in refused.text
    [listed] = await slack.say("Fay", "/alumni links")
    assert "1 member has linked accounts" in listed.text
    assert "Ana: on Slack as Ana; on Discord as Ana" in listed.text


async def test_my_data_has_both_accounts_and_forget_me_removes_both(
    slack: Side, discord: Side, database: Database
) -> None:
    await slack.set_up_profile("Ana")
    await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")
    sent = await discord.say("Ana", "/alumni my-data")
    data = json.loads(next(s for s in sent if isinstance(s.item.to, Direct)).attachments[0].data)
    assert sorted(a["platform"] for a in data["profile"]["accounts"]) == ["discord", "slack"]

    confirm = (await discord.say("Ana", "/alumni forget-me"))[0]
    await discord.press("Ana", confirm, "Delete my data")
    assert await count(database, Identity) == 0 and await count(database, Person) == 0
    assert await count(database, LinkCode) == 0


async def ask_poll(side: Side, text: str) -> Sent:
    return (await side.say("Fay", text))[1]


async def test_a_merge_moves_history_and_drops_duplicates(
    slack: Side, discord: Side, database: Database, clock: Clock
) -> None:
    await slack.set_up_profile("Ana", organisation="GBIF")
    await slack.set_up_profile("Bo", organisation="OSM")
    await discord.say("Ana", "/alumni remind me in 2 hours stretch your legs")
    both = await ask_poll(slack, '/alumni poll "Which topic next?" "Open licences" "Maps"')
    await slack.press("Ana", both, "Open licences")
    only_discord = await ask_poll(discord, '/alumni poll "Tea or coffee?" "Tea" "Coffee"')
    await discord.press("Ana", only_discord, "Tea")
    secret = await ask_poll(slack, '/alumni poll "Happy?" "Yes" "No" --anonymous')
    await slack.press("Ana", secret, "Yes")
    kept = (await person_of(database, "slack", "ana")).id
    dropped = (await person_of(database, "discord", "ana")).id
    bo = (await person_of(database, "slack", "bo")).id
    now = clock.now()
    async with database.unit_of_work() as uow:
        # The same polls voted from Discord too, as a poll shown on both platforms takes them.
        for poll in (await uow.polls.get(int(poll_id(both))), await uow.polls.get(int(poll_id(secret)))):
            assert poll is not None
            key = await ballot_key(None, uow, now) if poll.anonymous else None
            uow.session.add(
                PollVote(
                    poll_id=poll.id,
                    voter_key=voter_key(key, poll.id, dropped),
                    option_id=poll.options[1].id,
                    person_id=None if poll.anonymous else dropped,
                )
            )
        cohort = await uow.cohorts.ensure("alumni", now)
        await uow.cohorts.add_member(cohort, dropped, now)  # Ana's Slack person is in it already
        round_ = MatchRound(key="r1", cohort_id=cohort.id, starts_at=now, ends_at=now, groups=[])
        uow.session.add(round_)
        await uow.session.flush()
        group = MatchGroup(round_id=round_.id, score=1, members=[])
        group.members.extend(
            [MatchGroupMember(person_id=dropped, position=0), MatchGroupMember(person_id=bo)]
        )
        round_.groups.append(group)
        await uow.session.flush()
        await uow.matching.record_answer(group.id, dropped, "yes", now)  # a new tie with Bo
        uow.session.add_all(
            [
                Connection(
                    person_a=min(dropped, bo), person_b=max(dropped, bo), kind="match", created_at=now
                ),
                Connection(person_a=kept, person_b=dropped, kind="intro", created_at=now),
                MatchAvoid(person_id=kept, avoided_id=bo),
                MatchAvoid(person_id=dropped, avoided_id=bo),
                MatchAvoid(person_id=dropped, avoided_id=kept),
                MatchAvoid(person_id=bo, avoided_id=dropped),
                IntroRequest(
                    requester_id=dropped,
                    subject="maps",
                    created_at=now,
                    candidates=[
                        IntroCandidate(person_id=bo, rank=0),
                        IntroCandidate(person_id=kept, rank=1),  # the other account, proposed
                    ],
                ),
            ]
        )
        table = Roundtable(
            topic="Licences",
            starts_at=now,
            platform="slack",
            workspace=WORKSPACE,
            channel_id="C",
            created_at=now,
        )
        uow.session.add(table)
        await uow.session.flush()
        uow.session.add_all(
            [
                Rsvp(roundtable_id=table.id, person_id=kept, answer="going", answered_at=now),
                Rsvp(roundtable_id=table.id, person_id=dropped, answer="no", answered_at=now),
            ]
        )

    await discord.say("Ana", f"/alumni link {await make_code(slack, 'Ana')}")

    assert await rows_naming(database, dropped) == {}
    async with database.unit_of_work() as uow:
        votes = {(v.poll_id, v.voter_key, v.person_id) for v in await uow.session.scalars(select(PollVote))}
        reminder = (await uow.session.scalars(select(Reminder))).one()
        members = list(await uow.session.scalars(select(CohortMember.person_id)))
        pairs = list(await uow.session.execute(select(Connection.person_a, Connection.person_b)))
        avoids = set(await uow.session.execute(select(MatchAvoid.person_id, MatchAvoid.avoided_id)))
        grouped = set(await uow.session.scalars(select(MatchGroupMember.person_id)))
        rsvps = list(await uow.session.execute(select(Rsvp.person_id, Rsvp.answer)))
        asked = (await uow.session.scalars(select(IntroRequest.requester_id))).one()
        proposed = list(await uow.session.scalars(select(IntroCandidate.person_id)))
        met = list(await uow.session.execute(select(Tie.person_a, Tie.person_b)))
    choice_poll, tea_poll, secret_poll = (int(poll_id(s)) for s in (both, only_discord, secret))
    assert (choice_poll, f"p{kept}", kept) in votes and len([v for v in votes if v[0] == choice_poll]) == 1
    assert (tea_poll, f"p{kept}", kept) in votes
    assert len([v for v in votes if v[0] == secret_poll]) == 1
    assert reminder.creator_id == kept and asked == kept and proposed == [bo]  # not to herself
    assert members == [kept]
    assert pairs == [(min(kept, bo), max(kept, bo))]
    assert met == pairs
    assert avoids == {(kept, bo), (bo, kept)}
    assert grouped == {kept, bo}
    assert rsvps == [(kept, "going")]


async def test_housekeeping_prunes_expired_codes_and_old_wrong_attempts(
    slack: Side, discord: Side, database: Database, clock: Clock, runner: ScheduleRunner
) -> None:
    await make_code(slack, "Ana")
    await discord.say("Ana", "/alumni link AAAA-AAAA")
    async with database.unit_of_work() as uow:
        await housekeeping.ensure(uow, clock.now())
    clock.advance(hours=2)
    await make_code(slack, "Bo")  # still valid: kept
    await runner.fire_due("slack")
    assert await count(database, LinkCode) == 1 and await count(database, LinkAttempt) == 0


async def test_help_explains_link_unlink_and_links(slack: Side) -> None:
    [link] = await slack.say("Ana", "/alumni help link")
    assert "/alumni link [code]" in link.text and "valid for 15 minutes" in link.text
    assert "/alumni link K7MX-2QPA" in link.text
    [overview] = await slack.say("Ana", "/alumni help")
    assert "/alumni unlink <slack|discord>" in overview.text and "/alumni links" not in overview.text
    [staff] = await slack.say("Fay", "/alumni help")
    assert "/alumni links" in staff.text
