"""Chart geometry: stacked horizontal bars, one per row, split into coloured segments.

Used by the round report (category × outcome), the agreement report (pre-screening outcome ×
committee decision), the impact report (outcomes under the current rules and the proposal) and
the follow-up portfolio (loans per category and round by follow-up status). ``goal_chart``
draws one effect goal over the years for the follow-up report.
Drawn on the server as inline SVG (no script, no external asset) so it prints, passes a strict
Content-Security-Policy and looks the same offline. Only numbers are computed here; the
template (``_chart.html.j2``) writes the SVG elements, so every text in the chart goes through
autoescaping. Each segment kind has a colour *and* a fill pattern, so the bars stay apart in
black-and-white print.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

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


Row = TypeVar("Row", bound=Hashable)  # what a bar stands for (a category, an outcome, …)
Key = TypeVar("Key", bound=Hashable)  # what a segment counts (an outcome, a decision, …)


def stacked_bars(
    table: Mapping[Row, Mapping[Key, int]],
    titles: Mapping[Row, str],
    keys: Sequence[Key],
    *,
    fills: Mapping[Any, Fill] = FILLS,
    highlight: Collection[tuple[Row, Key]] = (),
    width: int = WIDTH,
    legend_step: float = LEGEND_STEP,
) -> Chart:
    """One bar per row of ``table``, its segments in the order of ``keys``; widths
    proportional to the largest row total. ``highlight`` names (row, key) cells to outline.
    A wider chart (``width``) has longer bars; ``legend_step`` spaces the legend's items."""
    largest = max((sum(row.values()) for row in table.values()), default=0)
    scale = (BAR_MAX_WIDTH + width - WIDTH) / largest if largest else 0.0
    bars: list[Bar] = []
    y = 0.0
    for code, row in table.items():
        x = float(BAR_X)
        segments = []
        for key in keys:
            count = row.get(key, 0)
            if count:
                length = round(count * scale, 1)
                segments.append(
                    Segment(key, count, round(x, 1), length, highlight=(code, key) in highlight)
                )
                x += length
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
        LegendItem(key, i * legend_step, fills.get(key, NEUTRAL)) for i, key in enumerate(keys)
    )
    return Chart(
        width=width,
        height=int(y + LEGEND_HEIGHT),
        bars=tuple(bars),
        legend_y=y + 4,
        legend=legend,
        colours=COLOURS,
    )


# ---------------------------------------------------------------- follow-up: outcomes per group

# The follow-up's statuses in the same colours and patterns for the same meaning; a loan whose
# report has not come in is grey and cross-hatched, apart from all three in grey-scale print.
FOLLOW_UP_FILLS: Mapping[str, Fill] = {
    "on_track": Fill("#1b5e20", "solid"),
    "needs_attention": Fill("#8a4b00", "stripes"),
    "off_track": Fill("#b71c1c", "dots"),
    "no_report": Fill("#607d8b", "crosshatch"),
}


# ---------------------------------------------------------------- follow-up: one effect goal

GOAL_WIDTH = 880
GOAL_LEFT = 64  # room for the value axis' labels
GOAL_RIGHT = 780  # room right of the plot for the target's label
GOAL_TOP = 22
GOAL_BOTTOM = 212
GOAL_AXIS_HEIGHT = 26  # the years under the plot
GOAL_LEGEND_HEIGHT = 28
GOAL_LEGEND_STEP = 150.0
STATUS_CHART_WIDTH = 880  # four statuses in the legend
STATUS_LEGEND_STEP = 220.0
GOAL_VALUE_TICKS = 4  # about this many steps on the value axis


@dataclass(frozen=True)
class Tick:
    value: float
    position: float  # x for a year, y for a value


@dataclass(frozen=True)
class Marker:
    """A place on the chart: a year and a value, and where they are drawn."""

    year: int
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class GoalPoint:
    """A reported value; ``version`` is the indicator's definition it was measured by."""

    year: int
    value: float
    version: int
    x: float
    y: float


