"""Random and mutated button ids, form values and command texts, through the router, on
SQLite and PostgreSQL (Hypothesis; `HYPOTHESIS_PROFILE=nightly` runs many more examples).

Whatever comes in, the sender gets a clear answer: never the generic failure, never a
logged error, and an event that leaves the database as it was shows nothing to anyone
but its sender (nothing half-done, like a poll message without its poll). An id that is
not one of ours changes nothing and gets "That button no longer works".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.action_ids import read_action_id
from bot.core import FAILED, Core
from bot.errors import STALE_BUTTON
from bot.events import Action, Command, Event, FormSubmitted
from bot.messages import Form
from bot.outbound import ShowForm
from bot.refs import ChannelRef, MessageRef
from storage.database import Database
from tests.support.chat import PLATFORM, WORKSPACE, Conversation, Sent
from tests.support.databases import snapshot

MEMBERS = ("Ana", "Bo", "Fay", "Cy")  # Fay is a facilitator; Cy has no profile
PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Characters that have broken bots: NUL and other controls, a lone surrogate, bidi and
# zero-width marks, a combining accent, digits that are not ASCII, an emoji with a joiner.
ODD = ("\x00", "\x07", "\x1b", "\r", "\ud800", "\u202e", "\u200b", "\ufeff", "\u0301", "\u00b2", "\u0663",
       "\U0001f469", "\u200d", "\U0001f4bb")  # fmt: skip
NUMBERS = ("0", "1", "2", "-1", "007", "2147483647", "2147483648", "99999999999999999999", "7" * 3000,
           "1e3", "0x10", "\u00b2", "\u0663", "")  # fmt: skip
WORDS = ("me", "@Ana", "<@ana>", "@Nobody", "#general", "cohort:alumni", "cohort:", "tomorrow", "at", "9",
         "25:99", "13pm", "in", "2", "hours", "every", "day", "weekday", "Friday", "31", "February", "2027",
         "--closes", "--slots", "--anonymous", "--multi", "--hidden", "--remove", '"Q?"', '"a"', '"b"', '"',
         "\u201c", "close", "export", "suggest", "plan", "poll", "join", "leave", "pause", "status", "avoid",
         "frequency", "monthly", "to", ",", ":", "open data", "maps")  # fmt: skip

text = st.text(st.one_of(st.characters(), st.sampled_from(ODD)), max_size=40)
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(NUMBERS), st.sampled_from(ODD), text)
words = st.lists(word, max_size=10).map(" ".join)


@dataclass(repr=False)
class Scene:
    """Members, and messages with buttons and forms from every feature, made once per test."""

    talk: Conversation
    buttons: list[tuple[Sent, str]]
    forms: list[Form]

    def __repr__(self) -> str:
        return f"Scene({len(self.buttons)} buttons, {len(self.forms)} forms)"

    @property
    def refs(self) -> list[MessageRef | None]:
        return [None, *(sent.ref for sent, _ in self.buttons)]


@pytest.fixture
async def scene(talk: Conversation) -> Scene:
    await talk.set_up_profile("Ana", organisation="GBIF", expertise="open data")
    await talk.set_up_profile("Bo", organisation="OSM", expertise="open data, maps")
    await talk.set_up_profile("Fay", organisation="ODI", expertise="licensing")
    for name, command in [
        ("Fay", '/alumni poll "Lunch?" "Pizza" "Salad"'),
        ("Fay", '/alumni poll "Happy?" "Yes" "No" --multi --anonymous'),
        ("Fay", '/alumni roundtable plan "Maps" --slots 1 Dec 2030 at 15:00, 2 Dec 2030 at 9:00'),
        ("Fay", '/alumni roundtable plan "Data" --slots 3 Dec 2030 at 15:00, 4 Dec 2030 at 9:00'),
        ("Ana", "/alumni remind me in 2 hours stretch"),
        ("Ana", "/alumni reminders"),
        ("Ana", '/alumni introduce "open data" a question'),
        ("Ana", "/alumni find open data"),
        ("Ana", "/alumni forget-me"),
        ("Ana", "/alumni profile"),
        ("Fay", "/alumni poll"),
        ("Fay", "/alumni roundtable plan"),
        ("Cy", "/alumni intro"),
    ]:
        await talk.say(name, command)
    [data_poll] = [s for s in talk.chat.sent if s.buttons() and "Data" in s.text and "Close poll" in s.text]
    await talk.press("Fay", data_poll, "Close poll")  # a roundtable, with its RSVP buttons
    sent = talk.chat.sent
    return Scene(
        talk,
        [(s, b.action_id) for s in sent if not isinstance(s.item, ShowForm) for b in s.buttons()],
        [s.form for s in sent if isinstance(s.item, ShowForm)],
    )


def mutated(action_id: str) -> st.SearchStrategy[str]:
    """The id with a number put in an argument's place, or a part replaced, dropped or added."""
    parts = action_id.split(":")

    def put(at: int, value: str) -> str:
        return ":".join([*parts[:at], value, *parts[at + 1 :]])

    anywhere = st.integers(0, len(parts) - 1)
    return st.one_of(
        st.builds(put, st.integers(min(2, len(parts) - 1), len(parts) - 1), st.sampled_from(NUMBERS)),
        st.builds(put, anywhere, st.one_of(st.sampled_from(ODD), text)),
        anywhere.map(lambda at: ":".join(parts[:at] + parts[at + 1 :])),
        st.one_of(st.sampled_from(NUMBERS), st.sampled_from(parts)).map(lambda extra: f"{action_id}:{extra}"),
    )


