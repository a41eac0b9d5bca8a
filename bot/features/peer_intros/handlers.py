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

from bot.action_ids import RECORD, action_id
from bot.cards import headline, summary
from bot.context import Context
from bot.errors import UserError
from bot.members import is_mention, member_ref, resolve_member
from bot.messages import Actions, Button, Message, Note, Section, Strong, rich
from bot.outbound import Direct, Group, Outbound, Post, Update
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from bot.suggestions import TOPIC_KINDS
from bot.text import OPENING_QUOTES, QUOTED_FIRST, clip, fold
from storage.models import IntroRequest, Person
from storage.search import Plan
from storage.unit_of_work import UnitOfWork

EXAMPLE = '/alumni introduce "data access" We are starting a programme and would love advice'
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
    summary="Ask for an introduction to someone who knows a topic, or to a member",
    usage="introduce <topic or @member> [note]",
    examples=(
        EXAMPLE,
        "/alumni introduce licensing: choosing a licence for our API",
        "/alumni introduce @Ana",
    ),
    params=(
        Param("subject", "A topic, or a member", kind="topic"),
        Param("note", "Why you would like to talk", required=False),
    ),
    details=(
        "The topic is what you quote, what comes before a colon, or else the longest topic "
        "members list at the start of your text. I propose up to three people from other "
        "organisations who can help with it; you pick one, they accept or decline privately."
    ),
)
async def introduce(ctx: Context, args: str) -> None:
    request = parse_request(args)
    if request.member:
        person = await resolve_member(ctx, request.subject, "/alumni introduce @Ana")
        await introduce_to(ctx, request, [(await check_direct(ctx, person), "you asked for them")])
        return
    if not request.marked:
        request = await split_known_topic(ctx, request.subject)
    check_lengths(request)
    proposal = await propose(ctx, request.subject)
    if proposal.people:
        await introduce_to(ctx, request, proposal.people, proposal.passed_over)
    elif proposal.passed_over:
        ctx.reply(
            f"No one available lists \u201c{request.subject}\u201d right now: "
            f"{passed_over_text(proposal.passed_over)}. Try again next week, or a broader topic."
        )
    else:
        nearest = await ctx.uow.search.labels_near(proposal.plan, ("expertise",), NEAREST)
        ctx.reply(nobody_lists(request.subject, nearest))


@feature.action("intro", "ask", RECORD, RECORD)
async def ask(ctx: Context, request_id: int, person_id: int) -> None:
    request = await load(ctx, request_id, person_id)
    if request.requester_id != ctx.person.id:
        raise UserError("Only the person who asked for this introduction can choose.", EXAMPLE)
    if any(c.state in ("asked", "accepted") for c in request.candidates):
        raise UserError("You already asked someone for this introduction; wait for their answer.")
    candidate = next(c for c in request.candidates if c.person_id == person_id)
    asks = await ctx.uow.introductions.asks_since(person_id, ctx.now() - WEEK)
    if asks >= ctx.settings.peer_intros.max_asks_per_week:
        raise UserError(
            f"{candidate.person.display_name} has had {asks} requests this week already; "
            "please choose someone else or try next week."
        )
    if not await ctx.uow.introductions.move(request.id, person_id, "proposed", "asked", ctx.now()):
        raise UserError("That person was already asked for this introduction.")
    target = member_ref(candidate.person, ctx.platform)
    assert target is not None  # proposals only include people reachable here
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
            f"I've asked {candidate.person.display_name}. You'll hear from me within {hours} hours, "
            "whatever the answer."
        ),
        Update(),
    )


@feature.action("intro", "accept", RECORD, RECORD)
async def accept(ctx: Context, request_id: int, person_id: int) -> None:
    request = await answerable(ctx, request_id, person_id)
    if not await ctx.uow.introductions.move(request.id, person_id, "asked", "accepted", ctx.now()):
        raise UserError("This request was already answered or has expired.")
    await ctx.uow.schedules.cancel(EXPIRY, [request.id])
    requester = await ctx.uow.people.get(request.requester_id)
    assert requester is not None  # the request would be gone with its requester
    await ctx.uow.connections.add(requester.id, person_id, "introduction", ctx.now())
    members = (member_ref(requester, ctx.platform), ctx.actor.member)
    if members[0] is None:
        raise UserError(f"{requester.display_name} is no longer reachable here.")
    ctx.send(introduction_message(requester, ctx.person, request), Group((members[0], members[1])))
    ctx.send(Message.of(f"Thank you! You and {requester.display_name} now have a conversation."), Update())