@dataclass(frozen=True)
class GoalRun:
    """Reported values joined by a line: consecutive years of one indicator version."""

    version: int
    points: tuple[GoalPoint, ...]

    @property
    def svg_points(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class VersionBreak:
    """Where the indicator's definition changes: a vertical line between two reports, never a
    line joining their values."""

    x: float
    year: int  # the first year of the new version
    before: int
    after: int


@dataclass(frozen=True)
class GoalChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    year_ticks: tuple[Tick, ...]
    value_ticks: tuple[Tick, ...]
    baseline: Marker | None
    target: Marker | None
    path: tuple[Marker, Marker] | None  # the straight path from baseline to target …
    path_after: tuple[Marker, Marker] | None  # … and the target held after its year
    points: tuple[GoalPoint, ...]
    runs: tuple[GoalRun, ...]
    breaks: tuple[VersionBreak, ...]
    legend_y: float
    legend: tuple[tuple[str, float], ...]  # (kind, x): path, value, changed, target, break

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(sorted({p.version for p in self.points}))


def _nice_step(span: float, steps: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``steps`` steps."""
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power  # pragma: no cover  (the loop always returns)


def _value_ticks(low: float, high: float) -> list[float]:
    """Round values from below ``low`` to above ``high``, with a margin so that no point sits
    on the axis or the chart's top (but never below zero for values that are not)."""
    pad = (high - low) * 0.05 if high > low else max(abs(low) * 0.1, 1.0)
    low, high = (low - pad if low - pad >= 0 or low < 0 else 0.0), high + pad
    step = _nice_step(high - low, GOAL_VALUE_TICKS)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    count = round((last - first) / step)
    return [round(first + i * step, 10) for i in range(count + 1)]


def goal_chart(
    *,
    baseline_year: int | None,
    baseline_value: float | None,
    target_year: int | None,
    target_value: float | None,
    values: Sequence[tuple[int, float, int]],
) -> GoalChart | None:
    """One effect goal over the years: the straight path from baseline to target (as the
    follow-up rules measure it), the target marked, and each reported value ``(year, value,
    indicator_version)`` as a point. Values are joined only within one version and over
    consecutive years; where the version changes there is a break. None when there is nothing
    to draw (no baseline, no target and no value)."""
    baseline_known = baseline_year is not None and baseline_value is not None
    target_known = target_year is not None and target_value is not None
    values = sorted(values)
    if not (baseline_known or target_known or values):
        return None
    years = [y for y, _, _ in values]
    if baseline_known:
        years.append(baseline_year)  # type: ignore[arg-type]
    if target_known:
        years.append(target_year)  # type: ignore[arg-type]
    first_year, last_year = min(years), max(years)
    if first_year == last_year:
        first_year, last_year = first_year - 1, last_year + 1
    numbers = [v for _, v, _ in values]
    numbers += [baseline_value] if baseline_known else []  # type: ignore[list-item]
    numbers += [target_value] if target_known else []  # type: ignore[list-item]
    ticks = _value_ticks(min(numbers), max(numbers))
    low, high = ticks[0], ticks[-1]

    def x_of(year: int) -> float:
        return round(GOAL_LEFT + (year - first_year) / (last_year - first_year) * width, 1)

    def y_of(value: float) -> float:
        return round(GOAL_BOTTOM - (value - low) / (high - low) * (GOAL_BOTTOM - GOAL_TOP), 1)

    width = GOAL_RIGHT - GOAL_LEFT
    every = 1 if last_year - first_year <= 12 else 2
    year_ticks = tuple(Tick(year, x_of(year)) for year in range(first_year, last_year + 1, every))
    value_ticks = tuple(Tick(value, y_of(value)) for value in ticks)

    def marker(year: int | None, value: float | None) -> Marker | None:
        if year is None or value is None:
            return None
        return Marker(year, value, x_of(year), y_of(value))

    baseline = marker(baseline_year, baseline_value)
    target = marker(target_year, target_value)
    path = path_after = None
    if baseline is not None and target is not None and target.year > baseline.year:
        path = (baseline, target)
        if last_year > target.year:
            path_after = (target, Marker(last_year, target.value, x_of(last_year), target.y))
    points = tuple(GoalPoint(y, v, version, x_of(y), y_of(v)) for y, v, version in values)
    runs: list[list[GoalPoint]] = []
    breaks: list[VersionBreak] = []
    for point in points:
        previous = runs[-1][-1] if runs else None
        if previous is not None and previous.version != point.version:
            breaks.append(
                VersionBreak(
                    round((previous.x + point.x) / 2, 1),
                    point.year,
                    previous.version,
                    point.version,
                )
            )
        if (
            previous is not None
            and previous.version == point.version
            and point.year - previous.year == 1
        ):
            runs[-1].append(point)
        else:
            runs.append([point])
    kinds = ["path"] if path is not None else []
    kinds += ["value"] if any(p.version == 1 for p in points) else []
    kinds += ["changed"] if any(p.version != 1 for p in points) else []
    kinds += ["target"] if target is not None else []
    kinds += ["break"] if breaks else []
    axis_bottom = GOAL_BOTTOM + GOAL_AXIS_HEIGHT
    return GoalChart(
        width=GOAL_WIDTH,
        height=int(axis_bottom + GOAL_LEGEND_HEIGHT),
        left=GOAL_LEFT,
        right=GOAL_RIGHT,
        top=GOAL_TOP,
        bottom=GOAL_BOTTOM,
        year_ticks=year_ticks,
        value_ticks=value_ticks,
        baseline=baseline,
        target=target,
        path=path,
        path_after=path_after,
        points=points,
        runs=tuple(GoalRun(run[0].version, tuple(run)) for run in runs),
        breaks=tuple(breaks),
        legend_y=axis_bottom + 6,
        legend=tuple((kind, i * GOAL_LEGEND_STEP) for i, kind in enumerate(kinds)),
    )