async def answer_to(
    database: Database, talk: Conversation, caplog: pytest.LogCaptureFixture, event: Event
) -> tuple[list[Sent], bool]:
    """Dispatch `event` and check the answer is clear; what it sent, and whether it saved anything."""
    caplog.clear()
    before = await snapshot(database)
    sent = await talk._run(event)
    changed = await snapshot(database) != before
    assert not [s for s in sent if FAILED in s.text], sent
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text
    if not changed:  # nothing saved: nothing shown to anyone else either
        others = [talk.ref(m) for m in MEMBERS if talk.ref(m) != event.actor.member]
        assert not [s for s in sent if any(s.visible_to(o) for o in others)], sent
    return sent, changed


@PROPERTY
@given(data=st.data())
async def test_any_press_gets_a_clear_answer(
    scene: Scene, database: Database, core: Core, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    talk = scene.talk
    _, valid = data.draw(st.sampled_from(scene.buttons))
    raw = data.draw(st.one_of(mutated(valid), mutated(valid), text, words), label="action id")
    event = Action(
        talk.member(data.draw(st.sampled_from(MEMBERS))),
        raw,
        value=data.draw(st.none() | text),
        message=data.draw(st.sampled_from(scene.refs)),
    )
    sent, changed = await answer_to(database, talk, caplog, event)
    if read_action_id(event.action_id, core.router.actions) is None:
        assert [s.text for s in sent] == [f"{STALE_BUTTON}\nTry: /alumni help"] and not changed


def form_values(form: Form) -> st.SearchStrategy[Mapping[str, str]]:
    names = [i.name for i in form.inputs]
    value = st.one_of(words, text, st.sampled_from(["", " ", "x" * 1000, "Kenya", "Africa/Nairobi"]))
    return st.dictionaries(st.sampled_from([*names, "other"]), value, max_size=len(names) + 1)


@PROPERTY
@given(data=st.data())
async def test_any_form_gets_a_clear_answer(
    scene: Scene, database: Database, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    form = data.draw(st.sampled_from(scene.forms))
    raw = data.draw(st.one_of(st.just(form.action_id), mutated(form.action_id)), label="form id")
    values = data.draw(form_values(form), label="values")
    member = scene.talk.member(data.draw(st.sampled_from(MEMBERS)))
    await answer_to(database, scene.talk, caplog, FormSubmitted(member, raw, values))


@PROPERTY
@given(data=st.data())
async def test_any_command_gets_a_clear_answer(
    scene: Scene, database: Database, core: Core, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    name = data.draw(st.one_of(st.sampled_from(sorted(core.router.commands)), text), label="command")
    rest = data.draw(words, label="text")
    member = scene.talk.member(data.draw(st.sampled_from(MEMBERS)))
    command = data.draw(st.sampled_from(["alumni", "intro", "profile", "remind"]))
    typed = f"{name} {rest}" if command == "alumni" else rest
    channel = ChannelRef(PLATFORM, WORKSPACE, "C-general")
    await answer_to(database, scene.talk, caplog, Command(member, command, typed, channel))
