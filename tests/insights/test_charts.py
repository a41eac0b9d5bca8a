"""The charts: PNGs of sensible size, the same bytes for the same figures, tables that match."""

from __future__ import annotations

import struct

from bot.features.insights import charts as charts_module
from bot.features.insights.charts import all_charts
from bot.i18n import speaking
from storage.database import Database
from storage.insights import Period, Scope, figures
from tests.insights.history import NOW, build

PNG = b"\x89PNG\r\n\x1a\n"


def dimensions(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


async def test_every_chart_is_a_small_labelled_png_drawn_the_same_way_twice(database: Database) -> None:
    await build(database)
    period = Period.parse("2026")
    assert period is not None
    async with database.unit_of_work() as uow:
        found = await figures(uow.session, Scope(period, NOW))
    charts = all_charts(found)
    assert [c.name for c in charts] == ["participation", "meeting_rate", "new_ties", "region_matrix"]
    for chart in charts:
        assert chart.png.startswith(PNG)
        assert 5_000 < len(chart.png) < 200_000
        assert dimensions(chart.png) == (800, 450)
        assert "2026" in chart.title and chart.alt
    # Drawn again from scratch (not from the cache of drawn charts), each is the same bytes.
    drawings = [charts_module.draw_participation, charts_module.draw_meeting_rate]
    drawings += [charts_module.draw_new_ties, charts_module.draw_region_matrix]
    for chart, draw in zip(charts, drawings, strict=True):
        assert draw.__wrapped__(chart.title, chart.rows, "en") == chart.png
    participation, meeting_rate, new_ties, matrix = charts
    assert participation.rows[2] == ("2026-03", 4, 1)
    assert meeting_rate.rows == (("2026-02-02", 2, 1, 0.5), ("2026-03-02", 2, 1, 0.5))
    assert new_ties.rows[2] == ("2026-03", 3, 2, 3)
    assert ("Africa", "Asia", 1) in matrix.rows


async def test_an_empty_period_still_draws_every_chart(database: Database) -> None:
    period = Period.parse("2020")
    assert period is not None
    async with database.unit_of_work() as uow:
        found = await figures(uow.session, Scope(period, NOW))
    for chart in all_charts(found):
        assert chart.png.startswith(PNG)


async def test_charts_speak_the_readers_language(database: Database) -> None:
    await build(database)
    period = Period.parse("2026")
    assert period is not None
    async with database.unit_of_work() as uow:
        found = await figures(uow.session, Scope(period, NOW))
    english = all_charts(found)
    with speaking("es"):
        spanish = all_charts(found)
    assert spanish[2].title.startswith("Vínculos nuevos por mes, ")
    assert spanish[2].alt.startswith("Gráfico de barras de los vínculos nuevos por mes: ")
    # Labels inside the image are translated too, and a language is not served another's drawing.
    assert all(es.png != en.png for es, en in zip(spanish, english, strict=True))
