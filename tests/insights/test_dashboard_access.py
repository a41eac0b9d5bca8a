"""Who gets into the dashboard, over HTTP: a facilitator's link works once, within 15 minutes,
and opens a session that expires; nobody else gets a page."""

from __future__ import annotations

import io
import re
import zipfile

import aiohttp

from adapters import web
from adapters.runtime import Runtime
from bot.config import Settings
from bot.core import Core
from bot.messages import Link
from storage.database import Database
from tests.insights.history import build
from tests.support.chat import Clock, Conversation
from tests.support.network import free_port


async def link_for(talk: Conversation, name: str = "Fay") -> str:
    [answer] = await talk.say(name, "/alumni insights 2026")
    [link] = [p for b in answer.message.blocks for p in getattr(b, "text", ()) if isinstance(p, Link)]
    return link.url


def browser() -> aiohttp.ClientSession:
    # unsafe: keep cookies for an IP address (127.0.0.1), as a browser does.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_a_link_signs_in_once_and_the_session_cookie_is_guarded(
    site: str, talk: Conversation, database: Database
) -> None:
    await build(database)
    link = await link_for(talk)
    assert link.startswith(f"{site}/insights/sign-in?token=")
    async with browser() as http:
        async with http.get(link, allow_redirects=False) as signed:
            assert signed.status == 303 and signed.headers["Location"] == "/insights?period=2026"
            cookie = signed.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/insights" in cookie
        assert "Secure" not in cookie  # plain http on 127.0.0.1
        async with http.get(f"{site}/insights?period=2026") as page:
            text = await page.text()
            assert page.status == 200 and "<h1>Insights: everyone, 2026</h1>" in text
        assert len(re.findall(r'<img src="data:image/png;base64,', text)) == 4
        assert (
            text.count("<table>") == 6
            and "<td>Africa</td><td>1</td>" in text
            and "https://" not in text.replace("https://creativecommons", "")
        )
        async with http.get(f"{site}/insights?cohort=ALUMNI&period=2026-03") as page:
            assert "<h1>Insights: alumni, 2026-03</h1>" in await page.text()
        async with http.get(f"{site}/insights?period=2026-13") as page:
            assert page.status == 400 and "I can&#x27;t read the period" in await page.text()
        async with http.get(f"{site}/insights/report.zip?period=2026") as report:
            files = zipfile.ZipFile(io.BytesIO(await report.read())).namelist()
        assert "datapackage.json" in files and "charts/participation.png" in files
    async with browser() as other:
        async with other.get(link) as again:
            assert again.status == 403 and "expired or was used already" in await again.text()
        for path in ("/insights", "/insights/report.zip?period=2026"):
            async with other.get(site + path) as refused:
                assert refused.status == 403


async def test_links_and_sessions_expire(site: str, talk: Conversation, clock: Clock) -> None:
    late = await link_for(talk)
    clock.advance(minutes=15, seconds=1)
    async with browser() as http:
        async with http.get(late) as refused:
            assert refused.status == 403
        async with http.get(await link_for(talk)) as page:
            assert page.status == 200
        clock.advance(hours=8, seconds=1)
        async with http.get(f"{site}/insights") as expired:
            assert expired.status == 403 and "for facilitators who signed in" in await expired.text()


async def test_behind_https_the_cookie_is_secure(site: str, talk: Conversation) -> None:
    async with browser() as http:
        headers = {"X-Forwarded-Proto": "https"}
        async with http.get(await link_for(talk), allow_redirects=False, headers=headers) as signed:
            assert "Secure" in signed.headers["Set-Cookie"]


async def test_a_session_ends_when_its_facilitator_uses_forget_me(site: str, talk: Conversation) -> None:
    async with browser() as http:
        async with http.get(await link_for(talk)) as page:
            assert page.status == 200
        confirm = (await talk.say("Fay", "/alumni forget-me"))[0]
        await talk.press("Fay", confirm, "Delete my data")
        async with http.get(f"{site}/insights", allow_redirects=False) as refused:
            assert refused.status == 403 and "for facilitators who signed in" in await refused.text()
            assert 'alumni_insights=""' in refused.headers["Set-Cookie"]  # the browser forgets it


async def test_a_session_ends_when_its_member_is_no_facilitator_any_more(
    site: str, talk: Conversation, database: Database, core: Core
) -> None:
    async with browser() as http:
        async with http.get(await link_for(talk)) as page:
            assert page.status == 200
        # The bot restarted with Fay no longer among the facilitators.
        runtime = Runtime(Settings(), database, core)
        other = free_port()
        runner = await web.start(
            web.web_app(runtime, web.Platform("test", web.always_connected)), "127.0.0.1", other
        )
        try:
            async with http.get(f"http://127.0.0.1:{other}/insights") as refused:
                assert refused.status == 403
        finally:
            await runner.cleanup()
        async with http.get(f"{site}/insights") as ended:
            assert ended.status == 403  # ended for good, not only refused there


async def test_the_dashboard_speaks_the_facilitators_language(site: str, talk: Conversation) -> None:
    await talk.say("Fay", "/alumni language fr")
    async with browser() as http:
        async with http.get(await link_for(talk)) as page:
            text = await page.text()
        assert '<html lang="fr">' in text and "<h1>Indicateurs : tout le monde, 2026</h1>" in text
        assert "Télécharger le rapport en données ouvertes (ZIP)" in text
