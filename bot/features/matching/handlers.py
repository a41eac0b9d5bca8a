"""`/alumni match ...`: opt in to one-on-one matching, preferences, the private avoid list, and
(facilitators) preview, run, schedule and history of rounds. The rounds themselves, their
check-ins and their close are schedule rows (bot.scheduling) of the kinds in storage.matching."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from bot.action_ids import RECORD, OneOf, action_id, whole_number
from bot.config import Settings
from bot.context import Context
from bot.conversations import to_all
from bot.errors import UserError
from bot.features.matching.meeting_time import other_times
from bot.features.matching.meetings import (
    MINUTE,
    agreed,
    at_minute,
    attendees,
    proposal,
    proposed,
    stored,
)
from bot.features.matching.rounds import (
    ANSWERS,
    CHECKIN_KIND,
    CLOSE_KIND,
    INDEFINITELY,
    JOIN,
    ROUND_KIND,
    Pool,
    check_in,
    draft,
    fit,
    how_often,
    introductions,
    paused_notice,
    start,
    unmatched_notices,
)
from bot.i18n import N_, _, current_language, join_list, label_value, language_of, ngettext, number, speaking
from bot.members import reach, resolve_member, someone_else
from bot.messages import (
    Actions,
    Block,
    Button,
    Inline,
    Message,
    Section,
    Strong,
    Timestamp,
    filled,
    rich,
    sentence,
)
from bot.outbound import Batch, Destination, Direct, Outbound, Post
from bot.progress import starting
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from bot.text import fold
from storage.models import MatchGroup, MatchPlan, MatchRound, Person
from storage.unit_of_work import UnitOfWork

FREQUENCIES = {
    "weekly": "weekly",
    "every week": "weekly",
    "biweekly": "biweekly",
    "every 2 weeks": "biweekly",
    "2 weeks": "biweekly",
    "fortnightly": "biweekly",
    "monthly": "monthly",
    "every month": "monthly",
}
RULES = {
    "weekly": "FREQ=WEEKLY;BYDAY=MO",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "monthly": "FREQ=MONTHLY;BYDAY=+1MO",
}
FREQUENCY_EXAMPLE = N_("/alumni match frequency every 2 weeks")
MAX_PAUSE_WEEKS = 26
HISTORY_ROUNDS = 10
VERBS = (
    "join",
    "leave",
    "pause",
    "status",
    "frequency",
    "avoid",
    "preview",
    "run",
    "end",
    "history",
    "schedule",
)

Verb = Callable[[Context, str], Awaitable[None]]


feature = Feature("matching")


@feature.command(
    "match",
    summary=N_("One-on-one matching: meet someone from another organisation each round"),
    usage=N_(
        "match join [cohort] | leave | pause <weeks> | status | frequency <how often> | "
        "avoid [--remove] <member>"
    ),
    facilitator_usage=N_("match preview | run | end | history | schedule [cohort] [with <cohort>]"),
    facilitator_summary=N_(
        "Matching rounds: preview the pairs, run or end a round now, see past rounds, "
        "or run rounds on a cadence"
    ),
    examples=(
        JOIN,
        "/alumni match pause 2",
        FREQUENCY_EXAMPLE,
        "/alumni match avoid @Ana",
        "/alumni match status",
        "/alumni match preview alumni with 2025",
        "/alumni match schedule alumni weekly",
    ),
    params=(
        Param("action", N_("What to do"), kind="choice", choices=VERBS),
        Param("value", N_("weeks, how often, a cohort, or --remove"), required=False),
        Param("member", N_("For avoid: the member"), kind="member", required=False),
    ),
    details=N_(
        "Each round pairs you with someone you haven't met, from another organisation, with "
        "overlapping working hours and something to talk about. How often: weekly, every 2 weeks "
        "or monthly. Your avoid list is private. Facilitators: preview, run, end (the running "
        "round, at once), history, and schedule <cohort> [with <cohort>] <weekly|biweekly|monthly|off>."
    ),
)
async def match(ctx: Context, args: str) -> None:
    verb, _space, rest = args.strip().partition(" ")
    handler = VERB_HANDLERS.get(verb.lower() or "status")
    if handler is None:
        raise UserError(
            _("I don't know \u201cmatch {verb}\u201d. Use one of: {verbs}.").format(
                verb=verb, verbs=", ".join(VERBS)
            ),
            JOIN,
        )
    await handler(ctx, rest.strip())


@feature.action("match", "answer", RECORD, OneOf(tuple(ANSWERS)))
async def answer(ctx: Context, group_id: int, said: str) -> None:
    group = await ctx.uow.matching.get_group(group_id)
    if group is None:
        raise UserError(_("That check-in no longer exists."), "/alumni match status")
    if ctx.person.id not in [m.person_id for m in group.members]:
        raise UserError(_("This check-in is for the members of this match only."))
    if not await ctx.uow.matching.record_answer(group.id, ctx.person.id, said, ctx.now()):
        mine = next(m.answer for m in group.members if m.person_id == ctx.person.id)
        said_first = _(ANSWERS[mine]) if mine in ANSWERS else mine or ""
        ctx.reply(
            _("You already answered \u201c{answer}\u201d; I keep the first answer.").format(answer=said_first)
        )
        return
    preferences = await ctx.uow.matching.settings(ctx.person.id)
    if preferences:
        preferences.unanswered = 0
    ctx.reply(_("Thanks, noted: \u201c{answer}\u201d.").format(answer=_(ANSWERS[said])))


@feature.action("match", "another", RECORD)
async def another_time(ctx: Context, group_id: int) -> None:
    """Propose up to 3 other times to the rest of the group, as buttons."""
    group, people = await meeting_of(ctx, group_id)
    times = other_times(attendees(people), ctx.now(), group.meets_at)
    if not times:
        raise UserError(
            _(
                "No other time in the next 7 days fits everyone's working hours and weeks. "
                "Agree one in your conversation instead."
            ),
        )
    group.proposed_by, group.proposed_times = ctx.person.id, stored(times)
    offered = partial(proposal, group, ctx.person, times, people)
    for message, to in to_all(offered, people, ctx.settings):
        ctx.send(message, to)


@feature.action("match", "meet", RECORD, MINUTE)
async def accept_time(ctx: Context, group_id: int, minute: int) -> None:
    """Another member accepts one of the proposed times: everyone is told, with a new calendar file."""
    group, people = await meeting_of(ctx, group_id)
    if group.proposed_by == ctx.person.id:
        raise UserError(_("You proposed these times: the others choose one of them."))
    chosen = at_minute(minute)
    if chosen not in proposed(group):
        raise UserError(
            _(
                "Those times are no longer on offer: a time was chosen since, or other times were "
                "proposed. The latest message in your conversation has the current ones."
            )
        )
    group.meets_at, group.proposed_by, group.proposed_times = chosen, None, ""
    group.reschedules += 1
    told = partial(agreed, group, ctx.person, people, ctx.settings.matching, ctx.now())
    for message, to in to_all(told, people, ctx.settings):
        ctx.send(message, to)


async def meeting_of(ctx: Context, group_id: int) -> tuple[MatchGroup, list[Person]]:
    """The pressed group and its members, when the member may still change its time."""
    group = await ctx.uow.matching.get_group(group_id)
    if group is None:
        raise UserError(_("That match no longer exists."), "/alumni match status")
    if ctx.person.id not in [m.person_id for m in group.members]:
        raise UserError(_("This is for the members of this match only."))
    if group.meets_at is None:
        raise UserError(
            _("Your working hours don't overlap, so there is no time to move: write to each other instead.")
        )
    made = await ctx.uow.matching.get_round(group.round_id)
    if made is None or made.ends_at <= ctx.now():
        raise UserError(_("That round is over: times can't change any more."), "/alumni match status")
    people = await ctx.uow.people.get_many(m.person_id for m in group.members)
    return group, [people[m.person_id] for m in group.members if m.person_id in people]


@feature.timer(ROUND_KIND)
async def scheduled_round(ctx: TimerContext) -> None:
    plan = await ctx.uow.matching.get_plan(ctx.occurrence.subject_id)
    if plan is None:
        return
    pool = await pool_of(ctx.uow, plan.cohort_id, plan.partner_cohort_id)
    owner = await ctx.uow.people.get(ctx.occurrence.owner_id or 0)
    to_owner = owner and reach(owner)
    with speaking(language_of(owner, ctx.settings) if owner else ctx.settings.bot.default_language):
        if ctx.occurrence.status == "missed":
            if to_owner:
                ctx.send(
                    Message.of(
                        _("I was offline when the {cohort} round was due, so I skipped it.").format(
                            cohort=pool.label
                        )
                    ),
                    Direct(to_owner),
                )
            return
        key = period_key(plan, ctx.occurrence.due_at)
        sent = await run_round(ctx.uow, pool, key, ctx.now(), ctx.settings, plan.cadence)
        for post in sent.posts(Direct(to_owner) if to_owner else None):
            ctx.send(post.message, post.to, name=post.name, batch=post.batch)
        if to_owner and await ctx.uow.matching.round_by_key(key) is None:
            ctx.send(await nothing_to_match(ctx.uow, pool, ctx.now()), Direct(to_owner))


@feature.timer(CHECKIN_KIND)
async def halfway(ctx: TimerContext) -> None:
    made = await ctx.uow.matching.get_round(ctx.occurrence.subject_id)
    if made is None or ctx.occurrence.status == "missed":
        return
    people = await ctx.uow.people.get_many(m.person_id for g in made.groups for m in g.members)
    for group in made.groups:
        members = [people[m.person_id] for m in group.members if m.person_id in people]
        for message, to in to_all(partial(check_in, made, group.id), members, ctx.settings):
            ctx.send(message, to)


@feature.timer(CLOSE_KIND)
async def close(ctx: TimerContext) -> None:
    made = await ctx.uow.matching.get_round(ctx.occurrence.subject_id)
    if made is None:
        return
    limit = ctx.settings.matching.pause_after_unanswered
    silent = [m.person_id for g in made.groups for m in g.members if m.answer is None]
    preferences = await ctx.uow.matching.settings_of(silent)
    if made.closed_at is None:  # count once, even if this timer runs again
        made.closed_at = ctx.now()
        for person_id in silent:
            found = preferences.get(person_id)
            if found:
                found.unanswered += 1
                if found.unanswered >= limit and found.paused_until != INDEFINITELY:
                    found.paused_until = INDEFINITELY
    people = await ctx.uow.people.get_many(silent)
    for person_id in silent:
        found = preferences.get(person_id)
        ref = person_id in people and reach(people[person_id])
        if found and found.paused_until == INDEFINITELY and found.unanswered == limit and ref:
            with speaking(language_of(people[person_id], ctx.settings)):
                ctx.send(paused_notice(limit), Direct(ref))


@dataclass(frozen=True)
class Sending:
    """What a round sends: its introductions, as one batch whose progress its facilitator sees,
    and the notices to those left unmatched."""

    batch: Batch
    introductions: list[tuple[Message, Destination]]
    notices: list[tuple[Message, Destination]]

    def __bool__(self) -> bool:
        return bool(self.introductions or self.notices)

    def posts(self, facilitator: Direct | None) -> list[Post]:
        """The progress message first (to the facilitator, when there is one), then the rest; the
        introductions go to members of any platform, so their progress names the facilitator's."""
        progress = (
            [Post(starting(self.batch.noun, len(self.introductions)), facilitator, self.batch.name)]
            if facilitator and self.introductions
            else []
        )
        batch = replace(self.batch, platform=facilitator.member.platform) if facilitator else self.batch
        batched = [Post(message, to, batch=batch) for message, to in self.introductions]
        return progress + batched + [Post(message, to) for message, to in self.notices]


