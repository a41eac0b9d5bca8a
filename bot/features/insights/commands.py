"""`/alumni insights [cohort] [period]`: the headline figures and the main chart, for facilitators."""

from __future__ import annotations

import asyncio

from bot.context import Context
from bot.features.insights import charts
from bot.features.insights.access import LINK_LIFETIME, sign_in_url
from bot.features.insights.scopes import scope_of
from bot.features.insights.summary import headline
from bot.i18n import N_
from bot.router import Feature, Param
from storage.insights import Period, Scope, figures

feature = Feature("insights")


@feature.command(
    "insights",
    summary=N_("See whether the network works: figures and a chart on members, matches and more"),
    usage=N_("insights [cohort] [period]"),
    examples=("/alumni insights", "/alumni insights alumni 2026", "/alumni insights 2026-03"),
    params=(
        Param("cohort", N_("A cohort's name; everyone when left out"), required=False),
        Param("period", N_("A year (2026) or a month (2026-03); this year when left out"), required=False),
    ),
    details=N_("A period alone counts everyone; a cohort named like a year needs the period too."),
    facilitator_only=True,
)
async def insights(ctx: Context, args: str) -> None:
    scope = await read_scope(ctx, args)
    found = await figures(ctx.uow.session, scope)
    secret = await ctx.uow.dashboard_passes.issue("link", ctx.person.id, ctx.now() + LINK_LIFETIME)
    # Drawing is CPU work: off the event loop, which must stay free to acknowledge platforms in time.
    chart = await asyncio.to_thread(charts.participation, found)
    ctx.reply(headline(found, chart, sign_in_url(ctx.settings, secret, scope)))


async def read_scope(ctx: Context, args: str) -> Scope:
    """ "[cohort] [period]": the last word is the period when it reads as one."""
    words = args.split()
    if words and Period.parse(words[-1]) is not None:
        return await scope_of(ctx.uow.session, " ".join(words[:-1]), words[-1], ctx.now())
    return await scope_of(ctx.uow.session, args, "", ctx.now())
