"""The headline figures as a chat message, with the main chart."""

from __future__ import annotations

from babel.numbers import format_percent

from bot.features.insights.charts import Chart
from bot.i18n import _, current_locale, number
from bot.messages import Field, Image, Link, Message, Note, Section, Strong, filled
from storage.insights import Figures


def headline(figures: Figures, chart: Chart, dashboard: str) -> Message:
    members, matching, intros = figures.members, figures.matching, figures.introductions
    gatherings, reminders = figures.gatherings, figures.reminders
    scope = figures.scope
    fields = (
        Field(
            _("Members"),
            (
                _(
                    "in all: {total}; joined: {joined}; saved a profile: {profiles}; Global South: "
                    "{south} of those who gave a country"
                ).format(
                    total=members.total,
                    joined=sum(members.joined.values()),
                    profiles=sum(members.profiles.values()),
                    south=percent(members.global_south_share),
                ),
            ),
        ),
        Field(
            _("Active"),
            (_("in the busiest month: {count}").format(count=max(members.active.values(), default=0)),),
        ),
        Field(
            _("Matching"),
            (
                _(
                    "rounds: {rounds}; groups: {groups}; met: {met} ({rate}); new ties: {ties}, across "
                    "organisations: {organisations}, across regions: {regions}; paused now: {paused}"
                ).format(
                    rounds=len(matching.rounds),
                    groups=matching.groups,
                    met=matching.met,
                    rate=percent(matching.meeting_rate),
                    ties=sum(matching.new_ties.values()),
                    organisations=sum(matching.cross_organisation.values()),
                    regions=sum(matching.cross_region.values()),
                    paused=matching.paused,
                ),
            ),
        ),
        Field(
            _("Introductions"),
            (
                _(
                    "asked: {asked}; accepted: {accepted}; declined: {declined}; expired: {expired}; "
                    "median time to answer: {wait}"
                ).format(
                    asked=intros.asked,
                    accepted=intros.accepted,
                    declined=intros.declined,
                    expired=intros.expired,
                    wait=hours(intros.median_hours_to_answer),
                ),
            ),
        ),
        Field(
            _("Polls and roundtables"),
            (
                _(
                    "polls: {polls}, participation {participation}; slot voters at an unsocial hour: "
                    "{unsocial}; roundtables: {roundtables}, going: {going}, came: {came}"
                ).format(
                    polls=gatherings.polls,
                    participation=percent(gatherings.participation),
                    unsocial=percent(gatherings.unsocial_share),
                    roundtables=gatherings.roundtables,
                    going=gatherings.going,
                    came=gatherings.came,
                ),
            ),
        ),
        Field(
            _("Reminders"),
            (
                _("sent: {sent}; late: {late}; missed: {missed}").format(
                    sent=reminders.sent, late=reminders.late, missed=reminders.missed
                ),
            ),
        ),
    )
    title = _("Insights: {cohort}, {period}").format(
        cohort=scope.cohort or _("everyone"), period=scope.period.label
    )
    return Message(
        (
            Section((Strong(title),), fields),
            Image(
                chart.png,
                f"insights-{chart.name}-{slug(scope.cohort or 'everyone')}-{scope.period.label}.png",
                chart.alt,
            ),
            Section(
                filled(
                    _(
                        "{dashboard} for every figure and chart (your personal link: it works once, "
                        "within 15 minutes)."
                    ),
                    dashboard=Link(dashboard, _("Open the dashboard")),
                )
            ),
            Note((_("Figures count the rows as they are now: members who used forget-me are not in them."),)),
        )
    )


def slug(name: str) -> str:
    """A cohort's name as part of a file name."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "cohort"


def percent(share: float | None) -> str:
    return _("n/a") if share is None else format_percent(share, locale=current_locale())


def hours(value: float | None) -> str:
    return _("n/a") if value is None else _("{hours} h").format(hours=number(round(value, 1)))
