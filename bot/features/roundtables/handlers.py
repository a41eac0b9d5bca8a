"""`/alumni roundtable suggest|poll|plan` and `/alumni roundtables`.

Members suggest topics; facilitators put the open suggestions to a poll, and plan a
session with a time-slot poll whose close makes the roundtable (bot.features.roundtables.service).
"""

from __future__ import annotations

from bot.action_ids import RECORD, Maybe, OneOf, PlatformId, action_id
from bot.context import Context
from bot.errors import FormInvalid, UserError
from bot.events import Action
from bot.features.intro_card.handlers import no_arguments
from bot.features.polls.copies import pressed_on
from bot.features.polls.handlers import opened_in, post_poll
from bot.features.polls.parsing import (
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_TOPIC,
    PLAN_ALSO_EXAMPLE,
    PLAN_EXAMPLE,
    PlanRequest,
    PollInputError,
    also_of,
    check_plan,
    parse_deadline,
    parse_plan,
    read_flags,
    words_of,
)
from bot.features.roundtables import service
from bot.geo import zone_of
from bot.i18n import N_, _, language_of, ngettext, speaking
from bot.members import reach
from bot.messages import Block, Form, Input, Message, Section, Strong, Timestamp, filled, rich
from bot.outbound import Direct, Update
from bot.refs import ChannelRef
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from storage.models import Poll, PollOption, RoundtableSuggestion
from storage.unit_of_work import UnitOfWork

SUGGEST_EXAMPLE = N_('/alumni roundtable suggest "Licensing for open data"')
TOPICS_EXAMPLE = N_("/alumni roundtable poll --closes Friday at 17:00")
TOPICS_ALSO_EXAMPLE = N_("/alumni roundtable poll --closes Friday at 17:00 --also discord:#general")
LISTED = 10


feature = Feature("roundtables")


@feature.command(
    "roundtable",
    summary=N_("Suggest a roundtable topic; facilitators poll topics and plan a session"),
    usage=N_('roundtable suggest "<topic>"'),
    facilitator_usage=N_(
        'roundtable poll [--closes <when>] | plan "<topic>" --slots <when>, <when> '
        "(either with [--also <platform>:#<channel>])"
    ),
    facilitator_summary=N_("Put the suggested topics to a poll, or plan a session with a time-slot poll"),
    examples=(SUGGEST_EXAMPLE, TOPICS_EXAMPLE, PLAN_EXAMPLE),
    params=(Param("what", N_('suggest "<topic>", poll, or plan "<topic>" --slots <when>, <when>')),),
    details=N_(
        "plan posts a time-slot poll: each slot in every reader's own time, Yes / If need be / No, "
        "and how many voters it puts outside 08:00-21:00. Closing it makes the roundtable at the "
        "best slot, with RSVP buttons, a calendar file and reminders 24 h and 1 h before. "
        "--also discord:#general posts the poll (and then the roundtable) in another channel too, "
        "on this platform or the other; answers from every copy count together."
    ),
)
async def roundtable(ctx: Context, args: str) -> None:
    verb, _space, rest = args.strip().partition(" ")
    match verb.lower():
        case "suggest":
            await suggest(ctx, rest)
        case "poll":
            ctx.require_facilitator(N_("Only facilitators can put topics to a poll."))
            await topics_poll(ctx, rest)
        case "plan":
            ctx.require_facilitator(N_("Only facilitators can plan roundtables."))
            if not rest.strip():
                ctx.open_form(plan_form(ctx.channel))
                return
            await plan(ctx, parse_plan(rest, zone_of(ctx.person), ctx.now()))
        case _:
            raise UserError(_("Say suggest, poll or plan after /alumni roundtable."), _(SUGGEST_EXAMPLE))


@feature.form("rt", "plan", Maybe(PlatformId()))
async def plan_from_form(ctx: Context, values: dict[str, str], channel_id: str | None) -> None:
    ctx.require_facilitator(N_("Only facilitators can plan roundtables."))
    zone, now = zone_of(ctx.person), ctx.now()
    try:
        closes_words = values.get("closes", "").split()
        closes = parse_deadline(closes_words, zone, now, PLAN_EXAMPLE) if closes_words else None
        request = check_plan(values.get("topic", ""), values.get("slots", ""), zone, now, closes)
        await plan(ctx, request, opened_in(ctx, channel_id))
    except PollInputError as error:
        raise FormInvalid({error.field: error.problem}) from None


