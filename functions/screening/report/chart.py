"""Chart geometry: stacked horizontal bars, one per row, split into coloured segments.

Used by the round report (category × outcome), the agreement report (pre-screening outcome ×
committee decision) and the impact report (outcomes under the current rules and the proposal).
Drawn on the server as inline SVG (no script, no external asset) so it prints, passes a strict
Content-Security-Policy and looks the same offline. Only numbers are computed here; the
template (``_chart.html.j2``) writes the SVG elements, so every text in the chart goes through
autoescaping. Each segment kind has a colour *and* a fill pattern, so the bars stay apart in
black-and-white print.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

from ..models.decision import DecisionKind
from ..models.verdict import Outcome

WIDTH = 680
LABEL_HEIGHT = 18
BAR_HEIGHT = 26
ROW_GAP = 14
BAR_X = 0
BAR_MAX_WIDTH = 600  # room right of the longest bar for its total
LEGEND_HEIGHT = 30
LEGEND_STEP = 220.0
MIN_WIDTH_FOR_COUNT = 22  # narrower segments carry their count in the legend/table only


@dataclass(frozen=True)
class Fill:
    """A segment's colour and pattern: ``solid``, ``stripes`` (diagonal) or ``dots``."""

    colour: str
    pattern: str


FILLS: Mapping[str, Fill] = {
    # The pre-screening's outcomes …
    Outcome.eligible: Fill("#1b5e20", "solid"),
    Outcome.needs_review: Fill("#8a4b00", "stripes"),
    Outcome.ineligible: Fill("#b71c1c", "dots"),
    # … and the committee's decisions, in the same colours for the same meaning: a granted
    # segment in the "does not meet the requirements" bar stands out as a disagreement.
    DecisionKind.granted: Fill("#1b5e20", "solid"),
    DecisionKind.returned: Fill("#8a4b00", "stripes"),
    DecisionKind.declined: Fill("#b71c1c", "dots"),
}
NEUTRAL = Fill("#455a64", "solid")

COLOURS: Mapping[Outcome, str] = {outcome: FILLS[outcome].colour for outcome in Outcome}


@dataclass(frozen=True)
class Segment:
    key: Hashable  # an Outcome, a DecisionKind, …: what the segment counts
    count: int
    x: float
    width: float
    highlight: bool = False  # outlined: the cell the page is about (a false reject)

    @property
    def outcome(self) -> Hashable:
        """The round chart's name for the key."""
        return self.key

    @property
    def show_count(self) -> bool:
        return self.width >= MIN_WIDTH_FOR_COUNT

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Bar:
    code: Hashable
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
    key: Hashable
    x: float
    fill: Fill

    @property
    def outcome(self) -> Hashable:
        return self.key


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    legend_y: float
    legend: tuple[LegendItem, ...]
    colours: Mapping[Outcome, str]


def stacked_bars(
    table: Mapping[Hashable, Mapping[Hashable, int]],
    titles: Mapping[Hashable, str],
    keys: Sequence[Hashable],
    *,
    fills: Mapping[Hashable, Fill] = FILLS,
    highlight: Collection[tuple[Hashable, Hashable]] = (),
) -> Chart:
    """One bar per row of ``table``, its segments in the order of ``keys``; widths
    proportional to the largest row total. ``highlight`` names (row, key) cells to outline."""
    largest = max((sum(row.values()) for row in table.values()), default=0)
    scale = BAR_MAX_WIDTH / largest if largest else 0.0
    bars: list[Bar] = []
    y = 0.0
    for code, row in table.items():
        x = float(BAR_X)
        segments = []
        for key in keys:
            count = row.get(key, 0)
            if count:
                width = round(count * scale, 1)
                segments.append(
                    Segment(key, count, round(x, 1), width, highlight=(code, key) in highlight)
                )
                x += width
        bars.append(
            Bar(
                code=code,
                title=titles.get(code, str(code)),
                total=sum(row.values()),
                label_y=y + LABEL_HEIGHT - 4,
                bar_y=y + LABEL_HEIGHT,
                segments=tuple(segments),
            )
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    legend = tuple(
        LegendItem(key, i * LEGEND_STEP, fills.get(key, NEUTRAL)) for i, key in enumerate(keys)
    )
    return Chart(
        width=WIDTH,
        height=int(y + LEGEND_HEIGHT),
        bars=tuple(bars),
        legend_y=y + 4,
        legend=legend,
        colours=COLOURS,
    )
