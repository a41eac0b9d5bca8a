"""Every neutral element as Block Kit, and Slack's limits never crossed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.slack import render
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

AT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_section_with_inline_parts_is_mrkdwn() -> None:
    message = Message(
        (
            Section(
                (
                    Strong("Ana"),
                    " & <friends> ",
                    Link("https://gbif.org", "GBIF"),
                    " ",
                    Mention(MemberRef("slack", "T1", "UANA")),
                    " ",
                    Mention(MemberRef("discord", "G1", "42"), "Ben"),
                )
            ),
        )
    )
    [block] = render.message(message).blocks
    assert block == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*Ana* &amp; &lt;friends&gt; <https://gbif.org|GBIF> <@UANA> Ben"},
    }


def test_timestamps_show_in_each_readers_time_zone() -> None:
    unix = int(AT.timestamp())
    assert (
        render.inline(Timestamp(AT))
        == f"<!date^{unix}^{{date_short_pretty}} {{time}}|Tue, Nov 24, 2026, 9:30\u202fAM UTC>"
    )
    assert render.inline(Timestamp(AT, "date")) == f"<!date^{unix}^{{date_short_pretty}}|Tue, Nov 24, 2026>"
    assert render.inline(Timestamp(AT, "time")).startswith(f"<!date^{unix}^{{time}}|")
    assert render.inline(Timestamp(AT, "relative")).startswith(f"<!date^{unix}^{{ago}}|")


def test_fields_are_labelled_and_split_by_ten() -> None:
    fields = tuple(Field(f"Label {n}", (f"value {n}",)) for n in range(12))
    blocks = render.message(Message((Section(("Heading",), fields),))).blocks
    assert len(blocks) == 2
    assert blocks[0]["text"]["text"] == "Heading" and len(blocks[0]["fields"]) == 10
    assert "text" not in blocks[1] and len(blocks[1]["fields"]) == 2
    assert blocks[0]["fields"][0]["text"] == "*Label 0*\nvalue 0"


def test_note_divider_and_buttons_with_styles() -> None:
    message = Message(
        (
            Note(("small print",)),
            Divider(),
            Actions(
                (Button("Go", "a:go", "primary"), Button("Stop", "a:stop", "danger"), Button("Eh", "a:eh"))
            ),
        )
    )
    note, divider, actions = render.message(message).blocks
    assert note == {"type": "context", "elements": [{"type": "mrkdwn", "text": "small print"}]}
    assert divider == {"type": "divider"}
    assert [e.get("style") for e in actions["elements"]] == ["primary", "danger", None]
    assert actions["elements"][0]["action_id"] == "a:go"
    assert actions["elements"][0]["text"]["type"] == "plain_text"


def test_actions_hold_at_most_five_elements() -> None:
    buttons = tuple(Button(f"B{n}", f"a:b:{n}") for n in range(12))
    blocks = render.message(Message((Actions(buttons),))).blocks
    assert [len(b["elements"]) for b in blocks] == [5, 5, 2]


def test_select_with_options_initial_and_at_most_25_each() -> None:
    options = tuple(Option(f"Option {n}", f"v{n}", "described" if n == 0 else "") for n in range(30))
    blocks = render.message(Message((Actions((Select("Pick", "a:pick", options, initial="v27"),)),))).blocks
    assert len(blocks) == 2  # the same action id never twice in one block
    first, second = (b["elements"][0] for b in blocks)
    assert first["type"] == "static_select" and len(first["options"]) == 25 and len(second["options"]) == 5
    assert (
        first["placeholder"]["text"] == "Pick (1\u201325)"
        and second["placeholder"]["text"] == "Pick (26\u201330)"
    )
    assert first["options"][0]["description"]["text"] == "described"
    assert second["initial_option"]["value"] == "v27" and "initial_option" not in first


def test_long_text_is_clipped_to_3000_characters() -> None:
    blocks = render.message(Message((Section(("x" * 5000,)), Note(("y" * 4000,))))).blocks
    assert len(blocks[0]["text"]["text"]) == 3000
    assert len(blocks[1]["elements"][0]["text"]) == 3000
    assert len(render.message(Message.of("z" * 9000)).text) == 3000


def test_more_than_50_blocks_go_out_as_several_messages_or_are_cut_for_an_update() -> None:
    rendered = render.message(Message(tuple(Section((f"line {n}",)) for n in range(120))))
    assert [len(page) for page in rendered.pages] == [50, 50, 20]
    assert len(rendered.single) == 50 and rendered.single[-1]["type"] == "context"


def test_images_and_attachments_become_uploads() -> None:
    image = Image(b"\x89PNG", "chart.png", "Members by region")
    attachment = Attachment(b"{}", "data.json", "application/json")
    rendered = render.message(Message((Section(("Here",)), image, attachment)))
    assert rendered.files == (image, attachment)
    assert len(rendered.blocks) == 1
    assert "Members by region" in rendered.text


def test_form_becomes_a_modal_remembering_where_it_was_opened() -> None:
    form = Form(
        "A title far longer than Slack allows",
        "profile:about",
        (
            Input("name", "Name", initial="Ana", max_length=80),
            Input("bio", "Bio", kind="long", required=False, placeholder="A few words", max_length=9000),
        ),
        submit_label="Save",
    )
    view = render.modal(form, {"channel_id": "C1"})
    assert view["type"] == "modal" and view["callback_id"] == "profile:about"
    assert len(view["title"]["text"]) <= 24 and view["submit"]["text"] == "Save"
    name, bio = view["blocks"]
    assert name["block_id"] == "name" and name["element"]["action_id"] == "name"
    assert name["element"]["initial_value"] == "Ana" and name["optional"] is False
    assert bio["element"]["multiline"] is True and bio["optional"] is True
    assert bio["element"]["max_length"] == 3000 and bio["element"]["placeholder"]["text"] == "A few words"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1"}


def test_home_view_holds_the_message() -> None:
    view = render.home_view(render.message(Message.of("Hello")))
    assert view["type"] == "home" and view["blocks"][0]["text"]["text"] == "Hello"


def test_bold_labels_are_bold_on_slack() -> None:
    # Slack shows "*Next: *" as it is: the marks must touch the words.
    rendered = render.message(
        Message((Section((Strong("Next: "), "Tue", Strong(" Why you:")), (Field(" Role ", ("Lead",)),)),))
    )
    assert rendered.blocks[0]["text"]["text"] == "*Next:* Tue *Why you:*"
    assert rendered.blocks[0]["fields"][0]["text"] == " *Role* \nLead"
