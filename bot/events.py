"""Neutral events: what an adapter hands the core after translating a platform payload.

Whatever members typed is cleaned as an event is made (bot.member_text), so the core,
the storage and every database see the same text, however the event was built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.member_text import clean
from bot.messages import Form
from bot.refs import ChannelRef, MemberRef, MessageRef


def _clean_field(event: object, name: str) -> None:
    value = getattr(event, name)
    if value is not None:
        object.__setattr__(event, name, clean(value))  # frozen: set once, while being made


@dataclass(frozen=True)
class Actor:
    """The member behind an event, with what the platform knows about them."""

    member: MemberRef
    display_name: str
    roles: frozenset[str] = frozenset()
    timezone: str | None = None
    locale: str | None = None

    def __post_init__(self) -> None:
        _clean_field(self, "display_name")


@dataclass(frozen=True)
class Command:
    """`/alumni find maps` arrives as name="alumni", text="find maps"; `/intro` as name="intro".

    Platforms with typed options (Discord) give the arguments as `options`, by parameter
    name, members as MemberRef: text="find", options={"words": "maps"}."""

    actor: Actor
    name: str
    text: str
    channel: ChannelRef | None = None
    delivery_id: str | None = None
    options: Mapping[str, str | MemberRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _clean_field(self, "text")
        cleaned = {name: v if isinstance(v, MemberRef) else clean(v) for name, v in self.options.items()}
        object.__setattr__(self, "options", cleaned)

    def given_member(self, user_id: str) -> MemberRef | None:
        """The member a typed option named, when `user_id` is theirs."""
        refs = (v for v in self.options.values() if isinstance(v, MemberRef))
        return next((ref for ref in refs if ref.user_id == user_id), None)


@dataclass(frozen=True)
class Action:
    """A button press or a menu choice; `value` is the chosen option of a select."""

    actor: Actor
    action_id: str
    value: str | None = None
    channel: ChannelRef | None = None
    message: MessageRef | None = None
    delivery_id: str | None = None

    def __post_init__(self) -> None:
        _clean_field(self, "value")


@dataclass(frozen=True)
class FormSubmitted:
    actor: Actor
    action_id: str
    values: Mapping[str, str]
    channel: ChannelRef | None = None
    delivery_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", {name: clean(v) for name, v in self.values.items()})


@dataclass(frozen=True)
class MemberJoined:
    actor: Actor
    delivery_id: str | None = None


@dataclass(frozen=True)
class DirectMessage:
    """A member wrote to the bot directly (Slack's Messages tab, a Discord DM). What they wrote
    is not kept: the bot answers commands, not messages."""

    actor: Actor
    channel: ChannelRef | None = None
    delivery_id: str | None = None


Event = Command | Action | FormSubmitted | MemberJoined | DirectMessage


def kind_of(event: Event) -> str:
    """The event's kind as logs and metrics name it: Command, Action, FormSubmitted, MemberJoined."""
    return type(event).__name__


@dataclass(frozen=True)
class Outcome:
    """What the adapter may need back synchronously: field errors (Slack shows them inside the
    modal), and the form to show as the next page of a submitted one, where a platform's forms
    have pages (Slack pushes it; elsewhere the member opens it from the reply's button)."""

    form_errors: Mapping[str, str] = field(default_factory=dict)
    duplicate: bool = False
    next_form: Form | None = None
    # The language the member was answered in (bot.i18n), for what the adapter says itself.
    language: str = "en"
