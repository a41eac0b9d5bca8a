"""The dashboard's HTML: pure functions, figures in, a page out. Every chart is an inline PNG
(no CDN, nothing fetched elsewhere) followed by the table it draws, for screen readers."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from bot.features.insights.access import DASHBOARD_PATH
from bot.features.insights.charts import Chart
from bot.features.insights.summary import hours, percent
from bot.i18n import N_, _, current_locale
from storage.insights import Figures, Scope

REPORT_PATH = f"{DASHBOARD_PATH}/report.zip"
LISTED = 20
DOWNLOAD = N_("Download the open-data report (ZIP)")
INSIGHTS = N_("Insights")
SIGN_IN_FIRST = N_("Sign in first")
DATA = N_("Data: {chart}")
FILTERS = N_("Filters")
COHORT = N_("Cohort")
PERIOD = N_("Period (a year like 2026 or a month like 2026-03)")
SHOW = N_("Show")

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
form { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; margin: 1rem 0; }
label { display: flex; flex-direction: column; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
figure { margin: 2rem 0 .5rem; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin-bottom: 1rem; }
th, td { border: 1px solid #767676; padding: .2rem .5rem; text-align: left; }
a:focus, button:focus, select:focus, input:focus { outline: 3px solid #0072B2; }
"""


def document(title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{escape(current_locale().language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def dashboard(figures: Figures, charts: list[Chart], cohorts: list[str]) -> str:
    scope = figures.scope
    title = _("Insights: {cohort}, {period}").format(
        cohort=scope.cohort or _("everyone"), period=scope.period.label
    )
    body = (
        f"<h1>{escape(title)}</h1>"
        + filters(cohorts, scope.cohort or "", scope.period.label)
        + f'<p><a href="{escape(report_link(scope))}" download>{escape(_(DOWNLOAD))}</a></p>'
        + heading(_("Headline figures"))
        + headline(figures)
        + heading(_("Where members are"))
        + table(_("Members by world region"), ("region", "members"), figures.members.by_region.items())
        + table(
            _("Members by organisation (the {count} largest)").format(count=LISTED),
            ("organisation", "members"),
            list(figures.members.by_organisation.items())[:LISTED],
        )
        + heading(_("Charts"))
        + "".join(chart_section(chart) for chart in charts)
    )
    return document(title, body)


def problem(message: str, cohorts: list[str], cohort: str, period: str) -> str:
    """The page again, saying what was wrong with the filters."""
    body = (
        f"<h1>{escape(_(INSIGHTS))}</h1>"
        + f'<p role="alert">{escape(message)}</p>'
        + filters(cohorts, cohort, period)
    )
    return document(_("Insights: check the filters"), body)


def refused(message: str) -> str:
    return document(
        _("Sign in to the insights dashboard"),
        f"<h1>{escape(_(SIGN_IN_FIRST))}</h1><p>{escape(message)}</p>",
    )


def filters(cohorts: list[str], cohort: str, period: str) -> str:
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == cohort else ""}>{escape(label)}</option>'
        for value, label in [("", _("Everyone")), *((c, c) for c in cohorts)]
    )
    return (
        f'<form method="get" action="{DASHBOARD_PATH}" aria-label="{escape(_(FILTERS))}">'
        f'<label for="cohort">{escape(_(COHORT))}'
        f'<select id="cohort" name="cohort">{options}</select></label>'
        f'<label for="period">{escape(_(PERIOD))}'
        f'<input id="period" name="period" value="{escape(period)}" required></label>'
        f'<button type="submit">{escape(_(SHOW))}</button></form>'
    )


def headline(figures: Figures) -> str:
    members, matching, intros = figures.members, figures.matching, figures.introductions
    gatherings, reminders = figures.gatherings, figures.reminders
    items = (
        (_("Members"), f"{members.total}"),
        (_("Joined in the period"), f"{sum(members.joined.values())}"),
        (_("Saved a profile in the period"), f"{sum(members.profiles.values())}"),
        (_("Global South share"), percent(members.global_south_share)),
        (_("Matching rounds"), f"{len(matching.rounds)}"),
        (_("Groups matched, met"), f"{matching.groups}, {matching.met} ({percent(matching.meeting_rate)})"),
        (_("New ties"), f"{sum(matching.new_ties.values())}"),
        (_("Members paused now"), f"{matching.paused}"),
        (
            _("Introductions asked, accepted, declined, expired"),
            f"{intros.asked}, {intros.accepted}, {intros.declined}, {intros.expired}",
        ),
        (_("Median time to answer an introduction"), hours(intros.median_hours_to_answer)),
        (_("Polls, participation"), f"{gatherings.polls}, {percent(gatherings.participation)}"),
        (_("Slot voters at an unsocial hour"), percent(gatherings.unsocial_share)),
        (
            _("Roundtables, going, maybe, came"),
            f"{gatherings.roundtables}, {gatherings.going}, {gatherings.maybe}, {gatherings.came}",
        ),
        (_("Reminders sent, late, missed"), f"{reminders.sent}, {reminders.late}, {reminders.missed}"),
    )
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items) + "</dl>"


def table(caption: str, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def chart_section(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode()
    return (
        f'<section aria-labelledby="{chart.name}-title">'
        f'<h3 id="{chart.name}-title">{escape(chart.title)}</h3>'
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(chart.alt)}" width="800" height="450">'
        f"</figure>{table(_(DATA).format(chart=chart.title), chart.columns, chart.rows)}</section>"
    )


def report_link(scope: Scope) -> str:
    query = {"period": scope.period.label} | ({"cohort": scope.cohort} if scope.cohort else {})
    return f"{REPORT_PATH}?{urlencode(query)}"