@feature.action("intro", "decline", RECORD, RECORD)
async def decline(ctx: Context, request_id: int, person_id: int) -> None:
    request = await answerable(ctx, request_id, person_id)
    if not await ctx.uow.introductions.move(request.id, person_id, "asked", "declined", ctx.now()):
        raise UserError("This request was already answered or has expired.")
    await ctx.uow.schedules.cancel(EXPIRY, [request.id])
    ctx.send(Message.of("No problem, I'll let them know kindly. Thanks for answering."), Update())
    ctx.queued.extend(await offer_next(ctx.uow, request.id, ctx.platform, "can't take this on right now"))


@feature.timer(EXPIRY)
async def expire(ctx: TimerContext) -> None:
    """The ask went unanswered. Late or long missed, the requester still deserves to hear."""
    occurrence = ctx.occurrence
    request_id, person_id = occurrence.subject_id, occurrence.owner_id or 0
    if await ctx.uow.introductions.move(request_id, person_id, "asked", "expired", ctx.now()):
        hours = ctx.settings.peer_intros.answer_hours
        why = f"hasn't answered in {hours} hours"
        ctx.queued.extend(await offer_next(ctx.uow, request_id, ctx.platform, why))


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
    first, _, rest = text.partition(" ")
    if quoted:
        request = Request(quoted.group(2), quoted.group(3), marked=True)
    elif text and text[0] in OPENING_QUOTES:
        raise UserError("The topic opens a quotation mark but never closes it.", EXAMPLE)
    elif is_mention(first) or first.startswith("@"):
        request = Request(first, rest, marked=True, member=True)
    elif ":" in text:
        subject, _, note = text.partition(":")
        request = Request(subject, note, marked=True)
    else:
        request = Request(text, "", marked=False)
    request = Request(" ".join(request.subject.split()), request.note.strip(), request.marked, request.member)
    if not request.subject:
        raise UserError("Tell me the topic or the member.", EXAMPLE)
    if request.marked:
        check_lengths(request)
    return request


