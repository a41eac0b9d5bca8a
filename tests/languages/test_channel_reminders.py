"""A channel reminder through the real core, router and schedule runner on SQLite and PostgreSQL:
the channel's message, and its redraw after Done or Snooze, read in the channel's language, while
what only the presser sees is in theirs."""

from __future__ import annotations

import pytest

from bot.config import BotSettings, FacilitatorSettings, Settings
from bot.core import Core
from bot.outbound import Ephemeral, Public, Update
from bot.scheduling import ScheduleRunner
from tests.languages.english import english_left
from tests.languages.test_reminders import speaker
from tests.support.chat import Clock, Conversation, RecordingChat
from tests.support.timers import fire


@pytest.fixture
def settings() -> Settings:
    return Settings(
        bot=BotSettings(channel_language="es"), facilitators=FacilitatorSettings(members=("test:fay",))
    )


@pytest.fixture
def runner(core: Core, settings: Settings, clock: Clock) -> ScheduleRunner:
    return ScheduleRunner(core.database, core.router, settings, clock)


async def test_a_channel_reminder_is_redrawn_in_the_channels_language(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat
) -> None:
    speaker(talk, "Fay", "fr")
    speaker(talk, "Ana", "pt-BR")
    speaker(talk, "Bo", "en-GB")
    [confirm] = await talk.say("Fay", "/alumni remind #general demain à 9h appel")
    assert "Prochain" in confirm.text
    clock.advance(days=1)
    [delivered] = await fire(runner, chat)
    assert delivered.item.to == Public("general") and "⏰ Recordatorio de Fay:" in delivered.text

    redrawn, told = await talk.press("Ana", delivered, "Posponer 1 hora")
    assert isinstance(redrawn.item.to, Update) and redrawn.text.startswith("Pospuesto hasta ")
    assert english_left(redrawn.text, "es") == []
    assert isinstance(told.item.to, Ephemeral) and told.text.startswith("Vou lembrar você (só você) em ")
    assert english_left(told.text, "pt") == []

    redrawn, already = await talk.press("Bo", delivered, "Hecho")
    assert isinstance(redrawn.item.to, Update) and redrawn.text.startswith("Pospuesto hasta ")
    assert already.text.startswith("Already answered: Snoozed until ")
    clock.advance(hours=1)
    [again] = await fire(runner, chat)  # the snooze reminds Ana, privately, in Portuguese
    assert again.item.to.member == talk.ref("Ana") and again.text.startswith("⏰ Lembrete: appel")


async def test_a_channel_reminder_done_is_redrawn_in_the_channels_language(
    talk: Conversation, runner: ScheduleRunner, clock: Clock, chat: RecordingChat
) -> None:
    speaker(talk, "Fay", "fr")
    await talk.say("Fay", "/alumni remind #general demain à 9h appel")
    clock.advance(days=1)
    [delivered] = await fire(runner, chat)
    [redrawn] = await talk.press("Fay", delivered, "Hecho")
    assert isinstance(redrawn.item.to, Update) and redrawn.text == "✓ Hecho: appel"
