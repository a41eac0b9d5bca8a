"""One-on-one matching in Spanish, French and Portuguese, through the real core, router, schedule
runner and outbox on SQLite and PostgreSQL: each member's replies and notices in their language,
a group's introduction, check-in and other times in its members' language when they share one,
else the channel's (the platform posts one message to the group), and the facilitator's
progress message in the facilitator's language, whichever process edits it."""

from __future__ import annotations

import re
from functools import cache
from string import Formatter

import pytest

from bot.app import build_router
from bot.config import BotSettings, FacilitatorSettings, Settings
from bot.core import Core
from bot.i18n import CATALOG_DIR
from bot.outbound import Direct, Group, Update
from bot.scheduling import ScheduleRunner
from storage.database import Database
from tests.languages.catalog_checks import read_catalog
from tests.support.chat import Clock, Conversation, RecordingChat, Sent
from tests.support.timers import fire

PEOPLE = {
    "Ana": dict(organisation="GBIF", country="Kenya", timezone="Africa/Nairobi", expertise="licensing"),
    "Bruno": dict(organisation="OKF", country="Brazil", timezone="America/Sao_Paulo", learning="licensing"),
    "Chen": dict(organisation="ODI", country="United Kingdom", timezone="Europe/London", expertise="maps"),
}
# Words of an English sentence between its placeholders, long enough to be a sentence's own.
FRAGMENT = re.compile(r"[^\W\d_]{2,}[^\W\d_ ,.;:’']*[ ,;:’']+[^\W\d_]{2,}.{6,}")


@cache
def english_fragments() -> frozenset[str]:
    """The English catalog's words (every msgid, cut at its placeholders), minus typed commands."""
    found = set()
    for message in read_catalog(CATALOG_DIR / "alumni-bot.pot"):
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for text, *_ in Formatter().parse(msgid or ""):
                for line in text.split("\n"):
                    words = re.sub(r"/alumni [^,.:;]*", "", line).strip(" :.,;()")
                    if FRAGMENT.fullmatch(words):
                        found.add(words)
    return frozenset(found)


def english_in(text: str) -> list[str]:
    return sorted(fragment for fragment in english_fragments() if fragment in text)


def no_english(*sent: Sent) -> None:
    for one in sent:
        assert english_in(one.text) == [], one.text


def settings_with(channel_language: str = "") -> Settings:
    return Settings(
        facilitators=FacilitatorSettings(members=("test:fay",)),
        bot=BotSettings(channel_language=channel_language),
    )


def groups(sent: list[Sent]) -> list[Sent]:
    return [s for s in sent if isinstance(getattr(s.item, "to", None), Group)]


async def speaks(database: Database, talk: Conversation, name: str, language: str) -> None:
    """What `/alumni language` stores: the member's own choice."""
    member = talk.ref(name)
    async with database.unit_of_work() as uow:
        person = await uow.people.by_identity(member.platform, member.workspace, member.user_id)
        assert person is not None
        person.language = language


async def joined(database: Database, talk: Conversation, languages: dict[str, str]) -> dict[str, Sent]:
    """Members with profiles who chose their language, then joined matching: what each was told."""
    told = {}
    for name, language in languages.items():
        await talk.join(name)
        await talk.set_up_profile(name, **PEOPLE[name])
        await speaks(database, talk, name, language)
        [told[name]] = await talk.say(name, "/alumni match join")
    return told


def conversation(settings: Settings, database: Database, clock: Clock) -> Conversation:
    return Conversation(Core(settings, database, build_router(), clock), RecordingChat())


