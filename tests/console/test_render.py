"""Every neutral element as terminal text, with times in the reader's zone."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from adapters.console.render import Pressable, render_message
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Divider,
    Field,
    Image,
    Link,
    Mention,
    Message,
    Note,
    Option,
    Section,
    Select,
    Strong,
    Timestamp,
)
from bot.refs import MemberRef, MessageRef

MOMENT = datetime(2026, 3, 29, 14, 0, tzinfo=UTC)  # the day Europe moves to summer time


def render(message: Message, zone: str = "UTC") -> tuple[list[str], dict[int, Pressable]]:
    numbers = itertools.count(1)
    pressed: dict[int, Pressable] = {}

    def number(p: Pressable) -> int:
        n = next(numbers)
        pressed[n] = p
        return n

    lines = render_message(
        message, zone, number, MessageRef("console", "c", "general", "7"), {"u1": "Ana"}.get
    )
    return lines, pressed


def test_sections_fields_notes_dividers_and_inline_parts() -> None:
    message = Message(
        (
            Section(
                (
                    Strong("Roundtable"),
                    " with ",
                    Mention(MemberRef("console", "c", "u1")),
                    " ",
                    Link("https://x", "notes"),
                ),
                (Field("Topic", ("Open data",)),),
            ),
            Divider(),
            Note(("small print",)),
        )
    )
    lines, _ = render(message)
    assert lines == [
        "*Roundtable* with @Ana notes <https://x>",
        "  Topic: Open data",
        "-" * 20,
        "(small print)",
    ]


def test_timestamps_show_in_the_readers_zone() -> None:
    message = Message((Section(("Starts ", Timestamp(MOMENT), " / ", Timestamp(MOMENT, "time"))),))
    assert render(message, "Europe/London")[0] == [
        "Starts Sun, Mar 29, 2026, 3:00\u202fPM BST / 3:00\u202fPM BST"
    ]
    assert render(message, "Africa/Nairobi")[0] == [
        "Starts Sun, Mar 29, 2026, 5:00\u202fPM EAT / 5:00\u202fPM EAT"
    ]
    # São Paulo's zone has no abbreviation, only "-03": its city names it.
    assert render(message, "America/Sao_Paulo")[0] == [
        "Starts Sun, Mar 29, 2026, 11:00\u202fAM Sao Paulo / 11:00\u202fAM Sao Paulo"
    ]


def test_bold_labels_keep_their_spaces_outside_the_marks() -> None:
    message = Message((Section((Strong("Next: "), "tomorrow", Strong(" Why you:"), Strong("  "))),))
    assert render(message)[0] == ["*Next:* tomorrow *Why you:*  "]


def test_buttons_and_menu_options_are_numbered_for_press() -> None:
    message = Message(
        (
            Actions(
                (
                    Button("Yes", "poll:vote:1:a", "primary"),
                    Button("Delete", "data:forget:1", "danger"),
                    Select("Pick a slot", "slot:pick:1", (Option("Monday", "mon"), Option("Tuesday", "tue"))),
                )
            ),
        )
    )
    lines, pressed = render(message)
    assert lines == ["[1] *Yes  [2] !Delete", "Pick a slot:", "  [3] Monday", "  [4] Tuesday"]
    assert pressed[4].action_id == "slot:pick:1" and pressed[4].value == "tue"
    assert pressed[1].message == MessageRef("console", "c", "general", "7")


def test_files_and_images_are_described_and_small_text_files_shown() -> None:
    message = Message(
        (
            Image(b"\x89PNG...", "chart.png", "Votes per option"),
            Attachment(b'{"a": 1}', "data.json", "application/json"),
            Attachment(b"\x00" * 10, "blob.bin", "application/octet-stream"),
        )
    )
    lines, _ = render(message)
    assert lines == [
        "[image chart.png, 7 bytes: Votes per option]",
        "[file data.json, 8 bytes]",
        '  {"a": 1}',
        "[file blob.bin, 10 bytes]",
    ]
