"""How a poll reads: live (or hidden) results with buttons while open, final results once closed.

The poll message is rendered in the channel's language (its callers speak it); a voter's own
answers and the voter list in the reader's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from bot.action_ids import action_id
from bot.features.polls.bars import result_line
from bot.features.polls.fairness import unsocial_count
from bot.i18n import N_, _, ngettext
from bot.messages import (
    Actions,
    Block,
    Button,
    Inline,
    Message,
    Note,
    Rich,
    Section,
    Strong,
    Timestamp,
    filled,
    rich,
)
from storage.models import Poll, PollOption
from storage.polls import Tally

ANSWERS = {"yes": N_("Yes"), "maybe": N_("If need be"), "no": N_("No")}
DOT = " \u00b7 "  # between the facts of one line


def poll_message(poll: Poll, tally: Tally, voters: int, zones: Sequence[ZoneInfo]) -> Message:
    closed = poll.state == "closed"
    blocks: list[Block] = [Section(rich(Strong(title(poll)), "" if closed else "\n" + instructions(poll)))]
    if poll.kind == "slots":
        blocks += [slot_line(n, o, tally, zones) for n, o in enumerate(poll.options, 1)]
    else:
        blocks += [option_line(o, tally, voters, shown=closed or not poll.hidden) for o in poll.options]
    blocks.append(Note(footer(poll, voters)))
    if not closed:
        blocks += [Actions(answer_buttons(poll)), Actions(controls(poll))]
    return Message(tuple(blocks))


def title(poll: Poll) -> str:
    closed = poll.state == "closed"
    if poll.kind == "slots":
        when = (
            _("Final results: Roundtable \u201c{topic}\u201d: when?")
            if closed
            else _("Roundtable \u201c{topic}\u201d: when?")
        )
        return when.format(topic=poll.question)
    return _("Final results: {question}").format(question=poll.question) if closed else poll.question


def instructions(poll: Poll) -> str:
    if poll.kind == "slots":
        return _("For each time (shown in your own time zone): Yes, If need be, or No.")
    return _("Choose any options you like.") if poll.multi else _("Choose one option.")


def option_line(option: PollOption, tally: Tally, voters: int, *, shown: bool) -> Section:
    if not shown:
        return Section((f"\u2022 {option.label}",))
    return Section((f"{option.label}\n{result_line(tally.get(option.id, {}).get('yes', 0), voters)}",))


def slot_line(number: int, option: PollOption, tally: Tally, zones: Sequence[ZoneInfo]) -> Section:
    counts = tally.get(option.id, {})
    said = [f"{_(label)} {counts.get(answer, 0)}" for answer, label in ANSWERS.items()]
    assert option.starts_at is not None  # every option of a slot poll is a time
    if zones:
        late = unsocial_count(option.starts_at, zones)
        said.append(_("late for {count} of {total}").format(count=late, total=len(zones)))
    return Section(rich(f"{number}. ", Timestamp(option.starts_at), "\n" + DOT.join(said)))


def footer(poll: Poll, voters: int) -> Rich:
    """The poll's facts, each a phrase of its own: number and voters, then how it counts."""
    facts: list[Rich] = [
        (
            ngettext(
                "Poll #{number} \u00b7 {count} voter", "Poll #{number} \u00b7 {count} voters", voters
            ).format(number=poll.id, count=voters),
        )
    ]
    if poll.anonymous:
        facts.append((_("anonymous"),))
    if poll.state == "closed" and poll.closed_at:
        facts.append(filled(_("closed {when}"), when=Timestamp(poll.closed_at)))
    elif poll.hidden:
        facts.append((_("results shown when the poll closes"),))
    if poll.state == "open" and poll.closes_at:
        facts.append(filled(_("closes {when}"), when=Timestamp(poll.closes_at)))
    parts: list[Inline] = []
    for fact in facts:
        parts += [DOT, *fact] if parts else fact
    return rich(*parts)


def answer_buttons(poll: Poll) -> tuple[Button, ...]:
    if poll.kind == "slots":
        return tuple(
            Button(f"{n} {_(label)}", action_id("poll", "answer", poll.id, o.id, answer))
            for n, o in enumerate(poll.options, 1)
            for answer, label in ANSWERS.items()
        )
    return tuple(Button(o.label, action_id("poll", "vote", poll.id, o.id)) for o in poll.options)


def controls(poll: Poll) -> tuple[Button, ...]:
    buttons = [Button(_("Withdraw my vote"), action_id("poll", "withdraw", poll.id))]
    if not poll.anonymous:
        buttons.append(Button(_("Who voted"), action_id("poll", "voters", poll.id)))
    buttons.append(Button(_("Close poll"), action_id("poll", "close", poll.id), "danger"))
    return tuple(buttons)


def what_counts(poll: Poll, answers: Mapping[int, str]) -> Message:
    """The voter's own answers after a press: what counts now."""
    if not answers:
        return Message.of(_("You have no vote on \u201c{question}\u201d now.").format(question=poll.question))
    if poll.kind == "slots":
        parts: list[Inline] = [_("Your answers now:")]
        for n, option in enumerate(poll.options, 1):
            if option.id in answers and option.starts_at:
                parts += [f"\n{n}. ", Timestamp(option.starts_at), f": {_(ANSWERS[answers[option.id]])}"]
        return Message((Section(tuple(parts)), Note((_("You can change them until the poll closes."),))))
    chosen = ", ".join(f"\u201c{o.label}\u201d" for o in poll.options if o.id in answers)
    return Message(
        (
            Section((_("Your vote now: {chosen}.").format(chosen=chosen),)),
            Note((_("You can change it until the poll closes."),)),
        )
    )


def voter_list(poll: Poll, rows: Sequence[tuple[int, str, str, str]]) -> Message:
    """Who answered what; a time slot in the reader's own time, like everywhere else."""
    parts: list[Inline] = [_("Who voted on \u201c{question}\u201d:").format(question=poll.question)]
    for number, option in enumerate(poll.options, 1):
        names = [(a, n) for o, a, n, _platform in rows if o == option.id]
        label: tuple[Inline, ...] = (
            (f"{number}. ", Timestamp(option.starts_at)) if option.starts_at else (option.label,)
        )
        answered = [f"{n} ({_(ANSWERS[a])})" if poll.kind == "slots" else n for a, n in names]
        parts += ["\n", *label, ": " + (", ".join(answered) or _("nobody"))]
    return Message((Section(tuple(parts)),))
