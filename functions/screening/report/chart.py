"""The round chart's geometry: stacked horizontal bars, one per category, split by outcome.

Drawn on the server as inline SVG (no script, no external asset) so it prints, passes a strict
Content-Security-Policy and looks the same offline. Only numbers are computed here; the
template writes the SVG elements, so every text in the chart goes through autoescaping.
Each outcome has a colour *and* a fill pattern, so the bars stay apart in black-and-white print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models.verdict import Outcome

WIDTH = 680
LABEL_HEIGHT = 18
BAR_HEIGHT = 26
ROW_GAP = 14
BAR_X = 0
BAR_MAX_WIDTH = 600  # room right of the longest bar for its total
LEGEND_HEIGHT = 30
MIN_WIDTH_FOR_COUNT = 22  # narrower segments carry their count in the legend/table only

COLOURS: Mapping[Outcome, str] = {
    Outcome.eligible: "#1b5e20",
    Outcome.needs_review: "#8a4b00",
    Outcome.ineligible: "#b71c1c",
}


@dataclass(frozen=True)
class Segment:
    outcome: Outcome
    count: int
    x: float
    width: float

    @property
    def show_count(self) -> bool:
        return self.width >= MIN_WIDTH_FOR_COUNT

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Bar:
    code: str
    title: str
    total: int
    label_y: float
    bar_y: float
    segments: tuple[Segment, ...]

    @property
    def total_x(self) -> float:
        end = self.segments[-1].x + self.segments[-1].width if self.segments else BAR_X
        return round(end + 8, 1)

    @property
    def text_y(self) -> float:
        return self.bar_y + BAR_HEIGHT / 2 + 5


@dataclass(frozen=True)
class LegendItem:
    outcome: Outcome
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    legend_y: float
    legend: tuple[LegendItem, ...]
    colours: Mapping[Outcome, str]


def stacked_bars(
    table: Mapping[str, Mapping[Outcome, int]],
    titles: Mapping[str, str],
    outcomes: Sequence[Outcome],
) -> Chart:
    """One bar per category of ``table``; widths proportional to the largest total."""
    largest = max((sum(row.values()) for row in table.values()), default=0)
    scale = BAR_MAX_WIDTH / largest if largest else 0.0
    bars: list[Bar] = []
    y = 0.0
    for code, row in table.items():
        x = float(BAR_X)
        segments = []
        for outcome in outcomes:
            count = row.get(outcome, 0)
            if count:
                width = round(count * scale, 1)
                segments.append(Segment(outcome, count, round(x, 1), width))
                x += width
        bars.append(
            Bar(
                code=code,
                title=titles.get(code, code),
                total=sum(row.values()),
                label_y=y + LABEL_HEIGHT - 4,
                bar_y=y + LABEL_HEIGHT,
                segments=tuple(segments),
            )
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    legend = tuple(LegendItem(outcome, i * 220.0) for i, outcome in enumerate(outcomes))
    return Chart(
        width=WIDTH,
        height=int(y + LEGEND_HEIGHT),
        bars=tuple(bars),
        legend_y=y + 4,
        legend=legend,
        colours=COLOURS,
    )
