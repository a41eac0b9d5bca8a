"""Every command of `/alumni help`, each with its help and every example it shows, played through
the real `alumni-bot` console process by a facilitator whose network speaks Spanish, French or
Portuguese (`[bot] default_language`): no English sentence of the catalog is left anywhere in the
session, and the help's usage, examples and search results read in the member's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_router
from bot.i18n import _, speaking
from tests.console.test_scripted_session import play
from tests.languages.english import english_left

KENYA = {"es": "Kenia", "fr": "Kenya", "pt": "Quênia"}
# What only a member reading the language sees once the help, find and home speak it.
READ = {
    "es": (
        "/alumni introduce <tema o @miembro> [nota]",
        "Coincide: país: Kenia",
        "Buscar personas: /alumni find datos abiertos",
    ),
    "fr": (
        "/alumni introduce <sujet ou @membre> [note]",
        "Correspond : pays : Kenya",
        "Trouver des personnes : /alumni find données ouvertes",
    ),
    "pt": (
        "/alumni introduce <tema ou @membro> [nota]",
        "Corresponde: país: Quênia",
        "Encontrar pessoas: /alumni find dados abertos",
    ),
}


def session(language: str) -> list[str]:
    """Two members with profiles, then the help of every command and each of its examples."""
    lines = ["/as Bo Chen", "/intro", "Bo Chen", "OSM", "", KENYA[language], "Nairobi"]
    lines += ["/as Ana Lima --facilitator", "/intro", "Ana Lima", "GBIF", "", KENYA[language], "Nairobi"]
    lines += ["/alumni help", "/alumni home"]
    with speaking(language):
        for name, spec in build_router().commands.items():
            lines.append(f"/alumni help {name}")
            lines += [_(example) for example in spec.examples if example not in ("/alumni intro", "/intro")]
    return lines


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_every_command_speaks_the_members_language_in_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("ALUMNI_BOT_BOT_DEFAULT_LANGUAGE", language)
    out = play(session(language), f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", tmp_path)
    assert english_left(out, language) == []
    for name in build_router().commands:
        assert f"> /alumni help {name}\n" in out, name
    for said in READ[language]:
        assert said in out, said
