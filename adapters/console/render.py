"""Neutral messages as terminal text. Pure functions: a message in, lines out.

Buttons and menu options get numbers the reader presses with `/press <n>`; each
timestamp is shown in the reader's own time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import wall_clock
from bot.geo import zone_city
from bot.i18n import label_value, ngettext
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Divider,
    Image,
    Inline,
    Link,
    Mention,
    Message,
    Note,
    Section,
    Select,
    Strong,
    Timestamp,
)
from bot.refs import MessageRef

INDENT = "  "
SHOWN_FILE_BYTES = 4000
STYLES: dict[str, wall_clock.Style] = {"full": "full", "date": "date", "time": "time", "relative": "day"}


@dataclass(frozen=True)
class Pressable:
    """Something `/press <n>` can act on: a button, or one option of a menu."""

    action_id: str
    value: str | None
    message: MessageRef | None


def render_message(
    message: Message,
    zone: str,
    number: Callable[[Pressable], int],
    ref: MessageRef | None = None,
    name_of: Callable[[str], str] = lambda user_id: user_id,
) -> list[str]:
    """Lines for `message` as read by someone in `zone`; `number` assigns press numbers."""
    lines: list[str] = []

    def text(parts: tuple[Inline, ...]) -> str:
        return "".join(inline(part, zone, name_of) for part in parts)

    for block in message.blocks:
        match block:
            case Section(text=body, fields=fields):
                lines.extend(text(body).splitlines() or [""])
                lines.extend(INDENT + label_value(field.label, text(field.value)) for field in fields)
            case Note(text=body):
                lines.append(f"({text(body)})")
            case Divider():
                lines.append("-" * 20)
            case Actions(elements=elements):
                lines.extend(actions(elements, number, ref))
            case Image(filename=name, alt=alt, data=data):
                lines.append(
                    ngettext(
                        "[image {name}, {size} byte: {alt}]", "[image {name}, {size} bytes: {alt}]", len(data)
                    ).format(name=name, size=len(data), alt=alt)
                )
            case Attachment(filename=name, mime=mime, data=data):
                lines.append(
                    ngettext("[file {name}, {size} byte]", "[file {name}, {size} bytes]", len(data)).format(
                        name=name, size=len(data)
                    )
                )
                if mime.startswith(("text/", "application/json")) and len(data) <= SHOWN_FILE_BYTES:
                    lines.extend(INDENT + line for line in data.decode().splitlines())
    return lines


def actions(
    elements: tuple[Button | Select, ...], number: Callable[[Pressable], int], ref: MessageRef | None
) -> list[str]:
    buttons: list[str] = []
    lines: list[str] = []
    for element in elements:
        if isinstance(element, Button):
            style = {"primary": "*", "danger": "!"}.get(element.style, "")
            buttons.append(f"[{number(Pressable(element.action_id, None, ref))}] {style}{element.label}")
        else:
            lines.append(f"{element.placeholder}:")
            lines.extend(
                f"{INDENT}[{number(Pressable(element.action_id, option.value, ref))}] {option.label}"
                for option in element.options
            )
    return ([INDENT.join(buttons)] if buttons else []) + lines


def inline(part: Inline, zone: str, name_of: Callable[[str], str]) -> str:
    match part:
        case str():
            return part
        case Strong():
            return part.marked("*")
        case Link(url=url, label=label):
            return f"{label} <{url}>"
        case Mention(member=member, fallback=fallback):
            return "@" + (fallback or name_of(member.user_id))
        case Timestamp(at=at, style=style):
            return local_time(at, zone, style)


def local_time(at: datetime, zone: str, style: str = "full") -> str:
    """The moment in `zone`, named by its abbreviation ("BST") or, for zones that have only
    an offset ("-03"), by its city ("Sao Paulo")."""
    shown = wall_clock.shown(at, zone, STYLES[style])
    name = at.astimezone(ZoneInfo(zone)).tzname() or ""
    return shown if style == "date" else f"{shown} {zone_city(zone) if name[:1] in '+-' else name}"