async def test_a_spanish_and_a_french_member_are_introduced_in_the_channel_language(
    database: Database, clock: Clock
) -> None:
    talk = conversation(settings_with(channel_language="pt"), database, clock)
    told = await joined(database, talk, {"Ana": "es", "Bruno": "fr"})
    assert told["Ana"].text.startswith(
        "¡Listo, estás dentro! Te emparejaré cada semana con alguien de alumni."
    )
    assert told["Bruno"].text.startswith("C’est parti : vous serez mis·e en relation chaque semaine")
    no_english(*told.values())
    await talk.join("Fay")
    await speaks(database, talk, "Fay", "fr")
    [preview] = await talk.say("Fay", "/alumni match preview")
    assert "Aperçu du prochain tour de alumni (1 groupe)" in preview.text
    fit = "3 h en commun · autre région · 1 sujet commun · 1 chose à apprendre l’un·e de l’autre"
    assert f"Ana + Bruno : {fit}" in preview.text
    no_english(preview)

    sent = await talk.say("Fay", "/alumni match run")
    assert sent[0].text.startswith("Tour lancé pour alumni : 1 mise en relation en route.")
    # Ana reads Spanish and Bruno French: the one group message speaks the channel's Portuguese.
    [intro] = groups(sent)
    assert "👋 Seu par desta rodada: Ana (GBIF) e Bruno (OKF)" in intro.text
    assert (
        "Por que vocês: Vocês trabalham em organizações diferentes em partes diferentes do mundo"
        in intro.text
    )
    assert "Ana conhece licensing, que Bruno quer aprender" in intro.text
    assert "qua. 16:00 para Ana (Africa/Nairobi), qua. 10:00 para Bruno (America/Sao_Paulo)" in intro.text
    assert [b.label for b in intro.buttons()] == ["Outro horário"]
    no_english(intro)
    # Each also gets it privately in their own language, saying which language the group reads.
    copies = {
        s.item.to: s for s in sent if isinstance(s.item.to, Direct) and s.item.to != Direct(talk.ref("Fay"))
    }
    ana, bruno = copies[Direct(talk.ref("Ana"))], copies[Direct(talk.ref("Bruno"))]
    assert ana.text.startswith("El mismo mensaje en tu idioma: la conversación está en Português (Brasil).")
    assert "👋 Su emparejamiento de esta ronda: Ana (GBIF) y Bruno (OKF)" in ana.text
    assert "👋 Votre mise en relation de ce tour : Ana (GBIF) et Bruno (OKF)" in bruno.text
    assert [b.label for b in bruno.buttons()] == ["Un autre moment"]
    no_english(ana, bruno)

    [status] = await talk.say("Ana", "/alumni match status")
    assert "Emparejamientos: alumni, cada semana." in status.text
    assert "Esta ronda: te emparejé con Bruno." in status.text
    no_english(status)


async def test_a_pair_who_share_a_language_reads_its_round_in_it_and_each_answers_in_their_own(
    database: Database, clock: Clock
) -> None:
    settings = settings_with()
    talk = conversation(settings, database, clock)
    await joined(database, talk, {"Ana": "es", "Bruno": "es"})
    await talk.join("Fay")
    await speaks(database, talk, "Fay", "pt")
    chat = talk.chat
    runner = ScheduleRunner(database, talk.core.router, settings, clock)
    sent = await talk.say("Fay", "/alumni match run")
    [intro] = groups(sent)
    assert "👋 Su emparejamiento de esta ronda: Ana (GBIF) y Bruno (OKF)" in intro.text
    assert "Para empezar: Bruno, ¿qué te gustaría hacer con licensing?" in intro.text
    assert "🗓 Un horario para reunirse:" in intro.text and "mié, 16:00 para Ana" in intro.text
    no_english(intro)
    # Fay started the round: its progress, edited in place by the outbox, is in her Portuguese.
    [progress] = [s for s in sent if s.item.to == Direct(talk.ref("Fay"))]
    assert progress.text == "Enviando 1 apresentação…"
    *_, done = [s for s in chat.sent if isinstance(getattr(s.item, "to", None), Update)]
    assert done.text == "Enviada: 1 apresentação."

    [offer] = await talk.press("Ana", intro, "Otro horario")
    assert "Ana propone otro horario. Los demás, elijan uno:" in offer.text
    assert [b.label for b in offer.buttons()][:2] == ["Opción 1", "Opción 2"]
    no_english(offer)
    [chosen] = await talk.press("Bruno", offer, "Opción 1")
    assert "🗓 Bruno eligió:" in chosen.text
    no_english(chosen)

    clock.advance(days=7)  # halfway through a two-week round
    [checkin] = await fire(runner, chat)
    assert "Vamos por la mitad de la ronda: ¿se reunieron?" in checkin.text
    assert [b.label for b in checkin.buttons()] == ["Sí", "Todavía no", "No pudimos"]
    await speaks(database, talk, "Bruno", "fr")
    [thanks] = await talk.press("Bruno", checkin, "Sí")
    assert thanks.text == "Merci, c’est noté : « Oui »."
    [again] = await talk.press("Bruno", checkin, "No pudimos")
    assert again.text.startswith("Vous avez déjà répondu « Oui »")