async def run_round(
    uow: UnitOfWork, pool: Pool, key: str, now: datetime, settings: Settings, cadence: str
) -> Sending:
    """Start (or find) the round for `key`; what it sends: introductions and unmatched notices.
    Its progress speaks the language spoken now (the facilitator's)."""
    made, drafted = await start(uow, pool, key, now, settings, cadence)
    batch = Batch(f"matching:progress:{made.id if made else key}", "introduction", current_language())
    shared, copies = await introductions(uow, made, settings) if made else ([], [])
    notices = await unmatched_notices(drafted, pool, settings) if drafted is not None else []
    return Sending(batch, shared, copies + notices)


def period_key(plan: MatchPlan, due: datetime) -> str:
    """The plan's round for the week (or month) of `due`: a retried occurrence, whose due time
    moved on by minutes, finds the round its first attempt made."""
    return f"plan:{plan.id}:" + due.strftime("%Y-%m" if plan.cadence == "monthly" else "%G-W%V")


async def nothing_to_match(uow: UnitOfWork, pool: Pool, now: datetime) -> Message:
    """Why a round would make no pairs: one is running (until when, and how to end it), or
    fewer than 2 members are available."""
    running = await uow.matching.running(pool.cohort.id, pool.partner.id if pool.partner else None, now)
    if running is None:
        return Message.of(
            _(
                "Fewer than 2 members of {cohort} are available for matching, so there is no round "
                "this time. Nothing was sent."
            ).format(cohort=pool.label)
        )
    template = ngettext(
        "The {cohort} round is running until {end} ({count} group, started {start}): its members are "
        "matched again once it ends, so nothing was sent. To end it now and start the next: "
        "/alumni match end {pool}, then /alumni match run {pool}.",
        "The {cohort} round is running until {end} ({count} groups, started {start}): its members are "
        "matched again once it ends, so nothing was sent. To end it now and start the next: "
        "/alumni match end {pool}, then /alumni match run {pool}.",
        len(running.groups),
    )
    return sentence(
        *filled(
            template,
            cohort=pool.label,
            end=Timestamp(running.ends_at, "date"),
            count=number(len(running.groups)),
            start=Timestamp(running.starts_at, "date"),
            pool=pool_words(pool),
        )
    )


