"""Chart builders: plain data in, a plotly figure out, as a dict of plain JSON values.

Pure, like the progress engine: no ORM, no request, no settings. The selectors gather the
data, these functions shape it, the page embeds the dict with ``json_script`` and
static/js/charts.js hands it to ``Plotly.newPlot``. Nothing here decides a status: the status
and the effective baseline come from the engine, and the expected path is the engine's own
``progress.expected_value`` evaluated month by month, so the line drawn is the line the
status was measured against.

The figures are written as plain dicts in plotly's figure schema rather than through
``plotly.graph_objects``: the same JSON, without graph_objects' import time and validation
on every page view. tests/test_charts.py validates every kind of figure with
``plotly.graph_objects.Figure`` so a misspelt property cannot slip through. Decimals become
floats only here, at the edge, because Django's JSON encoder would turn them into strings,
which plotly would plot as categories.

Layout choices for a 375-px phone: small margins, the legend below the plot, the width left
to the container (plotly's ``responsive`` mode), zooming off so that a thumb scrolls the page
rather than the axes, and hover text that names the period in words rather than t = 2025.25.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain import periods, progress
from indicators.domain.formatting import plain, rounded
from indicators.domain.periods import Figure, Period
from indicators.domain.statuses import FLAG_LABELS, STATUS_COLOURS, STATUS_ORDER, status_label

STEPS_PER_YEAR = 12  # monthly points: enough for a compound-growth path to look curved

FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
INK, MUTED, GRID = "#1f2933", "#61707f", "#e3e8ef"
QUARTER_COLOUR, YEAR_COLOUR, TARGET_COLOUR = "#0b5cad", "#0d3c6e", "#b3261e"


def colour(status: str) -> str:
    """A status's colour as CSS wants it: the one definition in statuses, with a '#'."""
    return "#" + STATUS_COLOURS[status]


def _float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


# --- Counts by status ---------------------------------------------------------------------


def status_counts_figure(counts: Mapping[str, int], *, skip_zero: bool = False) -> dict:
    """A horizontal bar per status, in report order, each in its status's colour.

    ``counts`` maps status codes to numbers (``selectors.status_counts``); statuses it does
    not name are left out, and so are zero counts with ``skip_zero``. The height grows with
    the number of bars so that each stays a thumb's width on a phone.
    """
    codes = [c for c in STATUS_ORDER if c in counts and (counts[c] or not skip_zero)]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": [status_label(c) for c in codes],
        "x": [counts[c] for c in codes],
        "marker": {"color": [colour(c) for c in codes]},
        "text": [str(counts[c]) for c in codes],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x}<extra></extra>",
        "customdata": codes,  # the status codes, for a page that wants to link the bars
    }
    layout = {
        **_base_layout(),
        "height": 40 + 26 * max(len(codes), 1),
        "margin": {"l": 8, "r": 28, "t": 8, "b": 24},
        "showlegend": False,
        "bargap": 0.25,
        "xaxis": {
            "rangemode": "tozero",
            "tickformat": ",d",
            "fixedrange": True,
            "gridcolor": GRID,
        },  # fmt: skip
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
    }
    return {"data": [bars], "layout": layout}


# --- One indicator over time ---------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChartData:
    """Everything the chart of one indicator shows, as plain values.

    ``spec`` is the engine's view of the indicator (kind, path, targets, stages); ``baseline``
    is the B the engine used for the period shown (after the missing-baseline rule; None for
    a milestone indicator); ``figures`` are the values that count, every period of every year:
    the figures in force, or with pending values included the submitted ones, marked
    provisional (the same choice as the engine's); ``status`` is the engine's status for
    ``period`` (year, quarter or None for the whole year); ``unit`` titles the y axis.
    """

    spec: progress.IndicatorSpec
    baseline: Decimal | None
    figures: tuple[Figure, ...]
    status: str
    period: tuple[int, int | None]
    unit: str = ""


def expected_path_points(
    baseline_year: int,
    anchors: Sequence[tuple[int, Decimal]],
    geometric: bool,
    steps_per_year: int = STEPS_PER_YEAR,
    end_year: int | None = None,
) -> list[tuple[Decimal, Decimal]]:
    """Points (t, V(t)) of the expected path from the baseline year to the last target year
    (or ``end_year``), ``steps_per_year`` to a year; every anchor year is one of the points.

    ``anchors`` are the engine's: [(Y_0, B), (Y_1, T_1), …]. V is ``progress.expected_value``
    itself, so the drawn path is exactly the schedule the engine measures against; past the
    last target it holds, as the engine's does.
    """
    last = end_year if end_year is not None else anchors[-1][0]
    return list(_path_points(baseline_year, tuple(anchors), geometric, steps_per_year, last))


