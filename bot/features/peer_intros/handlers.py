"""`/alumni introduce <topic or member> [note]`: warm peer introductions with double opt-in.

The requester picks one of up to three proposed people; that person is asked privately
and may accept (both land in one conversation) or decline (the requester is told kindly
and offered the next). An ask left unanswered for `answer_hours` expires the same way:
each ask has one schedule row (kind "peer_intros.expire", bot.scheduling), cancelled by the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from bot.action_ids import RECORD, action_id
from bot.cards import headline, summary
from bot.config import Settings
from bot.context import Context
from bot.conversations import to_members
from bot.errors import UserError
from bot.features.linking.reach import where_to_write
from bot.i18n import N_, _, current_language, join_list, language_of, ngettext, speaking
from bot.members import is_mention, reach, resolve_member
from bot.messages import Actions, Button, Message, Note, Section, Strong, filled, rich
from bot.outbound import Direct, Group, Outbound, Post, Update
from bot.refs import MemberRef
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from bot.suggestions import TOPIC_KINDS
from bot.text import OPENING_QUOTES, QUOTED_FIRST, clip, fold
from storage.models import IntroRequest, Person
from storage.search import Plan
from storage.unit_of_work import UnitOfWork

# What members type: help shows it as written, errors in the member's own words.
EXAMPLE = N_('/alumni introduce "data access" We are starting a programme and would love advice')
MAX_SUBJECT = 100
MAX_NOTE = 500
WEEK = timedelta(days=7)
EXPIRY = "peer_intros.expire"
MAX_TOPIC_WORDS = 6  # a topic found at the start of the text has at most this many words
BATCH = 50  # people who list a topic are checked this many at a time
MAX_PASSED_OVER = 5
NEAREST = 3


feature = Feature("peer_intros")


@feature.command(
    "introduce",
    summary=N_("Ask for an introduction to someone who knows a topic, or to a member"),
    usage=N_("introduce <topic or @member> [note]"),
    examples=(
        EXAMPLE,
        N_("/alumni introduce licensing: choosing a licence for our API"),
        "/alumni introduce @Ana",
    ),
    params=(
        Param("subject", N_("A topic, or a member"), kind="topic"),
        Param("note", N_("Why you would like to talk"), required=False),
    ),
    details=N_(
        "The topic is what you quote, what comes before a colon, or else the longest topic "
        "members list at the start of your text. I propose up to three people from other "
        "organisations who can help with it; you pick one, they accept or decline privately."
    ),
)
async def introduce(ctx: Context, args: str) -> None:
    request = parse_request(args)
    if request.member:
        person = await resolve_member(ctx, request.subject, "/alumni introduce @Ana")
        await introduce_to(ctx, request, [(await check_direct(ctx, person), "member")])
        return
    if not request.marked:
        request = await split_known_topic(ctx, request.subject)
    check_lengths(request)
    proposal = await propose(ctx, request.subject)
    if proposal.people:
        await introduce_to(ctx, request, proposal.people, proposal.passed_over)
    elif proposal.passed_over:
        ctx.reply(
            _(
                "No one available lists \u201c{subject}\u201d right now: {people}. "
                "Try again next week, or a broader topic."
            ).format(subject=request.subject, people=passed_over_text(proposal.passed_over))
        )
    else:
        nearest = await ctx.uow.search.labels_near(proposal.plan, ("expertise",), NEAREST)
        ctx.reply(nobody_lists(request.subject, nearest))


@feature.action("intro", "ask", RECORD, RECORD)
async def ask(ctx: Context, request_id: int, person_id: int) -> None:
    request = await load(ctx, request_id, person_id)
    if request.requester_id != ctx.person.id:
        raise UserError(_("Only the person who asked for this introduction can choose."), _(EXAMPLE))
    if any(c.state in ("asked", "accepted") for c in request.candidates):
        raise UserError(_("You already asked someone for this introduction; wait for their answer."))
    candidate = next(c for c in request.candidates if c.person_id == person_id)
    asks = await ctx.uow.introductions.asks_since(person_id, ctx.now() - WEEK)
    if asks >= ctx.settings.peer_intros.max_asks_per_week:
        raise UserError(
            ngettext(
                "{name} has had {count} request this week already; "
                "please choose someone else or try next week.",
                "{name} has had {count} requests this week already; "
                "please choose someone else or try next week.",
                asks,
            ).format(name=candidate.person.display_name, count=asks)
        )
    if not await ctx.uow.introductions.move(request.id, person_id, "proposed", "asked", ctx.now()):
        raise UserError(_("That person was already asked for this introduction."))
    target = reach(candidate.person)
    assert target is not None  # a person has an account somewhere
    with speaking(language_of(candidate.person, ctx.settings)):  # the one asked reads their own
        ctx.send(ask_message(ctx, request, person_id), Direct(target))
    hours = ctx.settings.peer_intros.answer_hours
    await ctx.uow.schedules.add(
        EXPIRY,
        request.id,
        ctx.now() + timedelta(hours=hours),
        ctx.now(),
        owner_id=person_id,
        platform=ctx.platform,
    )
    ctx.send(
        Message.of(
            ngettext(
                "I've asked {name}. You'll hear from me within {count} hour, whatever the answer.",
                "I've asked {name}. You'll hear from me within {count} hours, whatever the answer.",
                hours,
            ).format(name=candidate.person.display_name, count=hours)
        ),
        Update(),
    )


@feature.action("intro", "accept", RECORD, RECORD)
async def accept(ctx: Context, request_id: int, person_id: int) -> None:
    request = await answerable(ctx, request_id, person_id)
    if not await ctx.uow.introductions.move(request.id, person_id, "asked", "accepted", ctx.now()):
        raise UserError(_("This request was already answered or has expired."))
    await ctx.uow.schedules.cancel(EXPIRY, [request.id])
    requester = await ctx.uow.people.get(request.requester_id)
    assert requester is not None  # the request would be gone with its requester
    await ctx.uow.connections.add(requester.id, person_id, "introduction", ctx.now())
    written = partial(introduction_message, requester, ctx.person, request)
    sent = to_members(written, (requester, ctx.person), ctx.settings)
    for message, to in sent:
        ctx.send(message, to)
    thanks = (
        _("Thank you! You and {name} now have a conversation.")
        if isinstance(sent[0][1], Group)
        else _("Thank you! I've introduced you and {name} to each other, each where I reach you.")
    )
    ctx.send(Message.of(thanks.format(name=requester.display_name)), Update())


@feature.action("intro", "decline", RECORD, RECORD)
async def decline(ctx: Context, request_id: int, person_id: int) -> None:
    request = await answerable(ctx, request_id, person_id)
    if not await ctx.uow.introductions.move(request.id, person_id, "asked", "declined", ctx.now()):
        raise UserError(_("This request was already answered or has expired."))
    await ctx.uow.schedules.cancel(EXPIRY, [request.id])
    ctx.send(Message.of(_("No problem, I'll let them know kindly. Thanks for answering.")), Update())
    ctx.queued.extend(await offer_next(ctx.uow, request.id, ctx.settings))


@feature.timer(EXPIRY)
async def expire(ctx: TimerContext) -> None:
    """The ask went unanswered. Late or long missed, the requester still deserves to hear."""
    occurrence = ctx.occurrence
    request_id, person_id = occurrence.subject_id, occurrence.owner_id or 0
    if await ctx.uow.introductions.move(request_id, person_id, "asked", "expired", ctx.now()):
        ctx.queued.extend(await offer_next(ctx.uow, request_id, ctx.settings))


@dataclass(frozen=True)
class Request:
    subject: str
    note: str
    marked: bool  # the topic was quoted or ended with a colon, so it is exactly what was typed
    member: bool = False


@dataclass(frozen=True)
class Proposal:
    plan: Plan
    people: list[tuple[Person, str]]  # (person, why they are proposed)
    passed_over: list[tuple[Person, str]]  # (person, why not), when fewer than wanted were found


def parse_request(args: str) -> Request:
    """`"data access" a note`, `data access: a note`, `@Ana a note`; any other text is a topic at
    its start (see split_known_topic) and a note."""
    text = args.strip()
    quoted = QUOTED_FIRST.match(text)
    first, _space, rest = text.partition(" ")
    if quoted:
        request = Request(quoted.group(2), quoted.group(3), marked=True)
    elif text and text[0] in OPENING_QUOTES:
        raise UserError(_("The topic opens a quotation mark but never closes it."), _(EXAMPLE))
    elif is_mention(first) or first.startswith("@"):
        request = Request(first, rest, marked=True, member=True)
    elif ":" in text:
        subject, _colon, note = text.partition(":")
        request = Request(subject, note, marked=True)
    else:
        request = Request(text, "", marked=False)
    request = Request(" ".join(request.subject.split()), request.note.strip(), request.marked, request.member)
    if not request.subject:
        raise UserError(_("Tell me the topic or the member."), _(EXAMPLE))
    if request.marked:
        check_lengths(request)
    return request


def check_lengths(request: Request) -> None:
    if len(request.subject) > MAX_SUBJECT:
        raise UserError(_("A topic has at most {limit} characters.").format(limit=MAX_SUBJECT), _(EXAMPLE))
    if len(request.note) > MAX_NOTE:
        raise UserError(
            _("The note has at most {limit} characters (this one has {count}).").format(
                limit=MAX_NOTE, count=len(request.note)
            ),
            _(EXAMPLE),
        )
    if not fold(request.subject):
        raise UserError(_("Tell me the topic in words (letters or numbers)."), _(EXAMPLE))


async def split_known_topic(ctx: Context, text: str) -> Request:
    """The longest topic some member lists at the start of `text`, the rest being the note:
    "licensing we are drafting a policy" -> licensing. No known topic: the whole text."""
    words = text.split()
    heads = [" ".join(words[:n]) for n in range(min(len(words), MAX_TOPIC_WORDS), 0, -1)]
    known = await ctx.uow.people.known_topics(TOPIC_KINDS, [fold(head) for head in heads])
    for head in heads:
        if fold(head) and fold(head) in known:
            return Request(head, text[len(head) :].strip(), marked=False)
    return Request(text, "", marked=False)


async def propose(ctx: Context, subject: str) -> Proposal:
    """Up to N people from other organisations who list the topic under what they can help
    with (near spellings too), those listing it as typed first; and who was passed over, why."""
    plan = await ctx.uow.search.plan(subject)
    listed = [pid for pid, _rank in await ctx.uow.search.listing(plan, ("expertise",))]
    wanted = ctx.settings.peer_intros.candidates
    excluded = await exclusions(ctx)
    chosen: list[Person] = []
    passed_over: list[tuple[Person, str]] = []
    for start in range(0, len(listed), BATCH):
        batch = listed[start : start + BATCH]
        people = await ctx.uow.people.get_many(batch)
        for person in (people[pid] for pid in batch if pid in people and pid != ctx.person.id):
            reason = excluded(person)
            if reason:
                passed_over.append((person, reason))
            elif len(chosen) < wanted:
                chosen.append(person)
        if len(chosen) >= wanted:
            break
    hits = await ctx.uow.search.hits(plan, [p.id for p in chosen], ("expertise",))
    proposed = [  # each with the topics they list (kept with the request, never shown)
        (person, clip(", ".join(h.label for h in hits[person.id] if h.complete), 200)) for person in chosen
    ]
    return Proposal(plan, proposed, passed_over if len(chosen) < wanted else [])


async def exclusions(ctx: Context) -> Callable[[Person], str]:
    """Why a person who lists the topic is not proposed to the requester ("" when they can be)."""
    partners = await ctx.uow.connections.partners_of(ctx.person.id)
    asked = await ctx.uow.introductions.recently_asked(ctx.now() - WEEK)
    cap = ctx.settings.peer_intros.max_asks_per_week
    organisation = fold(ctx.person.organisation)

    def why_not(person: Person) -> str:
        if person.id in partners:
            return _("already introduced to you")
        if asked.get(person.id, 0) >= cap:
            count = asked[person.id]
            return ngettext(
                "asked {count} time this week already", "asked {count} times this week already", count
            ).format(count=count)
        if organisation and fold(person.organisation) == organisation:
            return _("same organisation as you")
        return ""

    return why_not


def passed_over_text(passed_over: Sequence[tuple[Person, str]]) -> str:
    shown = [
        _("{name} ({reason})").format(name=person.display_name, reason=reason)
        for person, reason in passed_over[:MAX_PASSED_OVER]
    ]
    more = len(passed_over) - len(shown)
    if more:
        shown.append(ngettext("{count} more", "{count} more", more).format(count=more))
    return join_list(shown)


def nobody_lists(subject: str, nearest: list[str]) -> str:
    sentences = [
        _("No one lists \u201c{subject}\u201d under what they can help with yet.").format(subject=subject)
    ]
    if nearest:
        topics = join_list([_("\u201c{topic}\u201d").format(topic=label) for label in nearest])
        sentences.append(_("Topics people do list: {topics}.").format(topics=topics))
    sentences.append(_("Or look around with /alumni find {words}").format(words=clip(subject, 40)))
    return " ".join(sentences)


async def introduce_to(
    ctx: Context,
    request: Request,
    candidates: list[tuple[Person, str]],
    passed_over: Sequence[tuple[Person, str]] = (),
) -> None:
    subject = candidates[0][0].display_name if request.member else request.subject
    saved = await ctx.uow.introductions.create(
        ctx.person.id, subject, request.note, [(p.id, reason) for p, reason in candidates], ctx.now()
    )
    heading = _("Who could help with \u201c{subject}\u201d:").format(subject=subject)
    message = choices(saved, [p for p, _reason in candidates], heading)
    if passed_over:
        not_proposed = _("Not proposed: {people}.").format(people=passed_over_text(passed_over))
        message = Message((*message.blocks, Note((not_proposed,))))
    ctx.reply(message)


async def check_direct(ctx: Context, person: Person) -> Person:
    if person.id == ctx.person.id:
        raise UserError(_("You can't ask for an introduction to yourself."), "/alumni introduce @Ana")
    if person.id in await ctx.uow.connections.partners_of(ctx.person.id):
        raise UserError(
            _("You have already been introduced to {name}; just send them a message.").format(
                name=person.display_name
            )
        )
    return person


async def load(ctx: Context, request_id: int, person_id: int) -> IntroRequest:
    request = await ctx.uow.introductions.get(request_id)
    if request is None or not any(c.person_id == person_id for c in request.candidates):
        raise UserError(_("That introduction request no longer exists."), _(EXAMPLE))
    return request


async def answerable(ctx: Context, request_id: int, person_id: int) -> IntroRequest:
    request = await load(ctx, request_id, person_id)
    if person_id != ctx.person.id:
        raise UserError(_("This request was sent to someone else, so only they can answer it."))
    return request


def choices(request: IntroRequest, people: list[Person], heading: str) -> Message:
    buttons = tuple(
        Button(
            _("Ask {name}").format(name=p.display_name)[:75],
            action_id("intro", "ask", request.id, p.id),
            "primary",
        )
        for p in people
    )
    return Message(
        (
            Section(rich(Strong(heading))),
            *(summary(p) for p in people),
            Actions(buttons),
            Note((_("They'll be asked privately and can say no without anyone else knowing."),)),
        )
    )


def ask_message(ctx: Context, request: IntroRequest, person_id: int) -> Message:
    hours = ctx.settings.peer_intros.answer_hours
    asking = filled(
        _("{name} would like an introduction to talk about \u201c{subject}\u201d."),
        name=Strong(ctx.person.display_name),
        subject=request.subject,
    )
    note = ("\n", _("Their note: \u201c{note}\u201d").format(note=request.note)) if request.note else ()
    unanswered = ngettext(
        "If you don't answer within {count} hour, I'll tell them you're busy.",
        "If you don't answer within {count} hours, I'll tell them you're busy.",
        hours,
    ).format(count=hours)
    return Message(
        (
            Section(rich(*asking, *note)),
            summary(ctx.person),
            Actions(
                (
                    Button(_("Accept"), action_id("intro", "accept", request.id, person_id), "primary"),
                    Button(_("Not now"), action_id("intro", "decline", request.id, person_id)),
                )
            ),
            Note((unanswered,)),
        )
    )


def introduction_message(
    requester: Person, helper: Person, request: IntroRequest, reader: MemberRef | None
) -> Message:
    """For their shared conversation (`reader` None), or for one of them where they are reached:
    then with where to write to the other."""
    a, b = requester.display_name, helper.display_name
    lines = [_("{a}, meet {b}. {b}, meet {a}.").format(a=a, b=b)]
    if elsewhere := where_to_write((requester, helper), reader):
        lines.append(_("Where to write to them: {where}.").format(where="; ".join(elsewhere)))
    lines.append(
        _("{name} asked to talk about \u201c{subject}\u201d.").format(name=a, subject=request.subject)
    )
    if request.note:
        lines.append(_("Their note: \u201c{note}\u201d").format(note=request.note))
    lines.extend(common_ground(requester, helper))
    return Message.of("\n".join(lines), summary(requester), summary(helper))


def common_ground(first: Person, second: Person) -> list[str]:
    """What the two share or can offer each other, in plain sentences."""
    lines = []
    shared = overlap(first, "expertise", second, "expertise")
    if shared:
        lines.append(_("You both know about {topics}.").format(topics=join_list(shared)))
    for a, b in ((first, second), (second, first)):
        offers = overlap(a, "expertise", b, "learning")
        if offers:
            lines.append(
                _("{a} can help with {topics}, which {b} wants to learn.").format(
                    a=a.display_name, topics=join_list(offers), b=b.display_name
                )
            )
    languages = overlap(first, "language", second, "language")
    if languages:
        lines.append(_("You can talk in {languages}.").format(languages=join_list(languages, "or")))
    if first.organisation and fold(first.organisation) != fold(second.organisation):
        if second.organisation:
            elsewhere = _("One of you is at {first}, the other at {second}.")
        else:
            elsewhere = _("One of you is at {first}, the other at another organisation.")
        lines.append(elsewhere.format(first=first.organisation, second=second.organisation))
    return lines


def overlap(a: Person, kind_a: str, b: Person, kind_b: str) -> list[str]:
    """a's labels of one kind that match b's of another ("data access" ~ "data access programmes")."""
    keys_b = [t.key for t in b.tags if t.kind == kind_b]
    return [
        t.label
        for t in a.tags
        if t.kind == kind_a
        and any(t.key == k or (min(len(t.key), len(k)) >= 4 and (t.key in k or k in t.key)) for k in keys_b)
    ]


async def offer_next(uow: UnitOfWork, request_id: int, settings: Settings) -> list[Outbound]:
    """Tell the requester kindly, in their language, that the ask did not work out, and offer who is left."""
    request = await uow.introductions.get(request_id)
    assert request is not None
    requester = await uow.people.get(request.requester_id)
    target = reach(requester) if requester else None
    if requester is None or target is None:
        return []
    with speaking(language_of(requester, settings)):
        offer = next_offer(request, settings.peer_intros.answer_hours)
        return [Post(offer, Direct(target), language=current_language())]


def next_offer(request: IntroRequest, hours: int) -> Message:
    last = next(c for c in reversed(request.candidates) if c.state in ("declined", "expired"))
    if last.state == "declined":
        sorry = _(
            "{name} can't take this on right now, so this introduction about \u201c{subject}\u201d "
            "won't happen with them. That's all right: people get busy."
        )
    else:
        sorry = ngettext(
            "{name} hasn't answered in {count} hour, so this introduction about \u201c{subject}\u201d "
            "won't happen with them. That's all right: people get busy.",
            "{name} hasn't answered in {count} hours, so this introduction about \u201c{subject}\u201d "
            "won't happen with them. That's all right: people get busy.",
            hours,
        )
    said = sorry.format(name=last.person.display_name, subject=request.subject, count=hours)
    left = [c.person for c in request.candidates if c.state == "proposed"]
    if not left:
        none_left = _("No one else is left from my list; try /alumni introduce {subject} again later.")
        return Message.of(said, none_left.format(subject=request.subject))
    return Message(Message.of(said).blocks + choices(request, left, _("You could ask:")).blocks)


async def export_introductions(uow: UnitOfWork, person_id: int) -> dict[str, object]:
    requests = await uow.introductions.of_person(person_id)
    partners = await uow.people.get_many(
        {pid for c in await uow.connections.of_person(person_id) for pid in (c.person_a, c.person_b)}
        - {person_id}
    )
    return {
        "requested": [
            {
                "subject": r.subject,
                "note": r.note,
                "created_at": r.created_at,
                "candidates": [{"state": c.state, "asked_at": c.asked_at} for c in r.candidates],
            }
            for r in requests
        ],
        "asked_of_me": [
            {"state": c.state, "asked_at": c.asked_at, "answered_at": c.answered_at}
            for c in await uow.introductions.asked_of(person_id)
        ],
        "connections": [
            {
                "with": headline(partners[other]) if other in partners else None,
                "kind": c.kind,
                "at": c.created_at,
            }
            for c in await uow.connections.of_person(person_id)
            for other in [c.person_b if c.person_a == person_id else c.person_a]
        ],
    }


feature.data("introductions", export_introductions)