def pool_words(pool: Pool) -> str:
    """How the pool is typed after a command: "alumni", "alumni with 2025"."""
    return pool.label.replace(" \u00d7 ", " with ")


async def pool_of(uow: UnitOfWork, cohort_id: int, partner_id: int | None) -> Pool:
    cohorts = {c.id: c for c in await uow.cohorts.all()}
    return Pool(cohorts[cohort_id], cohorts.get(partner_id or 0))


async def parse_pool(ctx: Context, text: str, example: str) -> Pool:
    """`""` (the default cohort), `alumni`, or `alumni with 2025`."""
    first, _with, second = text.partition(" with ")
    names = [n.strip() for n in (first, second) if n.strip()] or [ctx.settings.bot.default_cohort]
    cohorts = []
    for name in names:
        found = await ctx.uow.cohorts.named(name.removeprefix("cohort:"))
        if found is None:
            raise UserError(_("There is no cohort called \u201c{name}\u201d.").format(name=name), example)
        cohorts.append(found)
    if len(cohorts) == 2 and cohorts[0].id == cohorts[1].id:
        raise UserError(_("Pair a cohort with a different one."), example)
    return Pool(cohorts[0], cohorts[1] if len(cohorts) == 2 else None)


async def join(ctx: Context, rest: str) -> None:
    missing = missing_for_matching(ctx.person)
    if missing:
        ctx.reply(
            Message.of(
                missing,
                Actions((Button(_("Set up my profile"), action_id("profile", "edit"), "primary"),)),
            )
        )
        return
    default = ctx.settings.bot.default_cohort
    name = rest or default
    mine = await ctx.uow.cohorts.of_person(ctx.person.id)
    if name != default and name not in mine:  # everyone belongs to the default cohort
        listed = ", ".join(mine) or default
        raise UserError(
            _("You're not in a cohort called \u201c{name}\u201d (yours: {cohorts}).").format(
                name=name, cohorts=listed
            ),
            JOIN,
        )
    cohort = await ctx.uow.cohorts.ensure(name, ctx.now())
    await ctx.uow.cohorts.add_member(cohort, ctx.person.id, ctx.now())
    preferences = await ctx.uow.matching.ensure_settings(ctx.person.id, ctx.now())
    paused = preferences.paused_until is not None and preferences.paused_until > ctx.now()
    added = await ctx.uow.matching.add_membership(ctx.person.id, cohort.id)
    if not added and not paused:
        raise UserError(
            _("You're already in matching for {cohort}.").format(cohort=cohort.name), "/alumni match status"
        )
    preferences.paused_until, preferences.unanswered = None, 0
    template = (
        _(
            "You're in: matched {how_often} with someone from {cohort}. Change how often with "
            "/alumni match frequency every 2 weeks; take a break with /alumni match pause 2."
        )
        if added
        else _(
            "Welcome back: you're matched {how_often} with someone from {cohort}. Change how often with "
            "/alumni match frequency every 2 weeks; take a break with /alumni match pause 2."
        )
    )
    ctx.reply(template.format(how_often=how_often(preferences.frequency), cohort=cohort.name))


