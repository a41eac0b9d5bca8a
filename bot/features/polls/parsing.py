"""What a facilitator typed (or filled in a form), read and checked before anything is saved."""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.features.polls.copies import ALSO_EXAMPLE
from bot.i18n import N_, _
from bot.text import fold
from bot.time_words import ImpossibleTime, PastTime
from bot.when import parse_when, repeat_words

# Examples read in the member's language (each translation is typed as it reads): _() where shown.
POLL_EXAMPLE = N_('/alumni poll "Which topic next?" "Open licences" "Data portals" --closes Friday at 17:00')
PLAN_EXAMPLE = N_('/alumni roundtable plan "Open licences" --slots Tuesday at 15:00, Wednesday at 9:00')
PLAN_ALSO_EXAMPLE = N_(
    '/alumni roundtable plan "Open licences" --slots Tuesday at 15:00, Wednesday at 9:00 '
    "--also discord:#general"
)
# The core's own limits, the same on every platform; each adapter renders within its own.
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_SLOTS = 6  # three answer buttons a slot: a time-slot poll stays one short screen of buttons
MAX_QUESTION = 300
MAX_OPTION = 75  # an option is shown whole on its button
MAX_TOPIC = 200
SWITCHES = ("--multi", "--anonymous", "--hidden")
STRAIGHT_QUOTES = str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")
# What can be wrong with a typed moment, said of the closing time or of a numbered slot.
CLOSING = {
    "one": N_("The closing time must be one moment, like \u201cFriday at 17:00\u201d."),
    "impossible": N_("The closing time \u201c{time}\u201d: {problem}"),
    "past": N_("The closing time \u201c{time}\u201d is in the past."),
    "unclear": N_("I can't tell when \u201c{time}\u201d is (the closing time)."),
}
SLOT = {
    "one": N_("Slot {number} must be one moment, like \u201cFriday at 17:00\u201d."),
    "impossible": N_("Slot {number} \u201c{time}\u201d: {problem}"),
    "past": N_("Slot {number} \u201c{time}\u201d is in the past."),
    "unclear": N_("I can't tell when \u201c{time}\u201d is (slot {number})."),
}


class PollInputError(UserError):
    """Bad poll input; `field` names the form input it belongs to."""

    def __init__(self, problem: str, example: str, field: str) -> None:
        super().__init__(problem, _(example))
        self.field = field


@dataclass(frozen=True)
class PollRequest:
    question: str
    options: tuple[str, ...]
    multi: bool = False
    anonymous: bool = False
    hidden: bool = False
    closes_at: datetime | None = None
    also: tuple[str, ...] = ()  # further channels, "discord:#general" (bot.features.polls.copies)


@dataclass(frozen=True)
class PlanRequest:
    topic: str
    slots: tuple[datetime, ...]
    closes_at: datetime | None = None
    also: tuple[str, ...] = ()


def words_of(text: str, example: str) -> list[str]:
    """Split like a shell: quoted phrases stay whole (curly quotes too)."""
    straight = text.translate(STRAIGHT_QUOTES)
    try:
        return shlex.split(straight)
    except ValueError:
        raise UserError(
            _("A quote is not closed; put each phrase in a pair of quotes."), _(example)
        ) from None


def read_flags(
    words: list[str], valued: Sequence[str], example: str
) -> tuple[list[str], dict[str, list[str]]]:
    """Words before the first --flag, and each flag with the words after it."""
    positional: list[str] = []
    flags: dict[str, list[str]] = {}
    current: list[str] | None = None
    for word in words:
        if word.startswith("--"):
            name = word.lower()
            if name not in (*SWITCHES, *valued):
                raise UserError(
                    _("I don't know the option \u201c{option}\u201d.").format(option=word), _(example)
                )
            current = flags.setdefault(name, [])
            if name in SWITCHES:
                current = None
        elif current is not None:
            current.append(word)
        elif flags:
            raise UserError(
                _("\u201c{word}\u201d comes after an option that takes no value.").format(word=word),
                _(example),
            )
        else:
            positional.append(word)
    return positional, flags


def also_of(flags: dict[str, list[str]], example: str) -> tuple[str, ...]:
    """The channels after each --also (the flag may be repeated, the channels split by commas)."""
    places = tuple(place for word in flags.get("--also", ()) for place in word.split(",") if place.strip())
    if "--also" in flags and not places:
        raise UserError(_("Say which channel after --also, like discord:#general."), _(example))
    return places


def parse_poll(text: str, zone: str, now: datetime) -> PollRequest:
    positional, flags = read_flags(words_of(text, POLL_EXAMPLE), ("--closes", "--also"), POLL_EXAMPLE)
    if not positional:
        raise PollInputError(_("Ask a question, then give the options."), POLL_EXAMPLE, "question")
    closes = parse_deadline(flags["--closes"], zone, now, POLL_EXAMPLE) if "--closes" in flags else None
    return check_poll(
        PollRequest(
            positional[0],
            tuple(positional[1:]),
            multi="--multi" in flags,
            anonymous="--anonymous" in flags,
            hidden="--hidden" in flags,
            closes_at=closes,
            also=also_of(flags, ALSO_EXAMPLE),
        )
    )


