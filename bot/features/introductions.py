"""`/alumni introduce <topic or member> [note]`: warm peer introductions with double opt-in.

The requester picks one of up to three proposed people; that person is asked privately
and may accept (both land in one conversation) or decline (the requester is told kindly
and offered the next). An ask left unanswered for `answer_hours` expires the same way:
each ask has one schedule row (kind "intro:expire", bot.scheduling), cancelled by the answer.
"""

from __future__ import annotations

from datetime import timedelta

from bot.action_ids import RECORD, action_id
from bot.cards import headline, summary
from bot.context import Context
from bot.errors import UserError
from bot.members import is_mention, member_ref, resolve_member
from bot.messages import Actions, Button, Message, Note, Section, Strong, rich
from bot.outbound import Direct, Group, Outbound, Post, Update
from bot.router import Param, Router
from bot.scheduling import TimerContext
from bot.text import QUOTED_FIRST, fold
from storage.models import IntroRequest, Person
from storage.unit_of_work import UnitOfWork

EXAMPLE = '/alumni introduce "data access" We are starting a programme and would love advice'
MAX_SUBJECT = 100
MAX_NOTE = 500
WEEK = timedelta(days=7)
EXPIRY = "intro:expire"


def register(router: Router) -> None:
    @router.command(
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
            "Quote a topic of several words, or end it with a colon. I propose up to three people "
            "from other organisations; you pick one, they accept or decline privately."
        ),
    )
    async def introduce(ctx: Context, args: str) -> None:
        subject, note = parse_request(args)
        if is_mention(subject) or subject.startswith("@"):
            person = await resolve_member(ctx, subject, "/alumni introduce @Ana")
            candidates = [(await check_direct(ctx, person), "you asked for them")]
            subject = person.display_name
        else:
            candidates = await propose(ctx, subject)
        if not candidates:
            ctx.reply(
                f"No one available lists \u201c{subject}\u201d yet. Try a broader topic, "
                f"or look around with /alumni find {subject}."
            )
            return
        request = await ctx.uow.introductions.create(
            ctx.person.id, subject, note, [(p.id, reason) for p, reason in candidates], ctx.now()
        )
        ctx.reply(choices(request, [p for p, _ in candidates], f"Who could help with \u201c{subject}\u201d:"))

    @router.action("intro", "ask", RECORD, RECORD)
    async def ask(ctx: Context, request_id: int, person_id: int) -> None:
        request = await load(ctx, request_id, person_id)
        if request.requester_id != ctx.person.id:
            raise UserError("Only the person who asked for this introduction can choose.", EXAMPLE)
        if any(c.state in ("asked", "accepted") for c in request.candidates):
            raise UserError("You already asked someone for this introduction; wait for their answer.")
        candidate = next(c for c in request.candidates if c.person_id == person_id)
        asks = await ctx.uow.introductions.asks_since(person_id, ctx.now() - WEEK)
        if asks >= ctx.settings.introductions.max_asks_per_week:
            raise UserError(
                f"{candidate.person.display_name} has had {asks} requests this week already; "
                "please choose someone else or try next week."
            )
        if not await ctx.uow.introductions.move(request.id, person_id, "proposed", "asked", ctx.now()):
            raise UserError("That person was already asked for this introduction.")
        target = member_ref(candidate.person, ctx.platform)
        assert target is not None  # proposals only include people reachable here
        ctx.send(ask_message(ctx, request, person_id), Direct(target))
        hours = ctx.settings.introductions.answer_hours
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

    @router.action("intro", "accept", RECORD, RECORD)
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
        ctx.send(
            Message.of(f"Thank you! You and {requester.display_name} now have a conversation."), Update()
        )

    @router.action("intro", "decline", RECORD, RECORD)
    async def decline(ctx: Context, request_id: int, person_id: int) -> None:
        request = await answerable(ctx, request_id, person_id)
        if not await ctx.uow.introductions.move(request.id, person_id, "asked", "declined", ctx.now()):
            raise UserError("This request was already answered or has expired.")
        await ctx.uow.schedules.cancel(EXPIRY, [request.id])
        ctx.send(Message.of("No problem, I'll let them know kindly. Thanks for answering."), Update())
        ctx.queued.extend(await offer_next(ctx.uow, request.id, ctx.platform, "can't take this on right now"))

    @router.timer(EXPIRY)
    async def expire(ctx: TimerContext) -> None:
        """The ask went unanswered. Late or long missed, the requester still deserves to hear."""
        occurrence = ctx.occurrence
        request_id, person_id = occurrence.subject_id, occurrence.owner_id or 0
        if await ctx.uow.introductions.move(request_id, person_id, "asked", "expired", ctx.now()):
            hours = ctx.settings.introductions.answer_hours
            why = f"hasn't answered in {hours} hours"
            ctx.queued.extend(await offer_next(ctx.uow, request_id, ctx.platform, why))

    router.data("introductions", export_introductions)