def missing_for_matching(person: Person) -> str:
    """What a member must add to their profile before they are matched ("" when nothing)."""
    if not person.organisation and not person.timezone:
        return _(
            "Before I match you, tell me your organisation and time zone: matches are with someone "
            "from another organisation, at hours you both work. Then {command} again."
        ).format(command=JOIN)
    if not person.organisation:
        return _(
            "Before I match you, tell me your organisation: matches are with someone from another "
            "organisation, at hours you both work. Then {command} again."
        ).format(command=JOIN)
    if not person.timezone:
        return _(
            "Before I match you, tell me your time zone: matches are with someone from another "
            "organisation, at hours you both work. Then {command} again."
        ).format(command=JOIN)
    return ""


async def require_joined(ctx: Context, example: str) -> None:
    if not await ctx.uow.matching.cohort_ids(ctx.person.id):
        raise UserError(
            _("You're not in matching yet."),
            JOIN if example == JOIN else _("{join}, then {example}").format(join=JOIN, example=example),
        )


async def leave(ctx: Context, rest: str) -> None:
    await require_joined(ctx, JOIN)
    await ctx.uow.matching.remove_memberships(ctx.person.id)
    await ctx.uow.matching.drop_settings(ctx.person.id)
    ctx.reply(
        _("You've left matching; you won't be in the next rounds. Come back any time with {command}.").format(
            command=JOIN
        )
    )


