"""The console, played through the real `alumni-bot` process with `[bot] default_language = "pt"`:
its own words (who sees what, forms, its commands) and the bot's are Portuguese."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.test_scripted_session import Session, play


def test_the_console_speaks_the_default_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUMNI_BOT_BOT_DEFAULT_LANGUAGE", "pt")
    url = f"sqlite+aiosqlite:///{tmp_path / 'console.db'}"
    out = play(
        ["/who", "/press 99", "/alumni find", "/intro", "Alex", "GBIF", "", "Atlântida", "Nairobi"],
        url,
        tmp_path,
    )
    assert "Console do alumni-bot. Comandos do console:" in out
    assert "(console) Agora você é Alex." in out and "[MD para Alex]\n  Boas-vindas à rede, Alex!" in out
    assert "Membros aqui: Alex" in out
    assert "(console) Não existe o botão [99]." in out
    assert "[somente Alex vê isto]\n  Diga o que procurar.\n  Tente: /alumni find dados abertos" in out
    assert "[formulário: Sobre você] Uma linha por campo" in out and "Cargo (opcional)" in out
    assert "! País: Não conheço o país “Atlântida”." in out
    assert "(console) A entrada terminou antes de o formulário ser concluído; nada foi salvo." in out


def test_the_console_profile_form_chooses_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALUMNI_BOT_BOT_DEFAULT_LANGUAGE", "pt")
    session = Session(tmp_path)
    out = session.run("/as Alex", "/intro", "Alex", "GBIF", "", "Quênia, Europa", "Nairobi")
    topics = session.button(out, "Adicionar meus temas", after="Agora você é Alex")
    out = session.run(f"/press {topics}", "mapas", "", "", "", "klingon", "mapas", "", "", "", "")
    assert "  Idioma em que falo com você (opcional) [auto]: " in out
    assert "! Idioma em que falo com você: Não falo “klingon”." in out
    out = session.run(f"/press {topics}", "mapas", "", "", "", "fr", "/alumni profile")
    assert "Désormais, je vous parlerai en Français." in out.split("Idioma em que falo com você")[-1]
    assert "Basé·e à : Kenya, Europe" in out
