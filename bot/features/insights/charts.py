"""The insights charts, drawn with matplotlib's Agg canvas (no display, no global pyplot state).

Each chart comes with the table it draws, for screen readers and the open-data report. The
colours are Okabe and Ito's colour-blind-safe palette and the heat map uses cividis; the same
figures always give the same bytes (no timestamp or software name in the PNG)."""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

from babel.numbers import format_percent
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.i18n import N_, _, current_language, current_locale, number, speaking
from storage.insights import Figures

# Okabe & Ito (2008), "Color Universal Design".
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SIZE = (8, 4.5)  # inches, at 100 dpi: 800 x 450 pixels
DPI = 100
CACHED = 64  # drawn charts kept, per kind
# Labels on an axis: each tick is a good part of a chart's drawing time, and the table under
# the chart has every row.
MAX_TICKS = 8
Y_TICKS = 5

Row = tuple[str | int | float, ...]
TITLES = {
    "participation": N_("Active members per month"),
    "meeting_rate": N_("Share of matched groups that met, per round"),
    "new_ties": N_("New ties per month"),
    "region_matrix": N_("New ties between world regions"),
}


@dataclass(frozen=True)
class Chart:
    name: str  # file name without extension: "participation"
    title: str
    alt: str
    png: bytes
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def participation(figures: Figures) -> Chart:
    members = figures.members
    title = titled("participation", figures)
    rows = tuple((m, members.active[m], members.joined[m]) for m in members.active)
    busiest = max(members.active.items(), key=lambda item: item[1], default=("", 0))
    return Chart(
        "participation",
        title,
        _(
            "Bar chart of members active and joining each month; the busiest month, {month}: {count} active."
        ).format(month=busiest[0], count=number(busiest[1])),
        draw_participation(title, rows, current_language()),
        ("month", "active_members", "joined_members"),
        rows,
    )


def meeting_rate(figures: Figures) -> Chart:
    title = titled("meeting_rate", figures)
    rows = tuple(
        (r.starts_at.date().isoformat(), r.groups, r.met, round(r.meeting_rate or 0, 3))
        for r in figures.matching.rounds
    )
    return Chart(
        "meeting_rate",
        title,
        _meeting_rate_alt(figures.matching.meeting_rate, len(rows)),
        draw_meeting_rate(title, rows, current_language()),
        ("round_start", "groups", "groups_met", "meeting_rate"),
        rows,
    )


def new_ties(figures: Figures) -> Chart:
    matching = figures.matching
    title = titled("new_ties", figures)
    rows = tuple(
        (m, matching.new_ties[m], matching.cross_organisation[m], matching.cross_region[m])
        for m in matching.new_ties
    )
    return Chart(
        "new_ties",
        title,
        _(
            "Bar chart of new ties per month: {ties} in all, {organisations} across organisations and "
            "{regions} across regions."
        ).format(
            ties=number(sum(matching.new_ties.values())),
            organisations=number(sum(matching.cross_organisation.values())),
            regions=number(sum(matching.cross_region.values())),
        ),
        draw_new_ties(title, rows, current_language()),
        ("month", "new_ties", "across_organisations", "across_regions"),
        rows,
    )


def region_matrix(figures: Figures) -> Chart:
    matrix = figures.matching.region_matrix
    title = titled("region_matrix", figures)
    rows = tuple((a, b, count) for (a, b), count in matrix.items())
    regions = {region for pair in matrix for region in pair}
    return Chart(
        "region_matrix",
        title,
        _("Heat map of new ties between {regions} world regions; {ties} ties cross regions.").format(
            regions=number(len(regions)), ties=number(sum(v for (a, b), v in matrix.items() if a != b))
        ),
        draw_region_matrix(title, rows, current_language()),
        ("region_a", "region_b", "new_ties"),
        rows,
    )


# Drawing is most of a page's time: the same title, rows and language draw the same bytes, so a
# chart whose figures have not changed since it was last shown is not drawn again.
@functools.lru_cache(maxsize=CACHED)
def draw_participation(title: str, rows: tuple[Row, ...], language: str) -> bytes:
    with speaking(language):
        return _draw_participation(title, rows)


