"""The dashboard's pages on the bot's own web server (adapters.web), in every mode.

/insights/sign-in spends a link from `/alumni insights` and opens a session (a cookie:
HttpOnly, SameSite=Lax, Secure behind HTTPS, lasting `[insights] session_hours`); every other
page answers 403 without a valid session."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

from aiohttp import web

from adapters.dashboard import page
from adapters.runtime import Runtime
from bot.errors import UserError
from bot.features.insights.access import DASHBOARD_PATH, SIGN_IN_PATH, still_facilitator
from bot.features.insights.charts import all_charts
from bot.features.insights.report import report_files
from bot.features.insights.scopes import scope_of
from bot.i18n import N_, _, language_of, speaking
from storage.insights import Figures, cohort_names, figures

COOKIE = "alumni_insights"
# Nothing but this page's own style and inline charts; forms only back to the bot.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'"


USED_LINK = N_(
    "This link has expired or was used already. Ask for a new link with /alumni insights in chat "
    "(facilitators only)."
)
NO_SESSION = N_(
    "This page is for facilitators who signed in. Ask for a new link with /alumni insights in chat "
    "(facilitators only)."
)


def dashboard_routes(runtime: Runtime) -> list[web.RouteDef]:
    database, settings, clock = runtime.database, runtime.settings, runtime.core.clock

    async def sign_in(request: web.Request) -> web.Response:
        now = clock.now()
        async with database.unit_of_work() as uow:
            person_id = await uow.dashboard_passes.spend_link(request.query.get("token", ""), now)
            if person_id is None:
                with speaking(settings.bot.default_language):
                    return _html(page.refused(_(USED_LINK)), 403)
            await uow.dashboard_passes.prune(now)
            lifetime = timedelta(hours=settings.insights.session_hours)
            secret = await uow.dashboard_passes.issue("session", person_id, now + lifetime)
        filters = {k: v for k, v in request.query.items() if k in ("cohort", "period")}
        response = web.HTTPSeeOther(f"{DASHBOARD_PATH}?{urlencode(filters)}")
        # A proxy in front says so; trusting it can only make the cookie stricter.
        secure = (
            request.secure
            or request.headers.get("X-Forwarded-Proto", "") == "https"
            or settings.insights.dashboard_url.startswith("https://")
        )
        response.set_cookie(
            COOKIE,
            secret,
            max_age=int(lifetime.total_seconds()),
            path=DASHBOARD_PATH,
            httponly=True,
            secure=secure,
            samesite="Lax",
        )
        return response

    async def signed_in(request: web.Request) -> str | None:
        """The language of the member of a valid session, who still exists and is still a
        facilitator; None (and any other session ended) otherwise."""
        secret = request.cookies.get(COOKIE, "")
        async with database.unit_of_work() as uow:
            found = await uow.dashboard_passes.session_accounts(secret, clock.now())
            if found is not None and still_facilitator(found[1], settings.facilitators):
                person = await uow.people.get(found[0])
                if person is not None:
                    return language_of(person, settings)
            await uow.dashboard_passes.end(secret)
            return None

    async def read(request: web.Request) -> Figures | web.Response:
        """The figures the filters ask for, or the page saying what is wrong."""
        cohort, period = request.query.get("cohort", ""), request.query.get("period", "")
        async with database.unit_of_work() as uow:
            try:
                scope = await scope_of(uow.session, cohort, period, clock.now())
            except UserError as error:
                return _html(
                    page.problem(error.problem, await cohort_names(uow.session), cohort, period), 400
                )
            return await figures(uow.session, scope)

    def refused() -> web.Response:
        with speaking(settings.bot.default_language):
            response = _html(page.refused(_(NO_SESSION)), 403)
        response.del_cookie(COOKIE, path=DASHBOARD_PATH)
        return response

    async def dashboard(request: web.Request) -> web.Response:
        language = await signed_in(request)
        if language is None:
            return refused()
        with speaking(language):
            found = await read(request)
            if isinstance(found, web.Response):
                return found
            async with database.unit_of_work() as uow:
                cohorts = await cohort_names(uow.session)
            # Drawing takes a while: off the event loop, which also serves the chat platform.
            charts = await asyncio.to_thread(all_charts, found)
            return _html(page.dashboard(found, charts, cohorts))

    async def report(request: web.Request) -> web.Response:
        language = await signed_in(request)
        if language is None:
            return refused()
        with speaking(language):
            found = await read(request)
        if isinstance(found, web.Response):
            return found
        files = await asyncio.to_thread(report_files, found, settings.insights, clock.now())
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for name, data in files.items():
                zipped.writestr(name, data)
        name = f"alumni-insights-{found.scope.period.label}.zip"
        return web.Response(
            body=archive.getvalue(),
            content_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return [
        web.get(SIGN_IN_PATH, sign_in),
        web.get(DASHBOARD_PATH, dashboard),
        web.get(page.REPORT_PATH, report),
    ]


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": POLICY,
        },
    )