@feature.command(
    "roundtables",
    summary=N_("Upcoming roundtables, with your answer"),
    usage="roundtables",
    examples=("/alumni roundtables",),
)
async def upcoming(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni roundtables")
    ctx.reply(Message(await upcoming_blocks(ctx, LISTED)))


@feature.action("rt", "rsvp", RECORD, OneOf(tuple(service.RSVP)))
async def rsvp(ctx: Context, roundtable_id: int, said: str) -> None:
    # Locked: answers on different copies go one after another, so each copy's last edit
    # (in its own outbox lane) shows the last count.
    found = await ctx.uow.roundtables.lock(roundtable_id)
    if found is None:
        raise UserError(_("That roundtable no longer exists."), "/alumni roundtables")
    if found.starts_at <= ctx.now():
        raise UserError(_("That roundtable has already started."), "/alumni roundtables")
    await ctx.uow.roundtables.answer(found.id, ctx.person.id, said, ctx.now())
    counts = await ctx.uow.roundtables.counts(found.id)
    with speaking(ctx.settings.bot.channel_speaks):  # the announcement many read
        announced = service.announcement(found, counts, ctx.settings.roundtables.join_url)
        # Every copy is redrawn through its own outbox lane, the pressed one too, so an edit
        # made for an earlier answer never lands after this one.
        places = await service.places(ctx.uow, found)
        for place in places:
            ctx.send(announced, place.update())
        pressed = ctx.event.message if isinstance(ctx.event, Action) else None
        if not await pressed_on(pressed, ctx.uow, places):
            ctx.send(announced, Update())  # an announcement from before copies had names
    answer = _("Your answer: {answer}. Starts {when}.")
    ctx.reply(
        Message((Section(filled(answer, answer=_(service.RSVP[said]), when=Timestamp(found.starts_at))),))
    )


@feature.timer(service.REMINDER)
async def remind(ctx: TimerContext) -> None:
    found = await ctx.uow.roundtables.get(ctx.occurrence.subject_id)
    if found is None or ctx.occurrence.status == "missed":
        return  # a reminder for a session already under way helps nobody
    people = await ctx.uow.people.get_many(await ctx.uow.roundtables.attending(found.id))
    for person in people.values():
        if to := reach(person):
            with speaking(language_of(person, ctx.settings)):
                ctx.send(service.reminder(found), Direct(to))


async def suggest(ctx: Context, text: str) -> None:
    words = words_of(text, SUGGEST_EXAMPLE)
    topic = " ".join(" ".join(words).split())
    if not topic:
        raise UserError(_("What topic would you like a roundtable on?"), _(SUGGEST_EXAMPLE))
    if len(topic) > MAX_OPTION:
        raise UserError(
            _("A topic has at most {limit} characters (this one has {count}).").format(
                limit=MAX_OPTION, count=len(topic)
            ),
            _(SUGGEST_EXAMPLE),
        )
    waiting = await ctx.uow.roundtables.open_suggestions(ctx.platform, ctx.workspace)
    same = next((s for s in waiting if " ".join(s.topic.casefold().split()) == topic.casefold()), None)
    if same is not None:
        already = (
            _("\u201c{topic}\u201d is already suggested (by you); it's on the list for the next topic poll.")
            if same.suggested_by == ctx.person.id
            else _(
                "\u201c{topic}\u201d is already suggested (by someone else); it's on the list for the next "
                "topic poll."
            )
        )
        ctx.reply(already.format(topic=same.topic))
        return
    await ctx.uow.roundtables.suggest(
        RoundtableSuggestion(
            topic=topic,
            suggested_by=ctx.person.id,
            platform=ctx.platform,
            workspace=ctx.workspace,
            created_at=ctx.now(),
        )
    )
    ctx.reply(_("Thanks! \u201c{topic}\u201d is on the list for the next topic poll.").format(topic=topic))


async def topics_poll(ctx: Context, text: str) -> None:
    """The open suggestions (the oldest ten) become one poll; the rest wait for the next."""
    positional, flags = read_flags(words_of(text, TOPICS_EXAMPLE), ("--closes", "--also"), TOPICS_EXAMPLE)
    if positional:
        raise UserError(
            _("This takes only --closes <when> and --also <platform>:#<channel>."), _(TOPICS_EXAMPLE)
        )
    closes = (
        parse_deadline(flags["--closes"], zone_of(ctx.person), ctx.now(), TOPICS_EXAMPLE)
        if "--closes" in flags
        else None
    )
    suggestions = (await ctx.uow.roundtables.open_suggestions(ctx.platform, ctx.workspace))[:MAX_OPTIONS]
    distinct = list({s.topic.casefold(): s for s in suggestions}.values())
    if len(distinct) < 2:
        raise UserError(
            _("A poll needs at least 2 open suggestions (there are {count}).").format(count=len(distinct)),
            _(SUGGEST_EXAMPLE),
        )
    poll, copies = await post_poll(
        ctx,
        Poll(
            kind="choice",
            question=_("Which topic for the next roundtable?"),
            multi=True,
            closes_at=closes,
            options=[PollOption(position=n, label=s.topic) for n, s in enumerate(distinct)],
        ),
        also=also_of(flags, TOPICS_ALSO_EXAMPLE),
        example=TOPICS_ALSO_EXAMPLE,
    )
    for suggestion in suggestions:
        suggestion.poll_id = poll.id
    posted = ngettext(
        "Poll #{number} is posted with {count} topic.",
        "Poll #{number} is posted with {count} topics.",
        len(distinct),
    ).format(number=poll.id, count=len(distinct))
    ctx.reply(" ".join([posted, *copies]))


def plan_form(channel: ChannelRef | None) -> Form:
    return Form(
        title=_("Plan a roundtable"),
        action_id=action_id("rt", "plan", *([channel.channel_id] if channel else [])),
        submit_label=_("Post time poll"),
        inputs=(
            Input("topic", _("Topic"), max_length=MAX_TOPIC),
            Input("slots", _("Times, separated by commas (your zone)"), kind="long", max_length=400,
                  placeholder=_("Tuesday at 15:00, Wednesday at 9:00")),
            Input("closes", _("Poll closes (optional)"), required=False, max_length=60),
        ),
    )  # fmt: skip


async def plan(ctx: Context, request: PlanRequest, channel: ChannelRef | None = None) -> None:
    poll, copies = await post_poll(
        ctx,
        Poll(
            kind="slots",
            question=request.topic,
            multi=True,
            closes_at=request.closes_at,
            options=[
                PollOption(position=n, label=f"{slot:%Y-%m-%d %H:%M} UTC", starts_at=slot)
                for n, slot in enumerate(request.slots)
            ],
        ),
        channel,
        request.also,
        PLAN_ALSO_EXAMPLE,
    )
    posted = _(
        "Time poll #{number} is posted. Close it with /alumni poll close {number} to pick the time."
    ).format(number=poll.id)
    ctx.reply(" ".join([posted, *copies]))


async def upcoming_blocks(ctx: Context, limit: int) -> tuple[Block, ...]:
    found = await ctx.uow.roundtables.upcoming(ctx.platform, ctx.workspace, ctx.now(), limit)
    if not found:
        return (
            Section(
                (
                    _("No roundtables planned yet. Suggest a topic: {example}").format(
                        example=_(SUGGEST_EXAMPLE)
                    ),
                )
            ),
        )
    answers = await ctx.uow.roundtables.rsvps([r.id for r in found], ctx.person.id)
    return tuple(
        Section(
            rich(
                Strong(r.topic),
                "\n",
                *filled(
                    _("{when} \u00b7 you: {answer}"),
                    when=Timestamp(r.starts_at),
                    answer=_(service.RSVP[answers[r.id]]) if r.id in answers else _("no answer yet"),
                ),
            )
        )
        for r in found
    )


async def export_roundtables(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    return {
        "suggested": [
            {"topic": s.topic, "created_at": s.created_at}
            for s in await uow.roundtables.suggestions_by(person_id)
        ],
        "answers": [
            {"topic": r.topic, "starts_at": r.starts_at, "answer": a}
            for r, a in await uow.roundtables.answers_of(person_id)
        ],
    }


feature.data("roundtables", export_roundtables)
