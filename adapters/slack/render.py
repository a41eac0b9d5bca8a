"""Neutral messages and forms as Block Kit, within Slack's limits. Pure functions.

Slack rejects a whole message when one limit is crossed, so everything is clipped
or split here: 50 blocks a message, 3000 characters a text, 10 fields a section,
25 options a select, 5 elements an actions block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from adapters.slack.translate import PLATFORM
from bot import wall_clock
from bot.i18n import N_, _
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Divider,
    Form,
    Image,
    Inline,
    Link,
    Mention,
    Message,
    Note,
    Rich,
    Section,
    Select,
    Strong,
    Timestamp,
)
from bot.text import clip

MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_OPTIONS = 25
MAX_ACTION_ELEMENTS = 5
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PLACEHOLDER = 150
MAX_MODAL_TITLE = 24
MAX_INPUT_LENGTH = 3000
MORE = N_("(more than fits in one Slack message; the rest was left out)")

Block = dict[str, Any]
File = Image | Attachment

# How each neutral timestamp style reads; Slack fills in the reader's own time zone.
DATE_TOKENS = {
    "full": "{date_short_pretty} {time}",
    "date": "{date_short_pretty}",
    "time": "{time}",
    "relative": "{ago}",
}


@dataclass(frozen=True)
class Rendered:
    """A message ready for Slack: its blocks, fallback text, and the files to upload with it."""

    blocks: list[Block]
    text: str
    files: tuple[File, ...]

    @property
    def pages(self) -> tuple[list[Block], ...]:
        """For new messages: a message of more than 50 blocks goes out as several."""
        return paginate(self.blocks)

    @property
    def single(self) -> list[Block]:
        """For an update in place, which has room for one message only."""
        return truncate(self.blocks, MAX_BLOCKS)


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn and plain text alike."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def timestamp(moment: Timestamp) -> str:
    unix = int(moment.at.timestamp())
    # For clients that cannot show Slack's own: in UTC, as the reader's language writes it.
    fallback = wall_clock.shown(moment.at, UTC, "date" if moment.style == "date" else "full")
    fallback += "" if moment.style == "date" else " UTC"
    return f"<!date^{unix}^{DATE_TOKENS[moment.style]}|{fallback}>"


def inline(part: Inline) -> str:
    match part:
        case str():
            return escape(part)
        case Strong():
            return part.marked("*", escape)
        case Link(url=url, label=label):
            return f"<{url}|{escape(label)}>"
        case Mention(member=member, fallback=fallback):
            if member.platform == PLATFORM:
                return f"<@{member.user_id}>"
            return escape(fallback or member.user_id)
        case Timestamp():
            return timestamp(part)
    raise TypeError(f"not an inline element: {part!r}")


def mrkdwn(parts: Rich, limit: int = MAX_TEXT) -> str:
    return clip("".join(inline(part) for part in parts), limit)


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(block: Section) -> list[Block]:
    """One section per ten fields; the text rides on the first."""
    text = mrkdwn(block.text)
    fields = [
        {
            "type": "mrkdwn",
            "text": clip(f"{Strong(f.label).marked('*', escape)}\n{mrkdwn(f.value)}", MAX_FIELD_TEXT),
        }
        for f in block.fields
    ]
    chunks = [fields[i : i + MAX_FIELDS] for i in range(0, len(fields), MAX_FIELDS)] or [[]]
    out: list[Block] = []
    for index, chunk in enumerate(chunks):
        rendered: Block = {"type": "section"}
        if index == 0 and (text or not chunk):
            rendered["text"] = {"type": "mrkdwn", "text": text or " "}
        if chunk:
            rendered["fields"] = chunk
        out.append(rendered)
    return out


def note(block: Note) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(block.text) or " "}]}


def button(element: Button) -> Block:
    rendered: Block = {
        "type": "button",
        "text": plain(element.label, MAX_BUTTON_TEXT),
        "action_id": element.action_id,
    }
    if element.style != "default":
        rendered["style"] = element.style
    return rendered


def option(label: str, value: str, description: str = "") -> Block:
    rendered: Block = {"text": plain(label, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}
    if description:
        rendered["description"] = plain(description, MAX_OPTION_TEXT)
    return rendered


def select(element: Select) -> list[Block]:
    """A select of more than 25 options becomes several, each naming its range."""
    options = element.options
    chunks = [options[i : i + MAX_OPTIONS] for i in range(0, len(options), MAX_OPTIONS)]
    out = []
    for index, chunk in enumerate(chunks):
        placeholder = element.placeholder
        if len(chunks) > 1:
            first = index * MAX_OPTIONS + 1
            placeholder = f"{placeholder} ({first}\u2013{first + len(chunk) - 1})"
        rendered: Block = {
            "type": "static_select",
            "action_id": element.action_id,
            "placeholder": plain(placeholder, MAX_PLACEHOLDER),
            "options": [option(o.label, o.value, o.description) for o in chunk],
        }
        initial = next((o for o in chunk if o.value == element.initial), None)
        if initial is not None:
            rendered["initial_option"] = option(initial.label, initial.value, initial.description)
        out.append(rendered)
    return out


def actions(block: Actions) -> list[Block]:
    """At most five elements a block, and an action id only once in each."""
    elements = [
        rendered
        for element in block.elements
        for rendered in (select(element) if isinstance(element, Select) else [button(element)])
    ]
    groups: list[list[Block]] = []
    for element in elements:
        current = groups[-1] if groups else None
        if (
            current is None
            or len(current) == MAX_ACTION_ELEMENTS
            or element["action_id"] in {e["action_id"] for e in current}
        ):
            groups.append([element])
        else:
            current.append(element)
    return [{"type": "actions", "elements": group} for group in groups]


def blocks(message: Message) -> list[Block]:
    """Every block of the message, files left out (they are uploaded separately)."""
    out: list[Block] = []
    for block in message.blocks:
        match block:
            case Section():
                out.extend(section(block))
            case Note():
                out.append(note(block))
            case Divider():
                out.append({"type": "divider"})
            case Actions():
                out.extend(actions(block))
            case Image() | Attachment():
                pass
    return out


def fallback_text(message: Message) -> str:
    """What notifications and screen readers show: the message's words, without layout."""
    return clip(message.plain_text(mrkdwn, escape), MAX_TEXT) or " "