@functools.lru_cache(maxsize=4096)
def _path_points(baseline_year, anchors, geometric, steps_per_year, last) -> tuple:
    """`expected_path_points`, remembered per process: a compound path costs a fractional
    power per point (about 15 ms for a 10-year plan) and depends on nothing but its inputs."""
    steps = (last - baseline_year) * steps_per_year
    times = (baseline_year + Decimal(i) / steps_per_year for i in range(steps + 1))
    return tuple((t, progress.expected_value(anchors, t, geometric)) for t in times)


def indicator_figure(data: IndicatorChartData) -> dict:
    """The chart of one indicator: its values over time against its targets and schedule.

    Numeric kinds: the quarterly and whole-year values, the baseline, the targets and the
    expected path. A ``zero_event`` indicator: quarterly counts as bars, with 0 as target
    and path. A ``milestone`` indicator: the stage reached, on an axis labelled with the
    stages, and the stage targets. The title gives the period and its status in colour.
    """
    end = _end_year(data)
    if data.spec.kind == progress.MILESTONE:
        traces, yaxis = _milestone_traces(data), _stage_axis(data.spec.stages)
    else:
        traces, yaxis = _numeric_traces(data, end), _value_axis(data)
    layout = {
        **_base_layout(),
        "title": {"text": _title(data), "x": 0.01, "xanchor": "left", "font": {"size": 14}},
        "height": 360,
        "margin": {"l": 8, "r": 12, "t": 36, "b": 8},
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.1, "yanchor": "top"},
        "hovermode": "closest",
        "xaxis": _time_axis(_start(data), end),
        "yaxis": yaxis,
    }
    return {"data": [trace for trace in traces if trace], "layout": layout}