async def pause(ctx: Context, rest: str) -> None:
    example = "/alumni match pause 2"
    await require_joined(ctx, example)
    weeks = whole_number(rest, 1, MAX_PAUSE_WEEKS)
    if weeks is None:
        raise UserError(
            _("Pause for a whole number of weeks, from 1 to {most}.").format(most=MAX_PAUSE_WEEKS), example
        )
    preferences = await ctx.uow.matching.ensure_settings(ctx.person.id, ctx.now())
    preferences.paused_until = ctx.now() + timedelta(weeks=weeks)
    ctx.reply(
        sentence(
            *filled(
                _("Paused: no matches until {date}. Back earlier with {command}."),
                date=Timestamp(preferences.paused_until, "date"),
                command=JOIN,
            )
        )
    )


async def frequency(ctx: Context, rest: str) -> None:
    example = _(FREQUENCY_EXAMPLE)
    await require_joined(ctx, example)
    # English's words, and how the bot itself says each one in the member's language.
    said = {fold(how_often(name)): name for name in RULES}
    chosen = FREQUENCIES.get(" ".join(rest.lower().split())) or said.get(fold(rest))
    if chosen is None:
        raise UserError(_("How often: weekly, every 2 weeks or monthly."), example)
    preferences = await ctx.uow.matching.ensure_settings(ctx.person.id, ctx.now())
    preferences.frequency = chosen
    ctx.reply(_("Done: you'll be matched {how_often} at most.").format(how_often=how_often(chosen)))


