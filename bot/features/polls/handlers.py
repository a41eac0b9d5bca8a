"""`/alumni poll`: facilitators ask, members vote with buttons, results update in place.

Create by command or form, close by button, command or deadline ("polls.close" schedule),
`/alumni poll export <poll>` for a CSV. Voting, refreshing and closing: bot.features.polls.service.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bot.action_ids import RECORD, Maybe, OneOf, PlatformId, action_id
from bot.context import Context
from bot.errors import FormInvalid, UserError, stale_button
from bot.events import Action
from bot.features.polls import service
from bot.features.polls.ballots import ballot_key, voter_key
from bot.features.polls.copies import (
    ALSO_EXAMPLE,
    copies_for,
    copies_said,
    copy_place,
    platform_name,
    pressed_on,
)
from bot.features.polls.parsing import (
    POLL_EXAMPLE,
    PollInputError,
    PollRequest,
    check_poll,
    parse_deadline,
    parse_poll,
)
from bot.features.polls.render import ANSWERS, voter_list, what_counts
from bot.geo import zone_of
from bot.i18n import N_, _, speaking
from bot.messages import Attachment, Form, Input, Message
from bot.outbound import Post, Public
from bot.refs import ChannelRef
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from storage.models import ChannelCopy, Poll, PollOption
from storage.unit_of_work import UnitOfWork

SWITCH_WORDS = ("multi", "anonymous", "hidden")


feature = Feature("polls")


@feature.command(
    "poll",
    summary=N_("Ask the channel a question with buttons to vote (or close or export a poll)"),
    usage=N_(
        'poll "Question?" "Option A" "Option B" [--multi] [--anonymous] [--hidden] [--closes <when>] '
        "[--also <platform>:#<channel>]"
    ),
    examples=(
        POLL_EXAMPLE,
        N_('/alumni poll "Lunch?" "Pizza" "Salad" --multi --anonymous'),
        ALSO_EXAMPLE,
        "/alumni poll close 12",
        "/alumni poll export 12",
    ),
    params=(Param("poll", N_("Quoted question and options, or close/export <poll>"), required=False),),
    details=N_(
        "2 to 10 options. --multi lets members pick several, --anonymous stores votes under a "
        "keyed hash so nobody can tell who voted what, --hidden shows results only at the close. "
        "--also discord:#general posts the same poll in another channel too, on this platform or "
        "the other; votes from every copy count together. With no arguments a form opens."
    ),
    facilitator_only=True,
)
async def poll(ctx: Context, args: str) -> None:
    verb, _space, rest = args.strip().partition(" ")
    match verb.lower():
        case "":
            ctx.open_form(poll_form(ctx.channel))
        case "close":
            found = await poll_named(ctx, rest, "close")
            await close_poll(ctx, found)
            ctx.reply(
                _("Poll #{number} is closed; the final results are in the channel.").format(number=found.id)
            )
        case "export":
            await export(ctx, await poll_named(ctx, rest, "export"))
        case _:
            request = parse_poll(args, zone_of(ctx.person), ctx.now())
            await create(ctx, request)


@feature.form("poll", "create", Maybe(PlatformId()))
async def create_from_form(ctx: Context, values: dict[str, str], channel_id: str | None) -> None:
    ctx.require_facilitator(N_("Only facilitators can create polls."))
    try:
        await create(ctx, poll_from_form(values, zone_of(ctx.person), ctx.now()), opened_in(ctx, channel_id))
    except PollInputError as error:
        raise FormInvalid({error.field: error.problem}) from None


@feature.action("poll", "vote", RECORD, RECORD)
async def vote(ctx: Context, poll_id: int, option_id: int) -> None:
    poll, option = await open_option(ctx, poll_id, option_id, "choice")
    key = await my_key(ctx, poll)
    if not poll.multi:
        await cast(ctx, poll, key, {option.id: "yes"})
        return
    answers = await ctx.uow.polls.answers(poll.id, key)
    if answers.pop(option.id, None) is None:
        answers[option.id] = "yes"
    await cast(ctx, poll, key, answers)


@feature.action("poll", "answer", RECORD, RECORD, OneOf(tuple(ANSWERS)))
async def answer(ctx: Context, poll_id: int, option_id: int, said: str) -> None:
    poll, option = await open_option(ctx, poll_id, option_id, "slots")
    key = await my_key(ctx, poll)
    answers = await ctx.uow.polls.answers(poll.id, key) | {option.id: said}
    await cast(ctx, poll, key, answers)


@feature.action("poll", "withdraw", RECORD)
async def withdraw(ctx: Context, poll_id: int) -> None:
    poll = await open_poll(ctx, poll_id)
    await cast(ctx, poll, await my_key(ctx, poll), {})


@feature.action("poll", "voters", RECORD)
async def voters(ctx: Context, poll_id: int) -> None:
    ctx.require_facilitator(N_("Only facilitators can see who voted."))
    poll = await existing(ctx, poll_id)
    if poll.anonymous:
        raise UserError(_("This poll is anonymous: nobody can see who voted what, not even facilitators."))
    ctx.reply(voter_list(poll, await ctx.uow.polls.voters(poll.id)))


@feature.action("poll", "close", RECORD)
async def close(ctx: Context, poll_id: int) -> None:
    ctx.require_facilitator(N_("Only facilitators can close polls."))
    await close_poll(ctx, await existing(ctx, poll_id))


@feature.timer(service.CLOSE)
async def close_at_deadline(ctx: TimerContext) -> None:
    poll = await ctx.uow.polls.lock(ctx.occurrence.subject_id)
    if poll is None:
        return
    with speaking(ctx.settings.bot.channel_speaks):  # the results many read
        if poll.state == "open":
            ctx.queued.extend(await service.close(ctx.uow, poll, ctx.now(), ctx.settings.roundtables))
        else:  # this occurrence closed it before a crash or a failed send: say it again
            ctx.queued.extend(await service.closing_posts(ctx.uow, poll, ctx.now(), ctx.settings.roundtables))


@feature.timer(service.REFRESH)
async def refresh(ctx: TimerContext) -> None:
    poll = await ctx.uow.polls.lock(ctx.occurrence.subject_id)
    if poll is not None:
        with speaking(ctx.settings.bot.channel_speaks):
            ctx.queued.extend(await service.refreshed(ctx.uow, poll, ctx.now()))


def poll_form(channel: ChannelRef | None) -> Form:
    return Form(
        title=_("New poll"),
        action_id=action_id("poll", "create", *([channel.channel_id] if channel else [])),
        submit_label=_("Post poll"),
        inputs=(
            Input("question", _("Question"), max_length=300, placeholder=_("Which topic next?")),
            Input("options", _("Options, one per line (2 to 10)"), kind="long", max_length=900),
            Input("settings", _("Any of: multi, anonymous, hidden"), required=False, max_length=40),
            Input(
                "closes",
                _("Closes (optional)"),
                required=False,
                max_length=60,
                placeholder=_("Friday at 17:00"),
            ),
        ),
    )


def poll_from_form(values: dict[str, str], zone: str, now: datetime) -> PollRequest:
    switches = values.get("settings", "").replace(",", " ").lower().split()
    unknown = [s for s in switches if s not in SWITCH_WORDS]
    if unknown:
        raise PollInputError(
            _("Settings are any of {words}.").format(words=", ".join(SWITCH_WORDS)),
            "multi, anonymous",
            "settings",
        )
    closes_words = values.get("closes", "").split()
    closes = parse_deadline(closes_words, zone, now, POLL_EXAMPLE) if closes_words else None
    options = tuple(line for line in values.get("options", "").splitlines() if line.strip())
    return check_poll(
        PollRequest(
            values.get("question", ""),
            options,
            multi="multi" in switches,
            anonymous="anonymous" in switches,
            hidden="hidden" in switches,
            closes_at=closes,
        )
    )


def opened_in(ctx: Context, channel_id: str | None) -> ChannelRef | None:
    """The channel a form was opened in (its id rides in the form's action id)."""
    return ctx.channel or (ChannelRef(ctx.platform, ctx.workspace, channel_id) if channel_id else None)


async def create(ctx: Context, request: PollRequest, channel: ChannelRef | None = None) -> Poll:
    poll, copies = await post_poll(
        ctx,
        Poll(
            kind="choice",
            question=request.question,
            multi=request.multi,
            anonymous=request.anonymous,
            hidden=request.hidden,
            closes_at=request.closes_at,
            options=[PollOption(position=n, label=label) for n, label in enumerate(request.options)],
        ),
        channel,
        request.also,
    )
    posted = _("Poll #{number} is posted. Close it with /alumni poll close {number}.").format(number=poll.id)
    ctx.reply(" ".join([posted, *copies]))
    return poll


async def post_poll(
    ctx: Context,
    poll: Poll,
    channel: ChannelRef | None = None,
    also: tuple[str, ...] = (),
    example: str = ALSO_EXAMPLE,
) -> tuple[Poll, list[str]]:
    """Save the poll, post it in this channel and each further one (--also, [bot] mirror_channels)
    under names (to update them), set its deadline; return it and what to say of the copies.
    The further channels are found first: one that cannot be used stops it all (`example`)."""
    channel = channel or ctx.channel
    if channel is None:
        raise UserError(_("Create polls in a channel, so everyone there can vote."), _(POLL_EXAMPLE))
    copies = await copies_for(ctx.channel_finders, channel, also, ctx.settings.bot.mirror_channels, example)
    poll.creator_id, poll.platform, poll.workspace = ctx.person.id, ctx.platform, ctx.workspace
    poll.channel_id, poll.created_at, poll.state = channel.channel_id, ctx.now(), "open"
    await ctx.uow.polls.add(poll)
    made = await ctx.uow.copies.add(
        (ChannelCopy(poll_id=poll.id, platform=c.platform, workspace=c.workspace, channel_id=c.channel_id)
         for c, _typed in copies.channels),
        ctx.now(),
    )  # fmt: skip
    with speaking(ctx.settings.bot.channel_speaks):  # a poll many read
        message = await service.view(ctx.uow, poll)
        ctx.send(message, Public(channel), name=service.posted_as(poll))
        for place in map(copy_place, made):
            ctx.send(message, Public(place.channel), name=place.name)
    if poll.closes_at:
        await ctx.uow.schedules.add(service.CLOSE, poll.id, poll.closes_at, ctx.now(), platform=ctx.platform)
    return poll, copies_said(copies)


async def my_key(ctx: Context, poll: Poll) -> str:
    """The acting member's voter key on this poll (bot.features.polls.ballots)."""
    key = await ballot_key(ctx.settings.secrets.poll_secret, ctx.uow, ctx.now()) if poll.anonymous else None
    return voter_key(key, poll.id, ctx.person.id)


async def cast(ctx: Context, poll: Poll, key: str, answers: dict[int, str]) -> None:
    await service.record(ctx.uow, poll, key, ctx.person.id, answers, ctx.now(), ctx.platform)
    ctx.reply(what_counts(poll, answers))


async def close_poll(ctx: Context, poll: Poll) -> None:
    locked = await ctx.uow.polls.lock(poll.id)
    if locked is None or locked.state == "closed":
        raise UserError(_("Poll #{number} is already closed.").format(number=poll.id))
    await ctx.uow.schedules.cancel(service.CLOSE, [poll.id])
    with speaking(ctx.settings.bot.channel_speaks):  # the results many read
        ctx.queued.extend(await service.close(ctx.uow, locked, ctx.now(), ctx.settings.roundtables))


async def poll_named(ctx: Context, text: str, verb: str) -> Poll:
    """The poll a `/alumni poll close|export <number>` names; an example with a real number when
    it names none (the newest open poll to close, the newest poll to export)."""
    number = RECORD.read(text.strip().lstrip("#"))
    poll = await ctx.uow.polls.get(number) if number is not None else None
    if poll is not None and await shown_here(ctx, poll):
        return poll
    latest = await ctx.uow.polls.latest(ctx.platform, ctx.workspace, open_only=verb == "close")
    example = f"/alumni poll {verb} {latest.id}" if latest else _(POLL_EXAMPLE)
    if number is None:
        raise UserError(_("Which poll? Give its number, shown under the poll."), example)
    raise UserError(
        _("There is no poll #{number} here (it may have been deleted).").format(number=number), example
    )


async def existing(ctx: Context, poll_id: int, *, to_vote: bool = False) -> Poll:
    """The poll a button names, pressed on that poll's own message; `to_vote`: locked for this
    member's vote (storage.polls.lock_to_vote)."""
    if to_vote:
        poll = await ctx.uow.polls.lock_to_vote(poll_id, ctx.person.id)
    else:
        poll = await ctx.uow.polls.get(poll_id)
    if poll is None or not await shown_here(ctx, poll):
        raise UserError(_("That poll no longer exists (it may have been deleted)."))
    if await pressed_elsewhere(ctx, poll):
        raise stale_button()
    return poll


async def shown_here(ctx: Context, poll: Poll) -> bool:
    """Whether the poll, or one of its copies, is in the acting member's workspace."""
    here = (ctx.platform, ctx.workspace)
    return any((p.channel.platform, p.channel.workspace) == here for p in await service.places(ctx.uow, poll))


async def pressed_elsewhere(ctx: Context, poll: Poll) -> bool:
    """A poll's buttons are on its own messages: a press anywhere else names another poll."""
    pressed = ctx.event.message if isinstance(ctx.event, Action) else None
    return await pressed_on(pressed, ctx.uow, await service.places(ctx.uow, poll)) is False


async def open_poll(ctx: Context, poll_id: int) -> Poll:
    """The poll, locked for this vote, and still open."""
    poll = await existing(ctx, poll_id, to_vote=True)
    if poll.state != "open":
        raise UserError(
            _("Voting on \u201c{question}\u201d has ended: the poll is closed.").format(
                question=poll.question
            )
        )
    return poll


async def open_option(ctx: Context, poll_id: int, option_id: int, kind: str) -> tuple[Poll, PollOption]:
    """The locked open poll and its option, when the press fits the poll: a time-slot answer
    on a time-slot poll, a choice on a choice poll."""
    poll = await open_poll(ctx, poll_id)
    option = next((o for o in poll.options if o.id == option_id), None)
    if option is None or poll.kind != kind:
        raise stale_button()
    return poll, option


async def export(ctx: Context, poll: Poll) -> None:
    """A CSV: each vote with its voter, or on anonymous polls the counts alone. The headings are
    in the reader's language; the answers stay the stored words (yes, maybe, no), as data."""
    out = io.StringIO()
    writer = csv.writer(out)
    labels = {o.id: o.starts_at.isoformat() if o.starts_at else o.label for o in poll.options}
    if poll.anonymous:
        tally, _voters = await ctx.uow.polls.tally(poll.id)
        writer.writerow([_("option"), _("answer"), _("votes")])
        for option in poll.options:
            for answer, count in sorted(tally.get(option.id, {}).items()):
                writer.writerow([labels[option.id], answer, count])
        said = _("Votes on poll #{number}, \u201c{question}\u201d (anonymous: counts only).")
    else:
        writer.writerow([_("option"), _("answer"), _("voter"), _("platform")])
        for option_id, answer, name, platform in await ctx.uow.polls.voters(poll.id):
            writer.writerow([labels[option_id], answer, name, platform_name(platform)])
        said = _("Votes on poll #{number}, \u201c{question}\u201d.")
    ctx.reply(
        Message.of(
            said.format(number=poll.id, question=poll.question),
            Attachment(out.getvalue().encode(), f"poll-{poll.id}.csv", "text/csv"),
        )
    )


async def export_polls(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    return {
        "created": [
            {"question": p.question, "state": p.state, "created_at": p.created_at}
            for p in await uow.polls.created_by(person_id)
        ],
        "votes": [
            {"poll": p.question, "option": o.starts_at or o.label, "answer": a}
            for p, o, a in await uow.polls.votes_of(person_id)
        ],
        "anonymous_votes": _("Not listed: nothing stored links anonymous votes to you."),
    }


async def forget_votes(uow: UnitOfWork, person_id: int) -> list[Post]:
    """Open polls lose the member's votes at once (their messages are redrawn); anonymous
    votes stay counted, since nothing stored ties them to the member."""
    voted = await uow.polls.open_voted_by(person_id)
    await uow.polls.forget_votes(person_id)
    return [
        post for poll in voted for post in await service.everywhere(uow, poll, await service.view(uow, poll))
    ]


feature.data("polls", export_polls, forget_votes)
