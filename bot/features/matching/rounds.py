"""Matching rounds: who is available, the matcher's groups, and the messages a round sends.

Used by `/alumni match preview|run` and by the "matching.round" timer. A round is keyed by what
started it, so a timer that runs again for the same occurrence (after a crash) finds the round
it already made and sends the same introductions instead of making new pairs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import combinations

from bot import wall_clock
from bot.action_ids import action_id
from bot.config import Settings
from bot.conversations import to_members
from bot.features.linking.reach import called, where_to_write
from bot.features.matching.matcher import Candidate, History, Reasons, RoundRequest, RoundResult, match_round
from bot.features.matching.meeting_time import suggested
from bot.features.matching.meetings import attendees, room_code, when_blocks
from bot.geo import zone_of
from bot.i18n import N_, _, join_list, language_of, ngettext, speaking
from bot.members import reach
from bot.messages import (
    Actions,
    Button,
    Inline,
    Message,
    Note,
    Rich,
    Section,
    Strong,
    Timestamp,
    filled,
    labelled,
    rich,
)
from bot.outbound import Destination, Direct, Group
from bot.refs import MemberRef
from storage.models import Cohort, MatchGroup, MatchRound, Person
from storage.unit_of_work import UnitOfWork

CADENCE_DAYS = {"weekly": 7, "biweekly": 14, "monthly": 28}
ANSWERS = {"yes": N_("Yes"), "not yet": N_("Not yet"), "no": N_("We couldn't")}
# Paused because check-ins went unanswered: until the member comes back with /alumni match join.
INDEFINITELY = datetime(9999, 12, 31, tzinfo=UTC)
# Schedule kinds: a plan's next round, a round's halfway check-in, and its end.
ROUND_KIND = "matching.round"
CHECKIN_KIND = "matching.checkin"
CLOSE_KIND = "matching.close"
JOIN = "/alumni match join"


@dataclass(frozen=True)
class Pool:
    """Who a round draws from: one cohort, or alumni paired across with a newer cohort."""

    cohort: Cohort
    partner: Cohort | None = None

    @property
    def label(self) -> str:
        return self.cohort.name + (f" \u00d7 {self.partner.name}" if self.partner else "")

    @property
    def cohort_ids(self) -> list[int]:
        return [self.cohort.id] + ([self.partner.id] if self.partner else [])


@dataclass(frozen=True)
class Draft:
    result: RoundResult
    people: dict[int, Person]


def how_often(cadence: str) -> str:
    """ "every week", "every 2 weeks", "every month": a cadence as repeating reminders say it."""
    if cadence == "monthly":
        return ngettext("every month", "every {n} months", 1).format(n=1)
    weeks = CADENCE_DAYS[cadence] // 7
    return ngettext("every week", "every {n} weeks", weeks).format(n=weeks)


def candidate(person: Person, was_extra: bool) -> Candidate:
    return Candidate(
        person_id=person.id,
        organisation=person.organisation.strip().casefold() or f"#{person.id}",  # unknown: not a colleague
        region=person.region,
        timezone=zone_of(person),
        expertise=frozenset(t.key for t in person.tags if t.kind == "expertise"),
        learning=frozenset(t.key for t in person.tags if t.kind == "learning"),
        was_extra_last_round=was_extra,
    )


async def draft(uow: UnitOfWork, pool: Pool, now: datetime, settings: Settings) -> Draft:
    """The groups a round would make now; nothing is written."""
    available = await uow.matching.available(pool.cohort_ids, now)
    preferences = await uow.matching.settings_of(available)
    last = await uow.matching.last_matched(available)
    ids = sorted(p for p in available if is_due(preferences[p].frequency, last.get(p), now))
    people = await uow.people.get_many(ids)
    extra = await uow.matching.previous_extra(pool.cohort.id, pool.partner.id if pool.partner else None)
    avoid = await uow.matching.avoid_pairs(ids)
    listed = [p for p in ids if p in people]
    sides = None
    if pool.partner:  # across cohorts: nobody is paired within their own side
        alumni = frozenset(p for p in listed if pool.cohort.id in available[p])
        sides = (alumni, frozenset(listed) - alumni)
    met = [(a, b, at.toordinal()) for a, b, at in await uow.matching.met_among(ids)]
    request = RoundRequest(
        candidates=[candidate(people[p], p == extra) for p in listed],
        history=History.of(met, avoid),
        on=now.date(),
        seed=now.date().toordinal(),  # a preview and a run on the same day agree
        sides=sides,
    )
    # Seconds of CPU for a big round: in a worker thread, so the bot keeps answering meanwhile.
    return Draft(await asyncio.to_thread(match_round, request, settings.matching.weights()), people)


def is_due(frequency: str, last: datetime | None, now: datetime) -> bool:
    """Whether a member who wants a match `frequency` is due one (a day's slack for late rounds)."""
    return last is None or now - last >= timedelta(days=CADENCE_DAYS[frequency] - 1)


async def start(
    uow: UnitOfWork, pool: Pool, key: str, now: datetime, settings: Settings, cadence: str
) -> tuple[MatchRound | None, Draft | None]:
    """The round for `key`: made now (with its check-in and close), or found when already made.
    None with the draft when fewer than 2 members could be matched."""
    existing = await uow.matching.round_by_key(key)
    if existing is not None:
        return existing, None
    drafted = await draft(uow, pool, now, settings)
    if not drafted.result.groups:
        return None, drafted
    length = timedelta(days=CADENCE_DAYS[cadence])
    made = MatchRound(
        key=key,
        cohort_id=pool.cohort.id,
        partner_cohort_id=pool.partner.id if pool.partner else None,
        starts_at=now,
        ends_at=now + length,
        extra_id=drafted.result.extra,
    )
    await uow.matching.add(made)
    for group in drafted.result.groups:
        members = [drafted.people[p] for p in group.members]
        meets_at = suggested(attendees(members), now) if group.reasons.overlap else None
        await uow.matching.add_group(made.id, group.members, group.score, meets_at, room_code())
        for a, b in combinations(group.members, 2):
            await uow.connections.add(a, b, "match", now)
    await uow.schedules.add(CHECKIN_KIND, made.id, now + length / 2, now)
    await uow.schedules.add(CLOSE_KIND, made.id, made.ends_at, now)
    await uow.session.refresh(made, ["groups"])
    return made, drafted


Sent = list[tuple[Message, Destination]]


async def introductions(uow: UnitOfWork, made: MatchRound, settings: Settings) -> tuple[Sent, Sent]:
    """One introduction per group: in one conversation with its members, then the private copies
    for members who read another language (bot.group_language); or, for a group across
    platforms, one to each member where they are reached (bot.conversations)."""
    people = await uow.people.get_many(m.person_id for g in made.groups for m in g.members)
    shared: Sent = []
    copies: Sent = []
    for group in made.groups:
        members = [people[m.person_id] for m in group.members if m.person_id in people]
        sent = to_members(partial(introduction, members, made, group, settings), members, settings)
        if sent and isinstance(sent[0][1], Group):
            shared.append(sent[0])
            copies.extend(sent[1:])
        else:
            shared.extend(sent)
    return shared, copies


async def unmatched_notices(
    drafted: Draft, pool: Pool, settings: Settings
) -> list[tuple[Message, Destination]]:
    sent: list[tuple[Message, Destination]] = []
    for p in drafted.result.unmatched:
        person = drafted.people.get(p)
        ref = person and reach(person)
        if person and ref:
            with speaking(language_of(person, settings)):
                sent.append((unmatched_notice(pool), Direct(ref)))
    return sent


def unmatched_notice(pool: Pool) -> Message:
    return Message.of(
        _(
            "No match for you in this {cohort} round: nobody available could be paired with you. "
            "You're in the next round as usual."
        ).format(cohort=pool.label)
    )


def introduction(
    people: list[Person], made: MatchRound, group: MatchGroup, settings: Settings, reader: MemberRef | None
) -> Message:
    """The group's introduction, for the conversation they share (`reader` None) or for one
    member's own: then it says where to write to those on another platform."""
    reasons = reasons_for(people, made, settings)
    names = [called(p, reader) for p in people]
    elsewhere = where_to_write(people, reader)
    return Message(
        (
            labelled(_("\U0001f44b You're matched this round:"), *joined(names, people)),
            *([labelled(_("Where to write to them:"), "; ".join(elsewhere))] if elsewhere else []),
            labelled(_("Why you:"), why(people, reasons)),
            labelled(_("Your times:"), *times(people, reasons)),
            labelled(_("To start:"), starter(people, reasons)),
            *when_blocks(group, people, settings.matching, made.starts_at),
            Note(
                filled(
                    _("The round ends {date}. Halfway through I'll ask how it went."),
                    date=Timestamp(made.ends_at, "date"),
                )
            ),
        )
    )


def joined(names: list[Inline], people: list[Person]) -> Rich:
    """ "@Ana (GBIF) and @Bruno (OKF)", as the language being spoken lists people."""
    parts = {
        f"m{n}": (name, f" ({person.organisation})" if person.organisation else "")
        for n, (name, person) in enumerate(zip(names, people, strict=True))
    }
    return filled(join_list(["{" + key + "}" for key in parts]), **parts)


def reasons_for(people: list[Person], made: MatchRound, settings: Settings) -> Reasons:
    """The matcher's reasons for this group alone (the same scoring the round used)."""
    request = RoundRequest([candidate(p, False) for p in people], on=made.starts_at.date())
    [group] = match_round(request, settings.matching.weights()).groups
    return group.reasons


def label_of(people: list[Person], key: str) -> str:
    return next((t.label for p in people for t in p.tags if t.key == key), key)


def why(people: list[Person], reasons: Reasons) -> str:
    name = {p.id: p.display_name for p in people}
    lines = []
    if reasons.other_organisations and all(p.organisation for p in people):
        lines.append(
            _("you work at different organisations in different parts of the world")
            if reasons.other_regions
            else _("you work at different organisations")
        )
    if reasons.shared_topics:
        topics = join_list([label_of(people, k) for k in reasons.shared_topics[:4]])
        lines.append(_("you share {topics}").format(topics=topics))
    lines.extend(
        _("{giver} knows {topic}, which {receiver} wants to learn").format(
            giver=name[o.giver], topic=label_of(people, o.topic), receiver=name[o.receiver]
        )
        for o in reasons.offers[:3]
    )
    text = "; ".join(lines) or _("you haven't met yet")
    return text[0].upper() + text[1:] + "."


def times(people: list[Person], reasons: Reasons) -> Rich:
    overlap = reasons.overlap
    if overlap is None:
        hours = "; ".join(
            _("{name} works 09:00\u201318:00 {zone}").format(name=p.display_name, zone=zone_of(p))
            for p in people
        )
        return (
            _(
                "{hours}. Your working hours don't overlap, so a call is hard: try an asynchronous "
                "exchange instead (a few written questions or a voice note here, answered when each "
                "of your days starts)."
            ).format(hours=hours),
        )
    local = ", ".join(
        _("{start}\u2013{end} for {name} ({zone})").format(
            start=clock(overlap.start, p), end=clock(overlap.end, p), name=p.display_name, zone=zone_of(p)
        )
        for p in people
    )
    template = (
        _("your working hours overlap {start}\u2013{end} in your own time: that is {local}.")
        if overlap.hours >= 1
        else _(
            "your working hours overlap {start}\u2013{end} in your own time (only {duration}: enough "
            "for a short call): that is {local}."
        )
    )
    return filled(
        template,
        start=Timestamp(overlap.start, "time"),
        end=Timestamp(overlap.end, "time"),
        duration=duration(overlap.hours),
        local=local,
    )


def fit(reasons: Reasons) -> str:
    """What a group's score stands for, in words: "4 h overlap \u00b7 other region \u00b7 2 shared topics"."""
    overlap = reasons.overlap
    parts = [
        _("{duration} overlap").format(duration=duration(overlap.hours))
        if overlap
        else _("no shared working hours")
    ]
    parts.append(_("other region") if reasons.other_regions else _("same region"))
    if not reasons.other_organisations:
        parts.append(_("same organisation"))
    if shared := len(reasons.shared_topics):
        parts.append(ngettext("{count} shared topic", "{count} shared topics", shared).format(count=shared))
    if offers := len(reasons.offers):
        parts.append(
            ngettext(
                "{count} thing to learn from each other", "{count} things to learn from each other", offers
            ).format(count=offers)
        )
    if reasons.met_before:
        parts.append(_("met before"))
    return " \u00b7 ".join(parts)


def duration(hours: float) -> str:
    """ "4 h", "2 h 30 min", "30 min"."""
    whole, minutes = divmod(round(hours * 60), 60)
    return " ".join(
        part for part in (f"{whole} h" if whole else "", f"{minutes} min" if minutes else "") if part
    )


def clock(moment: datetime, person: Person) -> str:
    return wall_clock.shown(moment, zone_of(person), "time")


def starter(people: list[Person], reasons: Reasons) -> str:
    name = {p.id: p.display_name for p in people}
    if reasons.offers:
        offer = reasons.offers[0]
        return _(
            "{receiver}, what would you like to do with {topic}? "
            "{giver}, what do you wish you had known when you started with it?"
        ).format(receiver=name[offer.receiver], giver=name[offer.giver], topic=label_of(people, offer.topic))
    if reasons.shared_topics:
        topic = label_of(people, reasons.shared_topics[0])
        return _("What is the most useful thing each of you learned about {topic} this year?").format(
            topic=topic
        )
    if reasons.suggest_async:
        return _("Share one project you're proud of and one you're stuck on, in a short message each.")
    return _("What is one project at your organisation the other should know about, and why?")


def check_in(made: MatchRound, group_id: int) -> Message:
    buttons = tuple(
        Button(
            _(label),
            action_id("match", "answer", group_id, answer),
            "primary" if answer == "yes" else "default",
        )
        for answer, label in ANSWERS.items()
    )
    return Message(
        (
            Section(rich(Strong(_("Halfway through the round: did you meet?")))),
            Note(
                filled(
                    _("Each of you can answer once. The round ends {date}."),
                    date=Timestamp(made.ends_at, "date"),
                )
            ),
            Actions(buttons),
        )
    )


def paused_notice(limit: int) -> Message:
    return Message.of(
        ngettext(
            "You left the last introduction without an answer, so I've paused your matching "
            "(no hard feelings). Come back any time with {command}.",
            "You left the last {count} introductions without an answer, so I've paused your matching "
            "(no hard feelings). Come back any time with {command}.",
            limit,
        ).format(count=limit, command=JOIN)
    )