async def avoid(ctx: Context, rest: str) -> None:
    example = f"/alumni match avoid {someone_else(ctx.person)}"
    removing = rest.startswith("--remove")
    who = rest.removeprefix("--remove").strip()
    if not who:
        raise UserError(_("Who shouldn't you be paired with? Name a member."), example)
    other = await resolve_member(ctx, who, "/alumni match avoid {who}")
    if other.id == ctx.person.id:
        raise UserError(_("That's you: nobody is ever paired with themselves. Name someone else."), example)
    if removing:
        done = await ctx.uow.matching.unavoid(ctx.person.id, other.id)
        removed = _("Removed {name} from your private list.") if done else _("{name} wasn't on your list.")
        ctx.reply(removed.format(name=other.display_name))
        return
    added = await ctx.uow.matching.avoid(ctx.person.id, other.id)
    noted = (
        _(
            "Noted: you won't be paired with {name}. Only you know this list; nobody else sees it. "
            "To undo: /alumni match avoid --remove {name}"
        )
        if added
        else _(
            "Already noted: you won't be paired with {name}. Only you know this list; nobody else sees it. "
            "To undo: /alumni match avoid --remove {name}"
        )
    )
    ctx.reply(noted.format(name=other.display_name))


async def status(ctx: Context, rest: str) -> None:
    ctx.reply(Message(tuple(await status_blocks(ctx))))


async def status_blocks(ctx: Context) -> list[Block]:
    cohort_ids = await ctx.uow.matching.cohort_ids(ctx.person.id)
    preferences = await ctx.uow.matching.settings(ctx.person.id)
    if not cohort_ids or preferences is None:
        return [Section((_("You're not in one-on-one matching. Join with {command}.").format(command=JOIN),))]
    cohorts = {c.id: c.name for c in await ctx.uow.cohorts.all()}
    lines: list[Inline] = [
        Strong(_("Matching:")),
        " ",
        _("{cohorts}, {how_often}.").format(
            cohorts=", ".join(cohorts[c] for c in cohort_ids),
            how_often=how_often(preferences.frequency),
        ),
    ]
    if preferences.paused_until == INDEFINITELY:
        lines.extend(("\n", _("Paused until you come back with {command}.").format(command=JOIN)))
    elif preferences.paused_until and preferences.paused_until > ctx.now():
        lines.extend(
            ("\n", *filled(_("Paused until {date}."), date=Timestamp(preferences.paused_until, "date")))
        )
    avoided = await ctx.uow.matching.avoided_by(ctx.person.id)
    if avoided:
        names = await ctx.uow.people.get_many(avoided)
        listed = join_list([p.display_name for p in names.values()])
        lines.extend(("\n", _("Your private avoid list: {names}.").format(names=listed)))
    lines.extend(await current_match(ctx, cohort_ids))
    return [Section(rich(*lines))]


async def current_match(ctx: Context, cohort_ids: list[int]) -> list[Inline]:
    """ "This round: …": who the member is matched with, or that their match left the network
    (then they are free, and in the next round)."""
    for made, group in await ctx.uow.matching.groups_of(ctx.person.id):
        if made.ends_at <= ctx.now():
            continue
        others = await ctx.uow.people.get_many(
            m.person_id for m in group.members if m.person_id != ctx.person.id
        )
        if others:
            names = join_list([p.display_name for p in others.values()])
            return ["\n", _("This round: you're matched with {names}.").format(names=names)]
        plans = await ctx.uow.matching.plans_for(cohort_ids)
        upcoming = await ctx.uow.schedules.live(ROUND_KIND, [plan.id for plan in plans])
        left = _("This round: your match left the network, so you're free.")
        if not upcoming:
            return ["\n", left, " ", _("You're in the next round.")]
        return [
            "\n",
            left,
            " ",
            *filled(_("You're in the next round, from {time}."), time=Timestamp(upcoming[0].due_at)),
        ]
    return []


async def preview(ctx: Context, rest: str) -> None:
    ctx.require_facilitator(N_("Only facilitators can preview matching rounds."))
    pool = await parse_pool(ctx, rest, "/alumni match preview alumni")
    drafted = await draft(ctx.uow, pool, ctx.now(), ctx.settings)
    if not drafted.result.groups:
        ctx.reply(await nothing_to_match(ctx.uow, pool, ctx.now()))
        return
    name = {p: person.display_name for p, person in drafted.people.items()}
    lines = [
        label_value(" + ".join(name[m] for m in g.members), fit(g.reasons)) for g in drafted.result.groups
    ]
    lines += [_("{name}: no partner").format(name=name[p]) for p in drafted.result.unmatched]
    size = len(drafted.result.groups)
    title = ngettext(
        "Preview of the next {cohort} round ({count} group)",
        "Preview of the next {cohort} round ({count} groups)",
        size,
    )
    ctx.reply(
        Message(
            (
                Section(rich(Strong(title.format(cohort=pool.label, count=number(size))))),
                Section(("\n".join(lines),)),
                Section(
                    (
                        _("Nothing was sent. Send it with /alumni match run {pool}").format(
                            pool=pool_words(pool)
                        ),
                    )
                ),
            )
        )
    )


