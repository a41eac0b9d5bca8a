"""The open-data report: aggregate figures as CSV files described by a Frictionless
`datapackage.json` (Data Package v1, a Table Schema for each file), and the charts.

No row describes one person. A count below `[insights] min_count` is left empty (and a rate
whose whole is below it), so small groups cannot be re-identified; the charts are drawn from
these tables, a left-out count as nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.config import InsightsSettings
from bot.features.insights import charts
from bot.i18n import SOURCE, speaking
from storage.insights import Figures

KNOWN_LICENCES = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0"),
    "CC-BY-SA-4.0": (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Creative Commons Attribution Share-Alike 4.0",
    ),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    "ODbL-1.0": (
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "Open Data Commons Open Database License 1.0",
    ),
}

Value = str | int | float | None


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, date, yearmonth
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]


class Suppress:
    """Counts below the threshold become empty; zero says nothing about anyone and stays."""

    def __init__(self, min_count: int) -> None:
        self.min_count = min_count

    def count(self, value: int) -> int | None:
        return None if 0 < value < self.min_count else value

    def rate(self, part: int, whole: int) -> float | None:
        if whole < self.min_count or self.count(part) is None:
            return None
        return round(part / whole, 3)


def report_files(figures: Figures, settings: InsightsSettings, now: datetime) -> dict[str, bytes]:
    """Every file of the report by its path in the package."""
    tables = build_tables(figures, Suppress(settings.min_count))
    files = {f"{table.name}.csv": _csv(table) for table in tables}
    for name, png in _charts(figures, {t.name: t for t in tables}, settings.min_count).items():
        files[f"charts/{name}.png"] = png
    files["datapackage.json"] = json.dumps(_descriptor(figures, tables, settings, now), indent=2).encode()
    return files


def build_tables(figures: Figures, suppress: Suppress) -> list[Table]:
    members, matching = figures.members, figures.matching
    count = suppress.count
    month = Column("month", "yearmonth", "Calendar month (UTC)")
    return [
        Table(
            "members_per_month",
            "Members who joined, saved a profile and were active, per month",
            (
                month,
                Column("joined", "integer", "Members who joined"),
                Column("saved_profile", "integer", "Members who first saved their profile"),
                Column("active", "integer", "Members who did anything the bot keeps a time for"),
            ),
            [
                (m, count(members.joined[m]), count(members.profiles[m]), count(members.active[m]))
                for m in members.active
            ],
        ),
        _counts("members_by_region", "Members by world region", "region", members.by_region.items(), count),
        _counts(
            "members_by_organisation",
            "Members by organisation",
            "organisation",
            members.by_organisation.items(),
            count,
        ),
        Table(
            "matching_rounds",
            "Matching rounds: groups, and how many met (from check-ins)",
            (
                Column("round_start", "date", "Day the round started (UTC)"),
                Column("groups", "integer", "Pairs and trios matched"),
                Column("groups_met", "integer", "Groups where someone answered that they met"),
                Column("meeting_rate", "number", "Share of groups that met"),
            ),
            [
                (
                    r.starts_at.date().isoformat(),
                    count(r.groups),
                    count(r.met),
                    suppress.rate(r.met, r.groups),
                )
                for r in matching.rounds
            ],
        ),
        Table(
            "new_ties_per_month",
            "New ties (pairs meeting for the first time), across organisations and regions, per month",
            (
                month,
                Column("new_ties", "integer", "Pairs meeting for the first time"),
                Column("across_organisations", "integer", "New ties between different organisations"),
                Column("across_regions", "integer", "New ties between different world regions"),
            ),
            [
                (
                    m,
                    count(matching.new_ties[m]),
                    count(matching.cross_organisation[m]),
                    count(matching.cross_region[m]),
                )
                for m in matching.new_ties
            ],
        ),
        Table(
            "region_ties",
            "New ties between world regions",
            (
                Column("region_a", "string", "A world region"),
                Column("region_b", "string", "A world region (alphabetically after or equal to region_a)"),
                Column("new_ties", "integer", "New ties between the two"),
            ),
            [(a, b, count(n)) for (a, b), n in matching.region_matrix.items()],
        ),
        _summary(figures, suppress),
    ]


def _counts(
    name: str, title: str, key: str, items: Iterable[tuple[str, int]], count: Callable[[int], int | None]
) -> Table:
    return Table(
        name,
        title,
        (
            Column(key, "string", title.split(" by ")[-1].capitalize()),
            Column("members", "integer", "Members"),
        ),
        [(label, count(n)) for label, n in items],
    )


def _summary(figures: Figures, suppress: Suppress) -> Table:
    members, matching, intros = figures.members, figures.matching, figures.introductions
    gatherings, reminders = figures.gatherings, figures.reminders
    count, rate = suppress.count, suppress.rate
    answered = intros.accepted + intros.declined
    rows: list[tuple[Value, ...]] = [
        ("members", count(members.total)),
        ("global_south_share", rate(members.global_south, members.with_country)),
        ("matching_rounds", len(matching.rounds)),
        ("matched_groups", count(matching.groups)),
        ("meeting_rate", rate(matching.met, matching.groups)),
        ("members_paused", count(matching.paused)),
        ("introductions_asked", count(intros.asked)),
        ("introductions_accepted", count(intros.accepted)),
        ("introductions_declined", count(intros.declined)),
        ("introductions_expired", count(intros.expired)),
        (
            "median_hours_to_answer",
            None
            if answered < suppress.min_count or intros.median_hours_to_answer is None
            else round(intros.median_hours_to_answer, 1),
        ),
        ("polls", gatherings.polls),
        ("poll_participation", rate(gatherings.votes, gatherings.eligible)),
        ("unsocial_slot_share", rate(gatherings.unsocial, gatherings.slot_voters)),
        ("roundtables", gatherings.roundtables),
        ("roundtable_rsvps_going", count(gatherings.going)),
        ("roundtable_came", count(gatherings.came)),
        ("reminders_sent", count(reminders.sent)),
        ("reminders_late", count(reminders.late)),
        ("reminders_missed", count(reminders.missed)),
    ]
    return Table(
        "summary",
        "Headline figures",
        (Column("figure", "string", "What is counted"), Column("value", "number", "The figure")),
        rows,
    )


def _charts(figures: Figures, tables: dict[str, Table], min_count: int) -> dict[str, bytes]:
    """The charts drawn from the report's own tables, so they show no count the tables leave out.
    Like its schema, the published report is in English, whoever asks for it."""

    def title(name: str) -> str:
        with speaking(SOURCE):
            return f"{charts.titled(name, figures)} (counts below {min_count} not shown)"

    def shown(rows: Iterable[tuple[Value, ...]]) -> tuple[charts.Row, ...]:
        return tuple(tuple(0 if value is None else value for value in row) for row in rows)

    per_month = tables["members_per_month"].rows  # month, joined, saved_profile, active
    return {
        "participation": charts.draw_participation(
            title("participation"),
            shown((month, active, joined) for month, joined, _, active in per_month),
            SOURCE,
        ),
        "meeting_rate": charts.draw_meeting_rate(
            title("meeting_rate"), shown(tables["matching_rounds"].rows), SOURCE
        ),
        "new_ties": charts.draw_new_ties(title("new_ties"), shown(tables["new_ties_per_month"].rows), SOURCE),
        "region_matrix": charts.draw_region_matrix(
            title("region_matrix"), shown(tables["region_ties"].rows), SOURCE
        ),
    }


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    return out.getvalue().encode()


def _descriptor(
    figures: Figures, tables: list[Table], settings: InsightsSettings, now: datetime
) -> dict[str, object]:
    scope = figures.scope
    licence: dict[str, str] = {"name": settings.licence}
    if settings.licence in KNOWN_LICENCES:
        licence["path"], licence["title"] = KNOWN_LICENCES[settings.licence]
    slug = "".join(c if c.isalnum() else "-" for c in (scope.cohort or "everyone").lower())
    return {
        "profile": "tabular-data-package",
        "name": f"alumni-network-insights-{slug}-{scope.period.label}",
        "title": f"Alumni network insights: {scope.cohort or 'everyone'}, {scope.period.label}",
        "description": (
            "Aggregate figures on an alumni network's members, matches, introductions, roundtables and "
            f"reminders. Counts below {settings.min_count} are left empty so that small groups cannot be "
            "re-identified. Global South: UNCTAD's developing economies."
        ),
        "created": now.isoformat(timespec="seconds"),
        "licenses": [licence],
        "resources": [
            {
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "title": table.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description} for c in table.columns
                    ],
                    "missingValues": [""],
                },
            }
            for table in tables
        ],
    }
