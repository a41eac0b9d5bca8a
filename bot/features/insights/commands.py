"""`/alumni insights [cohort] [period]`: the headline figures and the main chart, for facilitators."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.features.insights import charts
from bot.features.insights.summary import headline
from bot.router import Feature, Param
from storage.insights import Period, Scope, cohort_names, figures

feature = Feature("insights")

EXAMPLE = "/alumni insights alumni 2026"


@feature.command(
    "insights",
    summary="See whether the network works: figures and a chart on members, matches and more",
    usage="insights [cohort] [period]",
    examples=("/alumni insights", "/alumni insights alumni 2026", "/alumni insights 2026-03"),
    params=(
        Param("cohort", "A cohort's name; everyone when left out", required=False),
        Param("period", "A year (2026) or a month (2026-03); this year when left out", required=False),
    ),
    details="A period alone counts everyone; a cohort named like a year needs the period too.",
    facilitator_only=True,
)
async def insights(ctx: Context, args: str) -> None:
    scope = await read_scope(ctx, args)
    found = await figures(ctx.uow.session, scope)
    ctx.reply(headline(found, charts.participation(found)))


async def read_scope(ctx: Context, args: str) -> Scope:
    """ "[cohort] [period]": the last word is the period when it reads as one."""
    words = args.split()
    period = Period.parse(words[-1]) if words else None
    if period is None:
        period = Period.parse(str(ctx.now().year))
        assert period is not None
    else:
        words = words[:-1]
    cohort = " ".join(words) or None
    if cohort is None:
        return Scope(period, ctx.now())
    known = await cohort_names(ctx.uow.session)
    found = next((name for name in known if name.casefold() == cohort.casefold()), None)
    if found is None:
        listed = ", ".join(known) or "none yet"
        raise UserError(
            f"I don't know the cohort \u201c{cohort}\u201d (cohorts: {listed}). "
            "A period is a year like 2026 or a month like 2026-03.",
            EXAMPLE,
        )
    return Scope(period, ctx.now(), found)