async def run(ctx: Context, rest: str) -> None:
    ctx.require_facilitator(N_("Only facilitators can run matching rounds."))
    pool = await parse_pool(ctx, rest, "/alumni match run alumni")
    key = f"run:{uuid.uuid4().hex}"
    sent = await run_round(ctx.uow, pool, key, ctx.now(), ctx.settings, ctx.settings.matching.cadence)
    made = await ctx.uow.matching.round_by_key(key)
    if made is None:
        ctx.reply(await nothing_to_match(ctx.uow, pool, ctx.now()))
        return
    for post in sent.posts(Direct(ctx.actor.member)):
        ctx.send(post.message, post.to, name=post.name, batch=post.batch)
    count = len(sent.introductions)
    ctx.reply(
        ngettext(
            "Round started for {cohort}: {count} introduction on the way. "
            "I'll show how many are sent in a direct message, updated as they go.",
            "Round started for {cohort}: {count} introductions on the way. "
            "I'll show how many are sent in a direct message, updated as they go.",
            count,
        ).format(cohort=pool.label, count=number(count))
    )


async def end(ctx: Context, rest: str) -> None:
    ctx.require_facilitator(N_("Only facilitators can end matching rounds."))
    pool = await parse_pool(ctx, rest, "/alumni match end alumni")
    partner = pool.partner.id if pool.partner else None
    running = await ctx.uow.matching.running(pool.cohort.id, partner, ctx.now())
    if running is None:
        raise UserError(
            _("No {cohort} round is running.").format(cohort=pool.label),
            f"/alumni match run {pool_words(pool)}",
        )
    # Ended now: no check-in, and unanswered ones are not held against anyone.
    running.ends_at = running.closed_at = ctx.now()
    running.ended_early = True
    await ctx.uow.schedules.cancel(CHECKIN_KIND, [running.id])
    await ctx.uow.schedules.cancel(CLOSE_KIND, [running.id])
    count = len(running.groups)
    ctx.reply(
        ngettext(
            "The {cohort} round is ended ({count} group). Its members are free for the next round: "
            "/alumni match run {pool}",
            "The {cohort} round is ended ({count} groups). Its members are free for the next round: "
            "/alumni match run {pool}",
            count,
        ).format(cohort=pool.label, count=number(count), pool=pool_words(pool))
    )


async def history(ctx: Context, rest: str) -> None:
    ctx.require_facilitator(N_("Only facilitators can see the matching history."))
    rounds = await ctx.uow.matching.rounds(HISTORY_ROUNDS)
    if not rounds:
        ctx.reply(_("No matching rounds yet. Start one with /alumni match run"))
        return
    cohorts = {c.id: c.name for c in await ctx.uow.cohorts.all()}
    title = ngettext("The last matching round", "The last {count} matching rounds", len(rounds)).format(
        count=number(len(rounds))
    )
    blocks: list[Block] = [Section(rich(Strong(title)))]
    for made in rounds:
        blocks.append(
            Section(
                rich(
                    Timestamp(made.starts_at, "date"),
                    " " + label_value(round_label(made, cohorts), meeting_rate(made)),
                )
            )
        )
    ctx.reply(Message(tuple(blocks)))


def round_label(made: MatchRound, cohorts: dict[int, str]) -> str:
    partner = f" \u00d7 {cohorts[made.partner_cohort_id]}" if made.partner_cohort_id in cohorts else ""
    return cohorts.get(made.cohort_id, "?") + partner