def check_poll(request: PollRequest) -> PollRequest:
    question = " ".join(request.question.split())
    options = tuple(" ".join(o.split()) for o in request.options)
    if not question:
        raise PollInputError(_("The question is empty."), POLL_EXAMPLE, "question")
    if len(question) > MAX_QUESTION:
        raise PollInputError(
            _("A question has at most {limit} characters (this one has {count}).").format(
                limit=MAX_QUESTION, count=len(question)
            ),
            POLL_EXAMPLE,
            "question",
        )
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise PollInputError(
            _("A poll has {least} to {most} options (you gave {count}); quote each one.").format(
                least=MIN_OPTIONS, most=MAX_OPTIONS, count=len(options)
            ),
            POLL_EXAMPLE,
            "options",
        )
    long = next((o for o in options if len(o) > MAX_OPTION or not o), None)
    if long is not None:
        raise PollInputError(
            _("Each option has 1 to {limit} characters (\u201c{option}\u2026\u201d has {count}).").format(
                limit=MAX_OPTION, option=long[:40], count=len(long)
            ),
            POLL_EXAMPLE,
            "options",
        )
    folded = [fold(o) or o for o in options]
    twice = next((o for o, f in zip(options, folded, strict=True) if folded.count(f) > 1), None)
    if twice is not None:
        raise PollInputError(
            _("The option \u201c{option}\u201d is there twice.").format(option=twice), POLL_EXAMPLE, "options"
        )
    return dataclasses.replace(request, question=question, options=options)


def parse_deadline(words: list[str], zone: str, now: datetime, example: str) -> datetime:
    return read_time(words, zone, now, None, example, "closes")


def read_time(
    words: list[str], zone: str, now: datetime, slot: int | None, example: str, field: str
) -> datetime:
    """One future moment from exactly these words, read in `zone`: the closing time, or the
    numbered `slot`."""
    shown = " ".join(words)
    said = SLOT if slot is not None else CLOSING

    def problem(kind: str, detail: str = "") -> PollInputError:
        return PollInputError(_(said[kind]).format(time=shown, number=slot, problem=detail), example, field)

    if not words or repeat_words(words):
        raise problem("one")
    try:
        when, rest = parse_when(shown, zone, now)
    except ImpossibleTime as error:
        raise problem("impossible", error.problem) from None
    except UserError as error:
        raise problem("past" if isinstance(error, PastTime) else "unclear") from None
    if rest:
        raise problem("unclear")
    return when.first


def parse_plan(text: str, zone: str, now: datetime) -> PlanRequest:
    positional, flags = read_flags(
        words_of(text, PLAN_EXAMPLE), ("--slots", "--closes", "--also"), PLAN_EXAMPLE
    )
    if len(positional) != 1:
        raise PollInputError(_("Give the topic in quotes, then --slots."), PLAN_EXAMPLE, "topic")
    if "--slots" not in flags:
        raise PollInputError(_("Give the times to choose from after --slots."), PLAN_EXAMPLE, "slots")
    closes = parse_deadline(flags["--closes"], zone, now, PLAN_EXAMPLE) if "--closes" in flags else None
    plan = check_plan(positional[0], " ".join(flags["--slots"]), zone, now, closes)
    return dataclasses.replace(plan, also=also_of(flags, PLAN_ALSO_EXAMPLE))


def check_plan(topic: str, slots_text: str, zone: str, now: datetime, closes: datetime | None) -> PlanRequest:
    topic = " ".join(topic.split())
    if not topic or len(topic) > MAX_TOPIC:
        raise PollInputError(
            _("A topic has 1 to {limit} characters (this one has {count}).").format(
                limit=MAX_TOPIC, count=len(topic)
            ),
            PLAN_EXAMPLE,
            "topic",
        )
    texts = [s.strip() for s in slots_text.replace(";", ",").split(",") if s.strip()]
    if not 2 <= len(texts) <= MAX_SLOTS:
        raise PollInputError(
            _("Give 2 to {most} times, separated by commas (you gave {count}).").format(
                most=MAX_SLOTS, count=len(texts)
            ),
            PLAN_EXAMPLE,
            "slots",
        )
    slots = tuple(read_time(t.split(), zone, now, n, PLAN_EXAMPLE, "slots") for n, t in enumerate(texts, 1))
    if len(set(slots)) < len(slots):
        raise PollInputError(_("Two of the slots are the same time."), PLAN_EXAMPLE, "slots")
    if closes is not None and closes >= min(slots):
        raise PollInputError(_("The poll must close before the first slot."), PLAN_EXAMPLE, "closes")
    return PlanRequest(topic, tuple(sorted(slots)), closes)