def check_lengths(request: Request) -> None:
    if len(request.subject) > MAX_SUBJECT:
        raise UserError(f"A topic has at most {MAX_SUBJECT} characters.", EXAMPLE)
    if len(request.note) > MAX_NOTE:
        raise UserError(
            f"The note has at most {MAX_NOTE} characters (this one has {len(request.note)}).", EXAMPLE
        )
    if not fold(request.subject):
        raise UserError("Tell me the topic in words (letters or numbers).", EXAMPLE)


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
    listed = [pid for pid, _ in await ctx.uow.search.listing(plan, ("expertise",))]
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
    proposed = [
        (person, clip("can help with " + ", ".join(h.label for h in hits[person.id] if h.complete), 200))
        for person in chosen
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
            return "already introduced to you"
        if asked.get(person.id, 0) >= cap:
            return f"asked {asked[person.id]} times this week already"
        if organisation and fold(person.organisation) == organisation:
            return "same organisation as you"
        if member_ref(person, ctx.platform) is None:
            return "not on this platform"
        return ""

    return why_not


def passed_over_text(passed_over: Sequence[tuple[Person, str]]) -> str:
    shown = [f"{person.display_name} ({reason})" for person, reason in passed_over[:MAX_PASSED_OVER]]
    more = len(passed_over) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def nobody_lists(subject: str, nearest: list[str]) -> str:
    text = f"No one lists \u201c{subject}\u201d under what they can help with yet."
    if nearest:
        text += " Topics people do list: " + ", ".join(f"\u201c{label}\u201d" for label in nearest) + "."
    return text + f" Or look around with /alumni find {clip(subject, 40)}"


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
    message = choices(saved, [p for p, _ in candidates], f"Who could help with \u201c{subject}\u201d:")
    if passed_over:
        message = Message((*message.blocks, Note((f"Not proposed: {passed_over_text(passed_over)}.",))))
    ctx.reply(message)


async def check_direct(ctx: Context, person: Person) -> Person:
    if person.id == ctx.person.id:
        raise UserError("You can't ask for an introduction to yourself.", "/alumni introduce @Ana")
    if person.id in await ctx.uow.connections.partners_of(ctx.person.id):
        raise UserError(
            f"You have already been introduced to {person.display_name}; just send them a message."
        )
    if member_ref(person, ctx.platform) is None:
        raise UserError(f"{person.display_name} can't be reached here.")
    return person


async def load(ctx: Context, request_id: int, person_id: int) -> IntroRequest:
    request = await ctx.uow.introductions.get(request_id)
    if request is None or not any(c.person_id == person_id for c in request.candidates):
        raise UserError("That introduction request no longer exists.", EXAMPLE)
    return request


async def answerable(ctx: Context, request_id: int, person_id: int) -> IntroRequest:
    request = await load(ctx, request_id, person_id)
    if person_id != ctx.person.id:
        raise UserError("This request was sent to someone else, so only they can answer it.")
    return request


def choices(request: IntroRequest, people: list[Person], heading: str) -> Message:
    buttons = tuple(
        Button(f"Ask {p.display_name}"[:75], action_id("intro", "ask", request.id, p.id), "primary")
        for p in people
    )
    return Message(
        (
            Section(rich(Strong(heading))),
            *(summary(p) for p in people),
            Actions(buttons),
            Note(("They'll be asked privately and can say no without anyone else knowing.",)),
        )
    )


def ask_message(ctx: Context, request: IntroRequest, person_id: int) -> Message:
    hours = ctx.settings.peer_intros.answer_hours
    note = f"\n\u201c{request.note}\u201d" if request.note else ""
    return Message(
        (
            Section(
                rich(
                    Strong(ctx.person.display_name),
                    f" would like an introduction to talk about \u201c{request.subject}\u201d.{note}",
                )
            ),
            summary(ctx.person),
            Actions(
                (
                    Button("Accept", action_id("intro", "accept", request.id, person_id), "primary"),
                    Button("Not now", action_id("intro", "decline", request.id, person_id)),
                )
            ),
            Note((f"If you don't answer within {hours} hours, I'll tell them you're busy.",)),
        )
    )


def introduction_message(requester: Person, helper: Person, request: IntroRequest) -> Message:
    a, b = requester.display_name, helper.display_name
    lines = [f"{a}, meet {b}. {b}, meet {a}."]
    lines.append(f"{requester.display_name} asked to talk about \u201c{request.subject}\u201d.")
    if request.note:
        lines.append(f"Their note: \u201c{request.note}\u201d")
    lines.extend(common_ground(requester, helper))
    return Message.of("\n".join(lines), summary(requester), summary(helper))


def common_ground(first: Person, second: Person) -> list[str]:
    """What the two share or can offer each other, in plain sentences."""
    lines = []
    shared = overlap(first, "expertise", second, "expertise")
    if shared:
        lines.append("You both know about " + ", ".join(shared) + ".")
    for a, b in ((first, second), (second, first)):
        offers = overlap(a, "expertise", b, "learning")
        if offers:
            lines.append(
                f"{a.display_name} can help with {', '.join(offers)}, which {b.display_name} wants to learn."
            )
    languages = overlap(first, "language", second, "language")
    if languages:
        lines.append("You can talk in " + ", ".join(languages) + ".")
    if first.organisation and fold(first.organisation) != fold(second.organisation):
        other = second.organisation or "another organisation"
        lines.append(f"One of you is at {first.organisation}, the other at {other}.")
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


async def offer_next(uow: UnitOfWork, request_id: int, platform: str, why: str) -> list[Outbound]:
    """Tell the requester kindly that the ask did not work out, and offer who is left."""
    request = await uow.introductions.get(request_id)
    assert request is not None
    requester = await uow.people.get(request.requester_id)
    target = member_ref(requester, platform) if requester else None
    if target is None:
        return []
    last = next(c for c in reversed(request.candidates) if c.state in ("declined", "expired"))
    sorry = (
        f"{last.person.display_name} {why}, so this introduction about \u201c{request.subject}\u201d "
        "won't happen with them. That's all right: people get busy."
    )
    left = [c.person for c in request.candidates if c.state == "proposed"]
    if not left:
        return [
            Post(
                Message.of(
                    sorry,
                    f"No one else is left from my list; try /alumni introduce {request.subject} again later.",
                ),
                Direct(target),
            )
        ]
    return [
        Post(
            Message(Message.of(sorry).blocks + choices(request, left, "You could ask:").blocks),
            Direct(target),
        )
    ]


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