def _draw_participation(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    months = [str(row[0]) for row in rows]
    positions = range(len(rows))
    axes.bar([p - 0.2 for p in positions], [row[1] for row in rows], 0.4, color=BLUE, label=_("Active"))
    axes.bar([p + 0.2 for p in positions], [row[2] for row in rows], 0.4, color=ORANGE, label=_("Joined"))
    _months_axis(axes, months)
    _label(axes, title, _("Members"))
    _legend(axes)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_meeting_rate(title: str, rows: tuple[Row, ...], language: str) -> bytes:
    with speaking(language):
        return _draw_meeting_rate(title, rows)


def _draw_meeting_rate(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    axes.bar(range(len(rows)), [100 * float(row[3]) for row in rows], color=GREEN)
    _labelled_ticks(axes, [str(row[0]) for row in rows])
    axes.set_ylim(0, 100)
    axes.set_yticks(range(0, 101, 100 // (Y_TICKS - 1)))
    _label(axes, title, _("Groups that met (%)"), _("Round start"))
    _empty_note(axes, not rows)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_new_ties(title: str, rows: tuple[Row, ...], language: str) -> bytes:
    with speaking(language):
        return _draw_new_ties(title, rows)


def _draw_new_ties(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    series = (
        (_("All new ties"), BLUE),
        (_("Across organisations"), ORANGE),
        (_("Across regions"), VERMILION),
    )
    for column, (offset, (label, colour)) in enumerate(zip((-0.27, 0, 0.27), series, strict=True), 1):
        positions = [p + offset for p in range(len(rows))]
        axes.bar(positions, [row[column] for row in rows], 0.27, color=colour, label=label)
    _months_axis(axes, [str(row[0]) for row in rows])
    _label(axes, title, _("Pairs meeting for the first time"))
    _legend(axes)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_region_matrix(title: str, rows: tuple[Row, ...], language: str) -> bytes:
    with speaking(language):
        return _draw_region_matrix(title, rows)


def _draw_region_matrix(title: str, rows: tuple[Row, ...]) -> bytes:
    ties = {(str(a), str(b)): int(n) for a, b, n in rows}
    regions = sorted({region for pair in ties for region in pair})
    figure, axes = _figure()
    cells = [[ties.get((min(a, b), max(a, b)), 0) for b in regions] for a in regions]
    figure.subplots_adjust(left=0.3, right=0.95, bottom=0.34)  # room for the regions' names
    if regions:
        # Each cell is written on the image, so no colour bar (a second axes, a third of the drawing).
        axes.imshow(cells, cmap="cividis")
        axes.set_xticks(range(len(regions)), regions, rotation=30, ha="right")
        axes.set_yticks(range(len(regions)), regions)
        top = max(max(row) for row in cells)
        for y, row in enumerate(cells):
            for x, value in enumerate(row):
                colour = "black" if value > top / 2 else "white"  # readable on cividis's light and dark ends
                axes.text(x, y, str(value), ha="center", va="center", color=colour)
    _label(axes, title, _("Region"), _("Region"))
    _empty_note(axes, not regions)
    return _png(figure)


CHARTS = (participation, meeting_rate, new_ties, region_matrix)


def all_charts(figures: Figures) -> list[Chart]:
    return [draw(figures) for draw in CHARTS]


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    # Fixed margins, room for slanted labels: a layout engine would draw every chart twice.
    figure.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.22)
    return figure, figure.add_subplot()


def _label(axes: Axes, title: str, y: str, x: str | None = None) -> None:
    axes.set_title(title)
    axes.set_xlabel(_("Month") if x is None else x)
    axes.set_ylabel(y)
    axes.spines[["top", "right"]].set_visible(False)


def _months_axis(axes: Axes, months: list[str]) -> None:
    _labelled_ticks(axes, months)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=Y_TICKS, integer=True))


def _labelled_ticks(axes: Axes, labels: list[str]) -> None:
    """At most MAX_TICKS labels (every other month over a year, every third over two)."""
    step = max(1, math.ceil(len(labels) / MAX_TICKS))
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")


def _legend(axes: Axes) -> None:
    """In a row over the bars, with room made for it: Matplotlib's "best" place is slow to find
    and still covered the tallest bars."""
    axes.margins(y=0.2)
    axes.legend(frameon=False, loc="upper left", ncols=3)


def _empty_note(axes: Axes, empty: bool) -> None:
    if empty:
        axes.text(0.5, 0.5, _("Nothing in this period"), transform=axes.transAxes, ha="center", va="center")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def titled(name: str, figures: Figures) -> str:
    """A chart's title with what it covers: "New ties per month, 2026 cohort, 2026"."""
    return _("{title}, {cohort}, {period}").format(
        title=_(TITLES[name]), cohort=figures.scope.cohort or _("everyone"), period=figures.scope.period.label
    )


def _meeting_rate_alt(share: float | None, rounds: int) -> str:
    if share is None:
        return _("Bar chart of the meeting rate of {rounds} rounds; no groups.").format(rounds=number(rounds))
    return _("Bar chart of the meeting rate of {rounds} rounds; overall {share}.").format(
        rounds=number(rounds), share=format_percent(share, locale=current_locale())
    )