def meeting_rate(made: MatchRound) -> str:
    groups = len(made.groups)
    met = sum(any(m.answer == "yes" for m in g.members) for g in made.groups)
    answered = sum(any(m.answer for m in g.members) for g in made.groups)
    rate = round(100 * met / groups) if groups else 0
    return ngettext(
        "{count} group, {met} met ({rate}%), {answered} answered",
        "{count} groups, {met} met ({rate}%), {answered} answered",
        groups,
    ).format(count=number(groups), met=number(met), rate=rate, answered=number(answered))


async def schedule(ctx: Context, rest: str) -> None:
    example = "/alumni match schedule alumni with 2025 biweekly"
    ctx.require_facilitator(N_("Only facilitators can schedule matching rounds."))
    where, _space, how = rest.rpartition(" ")
    cadence = FREQUENCIES.get(how.lower()) if how.lower() != "off" else "off"
    if not cadence:
        where, cadence = rest, ctx.settings.matching.cadence
    pool = await parse_pool(ctx, where, example)
    partner_id = pool.partner.id if pool.partner else None
    plan = await ctx.uow.matching.plan(pool.cohort.id, partner_id)
    if plan is not None:
        await ctx.uow.schedules.cancel(ROUND_KIND, [plan.id])
        await ctx.uow.matching.delete_plan(plan)
    if cadence == "off":
        stopped = (
            _("No more scheduled rounds for {cohort}.") if plan else _("{cohort} had no scheduled rounds.")
        )
        ctx.reply(stopped.format(cohort=pool.label))
        return
    plan = MatchPlan(
        cohort_id=pool.cohort.id, partner_cohort_id=partner_id, cadence=cadence, created_at=ctx.now()
    )
    await ctx.uow.matching.add(plan)
    first = next_monday(ctx.now(), ctx.settings.matching.round_hour_utc)
    await ctx.uow.schedules.add(
        ROUND_KIND,
        plan.id,
        first,
        ctx.now(),
        owner_id=ctx.person.id,
        platform=ctx.platform,
        rule=RULES[cadence],
        anchor_at=first,
        zone="UTC",
    )
    ctx.reply(
        sentence(
            *filled(
                _("Rounds for {cohort} {how_often}, from {time}."),
                cohort=pool.label,
                how_often=how_often(cadence),
                time=Timestamp(first),
            )
        )
    )


def next_monday(now: datetime, hour: int) -> datetime:
    day = now.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=(7 - now.weekday()) % 7)
    return day if day > now else day + timedelta(days=7)


VERB_HANDLERS: dict[str, Verb] = {
    "join": join,
    "leave": leave,
    "pause": pause,
    "status": status,
    "frequency": frequency,
    "avoid": avoid,
    "preview": preview,
    "run": run,
    "end": end,
    "history": history,
    "schedule": schedule,
}


async def home_part(ctx: Context) -> tuple[Block, ...]:
    return tuple(await status_blocks(ctx))


async def export_matching(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    preferences = await uow.matching.settings(person_id)
    avoided = await uow.people.get_many(await uow.matching.avoided_by(person_id))
    cohorts = {c.id: c.name for c in await uow.cohorts.all()}
    rounds = []
    for made, group in await uow.matching.groups_of(person_id):
        others = await uow.people.get_many(m.person_id for m in group.members if m.person_id != person_id)
        mine = next(m for m in group.members if m.person_id == person_id)
        rounds.append(
            {
                "round_started": made.starts_at,
                "matched_with": [p.display_name for p in others.values()],
                "my_check_in_answer": mine.answer,
            }
        )
    return {
        "cohorts": [cohorts[c] for c in await uow.matching.cohort_ids(person_id) if c in cohorts],
        "frequency": preferences.frequency if preferences else None,
        "paused_until": preferences.paused_until if preferences else None,
        "unanswered_in_a_row": preferences.unanswered if preferences else 0,
        "my_private_avoid_list": [p.display_name for p in avoided.values()],
        "rounds": rounds,
    }


async def forget_matching(uow: UnitOfWork, person_id: int) -> list[Outbound]:
    # Rows naming the member cascade from people; others' avoid entries naming them go explicitly too.
    await uow.matching.forget_avoids(person_id)
    return []


feature.data("matching", export_matching, forget_matching)
