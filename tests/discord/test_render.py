"""Every element of the neutral model, as Discord receives it, within Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord.render import modal, render
from bot.messages import (
    Actions,
    Attachment,
    Button,
    Divider,
    Field,
    Form,
    Image,
    Input,
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
from bot.refs import MemberRef

AT = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


async def test_inline_text_mentions_links_and_timestamps() -> None:
    message = Message.of(
        Section(
            (
                "Hi ",
                Mention(MemberRef("discord", "1", "42")),
                ", ",
                Strong("welcome"),
                " to ",
                Link("https://example.org", "the wiki"),
                " on ",
                Timestamp(AT),
                Timestamp(AT, "date"),
                Timestamp(AT, "time"),
                Timestamp(AT, "relative"),
                " a_b*",
            )
        )
    )
    unix = int(AT.timestamp())
    assert render(message).content == (
        f"Hi <@42>, **welcome** to [the wiki](https://example.org) on <t:{unix}:F><t:{unix}:D>"
        f"<t:{unix}:t><t:{unix}:R> a\\_b\\*"
    )


async def test_a_mention_from_another_platform_shows_its_name() -> None:
    message = Message.of(Section((Mention(MemberRef("slack", "T1", "U1"), "Ana"),)))
    assert render(message).content == "Ana"


async def test_sections_with_fields_become_embeds_and_notes_their_footers() -> None:
    rendered = render(
        Message(
            (
                Section(("Heading",)),
                Section((Strong("Ana"),), (Field("Role", ("Lead",)), Field("Bio", ("x" * 2000,)))),
                Section(("More about Ana",)),
                Note(("Say hello",)),
                Divider(),
                Section(("After the divider",)),
            )
        )
    )
    assert rendered.content == "Heading"
    first, second = rendered.embeds
    assert first.description == "**Ana**\n\nMore about Ana"
    assert first.fields[0].name == "Role" and first.fields[0].inline
    assert len(first.fields[1].value) == 1024 and not first.fields[1].inline
    assert first.footer.text == "Say hello"
    assert second.description == "After the divider"


async def test_a_note_without_embed_is_subtext_and_a_divider_a_rule() -> None:
    rendered = render(Message((Section(("a",)), Divider(), Note(("small", Timestamp(AT))))))
    assert rendered.content.splitlines() == ["a", "\u2500" * 20, f"-# small<t:{int(AT.timestamp())}:F>"]


async def test_content_is_cut_to_2000_characters() -> None:
    assert len(render(Message.of("y" * 5000)).content) == 2000


async def test_buttons_and_selects_become_rows_of_components_with_our_ids() -> None:
    buttons = tuple(Button(f"B{i}", f"f:v:{i}", "primary" if i == 0 else "default") for i in range(7))
    select = Select(
        "Pick one", "f:pick", tuple(Option(f"o{i}", f"v{i}", "d") for i in range(30)), initial="v2"
    )
    view = render(Message((Actions((*buttons, select)),))).view
    assert view is not None and view.is_finished()  # nothing is kept alive for dispatch
    rows = view.to_components()
    assert [len(r["components"]) for r in rows] == [5, 2, 1]
    first = rows[0]["components"][0]
    assert (first["custom_id"], first["style"], first["label"]) == ("f:v:0", 1, "B0")
    menu = rows[2]["components"][0]
    assert menu["custom_id"] == "f:pick" and len(menu["options"]) == 25
    assert [o["default"] for o in menu["options"][:3]] == [False, False, True]


async def test_at_most_five_rows() -> None:
    many = tuple(Actions((Button(str(i), f"f:v:{i}"),)) for i in range(8))
    view = render(Message(many)).view
    assert view is not None and len(view.to_components()) == 5


async def test_images_and_attachments_become_files() -> None:
    rendered = render(
        Message(
            (
                Section(("Chart",)),
                Image(b"png-bytes", "chart.png", "Votes per slot"),
                Attachment(b"{}", "data.json", "application/json"),
            )
        )
    )
    assert [f.filename for f in rendered.files] == ["chart.png", "data.json"]
    assert rendered.files[0].description == "Votes per slot"
    assert rendered.embeds[0].image.url == "attachment://chart.png"


async def test_a_form_becomes_a_modal_with_its_inputs() -> None:
    form = Form(
        "A title that is much longer than Discord allows here",
        "profile:about",
        (
            Input("name", "Name", initial="Ana", max_length=80),
            Input("bio", "Bio", kind="long", required=False, placeholder="a few words"),
        ),
    )
    shown = modal(form).to_dict()
    assert shown["custom_id"] == "profile:about" and len(shown["title"]) == 45
    name, bio = (row["components"][0] for row in shown["components"])
    assert (name["custom_id"], name["style"], name["value"], name["max_length"]) == ("name", 1, "Ana", 80)
    assert (bio["style"], bio["required"], bio["placeholder"]) == (2, False, "a few words")


def test_bold_labels_keep_their_spaces_outside_the_marks() -> None:
    shown = render(Message((Section((Strong("Next: "), "Tue", Strong(" Why you:"))),)))
    assert shown.content == "**Next:** Tue **Why you:**"
