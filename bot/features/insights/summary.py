"""The headline figures as a chat message, with the main chart."""

from __future__ import annotations

from bot.features.insights.charts import Chart
from bot.messages import Field, Image, Link, Message, Note, Section, Strong
from storage.insights import Figures


def headline(figures: Figures, chart: Chart, dashboard: str) -> Message:
    members, matching, intros = figures.members, figures.matching, figures.introductions
    gatherings, reminders = figures.gatherings, figures.reminders
    scope = figures.scope
    fields = (
        Field(
            "Members",
            (
                f"{members.total} in all, {sum(members.joined.values())} joined, "
                f"{sum(members.profiles.values())} saved a profile; Global South "
                f"{percent(members.global_south_share)} of those who gave a country",
            ),
        ),
        Field("Active", (f"{max(members.active.values(), default=0)} members in the busiest month",)),
        Field(
            "Matching",
            (
                f"{len(matching.rounds)} rounds, {matching.groups} groups, {matching.met} met "
                f"({percent(matching.meeting_rate)}); {sum(matching.new_ties.values())} new ties, "
                f"{sum(matching.cross_organisation.values())} across organisations, "
                f"{sum(matching.cross_region.values())} across regions; {matching.paused} paused now",
            ),
        ),
        Field(
            "Introductions",
            (
                f"{intros.asked} asked, {intros.accepted} accepted, {intros.declined} declined, "
                f"{intros.expired} expired; answered in {hours(intros.median_hours_to_answer)} (median)",
            ),
        ),
        Field(
            "Polls and roundtables",
            (
                f"{gatherings.polls} polls, participation {percent(gatherings.participation)}; "
                f"{percent(gatherings.unsocial_share)} of slot voters at an unsocial hour; "
                f"{gatherings.roundtables} roundtables, {gatherings.going} going, {gatherings.came} came",
            ),
        ),
        Field("Reminders", (f"{reminders.sent} sent, {reminders.late} late, {reminders.missed} missed",)),
    )
    return Message(
        (
            Section((Strong(f"Insights: {scope.cohort or 'everyone'}, {scope.period.label}"),), fields),
            Image(
                chart.png,
                f"insights-{chart.name}-{slug(scope.cohort or 'everyone')}-{scope.period.label}.png",
                chart.alt,
            ),
            Section(
                (
                    Link(dashboard, "Open the dashboard"),
                    " for every figure and chart (your personal link: it works once, within 15 minutes).",
                )
            ),
            Note(("Figures count the rows as they are now: members who used forget-me are not in them.",)),
        )
    )


def slug(name: str) -> str:
    """A cohort's name as part of a file name."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "cohort"


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def hours(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} h"
