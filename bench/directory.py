"""`/alumni find` at 10,000 members with mixed-script profiles, on SQLite and PostgreSQL.

Each database is filled through the unit of work (so the search index is written the way the
bot writes it), then 1-, 2- and 3-word queries run as `/alumni find` runs them: read the
query, rank one page in SQL, load the five people and say why each matched. Beside them, in
the same run and on the same tables, the baseline: a plain `LIKE '%word%'` scan of names,
organisations, roles, regions, bios and topic keys (what the directory did before, without
its ranking in Python). Figures: p50 and p99 in milliseconds, and people found.

    .venv/bin/python bench/directory.py [--members 10000] [--runs 200] [--sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.features.directory import PAGE_SIZE, WEIGHTS
from bot.text import fold
from storage.database import Database
from tests.support.databases import each_database

FIRST = [
    "Ana",
    "Ben",
    "Chen",
    "Amira",
    "Olga",
    "Priya",
    "Łukasz",
    "Søren",
    "José",
    "Grace",
    "Kwame",
    "Ngozi",
    "Mei",
    "Somchai",
    "Fatima",
    "Diego",
    "Aisha",
    "Tomás",
    "Ольга",
    "Иван",
    "Мария",
    "أميرة",
    "محمد",
    "فاطمة",
    "प्रिया",
    "राहुल",
    "陈伟",
    "李娜",
    "王芳",
    "สมชาย",
    "มาลี",
    "Nguyễn",
    "Zoë",
    "Björn",
]
LAST = [
    "Lima",
    "Okoro",
    "Wei",
    "Hassan",
    "Ivanova",
    "Sharma",
    "Żółw",
    "Østergaard",
    "Núñez",
    "Ng",
    "Mensah",
    "Adeyemi",
    "Zhang",
    "Kowalski",
    "Dubois",
    "Silva",
    "Иванов",
    "Смирнова",
    "حسن",
    "علي",
    "शर्मा",
    "वर्मा",
    "王",
    "李",
    "ใจดี",
    "Trần",
    "Müller",
]
PLACES = [
    "Nairobi",
    "Lagos",
    "Accra",
    "Kampala",
    "Dakar",
    "Cairo",
    "Tunis",
    "Mumbai",
    "Delhi",
    "Dhaka",
    "Jakarta",
    "Manila",
    "Bangkok",
    "Hanoi",
    "Lima",
    "Bogotá",
    "São_Paulo",
    "Mexico",
    "Santiago",
    "Kraków",
    "Łódź",
    "Oslo",
    "Berlin",
    "Madrid",
    "Москва",
    "Киев",
    "القاهرة",
    "الرباط",
    "मुंबई",
    "दिल्ली",
    "北京",
    "上海",
    "กรุงเทพ",
    "Seoul",
    "Tokyo",
    "Sydney",
    "Toronto",
    "Chicago",
]
KINDS = [
    "Open Data Institute", "Mapping Collective", "Civic Tech Lab", "Wikimedia Chapter", "Foundation",
    "Statistics Office", "University", "Городская лаборатория", "مختبر البيانات", "डेटा लैब", "数据实验室",
    "Transparency Network", "Health Data Hub", "Media Lab", "Library", "Code Club",
]  # fmt: skip
# Topics, the most common first: a member picks them with weights 1, 1/2, 1/3…
TOPICS = [
    "open data", "maps", "licensing", "community building", "APIs", "fundraising", "GIS", "open government",
    "data journalism", "statistics", "machine learning", "transparency", "biodiversity", "Open-Data",
    "data portals", "civic tech", "health data", "data licensing", "открытые данные", "карты",
    "اللغة العربية",
    "البيانات المفتوحة", "الخرائط", "डेटा विज्ञान", "खुला डेटा", "地图数据", "开放数据", "数据治理",
    "ข้อมูลเปิด", "แผนที่", "análisis de datos", "transport publiczny", "energy data", "OpenStreetMap",
    "Wikipedia", "Wikidata", "research software", "citizen science", "climate", "agriculture", "education",
    "public procurement", "budgets", "elections", "accessibility", "design", "translation", "Python", "R",
    "SQL", "web scraping", "privacy", "security", "governance", "policy", "advocacy", "training", "teaching",
    "volunteering", "event planning", "grant writing", "product management", "UX research", "visualisation",
    "satellite imagery", "drones", "water", "urban planning", "public transport", "gender", "youth",
    "indigenous knowledge", "archives", "libraries", "museums", "open access", "open science", "peer review",
    "лицензирование", "образование", "التعليم", "शिक्षा", "教育", "การศึกษา", "reproducibility", "ethics",
]  # fmt: skip
TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(TOPICS))]
LANGUAGES = ["English", "Français", "Español", "Português", "русский", "العربية", "हिन्दी", "中文", "ไทย"]
COUNTRIES = "KE NG BR IN CN RU EG TH PL DK ES GH ZA MX ID PH US DE FR AR VN BD CO PE UG TZ SN MA".split()  # noqa: SIM905
BIO_WORDS = [
    "I",
    "work",
    "on",
    "open",
    "data",
    "maps",
    "licensing",
    "for",
    "cities",
    "and",
    "communities",
    "with",
    "partners",
    "in",
    "health",
    "education",
    "climate",
    "budgets",
    "and",
    "elections",
    "across",
    "the",
    "region",
]
ROLES = ["Community manager", "Engineer", "Analyst", "Data programme lead", "Researcher", "Director", ""]
BATCH = 50  # members saved per unit of work
QUERIES = {
    1: ["data", "licensing", "licencing", "maps", "карты", "地图", "Kenya", "NG", "Ana", "ข้อมูล", "डेटा"],
    2: ["open data", "data licensing", "открытые данные", "community manager", "البيانات المفتوحة",
        "maps ke"],
    3: ["open data portals", "data licensing policy", "community building africa", "machine learning maps"],
}  # fmt: skip


def topics(rng: random.Random, most: int) -> list[str]:
    """Up to `most` topics, popular ones more often."""
    return list(dict.fromkeys(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(0, most))))


def profile(n: int, rng: random.Random) -> dict[str, object]:
    return {
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
        "organisation": f"{rng.choice(PLACES).replace('_', ' ')} {rng.choice(KINDS)}",
        "role": rng.choice(ROLES),
        "country": rng.choice(COUNTRIES),
        "bio": " ".join(rng.sample(BIO_WORDS, rng.randint(0, 8))),
        "expertise": topics(rng, 4) or [rng.choice(TOPICS)],
        "learning": topics(rng, 3),
        "language": rng.sample(LANGUAGES, rng.randint(1, 2)),
    }


async def fill(database: Database, members: int) -> None:
    rng, now = random.Random(12), datetime.now(UTC)
    for start in range(0, members, BATCH):
        async with database.unit_of_work() as uow:
            for n in range(start, min(members, start + BATCH)):
                p = profile(n, rng)
                person = await uow.people.add(
                    platform="bench", workspace="W", user_id=f"U{n}", display_name=str(p["name"]), now=now
                )
                person.organisation, person.role = str(p["organisation"]), str(p["role"])
                person.country, person.bio, person.profile_saved_at = str(p["country"]), str(p["bio"]), now
                for kind in ("expertise", "learning", "language"):
                    await uow.people.replace_tags(person, kind, list(p[kind]))  # type: ignore[call-overload]


async def find(database: Database, query: str) -> int:
    """What /alumni find does for the first page."""
    async with database.unit_of_work() as uow:
        plan = await uow.search.plan(query)
        page = await uow.search.ranked(plan, WEIGHTS, 0, PAGE_SIZE)
        await uow.people.get_many(page.person_ids)
        return page.total


async def like_scan(database: Database, query: str) -> int:
    """The baseline: any word anywhere, as a substring, by scanning."""
    patterns = {f"w{i}": f"%{word.lower()}%" for i, word in enumerate(query.split())}
    columns = ("display_name", "organisation", "role", "region", "bio")
    where = " OR ".join(
        [f"lower({c}) LIKE :{w}" for w in patterns for c in columns]
        + [f"id IN (SELECT person_id FROM profile_tags WHERE key LIKE :{w}k)" for w in patterns]
    )
    params = patterns | {f"{w}k": f"%{fold(p.strip('%'))}%" for w, p in patterns.items()}
    async with database.unit_of_work() as uow:
        sql = f"SELECT id FROM people WHERE profile_saved_at IS NOT NULL AND ({where})"
        return len((await uow.session.execute(text(sql), params)).all())


async def measure(database: Database, runs: int) -> None:
    for query in (q for queries in QUERIES.values() for q in queries):  # warm the caches once
        await find(database, query)
        await like_scan(database, query)
    for size, queries in QUERIES.items():
        for name, method in (("search", find), ("LIKE scan", like_scan)):
            timings, found = [], []
            for i in range(runs):
                query = queries[i % len(queries)]
                started = time.perf_counter()
                found.append(await method(database, query))
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p99 = timings[min(len(timings) - 1, int(0.99 * len(timings)))]
            print(
                f"  {size}-word  {name:<10} p50 {statistics.median(timings):7.1f} ms   p99 {p99:7.1f} ms"
                f"   people found (mean) {statistics.mean(found):7.0f}"
            )


async def run(url: str, label: str, members: int, runs: int) -> None:
    database = Database(url)
    await database.upgrade()
    started = time.perf_counter()
    await fill(database, members)
    print(f"{label}: {members} members indexed in {time.perf_counter() - started:.1f} s")
    await measure(database, runs)
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    args = parser.parse_args()
    for label, url in each_database("directory", args.sqlite):
        asyncio.run(run(url, label, args.members, args.runs))


if __name__ == "__main__":
    main()