def parse_request(args: str) -> tuple[str, str]:
    """Split `"data access" a note`, `data access: a note`, `@Ana a note` or `licensing`."""
    text = args.strip()
    quoted = QUOTED_FIRST.match(text)
    first, _, rest = text.partition(" ")
    if quoted:
        subject, note = quoted.group(2), quoted.group(3)
    elif is_mention(first) or first.startswith("@"):
        subject, note = first, rest
    elif ":" in text:
        subject, _, note = text.partition(":")
    else:
        subject, note = text, ""
    subject, note = " ".join(subject.split()), note.strip()
    if not subject:
        raise UserError("Tell me the topic or the member.", EXAMPLE)
    if len(subject) > MAX_SUBJECT:
        raise UserError(f"A topic has at most {MAX_SUBJECT} characters.", EXAMPLE)
    if len(note) > MAX_NOTE:
        raise UserError(f"The note has at most {MAX_NOTE} characters (this one has {len(note)}).", EXAMPLE)
    return subject, note


async def propose(ctx: Context, subject: str) -> list[tuple[Person, str]]:
    """Up to N people whose expertise matches, from other organisations first."""
    phrase = fold(subject)
    words = [w for w in (fold(x) for x in subject.replace("-", " ").split()) if len(w) >= 3] or [phrase]
    people = await ctx.uow.people.with_tag_keys("expertise", [phrase, *words])
    unavailable = await unavailable_for(ctx.uow, ctx.person.id, ctx)
    scored: list[tuple[int, Person, str]] = []
    for person in people:
        if person.id in unavailable or member_ref(person, ctx.platform) is None:
            continue
        matches = [t.label for t in person.tags if t.kind == "expertise" and _matches(t.key, phrase, words)]
        score = sum(3 if phrase in fold(m) else 1 for m in matches)
        if fold(person.organisation) != fold(ctx.person.organisation) or not person.organisation:
            score += 5
        scored.append((score, person, "can help with " + ", ".join(matches)))
    scored.sort(key=lambda s: (-s[0], s[1].display_name.casefold(), s[1].id))
    return [(person, reason) for _, person, reason in scored[: ctx.settings.introductions.candidates]]


def _matches(key: str, phrase: str, words: list[str]) -> bool:
    return phrase in key or any(w in key for w in words)


async def unavailable_for(uow: UnitOfWork, requester_id: int, ctx: Context) -> set[int]:
    """The requester, those already introduced to them, and those asked enough this week."""
    busy = await uow.introductions.recently_asked(ctx.now() - WEEK)
    cap = ctx.settings.introductions.max_asks_per_week
    return (
        {requester_id}
        | await uow.connections.partners_of(requester_id)
        | {pid for pid, n in busy.items() if n >= cap}
    )


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
    hours = ctx.settings.introductions.answer_hours
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
    target = requester and member_ref(requester, platform)
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
