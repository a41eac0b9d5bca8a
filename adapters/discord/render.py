"""Neutral messages and forms as Discord content, embeds, components, files and modals.

Sections without fields become message content until the first section with fields opens
an embed; later plain sections and notes join that embed (a divider closes it). Every text
is cut to Discord's limits, so a long profile never makes Discord refuse the message.
Views are returned already stopped: discord.py then keeps no live object for them, and a
press is routed by its custom id alone (see `client.py`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.utils import escape_markdown

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

PLATFORM = "discord"
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_SELECT_OPTIONS = 25
MAX_BUTTON_LABEL = 80
MAX_OPTION_TEXT = 100
MAX_PLACEHOLDER = 150
MAX_MODAL_TITLE = 45
MAX_TEXT_INPUT = 4000
MAX_INPUT_PLACEHOLDER = 100

TIMESTAMP_STYLES = {"full": "F", "date": "D", "time": "t", "relative": "R"}
BUTTON_STYLES = {
    "default": discord.ButtonStyle.secondary,
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
}


@dataclass
class Rendered:
    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, Any]:
        """Arguments for a new message (channel send, interaction reply, followup)."""
        kwargs: dict[str, Any] = {"content": self.content or None, "embeds": self.embeds, "files": self.files}
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Arguments that replace every part of an existing message."""
        return {
            "content": self.content or None,
            "embeds": self.embeds,
            "view": self.view,
            "attachments": self.files,
        }


def markdown(parts: Rich) -> str:
    return "".join(_inline(part) for part in parts)


def _inline(part: Inline) -> str:
    match part:
        case str():
            return escape_markdown(part)
        case Strong():
            return part.marked("**", escape_markdown)
        case Mention(member=member, fallback=fallback):
            if member.platform == PLATFORM:
                return f"<@{member.user_id}>"
            return escape_markdown(fallback or member.user_id)
        case Link(url=url, label=label):
            return f"[{escape_markdown(label)}]({url})"
        case Timestamp(at=at, style=style):
            return f"<t:{int(at.timestamp())}:{TIMESTAMP_STYLES[style]}>"
    raise TypeError(f"unknown inline part {part!r}")


def plain(parts: Rich) -> str:
    """Text for places Discord shows without markdown (embed footers)."""
    return "".join(
        p if isinstance(p, str) else p.text if isinstance(p, Strong) else f"{p.label} ({p.url})"
        for p in parts
        if isinstance(p, str | Strong | Link)
    )


def render(message: Message) -> Rendered:
    out = Rendered()
    lines: list[str] = []
    embed: discord.Embed | None = None  # the embed later sections join; None after a divider
    rows: list[list[Button | Select]] = []
    for block in message.blocks:
        match block:
            case Section(text=text, fields=fields) if fields or embed is not None or out.embeds:
                if fields or embed is None:
                    embed = _new_embed(out, markdown(text))
                else:
                    embed.description = _join(embed.description, markdown(text), MAX_EMBED_DESCRIPTION)
                for f in fields[: MAX_FIELDS - len(embed.fields)]:
                    value = clip(markdown(f.value), MAX_FIELD_VALUE) or "\u200b"
                    embed.add_field(name=clip(f.label, MAX_FIELD_NAME), value=value, inline=len(value) < 40)
            case Section(text=text):
                lines.append(markdown(text))
            case Note(text=text) if embed is not None and _footer_safe(text):
                embed.set_footer(text=clip(_join(embed.footer.text, plain(text), MAX_FOOTER), MAX_FOOTER))
            case Note(text=text):
                lines.append(f"-# {markdown(text)}")
            case Divider():
                if embed is None and not out.embeds:
                    lines.append("\u2500" * 20)
                embed = None
            case Actions(elements=elements):
                rows.extend(_rows(elements))
            case Image(data=data, filename=filename, alt=alt):
                out.files.append(discord.File(io.BytesIO(data), filename=filename, description=alt))
                if embed is None or embed.image.url:
                    embed = _new_embed(out, "")
                embed.set_image(url=f"attachment://{filename}")
            case Attachment(data=data, filename=filename):
                out.files.append(discord.File(io.BytesIO(data), filename=filename))
    out.content = clip("\n".join(lines), MAX_CONTENT)
    out.embeds = out.embeds[:MAX_EMBEDS]
    out.view = _view(rows[:MAX_ROWS]) if rows else None
    return out


def _new_embed(out: Rendered, description: str) -> discord.Embed:
    embed = discord.Embed(description=clip(description, MAX_EMBED_DESCRIPTION) or None)
    out.embeds.append(embed)
    return embed


def _join(first: str | None, second: str, limit: int) -> str:
    return clip("\n\n".join(part for part in (first, second) if part), limit)


def _footer_safe(parts: Rich) -> bool:
    """Footers show neither markdown nor mentions nor local times."""
    return all(isinstance(p, str | Strong | Link) for p in parts)


def _rows(elements: tuple[Button | Select, ...]) -> list[list[Button | Select]]:
    """Buttons five to a row; a select menu fills a row of its own."""
    rows: list[list[Button | Select]] = []
    for element in elements:
        full = not rows or len(rows[-1]) == MAX_BUTTONS_PER_ROW or isinstance(rows[-1][0], Select)
        if full or isinstance(element, Select):
            rows.append([])
        rows[-1].append(element)
    return rows


def _view(rows: list[list[Button | Select]]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for element in row:
            view.add_item(_component(element, number))
    view.stop()
    return view


def _component(element: Button | Select, row: int) -> discord.ui.Item[discord.ui.View]:
    if isinstance(element, Button):
        return discord.ui.Button(
            label=clip(element.label, MAX_BUTTON_LABEL),
            custom_id=element.action_id,
            style=BUTTON_STYLES[element.style],
            row=row,
        )
    return discord.ui.Select(
        custom_id=element.action_id,
        placeholder=clip(element.placeholder, MAX_PLACEHOLDER),
        row=row,
        options=[
            discord.SelectOption(
                label=clip(option.label, MAX_OPTION_TEXT),
                value=option.value[:MAX_OPTION_TEXT],
                description=clip(option.description, MAX_OPTION_TEXT) or None,
                default=option.value == element.initial,
            )
            for option in element.options[:MAX_SELECT_OPTIONS]
        ],
    )


def modal(form: Form) -> discord.ui.Modal:
    """A Discord modal for `form`; each input's custom id is its neutral name."""
    shown = discord.ui.Modal(title=clip(form.title, MAX_MODAL_TITLE), custom_id=form.action_id, timeout=None)
    for item in form.inputs:
        shown.add_item(
            discord.ui.TextInput(
                label=item.label,
                custom_id=item.name,
                style=discord.TextStyle.paragraph if item.kind == "long" else discord.TextStyle.short,
                default=item.initial[:MAX_TEXT_INPUT] or None,
                required=item.required,
                max_length=min(item.max_length, MAX_TEXT_INPUT),
                placeholder=item.placeholder[:MAX_INPUT_PLACEHOLDER] or None,
            )
        )
    shown.stop()
    return shown
