"""The dashboard in a real browser: Debian's chromium driven by Playwright. Skipped, saying
why, where no chromium is installed (`apt-get install chromium`; CI installs it)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright, expect

from storage.database import Database
from tests.insights.history import build
from tests.insights.test_dashboard_access import link_for
from tests.support.chat import Clock, Conversation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason=f"no Chromium at {CHROMIUM}: apt-get install chromium to test the dashboard in a browser",
)


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield browser
        finally:
            await browser.close()


async def test_sign_in_see_the_charts_and_change_the_cohort(
    chromium: Browser, site: str, talk: Conversation, database: Database
) -> None:
    await build(database)
    page = await chromium.new_page()
    await page.goto(await link_for(talk))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Insights: everyone, 2026")
    charts = page.get_by_role("img")
    await expect(charts).to_have_count(4)
    for index in range(4):
        assert await charts.nth(index).evaluate("image => image.complete && image.naturalWidth") == 800
    await expect(page.get_by_role("table")).to_have_count(6)  # behind each chart, and where members are
    active = page.get_by_role("table", name="Data: Active members per month, everyone, 2026")
    await expect(active.get_by_role("row", name="2026-03 4 1")).to_be_visible()
    await expect(page.get_by_role("table", name="Members by world region")).to_contain_text("Africa")

    await page.get_by_label("Cohort").select_option("alumni")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Insights: alumni, 2026")
    assert "cohort=alumni" in page.url

    async with page.expect_download() as download:
        await page.get_by_role("link", name="Download the open-data report (ZIP)").click()
    assert (await download.value).suggested_filename == "alumni-insights-2026.zip"


async def test_refused_without_a_session_and_with_an_expired_link(
    chromium: Browser, site: str, talk: Conversation, clock: Clock
) -> None:
    stranger = await chromium.new_page()
    response = await stranger.goto(f"{site}/insights")
    assert response is not None and response.status == 403
    await expect(stranger.get_by_role("heading", level=1)).to_have_text("Sign in first")

    link = await link_for(talk)
    clock.advance(minutes=16)
    late = await chromium.new_page()
    response = await late.goto(link)
    assert response is not None and response.status == 403
    await expect(late.get_by_text("This link has expired or was used already")).to_be_visible()
