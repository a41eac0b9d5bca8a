"""`/alumni insights` through the real core and database (Fay is the facilitator)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.messages import Image
from bot.outbound import Post, Public
from bot.refs import ChannelRef
from bot.scheduling import ScheduleRunner
from storage.database import Database
from storage.insights import Period, Scope, figures
from tests.features.test_roundtables import PLAN, people
from tests.insights.history import build
from tests.support.chat import Clock, Conversation, RecordingChat, Sent
from tests.support.timers import fire

PNG = b"\x89PNG\r\n\x1a\n"


def image_of(sent: list[Sent]) -> Image:
    [image] = [b for s in sent for b in s.message.blocks if isinstance(b, Image)]
    return image


async def test_a_facilitator_sees_the_headline_figures_and_the_main_chart(
    talk: Conversation, database: Database
) -> None:
    await build(database)
    sent = await talk.say("Fay", "/alumni insights 2026")
    [answer] = sent
    assert answer.visible_to(talk.ref("Fay")) and not answer.visible_to(talk.ref("Ana"))
    assert "Insights: everyone, 2026" in answer.text
    assert "in all: 6;" in answer.text  # the history's five and Fay
    matching = "rounds: 2; groups: 4; met: 2 (50%); new ties: 3, across organisations: 2, across regions: 3"
    assert matching in answer.text
    assert "asked: 3; accepted: 1; declined: 1; expired: 1; median time to answer: 4 h" in answer.text
    assert "sent: 2; late: 1; missed: 1" in answer.text
    image = image_of(sent)
    assert image.data.startswith(PNG) and len(image.data) < 200_000
    assert image.filename == "insights-participation-everyone-2026.png"
    assert "busiest month, 2026-03: 4 active" in image.alt


async def test_a_cohort_and_a_month_narrow_the_figures(talk: Conversation, database: Database) -> None:
    await build(database)
    [answer] = await talk.say("Fay", "/alumni insights ALUMNI 2026-03")
    assert "Insights: alumni, 2026-03" in answer.text
    assert "rounds: 1; groups: 2; met: 1 (50%); new ties: 3" in answer.text
    [this_year] = await talk.say("Fay", "/alumni insights 2026")
    [cohort_this_year] = await talk.say("Fay", "/alumni insights 2026 2026")
    assert "Insights: 2026, 2026" in cohort_this_year.text and cohort_this_year.text != this_year.text


async def test_members_are_refused(talk: Conversation, database: Database) -> None:
    await build(database)
    [answer] = await talk.say("Ana", "/alumni insights")
    assert "Only facilitators can use /alumni insights" in answer.text
    assert not any(isinstance(b, Image) for b in answer.message.blocks)


async def test_an_unknown_cohort_or_period_is_explained_with_an_example(
    talk: Conversation, database: Database
) -> None:
    await build(database)
    [answer] = await talk.say("Fay", "/alumni insights alumnii 2026")
    assert "I don't know the cohort \u201calumnii\u201d (cohorts: 2026, alumni)" in answer.text
    assert "Try: /alumni insights alumni 2026" in answer.text
    [answer] = await talk.say("Fay", "/alumni insights alumni 2026-13")
    assert "I don't know the cohort \u201calumni 2026-13\u201d" in answer.text
    assert "a month like 2026-03" in answer.text


async def test_each_reminder_occurrence_is_counted_on_time_late_or_missed(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat, database: Database
) -> None:
    talk.member("Ana", timezone="Europe/London")
    await talk.say("Ana", "/alumni remind me in 1 hour call the bank")
    await talk.say("Ana", "/alumni remind me in 2 hours water the plants")
    await talk.say("Ana", "/alumni remind me in 3 hours stretch")
    clock.advance(hours=1)
    await fire(runner, chat)  # on time
    clock.advance(hours=2)
    await fire(runner, chat)  # the second late by an hour, the third on time
    await talk.say("Ana", "/alumni remind me in 1 hour vitamins")
    clock.advance(hours=10)
    await fire(runner, chat)  # 9 hours after: past the grace, missed
    period = Period.parse(str(clock.now().year))
    assert period is not None
    async with database.unit_of_work() as uow:
        reminders = (await figures(uow.session, Scope(period, clock.now()))).reminders
    assert (reminders.on_time, reminders.late, reminders.missed) == (2, 1, 1)


async def test_after_a_roundtable_its_channel_is_asked_who_came(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat, database: Database
) -> None:
    await people(talk)
    _, poll = await talk.say("Fay", PLAN)
    await talk.press("Ana", poll, "3 Yes")
    *_, announced, _ = await talk.press("Fay", poll, "Close poll")
    await talk.press("Ana", announced, "Going")
    await talk.press("Bo", announced, "Going")
    clock.current = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # the hour-long roundtable has ended
    asked = [s for s in await fire(runner, chat) if "Were you there?" in s.text]
    [question] = asked
    assert question.item == Post(question.message, Public(ChannelRef("test", "W1", "C-general")))
    assert "Open licences" in question.text
    [thanks] = await talk.press("Ana", question, "I came")
    assert "counted as there" in thanks.text and thanks.visible_to(talk.ref("Ana"))
    [again] = await talk.press("Ana", question, "I came")
    assert "already counted" in again.text
    period = Period.parse("2026-12")
    assert period is not None
    async with database.unit_of_work() as uow:
        gatherings = (await figures(uow.session, Scope(period, clock.now()))).gatherings
    assert (gatherings.roundtables, gatherings.going, gatherings.came) == (1, 2, 1)


async def test_the_headline_speaks_the_facilitators_language(talk: Conversation, database: Database) -> None:
    await build(database)
    await talk.say("Fay", "/alumni language es")
    [answer] = await talk.say("Fay", "/alumni insights 2026")
    assert "Indicadores: todos, 2026" in answer.text
    assert "rondas: 2; grupos: 4; se reunieron: 2 (50\u00a0%)" in answer.text
    [refused] = await talk.say("Fay", "/alumni insights 2026-13x")
    assert "No conozco la cohorte \u201c2026-13x\u201d" in refused.text
