"""The neutral message model: what the core says, before any platform renders it.

Rich text is a tuple of inline parts; a message is a tuple of blocks. Each adapter
renders every element natively (Block Kit, Discord embeds and components, terminal
text), and a plain-text rendering is always possible, as with errbot's `Card`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from string import Formatter
from typing import Literal

from bot.i18n import _, label_value
from bot.refs import MemberRef

MAX_ACTION_ID = 100  # Discord's custom_id limit, the tighter of the two platforms
MAX_FORM_INPUTS = 5  # Slack and Discord modals both cap at five inputs here
MAX_LABEL = 45  # Discord's modal label limit


@dataclass(frozen=True)
class Timestamp:
    """A moment each reader sees in their own time zone."""

    at: datetime
    style: Literal["full", "date", "time", "relative"] = "full"

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("Timestamp needs a timezone-aware datetime")


@dataclass(frozen=True)
class Mention:
    member: MemberRef
    fallback: str = ""


@dataclass(frozen=True)
class Strong:
    text: str

    def marked(self, mark: str, inner: Callable[[str], str] = str) -> str:
        """The words between `mark`s, the spaces around them outside: "*Next:* ", never
        "*Next: *" (Slack shows that one unbolded). `inner` escapes the words."""
        words = self.text.strip()
        if not words:
            return self.text
        lead = self.text[: len(self.text) - len(self.text.lstrip())]
        trail = self.text[len(self.text.rstrip()) :]
        return f"{lead}{mark}{inner(words)}{mark}{trail}"


@dataclass(frozen=True)
class Link:
    url: str
    label: str


Inline = str | Timestamp | Mention | Strong | Link
Rich = tuple[Inline, ...]


def rich(*parts: Inline) -> Rich:
    return tuple(part for part in parts if part != "")


def filled(template: str, **parts: Inline | Rich) -> Rich:
    """A translated sentence with times, mentions or bold in its placeholders, kept whole so a
    translation may move them: `filled(_("Snoozed until {until}."), until=Timestamp(later))`.
    A placeholder may hold a run of parts too (a list of mentions)."""
    out: list[Inline] = [""]
    for text, name, _spec, _conversion in Formatter().parse(template):
        value = parts[name] if name is not None else ""
        for part in (text, *(value if isinstance(value, tuple) else (value,))):
            if isinstance(part, str) and isinstance(out[-1], str):
                out[-1] += part
            else:
                out.append(part)
    return rich(*out)


def words(parts: Rich) -> str:
    """Rich text as bare words: a mention by its name (or id), a link by its label, a moment in ISO form."""
    out = []
    for part in parts:
        match part:
            case str():
                out.append(part)
            case Strong(text=text):
                out.append(text)
            case Mention(member=member, fallback=fallback):
                out.append(fallback or f"@{member.user_id}")
            case Link(label=label):
                out.append(label)
            case Timestamp(at=at):
                out.append(at.isoformat())
    return "".join(out)


@dataclass(frozen=True)
class Field:
    label: str
    value: Rich


@dataclass(frozen=True)
class Section:
    text: Rich
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Note:
    """Small print under a block (Slack context block, Discord footer, dim terminal line)."""

    text: Rich


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    style: Literal["default", "primary", "danger"] = "default"

    def __post_init__(self) -> None:
        _check_action_id(self.action_id)


@dataclass(frozen=True)
class Option:
    label: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class Select:
    placeholder: str
    action_id: str
    options: tuple[Option, ...]
    initial: str | None = None

    def __post_init__(self) -> None:
        _check_action_id(self.action_id)


@dataclass(frozen=True)
class Actions:
    elements: tuple[Button | Select, ...]


@dataclass(frozen=True)
class Image:
    data: bytes
    filename: str
    alt: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (a data export, a calendar invitation)."""

    data: bytes
    filename: str
    mime: str


Block = Section | Note | Divider | Actions | Image | Attachment


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]

    @classmethod
    def of(cls, *blocks: Block | str) -> Message:
        """Build a message; a bare string becomes a one-line section."""
        return cls(tuple(Section((b,)) if isinstance(b, str) else b for b in blocks))

    def plain_text(self, rendered: Callable[[Rich], str] = words, literal: Callable[[str], str] = str) -> str:
        """The message's words without layout, a line for each section, field, note, image and
        file: what notifications and screen readers show. A platform passes how it writes rich
        text (`rendered`) and escapes plain strings (`literal`)."""
        lines = []
        for block in self.blocks:
            match block:
                case Section(text=text, fields=fields):
                    lines.append(rendered(text))
                    lines.extend(label_value(literal(f.label), rendered(f.value)) for f in fields)
                case Note(text=text):
                    lines.append(rendered(text))
                case Image(alt=alt):
                    lines.append(literal(alt))
                case Attachment(filename=filename):
                    lines.append(literal(filename))
        return "\n".join(line for line in lines if line)


def labelled(label: str, *parts: Inline) -> Section:
    """A paragraph that opens with its label in bold: **Why you:** you share open data."""
    return Section(rich(Strong(label), " ", *parts))


def sentence(*parts: Inline) -> Message:
    """A message of one paragraph mixing words, times, mentions and bold, without spelling out
    its blocks: `sentence("Paused until ", Timestamp(day, "date"), ".")`."""
    return Message((Section(rich(*parts)),))


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: Literal["short", "long"] = "short"
    initial: str = ""
    required: bool = True
    max_length: int = 200
    placeholder: str = ""

    def __post_init__(self) -> None:
        if len(self.label) > MAX_LABEL:
            raise ValueError(f"input label over {MAX_LABEL} characters: {self.label!r}")


@dataclass(frozen=True)
class Form:
    """A modal: a title, at most five inputs, submitted under `action_id`."""

    title: str
    action_id: str
    inputs: tuple[Input, ...]
    # Made when the form is, so it reads in the language being spoken then.
    submit_label: str = dataclasses.field(default_factory=lambda: _("Save"))

    def __post_init__(self) -> None:
        _check_action_id(self.action_id)
        if not 1 <= len(self.inputs) <= MAX_FORM_INPUTS:
            raise ValueError(f"a form has 1 to {MAX_FORM_INPUTS} inputs")

    def refilled(self, values: Mapping[str, str]) -> Form:
        """The form again with what the member typed, to correct a refused submission."""
        inputs = tuple(dataclasses.replace(i, initial=values.get(i.name, i.initial)) for i in self.inputs)
        return dataclasses.replace(self, inputs=inputs)


def _check_action_id(action_id: str) -> None:
    if len(action_id) > MAX_ACTION_ID:
        raise ValueError(f"action id over {MAX_ACTION_ID} characters: {action_id!r}")
