"""`/alumni find` in every script: one table of queries and the exact people they find, run
on SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm) alike, so both engines agree."""

from __future__ import annotations

import pytest

from bot.messages import Section, Strong
from tests.support.chat import Conversation

PEOPLE = {
    "Ana Lima": dict(
        organisation="GBIF",
        country="Brazil",
        timezone="America/Sao_Paulo",
        role="Community manager",
        expertise="Open-Data, licensing",
    ),
    "Ben Okoro": dict(
        organisation="OpenStreetMap",
        country="Nigeria",
        timezone="Africa/Lagos",
        role="Engineer",
        expertise="maps",
        learning="open data",
    ),
    "Grace Ng": dict(
        organisation="Kenya Open Data",
        country="Kenya",
        timezone="Africa/Nairobi",
        role="Analyst",
        expertise="fundraising",
        bio="I manage licensing for our datasets.",
    ),
    "Ольга Иванова": dict(
        organisation="Открытые данные",
        country="RU",
        timezone="Europe/Moscow",
        expertise="открытые данные, карты",
        languages="русский, English",
    ),
    "أميرة حسن": dict(
        organisation="Open Knowledge Egypt",
        country="Egypt",
        timezone="Africa/Cairo",
        expertise="البيانات المفتوحة",
        languages="العربية",
    ),
    "Priya Sharma": dict(
        organisation="DataKind India",
        country="India",
        timezone="Asia/Kolkata",
        expertise="डेटा विज्ञान, opendata",
    ),
    "陈伟": dict(
        organisation="MusicBrainz",
        country="China",
        timezone="Asia/Shanghai",
        expertise="地图数据、音乐元数据",
    ),
    "Łukasz Żółw": dict(
        organisation="Fundacja Łódź",
        country="Poland",
        timezone="Europe/Warsaw",
        expertise="transport publiczny",
    ),
    "Søren Østergaard": dict(
        organisation="Ørsted Data",
        country="Denmark",
        timezone="Europe/Copenhagen",
        expertise="energy data",
    ),
    "José Núñez": dict(
        organisation="Ciência Aberta",
        country="Spain",
        timezone="Europe/Madrid",
        expertise="análisis de datos",
    ),
    "สมชาย ใจดี": dict(
        organisation="Open Data Thailand",
        country="Thailand",
        timezone="Asia/Bangkok",
        expertise="ข้อมูลเปิด",
    ),
}

OPEN_DATA = ("Ana Lima", "Priya Sharma", "Grace Ng", "สมชาย ใจดี", "Ben Okoro")
# query -> the people found, best first
TABLE = [
    # one topic spelled three ways finds the same people; expertise outranks organisation,
    # which outranks wanting to learn
    *((spelling, [*OPEN_DATA]) for spelling in ("open data", "open-data", "opendata", "Open Data")),
    ("licensing", ["Ana Lima", "Grace Ng"]),
    ("licencing", ["Ana Lima", "Grace Ng"]),  # a near spelling
    # short words match whole words only; two letters also a country code
    ("NG", ["Grace Ng", "Ben Okoro"]),  # a name outranks a country
    ("Ana", ["Ana Lima"]),
    ("ke", ["Grace Ng"]),
    ("manager", ["Ana Lima", "Grace Ng"]),  # Grace's bio says "manage", a near spelling
    ("latin america", ["Ana Lima"]),
    # Latin with accents, typed with or without them
    ("José", ["José Núñez"]),
    ("jose nunez", ["José Núñez"]),
    ("analisis", ["José Núñez"]),
    ("ciencia", ["José Núñez"]),
    # Polish Ł and Danish Ø are spelled as plain letters
    ("Łódź", ["Łukasz Żółw"]),
    ("lodz", ["Łukasz Żółw"]),
    ("zolw", ["Łukasz Żółw"]),
    ("Ørsted", ["Søren Østergaard"]),
    ("soren", ["Søren Østergaard"]),
    # Cyrillic
    ("открытые данные", ["Ольга Иванова"]),
    ("карты", ["Ольга Иванова"]),
    ("Ольга", ["Ольга Иванова"]),
    ("русский", ["Ольга Иванова"]),
    # Arabic, with or without its optional vowel marks
    ("البيانات", ["أميرة حسن"]),
    ("البَيانات المفتوحة", ["أميرة حسن"]),
    ("اميرة", ["أميرة حسن"]),
    # Devanagari keeps its vowel signs
    ("डेटा", ["Priya Sharma"]),
    ("विज्ञान", ["Priya Sharma"]),
    # Chinese and Thai have no spaces: any part of a run matches
    ("地图", ["陈伟"]),
    ("数据", ["陈伟"]),
    ("地图数据", ["陈伟"]),
    ("元数据", ["陈伟"]),
    ("陈伟", ["陈伟"]),
    ("ข้อมูล", ["สมชาย ใจดี"]),
    ("ข้อมูลเปิด", ["สมชาย ใจดี"]),
    # every word must match somewhere in the profile
    ("maps nigeria", ["Ben Okoro"]),
    ("maps kenya", []),
    ("astrophysics", []),
]


@pytest.fixture
async def network(talk: Conversation) -> Conversation:
    for name, fields in PEOPLE.items():
        await talk.set_up_profile(name, **fields)
    return talk


def found(sent_text: str, blocks: tuple[object, ...]) -> list[str]:
    if sent_text.startswith("No one matches"):
        return []
    names = []
    for block in blocks[1:]:
        if isinstance(block, Section) and isinstance(block.text[0], Strong):
            headline = block.text[0].text
            names.append(next(name for name in PEOPLE if headline.startswith(name)))
    return names


async def test_every_script_finds_exactly_the_expected_people(network: Conversation) -> None:
    wrong = {}
    for query, expected in TABLE:
        sent = (await network.say("Ana Lima", f"/alumni find {query}"))[0]
        got = found(sent.text, sent.message.blocks)
        if got != expected:
            wrong[query] = got
    assert wrong == {}, "\n".join(f"{q!r}: {g}" for q, g in wrong.items())


async def test_each_result_says_why_it_matched(network: Conversation) -> None:
    text = (await network.say("Ana Lima", "/alumni find open data"))[0].text
    assert "Matched: can help with: Open-Data" in text
    assert "wants to learn: open data" in text
    grace = (await network.say("Ana Lima", "/alumni find NG"))[0].text
    assert "Matched: name: Grace Ng" in grace and "Matched: country: Nigeria" in grace
    assert (
        "Matched: bio: I manage licensing"
        in (await network.say("Ana Lima", "/alumni find licensing"))[0].text
    )


async def test_an_edited_profile_is_found_by_its_new_topics_only(network: Conversation) -> None:
    await network.set_up_profile("Ben Okoro", organisation="OpenStreetMap", expertise="地理信息")
    assert "Ben Okoro" not in (await network.say("Ana Lima", "/alumni find maps"))[0].text
    assert "Ben Okoro" in (await network.say("Ana Lima", "/alumni find 地理"))[0].text


async def test_symbols_alone_are_not_a_search(network: Conversation) -> None:
    sent = (await network.say("Ana Lima", "/alumni find 🎉"))[0]
    assert "letters or numbers" in sent.text and sent.visible_to(network.ref("Ana Lima"))
