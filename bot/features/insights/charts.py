"""The insights charts, drawn with matplotlib's Agg canvas (no display, no global pyplot state).

Each chart comes with the table it draws, for screen readers and the open-data report. The
colours are Okabe and Ito's colour-blind-safe palette and the heat map uses cividis; the same
figures always give the same bytes (no timestamp or software name in the PNG)."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from storage.insights import Figures

# Okabe & Ito (2008), "Color Universal Design".
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SIZE = (8, 4.5)  # inches, at 100 dpi: 800 x 450 pixels
DPI = 100
CACHED = 64  # drawn charts kept, per kind

Row = tuple[str | int | float, ...]
TITLES = {
    "participation": "Active members per month",
    "meeting_rate": "Share of matched groups that met, per round",
    "new_ties": "New ties per month",
    "region_matrix": "New ties between world regions",
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
    title = f"{TITLES['participation']}, {scope_label(figures)}"
    rows = tuple((m, members.active[m], members.joined[m]) for m in members.active)
    busiest = max(members.active.items(), key=lambda item: item[1], default=("", 0))
    return Chart(
        "participation",
        title,
        f"Bar chart of members active and joining each month; the busiest month, {busiest[0]}: "
        f"{busiest[1]} active.",
        draw_participation(title, rows),
        ("month", "active_members", "joined_members"),
        rows,
    )


def meeting_rate(figures: Figures) -> Chart:
    title = f"{TITLES['meeting_rate']}, {scope_label(figures)}"
    rows = tuple(
        (r.starts_at.date().isoformat(), r.groups, r.met, round(r.meeting_rate or 0, 3))
        for r in figures.matching.rounds
    )
    return Chart(
        "meeting_rate",
        title,
        f"Bar chart of the meeting rate of {len(rows)} rounds; overall "
        f"{_percent(figures.matching.meeting_rate)}.",
        draw_meeting_rate(title, rows),
        ("round_start", "groups", "groups_met", "meeting_rate"),
        rows,
    )


def new_ties(figures: Figures) -> Chart:
    matching = figures.matching
    title = f"{TITLES['new_ties']}, {scope_label(figures)}"
    rows = tuple(
        (m, matching.new_ties[m], matching.cross_organisation[m], matching.cross_region[m])
        for m in matching.new_ties
    )
    return Chart(
        "new_ties",
        title,
        f"Bar chart of new ties per month: {sum(matching.new_ties.values())} in all, "
        f"{sum(matching.cross_organisation.values())} across organisations and "
        f"{sum(matching.cross_region.values())} across regions.",
        draw_new_ties(title, rows),
        ("month", "new_ties", "across_organisations", "across_regions"),
        rows,
    )


def region_matrix(figures: Figures) -> Chart:
    matrix = figures.matching.region_matrix
    title = f"{TITLES['region_matrix']}, {scope_label(figures)}"
    rows = tuple((a, b, count) for (a, b), count in matrix.items())
    regions = {region for pair in matrix for region in pair}
    return Chart(
        "region_matrix",
        title,
        f"Heat map of new ties between {len(regions)} world regions; "
        f"{sum(v for (a, b), v in matrix.items() if a != b)} ties cross regions.",
        draw_region_matrix(title, rows),
        ("region_a", "region_b", "new_ties"),
        rows,
    )


# Drawing is most of a page's time: the same title and rows draw the same bytes, so a chart
# whose figures have not changed since it was last shown is not drawn again.
@functools.lru_cache(maxsize=CACHED)
def draw_participation(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    months = [str(row[0]) for row in rows]
    positions = range(len(rows))
    axes.bar([p - 0.2 for p in positions], [row[1] for row in rows], 0.4, color=BLUE, label="Active")
    axes.bar([p + 0.2 for p in positions], [row[2] for row in rows], 0.4, color=ORANGE, label="Joined")
    _months_axis(axes, months)
    _label(axes, title, "Members")
    axes.legend(frameon=False)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_meeting_rate(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    axes.bar(range(len(rows)), [100 * float(row[3]) for row in rows], color=GREEN)
    axes.set_xticks(range(len(rows)), [str(row[0]) for row in rows], rotation=45, ha="right")
    axes.set_ylim(0, 100)
    _label(axes, title, "Groups that met (%)", "Round start")
    _empty_note(axes, not rows)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_new_ties(title: str, rows: tuple[Row, ...]) -> bytes:
    figure, axes = _figure()
    series = (("All new ties", BLUE), ("Across organisations", ORANGE), ("Across regions", VERMILION))
    for column, (offset, (label, colour)) in enumerate(zip((-0.27, 0, 0.27), series, strict=True), 1):
        positions = [p + offset for p in range(len(rows))]
        axes.bar(positions, [row[column] for row in rows], 0.27, color=colour, label=label)
    _months_axis(axes, [str(row[0]) for row in rows])
    _label(axes, title, "Pairs meeting for the first time")
    axes.legend(frameon=False)
    return _png(figure)


@functools.lru_cache(maxsize=CACHED)
def draw_region_matrix(title: str, rows: tuple[Row, ...]) -> bytes:
    ties = {(str(a), str(b)): int(n) for a, b, n in rows}
    regions = sorted({region for pair in ties for region in pair})
    figure, axes = _figure()
    cells = [[ties.get((min(a, b), max(a, b)), 0) for b in regions] for a in regions]
    figure.subplots_adjust(left=0.3, right=0.95, bottom=0.3)  # room for the regions' names
    if regions:
        image = axes.imshow(cells, cmap="cividis")
        figure.colorbar(image, ax=axes, label="New ties")
        axes.set_xticks(range(len(regions)), regions, rotation=30, ha="right")
        axes.set_yticks(range(len(regions)), regions)
        top = max(max(row) for row in cells)
        for y, row in enumerate(cells):
            for x, value in enumerate(row):
                colour = "black" if value > top / 2 else "white"  # readable on cividis's light and dark ends
                axes.text(x, y, str(value), ha="center", va="center", color=colour)
    _label(axes, title, "Region", "Region")
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


def _label(axes: Axes, title: str, y: str, x: str = "Month") -> None:
    axes.set_title(title)
    axes.set_xlabel(x)
    axes.set_ylabel(y)
    axes.spines[["top", "right"]].set_visible(False)


def _months_axis(axes: Axes, months: list[str]) -> None:
    axes.set_xticks(range(len(months)), months, rotation=45, ha="right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _empty_note(axes: Axes, empty: bool) -> None:
    if empty:
        axes.text(0.5, 0.5, "Nothing in this period", transform=axes.transAxes, ha="center", va="center")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def scope_label(figures: Figures) -> str:
    scope = figures.scope
    return f"{scope.cohort or 'everyone'}, {scope.period.label}"


def _percent(share: float | None) -> str:
    return "no groups" if share is None else f"{share:.0%}"
