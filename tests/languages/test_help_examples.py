"""The help's examples read in the member's language, topic words included, and work as typed:
each example of find, introduce, match frequency and a poll (one also posted on Discord), said by
a member reading Spanish, French or Portuguese through the real core and router on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from bot.app import build_router
from bot.config import FacilitatorSettings, Settings
from bot.i18n import _, speaking
from bot.outbound import Ephemeral, Public
from storage.database import Database
from tests.languages.english import english_left
from tests.languages.test_introductions import speaks
from tests.support.chat import Conversation, RecordingChat

# What each language's examples look for, as Bo wrote it in his profile.
TOPICS = {
    "es": "datos abiertos, licencias, acceso a datos",
    "fr": "données ouvertes, licences, accès aux données",
    "pt": "dados abertos, licenciamento, acesso a dados",
}
TRY = {"es": "Prueba:", "fr": "Essayez :", "pt": "Tente:"}


@pytest.fixture
def settings() -> Settings:
    return Settings(facilitators=FacilitatorSettings(members=("test:ana",)))


def examples(language: str, command: str) -> list[str]:
    with speaking(language):
        return [_(example) for example in build_router().commands[command].examples]


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
async def test_the_help_examples_work_as_typed_in_each_language(
    talk: Conversation, database: Database, language: str
) -> None:
    await talk.set_up_profile("Bo", organisation="OpenStreetMap", country="Kenya", expertise=TOPICS[language])
    await talk.set_up_profile("Ana", organisation="GBIF")
    await speaks(database, talk, "Ana", language)
    await talk.say("Ana", "/alumni match join")
    talk.core.channel_finders["discord"] = RecordingChat("discord")  # for --also discord:#general

    typed = [
        *examples(language, "find"),
        *(e for e in examples(language, "introduce") if "@" not in e),
        *(e for e in examples(language, "match") if " frequency " in e),
        *(e for e in examples(language, "poll") if '"' in e),
    ]
    assert len(typed) == 9
    for example in typed:
        assert english_left(example, language) == [], example
        sent = await talk.say("Ana", example)
        told = " ".join(s.text for s in sent if isinstance(s.item.to, Ephemeral))
        assert TRY[language] not in told, (example, told)  # no "Try: …" after a problem
        if example.startswith("/alumni find") or example.startswith("/alumni introduce"):
            assert "Bo" in told, (example, told)  # the topic (or country) found him
        if example.startswith("/alumni poll"):
            assert any(isinstance(s.item.to, Public) for s in sent), example