def _base_layout() -> dict:
    return {
        "autosize": True,
        "font": {"family": FONT, "size": 12, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": ".,",
    }


def _title(data: IndicatorChartData) -> str:
    """'2026年第3季度：● 滞后于序时进度', the dot in the status's colour (the label stays
    dark: amber or light green text would be unreadable on white)."""
    status = f'<span style="color:{colour(data.status)}">●</span> {status_label(data.status)}'
    return _("%(period)s: %(status)s") % {
        "period": Period.of(*data.period).label(),
        "status": status,
    }


def _end_year(data: IndicatorChartData) -> int:
    """The last year on the time axis: the last target's, or a later reported year."""
    spec = data.spec
    years = [g.year for g in spec.all_goals] + [y for y, _s in spec.stage_targets]
    years += [f.year for f in data.figures]
    return max([spec.baseline_year + 1, *years])


def _start(data: IndicatorChartData) -> int:
    """Where the time axis starts: the end of the baseline year (t = Y_0), or a year earlier
    when quarters of the baseline year itself were reported (they lie before t = Y_0)."""
    first_reported = min((f.year for f in data.figures), default=data.spec.baseline_year + 1)
    return min(data.spec.baseline_year, first_reported - 1)


def _time_axis(start: int, end: int) -> dict:
    """x is the engine's t = y − 1 + q/4 (domain.md §4): year y spans (y − 1, y], its Q1 ends
    at y − 0.75 and the year at y. So each year is labelled in the middle of its span, where
    its quarters are, with gridlines at the year ends, where the targets and whole-year
    figures stand; a "2026" under the end of 2026 would read as its start. Past seven years
    every other year is labelled, so that the labels stay level on a phone."""
    step = 1 if end - start <= 7 else 2
    years = list(range(end, start, -step))[::-1]
    return {
        "range": [start - 0.2, end + 0.3],  # room for the markers at both ends
        "tickvals": [year - 0.5 for year in years],
        "ticktext": [str(year) for year in years],
        "ticks": "",
        "showgrid": False,
        "minor": {"tickvals": list(range(start, end + 1)), "showgrid": True, "gridcolor": GRID},
        "zeroline": False,
        "fixedrange": True,
    }


def _value_axis(data: IndicatorChartData) -> dict:
    axis = {"automargin": True, "gridcolor": GRID, "zeroline": False, "fixedrange": True}
    if data.unit:
        axis["title"] = {"text": data.unit, "standoff": 4}
    if data.spec.kind == progress.ZERO_EVENT:
        # Counts: whole-number ticks only, and room above the bars for their labels.
        most = max((f.value for f in data.figures if f.value is not None), default=0)
        axis |= {
            "range": [0, float(max(most, 1)) * 1.3],
            "dtick": max(1, math.ceil(most / 4)),
            "tickformat": ",d",
        }
    return axis


def _stage_axis(stages: Sequence[str]) -> dict:
    """The stages, lowest at the bottom, as the y axis's tick labels."""
    return {
        "tickvals": list(range(len(stages))),
        "ticktext": list(stages),
        "range": [-0.5, max(len(stages) - 0.5, 0.5)],
        "automargin": True,
        "gridcolor": GRID,
        "zeroline": False,
        "fixedrange": True,
    }


def _series_name(figures: Sequence[Figure]) -> str:
    """ "Monthly values", "Quarterly values" or "Half-yearly values", by the figures' own
    frequency."""
    frequency = figures[0].period.frequency if figures else periods.QUARTERLY
    names = {
        periods.MONTHLY: _("Monthly values"),
        periods.HALF_YEARLY: _("Half-yearly values"),
    }
    return names.get(frequency, _("Quarterly values"))


def _split(figures: Sequence[Figure]) -> tuple[list[Figure], list[Figure]]:
    """The figures of the indicator's own periods (months, quarters or halves) and the
    whole-year figures, each in time order."""
    ordered = sorted(figures, key=lambda f: (f.period.end, f.period.is_whole_year))
    whole = [f.period.is_whole_year for f in ordered]
    return (
        [f for f, is_whole in zip(ordered, whole, strict=True) if not is_whole],
        [f for f, is_whole in zip(ordered, whole, strict=True) if is_whole],
    )


def _shown(value: Decimal, unit: str) -> str:
    return f"{plain(value)}{unit}"


def _hover(figure: Figure, shown: str) -> str:
    text = _("%(period)s: %(value)s") % {
        "period": figure.period.label(),
        "value": shown,
    }
    # A pending value drawn in place of the figure in force says so, here and by its marker.
    return f"{text} ({FLAG_LABELS[progress.PROVISIONAL]})" if figure.provisional else text


def _markers(figures: Sequence[Figure], symbol: str) -> list[str]:
    """Hollow markers for provisional (not yet approved) values."""
    return [f"{symbol}-open" if f.provisional else symbol for f in figures]


def _numeric_traces(data: IndicatorChartData, end: int) -> list[dict | None]:
    spec, unit = data.spec, data.unit
    quarterly, whole_year = _split([f for f in data.figures if f.value is not None])
    if spec.kind == progress.ZERO_EVENT:
        quarter_trace = _event_bars(quarterly, unit)
    else:
        quarter_trace = _quarter_line(spec.kind, quarterly, unit)
    return [
        _path_trace(data, end),
        _baseline_trace(data),
        _target_trace(progress.target_anchors(spec, data.baseline or Decimal(0)), unit),
        quarter_trace,
        _year_trace(whole_year, unit),
    ]


def _path_trace(data: IndicatorChartData, end: int) -> dict | None:
    """The engine's expected path through (Y_0, B) and the targets; 0 for zero events."""
    if data.baseline is None:
        return None
    spec = data.spec
    if spec.kind == progress.ZERO_EVENT:
        points = [(Decimal(spec.baseline_year), Decimal(0)), (Decimal(end), Decimal(0))]
    else:
        anchors = [
            (spec.baseline_year, data.baseline),
            *progress.target_anchors(spec, data.baseline),
        ]
        points = expected_path_points(spec.baseline_year, anchors, spec.geometric, end_year=end)
    return {
        "type": "scatter",
        "mode": "lines",
        "name": _("Expected path"),
        # Rounded: a month is 0.0833 of a year, and six places are finer than any unit.
        "x": [round(float(t), 4) for t, _v in points],
        "y": [round(float(v), 6) for _t, v in points],
        "line": {"color": MUTED, "dash": "dash", "width": 2},
        "hovertemplate": "%{y:,.2~f}" + data.unit + "<extra>" + _("Expected path") + "</extra>",
    }


def _baseline_trace(data: IndicatorChartData) -> dict | None:
    if data.baseline is None:
        return None
    year = data.spec.baseline_year
    text = _("%(year)s baseline") % {"year": year} + ": " + _shown(data.baseline, data.unit)
    if data.spec.baseline is None and data.spec.kind != progress.CUMULATIVE:
        text += f" ({FLAG_LABELS[progress.BASELINE_MISSING]})"
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _("Baseline"),
        "x": [year],
        "y": [_float(data.baseline)],
        "marker": {"symbol": "diamond", "size": 11, "color": MUTED},
        "hovertext": [text],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _target_trace(targets: Sequence[tuple[int, Decimal]], unit: str) -> dict | None:
    if not targets:
        return None
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _("Targets"),
        "x": [year for year, _v in targets],
        "y": [float(value) for _y, value in targets],
        "marker": {"symbol": "star", "size": 14, "color": TARGET_COLOUR},
        "hovertext": [
            _("%(year)s target") % {"year": year} + ": " + _shown(value, unit)
            for year, value in targets
        ],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _quarter_line(kind: str, figures: Sequence[Figure], unit: str) -> dict | None:
    """Quarterly values at the end of their quarter. A year-to-date total is drawn
    annualised, the engine's own A (progress.annualise), since that is what meets the
    schedule; the hover text gives the reported figure too."""
    if not figures:
        return None
    ys, texts = [], []
    for figure in figures:
        compared, annualised = progress.annualise(
            kind, figure.value, Period.of(figure.year, figure.quarter)
        )
        ys.append(float(compared))
        shown = _shown(figure.value, unit)
        if annualised:
            shown = _("%(value)s, annualised %(annualised)s") % {
                "value": shown,
                "annualised": f"{rounded(compared, 2)}{unit}",
            }
        texts.append(_hover(figure, shown))
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": _series_name(figures),
        "x": [float(f.period.t) for f in figures],
        "y": ys,
        "line": {"color": QUARTER_COLOUR, "width": 2},
        "marker": {"symbol": _markers(figures, "circle"), "size": 8, "color": QUARTER_COLOUR},
        "hovertext": texts,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _event_bars(figures: Sequence[Figure], unit: str) -> dict | None:
    """Events per quarter as bars, each labelled with its count so that 0 is seen too;
    a quarter with events in the colour of a missed target."""
    if not figures:
        return None
    ok, missed = colour(progress.ON_TRACK), colour(progress.FAILED)
    return {
        "type": "bar",
        "name": _series_name(figures),
        "x": [float(f.period.t) for f in figures],
        "y": [float(f.value) for f in figures],
        "width": 0.18,
        "marker": {
            "color": [missed if f.value > 0 else ok for f in figures],
            "opacity": [0.5 if f.provisional else 1 for f in figures],
        },
        "text": [plain(f.value) for f in figures],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": [_hover(f, _shown(f.value, unit)) for f in figures],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _year_trace(figures: Sequence[Figure], unit: str) -> dict | None:
    """Whole-year figures at the end of their year."""
    if not figures:
        return None
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _("Whole-year values"),
        "x": [f.year for f in figures],
        "y": [float(f.value) for f in figures],
        "marker": {"symbol": _markers(figures, "square"), "size": 10, "color": YEAR_COLOUR},
        "hovertext": [_hover(f, _shown(f.value, unit)) for f in figures],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _milestone_traces(data: IndicatorChartData) -> list[dict | None]:
    """Stage reached over time (a step line) and the stage targets, on the stage axis."""
    spec = data.spec
    position = {stage: i for i, stage in enumerate(spec.stages)}
    quarterly, whole_year = _split([f for f in data.figures if f.stage in position])
    targets = None
    if spec.stage_targets:
        targets = {
            "type": "scatter",
            "mode": "markers",
            "name": _("Targets"),
            "x": [year for year, _s in spec.stage_targets],
            "y": [position[stage] for _y, stage in spec.stage_targets],
            "marker": {"symbol": "star", "size": 14, "color": TARGET_COLOUR},
            "hovertext": [
                _("%(year)s target") % {"year": year} + ": " + stage
                for year, stage in spec.stage_targets
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    return [targets, _stage_trace(quarterly, position, True), _stage_trace(whole_year, position)]


def _stage_trace(figures: Sequence[Figure], position: dict, quarterly: bool = False) -> dict | None:
    if not figures:
        return None
    x = [float(f.period.t) if quarterly else f.year for f in figures]
    symbol = "circle" if quarterly else "square"
    return {
        "type": "scatter",
        "mode": "lines+markers" if quarterly else "markers",
        "name": _("Quarterly values") if quarterly else _("Whole-year values"),
        "x": x,
        "y": [position[f.stage] for f in figures],
        "line": {"color": QUARTER_COLOUR, "width": 2, "shape": "hv"},
        "marker": {
            "symbol": _markers(figures, symbol),
            "size": 9,
            "color": QUARTER_COLOUR if quarterly else YEAR_COLOUR,
        },
        "hovertext": [_hover(f, f.stage) for f in figures],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
