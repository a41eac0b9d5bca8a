"""How a poll reads: live (or hidden) results with buttons while open, final results once closed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from bot.action_ids import action_id
from bot.features.polls.bars import result_line
from bot.features.polls.fairness import unsocial_count
from bot.messages import Actions, Block, Button, Inline, Message, Note, Section, Strong, Timestamp, rich
from storage.models import Poll, PollOption
from storage.polls import Tally

ANSWERS = {"yes": "Yes", "maybe": "If need be", "no": "No"}


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
    prefix = "Final results: " if poll.state == "closed" else ""
    return (
        f"{prefix}Roundtable \u201c{poll.question}\u201d: when?"
        if poll.kind == "slots"
        else prefix + poll.question
    )


def instructions(poll: Poll) -> str:
    if poll.kind == "slots":
        return "For each time (shown in your own time zone): Yes, If need be, or No."
    return "Choose any options you like." if poll.multi else "Choose one option."


def option_line(option: PollOption, tally: Tally, voters: int, *, shown: bool) -> Section:
    if not shown:
        return Section((f"\u2022 {option.label}",))
    return Section((f"{option.label}\n{result_line(tally.get(option.id, {}).get('yes', 0), voters)}",))


def slot_line(number: int, option: PollOption, tally: Tally, zones: Sequence[ZoneInfo]) -> Section:
    counts = tally.get(option.id, {})
    said = " \u00b7 ".join(f"{label} {counts.get(answer, 0)}" for answer, label in ANSWERS.items())
    assert option.starts_at is not None  # every option of a slot poll is a time
    late = f" \u00b7 late for {unsocial_count(option.starts_at, zones)} of {len(zones)}" if zones else ""
    return Section(rich(f"{number}. ", Timestamp(option.starts_at), f"\n{said}{late}"))


def footer(poll: Poll, voters: int) -> tuple[Inline, ...]:
    parts: list[Inline] = [f"Poll #{poll.id} \u00b7 {voters} voter{'' if voters == 1 else 's'}"]
    if poll.anonymous:
        parts.append(" \u00b7 anonymous")
    if poll.state == "closed" and poll.closed_at:
        parts += [" \u00b7 closed ", Timestamp(poll.closed_at)]
    elif poll.hidden:
        parts.append(" \u00b7 results shown when the poll closes")
    if poll.state == "open" and poll.closes_at:
        parts += [" \u00b7 closes ", Timestamp(poll.closes_at)]
    return tuple(parts)


def answer_buttons(poll: Poll) -> tuple[Button, ...]:
    if poll.kind == "slots":
        return tuple(
            Button(f"{n} {label}", action_id("poll", "answer", poll.id, o.id, answer))
            for n, o in enumerate(poll.options, 1)
            for answer, label in ANSWERS.items()
        )
    return tuple(Button(o.label, action_id("poll", "vote", poll.id, o.id)) for o in poll.options)


def controls(poll: Poll) -> tuple[Button, ...]:
    buttons = [Button("Withdraw my vote", action_id("poll", "withdraw", poll.id))]
    if not poll.anonymous:
        buttons.append(Button("Who voted", action_id("poll", "voters", poll.id)))
    buttons.append(Button("Close poll", action_id("poll", "close", poll.id), "danger"))
    return tuple(buttons)


def what_counts(poll: Poll, answers: Mapping[int, str]) -> Message:
    """The voter's own answers after a press: what counts now."""
    if not answers:
        return Message.of(f"You have no vote on \u201c{poll.question}\u201d now.")
    if poll.kind == "slots":
        parts: list[Inline] = ["Your answers now:"]
        for n, option in enumerate(poll.options, 1):
            if option.id in answers and option.starts_at:
                parts += [f"\n{n}. ", Timestamp(option.starts_at), f": {ANSWERS[answers[option.id]]}"]
        return Message((Section(tuple(parts)), Note(("You can change them until the poll closes.",))))
    chosen = ", ".join(f"\u201c{o.label}\u201d" for o in poll.options if o.id in answers)
    return Message(
        (Section((f"Your vote now: {chosen}.",)), Note(("You can change it until the poll closes.",)))
    )


def voter_list(poll: Poll, rows: Sequence[tuple[int, str, str]]) -> Message:
    """Who answered what; a time slot in the reader's own time, like everywhere else."""
    parts: list[Inline] = [f"Who voted on \u201c{poll.question}\u201d:"]
    for number, option in enumerate(poll.options, 1):
        names = [(a, n) for o, a, n in rows if o == option.id]
        label: tuple[Inline, ...] = (
            (f"{number}. ", Timestamp(option.starts_at)) if option.starts_at else (option.label,)
        )
        said = ", ".join(f"{n} ({ANSWERS[a]})" if poll.kind == "slots" else n for a, n in names)
        parts += ["\n", *label, f": {said or 'nobody'}"]
    return Message((Section(tuple(parts)),))
