"""Geometry for the server-rendered SVG charts; the templates draw it.

Plain data in, plain data out. Colours are not chosen here: the charts paint with the
page's own `--accent` and `--fg` variables (and opacity for intensity), so they stay
readable in light and dark mode, and every chart has its numbers in a table beside it.
"""

from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from confab.insights.queries import WEEKDAYS, Heatmap, Share

CELL = 22
HEAT_LEFT = 92
HEAT_TOP = 22
BAR_HEIGHT = 150
BAR_WIDTH = 26
BAR_GAP = 10
SHARE_ROW = 26
SHARE_LEFT = 210
SHARE_WIDTH = 300


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    count: int
    opacity: float
    label: str
    top: bool


@dataclass(frozen=True)
class HeatmapChart:
    width: int
    height: int
    cells: list[Cell]
    rows: list[tuple[int, str]]  # (y of the label, weekday)
    columns: list[tuple[int, str]]  # (x of the label, hour)

    # 168 squares and a 7 × 24 table: built here in one pass, about ten times faster than
    # template loops, which were most of the page's time.
    def cells_svg(self) -> SafeString:
        return format_html_join(
            "",
            '<rect class="cell{}" x="{}" y="{}" width="20" height="20" rx="3" '
            'fill-opacity="{}"><title>{}</title></rect>',
            ((" top" if c.top else "", c.x, c.y, c.opacity, c.label) for c in self.cells),
        )


def heatmap_table_rows(heatmap: Heatmap) -> SafeString:
    """The table's body: one row per weekday, one cell per hour."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (day, format_html_join("", "<td>{}</td>", ((n,) for n in counts)))
            for day, counts in zip(WEEKDAYS, heatmap.grid, strict=True)
        ),
    )


def heatmap_chart(heatmap: Heatmap) -> HeatmapChart:
    """A week (rows) by hour (columns) grid; darker means busier, top slots outlined."""
    peak = heatmap.peak or 1
    top = {(slot.weekday, slot.hour) for slot in heatmap.top}
    cells = []
    for day in range(7):
        for hour in range(24):
            count = heatmap.grid[day][hour]
            cells.append(
                Cell(
                    x=HEAT_LEFT + hour * CELL,
                    y=HEAT_TOP + day * CELL,
                    count=count,
                    # Never fully transparent: an empty hour is still a visible square.
                    opacity=round(0.06 + 0.94 * count / peak, 3),
                    label=f"{WEEKDAYS[day]} {hour:02d}:00: {count} action{'s' * (count != 1)}",
                    top=(day, hour) in top,
                )
            )
    return HeatmapChart(
        width=HEAT_LEFT + 24 * CELL + 4,
        height=HEAT_TOP + 7 * CELL + 4,
        cells=cells,
        rows=[(HEAT_TOP + day * CELL + 15, WEEKDAYS[day][:3]) for day in range(7)],
        columns=[(HEAT_LEFT + hour * CELL + 11, f"{hour:02d}") for hour in range(0, 24, 3)],
    )


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    value: int
    label: str
    series: int  # 0, 1, …: which of the chart's series (painted differently)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[int, str]]  # (x, text) under each group
    peak: int


def grouped_bars(labels: list[str], series: list[list[int]], names: list[str]) -> BarChart:
    """Bars side by side per label, one per series (e.g. participants and first-timers)."""
    peak = max((max(values) for values in series if values), default=0) or 1
    group = BAR_WIDTH * len(series) + BAR_GAP
    bars = []
    for i, label in enumerate(labels):
        for s, values in enumerate(series):
            value = values[i]
            height = round(BAR_HEIGHT * value / peak)
            bars.append(
                Bar(
                    x=30 + i * group + s * BAR_WIDTH,
                    y=10 + BAR_HEIGHT - height,
                    height=max(height, 1 if value else 0),
                    value=value,
                    label=f"{label}: {value} {names[s]}",
                    series=s,
                )
            )
    return BarChart(
        width=30 + len(labels) * group + 10,
        height=BAR_HEIGHT + 40,
        bars=bars,
        labels=[(30 + i * group + (group - BAR_GAP) // 2, label) for i, label in enumerate(labels)],
        peak=peak if any(any(values) for values in series) else 0,
    )


@dataclass(frozen=True)
class ShareRow:
    y: int
    width: int
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    rows: list[ShareRow]
    label_x: int


def share_chart(shares: list[Share]) -> ShareChart:
    """Horizontal bars, one per share, longest first, with the count and percentage."""
    total = sum(share.count for share in shares) or 1
    peak = max((share.count for share in shares), default=0) or 1
    rows = [
        ShareRow(
            y=4 + i * SHARE_ROW,
            width=round(SHARE_WIDTH * share.count / peak) if share.count else 0,
            label=share.label,
            count=share.count,
            percent=round(100 * share.count / total),
        )
        for i, share in enumerate(shares)
    ]
    return ShareChart(
        width=SHARE_LEFT + SHARE_WIDTH + 90,
        height=4 + len(shares) * SHARE_ROW,
        rows=rows,
        label_x=SHARE_LEFT - 8,
    )