def paginate(rendered: list[Block], size: int = MAX_BLOCKS) -> tuple[list[Block], ...]:
    return tuple(rendered[i : i + size] for i in range(0, len(rendered), size)) or ([],)


def truncate(rendered: list[Block], size: int) -> list[Block]:
    """For places that take one message only (an update, the Home tab): cut and say so."""
    if len(rendered) <= size:
        return rendered
    return [*rendered[: size - 1], note(Note((_(MORE),)))]


def message(item: Message) -> Rendered:
    return Rendered(
        blocks=blocks(item),
        text=fallback_text(item),
        files=tuple(b for b in item.blocks if isinstance(b, Image | Attachment)),
    )


def home_view(rendered: Rendered) -> Block:
    return {"type": "home", "blocks": truncate(rendered.blocks, MAX_HOME_BLOCKS)}


def modal(form: Form, private_metadata: dict[str, str]) -> Block:
    """A form as a modal; each input's block id and action id are its name."""
    inputs = []
    for field in form.inputs:
        limit = min(field.max_length, MAX_INPUT_LENGTH)
        element: Block = {
            "type": "plain_text_input",
            "action_id": field.name,
            "multiline": field.kind == "long",
            "max_length": limit,
        }
        if field.initial:
            element["initial_value"] = field.initial[:limit]
        if field.placeholder:
            element["placeholder"] = plain(field.placeholder, MAX_PLACEHOLDER)
        inputs.append(
            {
                "type": "input",
                "block_id": field.name,
                "optional": not field.required,
                "label": plain(field.label, 2000),
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": form.action_id,
        "title": plain(form.title, MAX_MODAL_TITLE),
        "submit": plain(form.submit_label, MAX_MODAL_TITLE),
        "close": plain(_("Cancel"), MAX_MODAL_TITLE),
        "private_metadata": json.dumps(private_metadata),
        "blocks": inputs,
    }