@pytest.mark.parametrize(
    ("language", "notice", "paused"),
    [
        (
            "es",
            "No hay emparejamiento para ti en esta ronda de alumni",
            "En pausa: sin emparejamientos hasta el",
        ),
        (
            "fr",
            "Pas de mise en relation pour vous dans ce tour de alumni",
            "En pause : pas de mise en relation",
        ),
        ("pt", "Não houve par para você nesta rodada de alumni", "Pausado: sem pares até"),
    ],
)
async def test_the_member_left_out_hears_it_in_their_language(
    database: Database, clock: Clock, language: str, notice: str, paused: str
) -> None:
    talk = conversation(settings_with(), database, clock)
    await joined(database, talk, {"Ana": "en", "Bruno": "en", "Chen": language})
    await talk.say("Ana", "/alumni match avoid Chen")
    await talk.say("Bruno", "/alumni match avoid Chen")
    sent = await talk.say("Fay", "/alumni match run")
    [left_out] = [s for s in sent if s.item.to == Direct(talk.ref("Chen"))]
    assert left_out.text.startswith(notice)
    [pause] = await talk.say("Chen", "/alumni match pause 2")
    assert pause.text.startswith(paused)
    [wrong] = await talk.say("Chen", "/alumni match pause forever")
    assert wrong.text.endswith("/alumni match pause 2")
    [unknown] = await talk.say("Chen", "/alumni match dance")
    no_english(left_out, pause, wrong, unknown)


async def test_scheduled_rounds_speak_to_each_in_their_language_until_unanswered_ones_pause_them(
    database: Database, clock: Clock
) -> None:
    settings = settings_with()
    talk = conversation(settings, database, clock)
    await joined(database, talk, {"Ana": "fr", "Bruno": "pt"})
    await talk.join("Fay")
    await speaks(database, talk, "Fay", "es")
    [planned] = await talk.say("Fay", "/alumni match schedule alumni weekly")
    assert planned.text.startswith("Rondas para alumni cada semana, desde el ")
    runner = ScheduleRunner(database, talk.core.router, settings, clock)
    clock.advance(days=6)  # to Monday 09:00, when rounds start
    for _ in range(3):
        sent = await fire(runner, talk.chat)
        [progress] = [s for s in sent if s.item.to == Direct(talk.ref("Fay"))]
        assert progress.text == "Enviando 1 presentación…"  # the plan's owner reads Spanish
        [intro] = groups(sent)
        assert "You're matched this round" in intro.text  # French and Portuguese: the channel's English
        clock.advance(days=3.5)
        [checkin] = await fire(runner, talk.chat)
        assert "did you meet?" in checkin.text
        clock.advance(days=3.5)
    notices = [s for s in await fire(runner, talk.chat) if isinstance(s.item.to, Direct)]
    notices = [n for n in notices if not n.text.startswith(("Le même message", "A mesma mensagem"))]
    ana = next(n for n in notices if n.item.to == Direct(talk.ref("Ana")))
    bruno = next(n for n in notices if n.item.to == Direct(talk.ref("Bruno")))
    assert ana.text.startswith("Vous n’avez pas répondu aux 3 dernières mises en relation")
    assert bruno.text.startswith("Você não respondeu às últimas 3 apresentações")
    no_english(ana, bruno)
