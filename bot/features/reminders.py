"""`/alumni remind <who> <when> <what>` and `/alumni reminders`.

Who: me, a member, or (facilitators) a channel or a cohort. When: natural language in
the creator's time zone (bot.when). Each reminder's times are schedule rows of kind
"reminders.deliver" (bot.scheduling); delivered reminders carry Done and Snooze buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import wall_clock
from bot.action_ids import RECORD, Maybe, Number, OneOf, action_id
from bot.context import Context
from bot.errors import UserError, stale_button
from bot.features.intro_card.handlers import no_arguments
from bot.geo import zone_city, zone_of
from bot.i18n import N_, _, current_language, language_of, ngettext, number, speaking
from bot.members import reach, resolve_member
from bot.messages import (
    Actions,
    Button,
    Inline,
    Message,
    Note,
    Option,
    Rich,
    Section,
    Select,
    Strong,
    Timestamp,
    filled,
    rich,
    sentence,
)
from bot.moments import DEFAULT_HOUR
from bot.outbound import Delete, Destination, Direct, Public, Update
from bot.refs import ChannelRef
from bot.router import Feature, Param
from bot.scheduling import TimerContext
from bot.text import QUOTED_FIRST, clip
from bot.time_words import plain, unreadable
from bot.when import When, parse_when
from bot.when import describe as describe_rule
from storage.models import Person, Reminder, ReminderAnswer
from storage.unit_of_work import UnitOfWork

# What members type: help shows it as written, errors in the member's own words.
EXAMPLE = N_("/alumni remind me tomorrow at 9 send the report")
DELIVER = "reminders.deliver"  # the schedule kind of a reminder's times
WHO = N_("me, @member, #channel or cohort:name")
MAX_TEXT = 500
MAX_ACTIVE = 100
MAX_LISTED = 20
SNOOZES = {"15": timedelta(minutes=15), "60": timedelta(hours=1)}
CHANNEL = re.compile(r"^<#([^>|]+)(?:\|[^>]*)?>$|^#([\w-]+)$")
COHORT = re.compile(r"^cohort:(\S+)$", re.IGNORECASE)
LEADING_TO = re.compile(r"^to(\s+|$)", re.IGNORECASE)
# "me" in each language, accents off ("mí" is "mi"); English's works in every language.
ME = {
    "en": frozenset({"me"}),
    "es": frozenset({"yo", "mi"}),
    "fr": frozenset({"moi"}),
    "pt": frozenset({"eu", "mim"}),
}
# A delivered occurrence, as its due time in seconds since 1970 (in its message's buttons).
OCCURRENCE = Number(0, 10**11)


@dataclass(frozen=True)
class Target:
    kind: str  # person, channel, cohort
    recipient: Person | None = None
    channel: str = ""
    cohort_id: int | None = None
    label: str = ""


feature = Feature("reminders")


@feature.command(
    "remind",
    summary=N_("Set a reminder for you or a member"),
    usage=N_("remind <who> <when> <what>"),
    facilitator_usage=N_("remind #channel | cohort:<name> <when> <what>"),
    facilitator_summary=N_("Reminders for a whole channel, or for each member of a cohort"),
    examples=(
        EXAMPLE,
        N_("/alumni remind me in 20 minutes stretch"),
        N_("/alumni remind @Ana on 12 March at 15:00 send the slides"),
        N_("/alumni remind #general every first Tuesday at 15:00 community call"),
    ),
    params=(
        Param("who", WHO),
        Param("when", N_("e.g. tomorrow at 9, next Friday, every weekday at 9:00")),
        Param("what", N_("What to remind about")),
    ),
    details=N_(
        "Times are read in your time zone. Repeats: every weekday / day / Monday / first Tuesday / "
        "2 weeks on Monday / month on the 1st, with at <time>. Channels and cohorts: facilitators only."
    ),
)
async def remind(ctx: Context, args: str) -> None:
    who, _space, rest = args.strip().partition(" ")
    if not who:
        raise UserError(_("Tell me who to remind ({who}), when and what.").format(who=_(WHO)), _(EXAMPLE))
    target = await resolve_target(ctx, who)
    zone = zone_of(ctx.person)
    quoted = QUOTED_FIRST.match(rest.strip())
    if quoted:  # "tomorrow at 9" send the report: the time is exactly the quoted words
        when, left = parse_when(quoted.group(2), zone, ctx.now())
        if left:
            raise unreadable(quoted.group(2).split())
        text = quoted.group(3).strip()
    else:
        when, text = parse_when(rest, zone, ctx.now())
    text = LEADING_TO.sub("", text)  # what follows the time, as typed
    if not text:
        raise UserError(_("What should the reminder say? Add it after the time."), _(EXAMPLE))
    if len(text) > MAX_TEXT:
        raise UserError(
            _("A reminder has at most {limit} characters (this one has {count}).").format(
                limit=MAX_TEXT, count=len(text)
            )
        )
    reminder = await save(ctx, target, when, text, zone)
    ctx.reply(confirmation(reminder, when, target, ctx.person))


@feature.command(
    "reminders",
    summary=N_("List your reminders, with a menu to cancel any of them"),
    usage="reminders",
    examples=("/alumni reminders",),
)
async def reminders(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni reminders")
    ctx.reply(await listing(ctx))


@feature.action("rem", "cancel", Maybe(RECORD))
async def cancel(ctx: Context, reminder_id: int | None) -> None:
    # Older lists had a Cancel button per reminder (the id in the button); lists now have
    # one menu, whose chosen option is the id.
    chosen = reminder_id or RECORD.read(getattr(ctx.event, "value", None) or "")
    if chosen is None:
        raise stale_button()
    reminder = await load(ctx, chosen)
    if not may_manage(ctx, reminder):
        raise UserError(_("Only its creator (or a facilitator, for channels and cohorts) can cancel it."))
    await ctx.uow.schedules.cancel(DELIVER, [reminder.id])
    await ctx.uow.reminders.delete([reminder.id])
    ctx.send(
        Message(
            (
                Section((_("Cancelled: \u201c{text}\u201d").format(text=clip(reminder.text, 80)),)),
                *(await listing(ctx)).blocks,
            )
        ),
        Update(),
    )


@feature.action("rem", "done", RECORD, Maybe(OCCURRENCE))
async def done(ctx: Context, reminder_id: int, due: int | None) -> None:
    reminder, earlier = await answer(ctx, reminder_id, due, "done")
    if earlier is None:
        with speaking(message_language(ctx, reminder)):
            ctx.send(answered(reminder, "done", None), Update())


@feature.action("rem", "snooze", RECORD, OneOf((*SNOOZES, "tomorrow")), Maybe(OCCURRENCE))
async def snooze(ctx: Context, reminder_id: int, until: str, due: int | None) -> None:
    zone = zone_of(ctx.person)
    later = ctx.now() + SNOOZES[until] if until in SNOOZES else tomorrow_morning(ctx.now(), zone)
    later = later.replace(microsecond=0)
    reminder, earlier = await answer(ctx, reminder_id, due, "snoozed", later)
    if earlier is None:
        target = Target("person", recipient=ctx.person)
        await save(ctx, target, When(later), reminder.text, zone)
        with speaking(message_language(ctx, reminder)):
            ctx.send(answered(reminder, "snoozed", later), Update())
        if reminder.target == "channel":  # the channel sees it snoozed; only the presser is reminded
            ctx.reply(
                sentence(
                    *filled(
                        _("I'll remind you (only you) on {until}: \u201c{text}\u201d"),
                        until=Timestamp(later),
                        text=reminder.text,
                    )
                )
            )


@feature.timer(DELIVER)
async def deliver(ctx: TimerContext) -> None:
    occurrence = ctx.occurrence
    reminder = await ctx.uow.reminders.get(occurrence.subject_id)
    if reminder is None:
        return
    await ctx.uow.reminders.record_firing(reminder.id, occurrence.due_at, occurrence.status, ctx.now())
    recipients = await recipient_ids(ctx.uow, reminder)
    # One query for everyone involved: a burst of reminders is mostly this lookup.
    people = await ctx.uow.people.get_many({reminder.creator_id, *recipients})
    creator = people.get(reminder.creator_id)
    if occurrence.status == "missed":
        owner = reach(creator) if creator else None
        if owner and creator:
            with speaking(language_of(creator, ctx.settings)):
                notice = missed_notice(reminder, occurrence.due_at, ctx.settings.scheduler.grace_hours)
                ctx.send(notice, Direct(owner))
        return
    late = occurrence.status == "late"
    if reminder.target == "channel":
        with speaking(ctx.settings.bot.channel_speaks):  # many read it
            ctx.send(reminder_message(reminder, creator, occurrence.due_at, late), channel_of(reminder))
        return
    for person in (people[i] for i in recipients if i in people):
        if ref := reach(person):  # once per person, however many accounts they have
            with speaking(language_of(person, ctx.settings)):
                ctx.send(reminder_message(reminder, creator, occurrence.due_at, late), Direct(ref))


async def resolve_target(ctx: Context, who: str) -> Target:
    if plain(who) in ME["en"] | ME.get(current_language(), frozenset()):
        return Target("person", recipient=ctx.person)
    channel = CHANNEL.match(who)
    cohort = COHORT.match(who)
    if channel:
        ctx.require_facilitator(N_("Only facilitators can set reminders for a channel."))
        # A platform's channel mention carries its id; a typed "#name" is kept as "#name".
        where = channel.group(1) or f"#{channel.group(2)}"
        return Target("channel", channel=where, label=f"#{where.lstrip('#')}")
    if cohort:
        ctx.require_facilitator(N_("Only facilitators can set reminders for a cohort."))
        found = await ctx.uow.cohorts.named(cohort.group(1))
        if found is None:
            raise UserError(
                _("There is no cohort called \u201c{name}\u201d.").format(name=cohort.group(1)),
                "cohort:alumni",
            )
        return Target("cohort", cohort_id=found.id, label=found.name)
    if who.startswith(("@", "<@")):
        person = await resolve_member(ctx, who, "/alumni remind @Ana tomorrow at 9 send the slides")
        return Target("person", recipient=person, label=person.display_name)
    raise UserError(
        _("Who should I remind? Start with {choices} (not \u201c{typed}\u201d).").format(
            choices=_(WHO), typed=who
        ),
        _(EXAMPLE),
    )


async def save(ctx: Context, target: Target, when: When, text: str, zone: str) -> Reminder:
    if await ctx.uow.reminders.active_count(ctx.person.id, DELIVER) >= MAX_ACTIVE:
        raise UserError(
            _("You already have {count} active reminders; cancel some first.").format(count=MAX_ACTIVE),
            "/alumni reminders",
        )
    reminder = await ctx.uow.reminders.add(
        Reminder(
            creator_id=ctx.person.id,
            target=target.kind,
            recipient_id=target.recipient.id if target.recipient else None,
            cohort_id=target.cohort_id,
            channel=target.channel,
            platform=ctx.platform,
            workspace=ctx.workspace,
            text=text,
            repeats=when.repeats,
            zone=zone,
            created_at=ctx.now(),
        )
    )
    await ctx.uow.schedules.add(
        DELIVER,
        reminder.id,
        when.first,
        ctx.now(),
        owner_id=ctx.person.id,
        platform=ctx.platform,
        rule=when.rule,
        anchor_at=when.anchor,
        zone=zone,
    )
    return reminder


def tomorrow_morning(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone)) + timedelta(days=1)
    return wall_clock.moment(local.replace(hour=DEFAULT_HOUR, minute=0, second=0, microsecond=0), zone)


def confirmation(reminder: Reminder, when: When, target: Target, creator: Person) -> Message:
    blocks: list[Section | Note] = [
        Section((who_is_reminded(target, creator).format(name=target.label, text=reminder.text),)),
        Section(next_time(when, target.recipient, creator)),
    ]
    if not creator.timezone:
        blocks.append(Note((_("I read the time in UTC; set your time zone with /alumni intro."),)))
    return Message(tuple(blocks))


def who_is_reminded(target: Target, creator: Person) -> str:
    if target.kind == "cohort":
        return _("I'll remind each member of the {name} cohort: \u201c{text}\u201d")
    if target.recipient is not None and target.recipient.id == creator.id:
        return _("I'll remind you: \u201c{text}\u201d")
    return _("I'll remind {name}: \u201c{text}\u201d")


def next_time(when: When, recipient: Person | None, creator: Person) -> Rich:
    """ "Next: <time> (your time), that is 01:00 for Bo in Auckland, then every Monday." when the
    recipient's clock differs from the creator's (with the weekday when it is another day there)."""
    theirs = their_time(when.first, recipient, creator)
    parts: dict[str, Inline] = {
        "next": Strong(_("Next:")),
        "time": Timestamp(when.first),
        "repeats": when.repeats,
    }
    if theirs is None:
        if when.repeats:
            return filled(_("{next} {time} (your time), then {repeats}."), **parts)
        return filled(_("{next} {time} (your time)."), **parts)
    assert recipient is not None
    parts |= {"their_time": theirs, "name": recipient.display_name, "city": zone_city(zone_of(recipient))}
    if when.repeats:
        return filled(
            _("{next} {time} (your time), that is {their_time} for {name} in {city}, then {repeats}."),
            **parts,
        )
    return filled(_("{next} {time} (your time), that is {their_time} for {name} in {city}."), **parts)


def their_time(moment: datetime, recipient: Person | None, creator: Person) -> str | None:
    """The recipient's clock at `moment` when it differs from the creator's, else None."""
    if recipient is None or recipient.id == creator.id or not recipient.timezone:
        return None
    theirs = moment.astimezone(ZoneInfo(zone_of(recipient)))
    mine = moment.astimezone(ZoneInfo(zone_of(creator)))
    if theirs.utcoffset() == mine.utcoffset():
        return None
    return wall_clock.shown(moment, zone_of(recipient), "weekday" if theirs.date() != mine.date() else "time")


@feature.action("rem", "page", Number(0, MAX_ACTIVE // MAX_LISTED))
async def page(ctx: Context, number: int) -> None:
    ctx.send(await listing(ctx, number), Update())


async def listing(ctx: Context, page: int = 0) -> Message:
    """One page of the member's reminders, soonest first, with a menu to cancel any on it."""
    found = await ctx.uow.reminders.visible_to(ctx.person.id, DELIVER, shared=ctx.is_facilitator)
    if not found:
        return Message.of(_("You have no reminders. Set one with {example}").format(example=_(EXAMPLE)))
    live = list(reversed(await ctx.uow.schedules.live(DELIVER, [r.id for r in found])))
    upcoming = {s.subject_id: s.due_at for s in live}
    # Said from the rule in the reader's language, not as its creator's language wrote it.
    rules = {s.subject_id: s.rule for s in live}
    found.sort(key=lambda r: upcoming.get(r.id, ctx.now()))
    pages = -(-len(found) // MAX_LISTED)
    page = min(page, pages - 1)  # the last page may have emptied since it was shown
    first = page * MAX_LISTED
    shown = found[first : first + MAX_LISTED]
    blocks: list[Section | Actions | Note] = [
        Section(rich(Strong(_("Your reminders ({count})").format(count=number(len(found))))))
    ]
    # One menu for every Cancel, not a button per reminder: twenty reminders stay one control.
    choices: list[Option] = []
    for position, reminder in enumerate(shown, first + 1):
        for_whom = await describe(ctx, reminder)
        line = _("{number}. \u201c{text}\u201d {for_whom}").format(
            number=position, text=clip(reminder.text, 120), for_whom=for_whom
        )
        due = Timestamp(upcoming[reminder.id])
        if rules.get(reminder.id):
            then = filled(
                _("Next: {time}, then {repeats}"), time=due, repeats=describe_rule(rules[reminder.id])
            )
        else:
            then = filled(_("Next: {time}"), time=due)
        blocks.append(Section(rich(line, "\n", *then)))
        choices.append(Option(f"{position}. {clip(reminder.text, 60)}", str(reminder.id), for_whom))
    blocks.append(
        Actions((Select(_("Cancel a reminder\u2026"), action_id("rem", "cancel"), tuple(choices)),))
    )
    if pages > 1:
        shown_page = _("Page {page} of {pages}: reminders {first}\u2013{last} of {count}.").format(
            page=page + 1, pages=pages, first=first + 1, last=first + len(shown), count=len(found)
        )
        blocks.append(Note((shown_page,)))
        turns = [(_("\u2039 Sooner"), page - 1), (_("Later \u203a"), page + 1)]
        blocks.append(
            Actions(
                tuple(Button(label, action_id("rem", "page", to)) for label, to in turns if 0 <= to < pages)
            )
        )
    return Message(tuple(blocks))


async def describe(ctx: Context, reminder: Reminder) -> str:
    """Whom a reminder is for, as the listing says it: "for you", "for #general"."""
    if reminder.target == "channel":
        return _("for {name}").format(name=f"#{reminder.channel.lstrip('#')}")
    if reminder.target == "cohort":
        return _("for a cohort")
    if reminder.recipient_id == ctx.person.id:
        return _("for you")
    recipient = await ctx.uow.people.get(reminder.recipient_id or 0)
    return _("for {name}").format(name=recipient.display_name) if recipient else _("for someone")


async def load(ctx: Context, reminder_id: int) -> Reminder:
    reminder = await ctx.uow.reminders.get(reminder_id)
    if reminder is None:
        raise UserError(
            _("That reminder no longer exists (it was cancelled or deleted)."), "/alumni reminders"
        )
    return reminder


def may_manage(ctx: Context, reminder: Reminder) -> bool:
    if reminder.target == "person":
        return ctx.person.id in (reminder.creator_id, reminder.recipient_id)
    return ctx.is_facilitator or ctx.person.id == reminder.creator_id


async def answer(
    ctx: Context, reminder_id: int, due: int | None, said: str, until: datetime | None = None
) -> tuple[Reminder, ReminderAnswer | None]:
    """Record Done or Snooze on one delivered message; the first press on it is final. A later
    press finds the first answer: the presser is told, and the message shown as it ended."""
    reminder = await ctx.uow.reminders.lock(reminder_id)
    if reminder is None:
        raise UserError(
            _("That reminder no longer exists (it was cancelled or deleted)."), "/alumni reminders"
        )
    await check_recipient(ctx, reminder)
    due_at = datetime.fromtimestamp(due or 0, UTC)  # buttons from before answers were kept: one slot
    recipient = 0 if reminder.target == "channel" else ctx.person.id
    earlier = await ctx.uow.reminders.answer_to(reminder.id, due_at, recipient)
    if earlier is not None:
        with speaking(message_language(ctx, reminder)):
            ctx.send(answered(reminder, earlier.answer, earlier.snoozed_until), Update())
        final = what_was_answered(reminder, earlier.answer, earlier.snoozed_until)
        ctx.reply(Message((Section(filled(_("Already answered: {answer}"), answer=final)),)))
        return reminder, earlier
    await ctx.uow.reminders.add_answer(
        ReminderAnswer(
            reminder_id=reminder.id,
            due_at=due_at,
            recipient=recipient,
            person_id=ctx.person.id,
            answer=said,
            snoozed_until=until,
            answered_at=ctx.now(),
        )
    )
    return reminder, None


def message_language(ctx: Context, reminder: Reminder) -> str:
    """The language a delivered reminder was written in: the channel's, or its reader's own."""
    return ctx.settings.bot.channel_speaks if reminder.target == "channel" else current_language()


def answered(reminder: Reminder, said: str, until: datetime | None) -> Message:
    """A delivered reminder once answered: what was said, and no buttons left."""
    return sentence(*what_was_answered(reminder, said, until))


def what_was_answered(reminder: Reminder, said: str, until: datetime | None) -> Rich:
    if said == "snoozed" and until is not None:
        return filled(_("Snoozed until {until}: {text}"), until=Timestamp(until), text=reminder.text)
    return rich(_("\u2713 Done: {text}").format(text=reminder.text))


async def cohort_of(uow: UnitOfWork, reminder: Reminder) -> list[int]:
    return await uow.cohorts.member_ids(reminder.cohort_id or 0)


async def check_recipient(ctx: Context, reminder: Reminder) -> None:
    allowed = (
        reminder.target == "channel"
        or (reminder.target == "person" and reminder.recipient_id == ctx.person.id)
        or (reminder.target == "cohort" and ctx.person.id in await cohort_of(ctx.uow, reminder))
    )
    if not allowed:
        raise UserError(_("This reminder was sent to someone else, so only they can use its buttons."))


def reminder_message(reminder: Reminder, creator: Person | None, due: datetime, late: bool) -> Message:
    if creator is None or creator.id == reminder.recipient_id:
        title = _("\u23f0 Reminder:")
    else:
        title = _("\u23f0 Reminder from {name}:").format(name=creator.display_name)
    blocks: list[Section | Note | Actions] = [Section(rich(Strong(title), " ", reminder.text))]
    if late:
        blocks.append(Note(filled(_("Late: this was due {due} while I was offline."), due=Timestamp(due))))
    rid, at = reminder.id, int(due.timestamp())  # the occurrence: each message is answered once
    blocks.append(
        Actions(
            (
                Button(_("Done"), action_id("rem", "done", rid, at), "primary"),
                Button(_("Snooze 15 min"), action_id("rem", "snooze", rid, 15, at)),
                Button(_("Snooze 1 hour"), action_id("rem", "snooze", rid, 60, at)),
                Button(_("Tomorrow 9:00"), action_id("rem", "snooze", rid, "tomorrow", at)),
            )
        )
    )
    return Message(tuple(blocks))


def missed_notice(reminder: Reminder, due: datetime, grace_hours: int) -> Message:
    template = ngettext(
        "I missed your reminder \u201c{text}\u201d, due {due}: I was offline for more than {count} hour, "
        "so I didn't send it late.",
        "I missed your reminder \u201c{text}\u201d, due {due}: I was offline for more than {count} hours, "
        "so I didn't send it late.",
        grace_hours,
    )
    return sentence(*filled(template, text=reminder.text, due=Timestamp(due), count=number(grace_hours)))


async def recipient_ids(uow: UnitOfWork, reminder: Reminder) -> list[int]:
    if reminder.target == "cohort":
        return await cohort_of(uow, reminder)
    return [reminder.recipient_id] if reminder.recipient_id else []


def channel_of(reminder: Reminder) -> Destination:
    if reminder.channel.startswith("#"):
        return Public(reminder.channel[1:])
    return Public(ChannelRef(reminder.platform, reminder.workspace, reminder.channel))


async def export_reminders(uow: UnitOfWork, person_id: int) -> list[dict[str, object]]:
    found = await uow.reminders.involving(person_id)
    upcoming = {
        s.subject_id: s.due_at for s in reversed(await uow.schedules.live(DELIVER, [r.id for r in found]))
    }
    return [
        {
            "text": r.text,
            "created_by_me": r.creator_id == person_id,
            "for_me": r.recipient_id == person_id,
            "repeats": r.repeats,
            "time_zone": r.zone,
            "next": upcoming.get(r.id),
            "created_at": r.created_at,
        }
        for r in found
    ]


async def forget_reminders(uow: UnitOfWork, person_id: int) -> list[Delete]:
    ids = [r.id for r in await uow.reminders.involving(person_id)]
    await uow.schedules.cancel(DELIVER, ids)
    await uow.reminders.delete(ids)
    return []


feature.data("reminders", export_reminders, forget_reminders)
