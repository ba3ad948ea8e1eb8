"""The chart builders (reports/charts.py): plain data in, a plotly figure out; no database.

Every figure is also checked against plotly's own schema (`plotly.graph_objects.Figure`
raises on an unknown property or a bad value), since the builders write plain dicts."""

import json
from decimal import Decimal as D

import plotly.graph_objects as go
import pytest
from django.utils import translation

from indicators.domain import progress
from indicators.domain.periods import Figure
from indicators.domain.statuses import STATUS_COLOURS, STATUS_ORDER, status_label
from reports import charts
from reports.charts import IndicatorChartData, expected_path_points, indicator_figure

PATH, BASELINE, TARGETS = "序时进度路径", "基期值", "目标值"
QUARTERLY, WHOLE_YEAR = "季度值", "全年值"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def valid(figure: dict) -> dict:
    """The figure passes plotly's validation and survives plain JSON (floats, not Decimals)."""
    go.Figure(figure)
    return json.loads(json.dumps(figure))


def traces(figure: dict) -> dict[str, dict]:
    return {trace["name"]: trace for trace in figure["data"]}


def points(trace: dict) -> list[tuple[float, float]]:
    return list(zip(trace["x"], trace["y"], strict=True))


def spec(**fields) -> progress.IndicatorSpec:
    """全产业链总产值 by default: 30 → 60 (2028) → 100 (2030), geometric, an annual total."""
    values = {
        "kind": "annual_total",
        "direction": 1,
        "geometric": True,
        "binding": False,
        "baseline_year": 2025,
        "baseline": D(30),
        "targets": ((2028, D(60)), (2030, D(100))),
    }
    return progress.IndicatorSpec(**(values | fields))


def data(**fields) -> IndicatorChartData:
    values = {
        "spec": spec(),
        "baseline": D(30),
        "figures": (
            Figure(2026, 1, D(9)),
            Figure(2026, 2, D(18)),
            Figure(2026, 3, D(27)),
            Figure(2026, None, D(36)),
        ),
        "status": progress.BEHIND,
        "period": (2026, None),
        "unit": "亿元",
    }
    return IndicatorChartData(**(values | fields))


# --- Counts by status ----------------------------------------------------------------------


def test_status_counts_are_bars_in_report_order_coloured_by_status():
    counts = {code: i for i, code in enumerate(reversed(STATUS_ORDER))}
    figure = valid(charts.status_counts_figure(counts))
    (bars,) = figure["data"]
    assert bars["type"] == "bar" and bars["orientation"] == "h"
    assert bars["y"] == [status_label(code) for code in STATUS_ORDER]
    assert bars["x"] == [counts[code] for code in STATUS_ORDER]
    assert bars["marker"]["color"] == ["#" + STATUS_COLOURS[code] for code in STATUS_ORDER]
    assert bars["y"][0] == "已完成终期目标"  # Chinese labels, done first
    # The first status on top, no legend, the width left to the phone's screen.
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"
    assert figure["layout"]["showlegend"] is False
    assert "width" not in figure["layout"] and figure["layout"]["autosize"] is True
    assert figure["layout"]["margin"]["l"] <= 10


def test_status_counts_keep_zeros_unless_asked_and_grow_with_the_bars():
    counts = {progress.AHEAD: 3, progress.BEHIND: 0, progress.NO_DATA: 2}
    every = valid(charts.status_counts_figure(counts))
    some = valid(charts.status_counts_figure(counts, skip_zero=True))
    assert every["data"][0]["customdata"] == [progress.AHEAD, progress.BEHIND, progress.NO_DATA]
    assert some["data"][0]["customdata"] == [progress.AHEAD, progress.NO_DATA]
    assert some["layout"]["height"] < every["layout"]["height"]


# --- The expected path ---------------------------------------------------------------------


def test_the_path_passes_through_the_baseline_and_every_target_month_by_month():
    anchors = [(2025, D(30)), (2028, D(60)), (2030, D(100))]
    path = dict(expected_path_points(2025, anchors, geometric=True))
    assert len(path) == 5 * 12 + 1
    assert path[D(2025)] == 30 and path[D(2028)] == 60 and path[D(2030)] == 100
    # domain.md §4: geometric V(2026) = 30·2^(1/3) = 37.80
    assert round(path[D(2026)], 2) == D("37.80")


def test_a_geometric_path_is_curved_below_the_straight_line():
    anchors = [(2025, D(30)), (2028, D(60))]
    geometric = dict(expected_path_points(2025, anchors, geometric=True))
    linear = dict(expected_path_points(2025, anchors, geometric=False))
    middle = D("2026.5")
    assert linear[middle] == 45  # halfway between 30 and 60
    assert geometric[middle] < 45  # 30·√2 = 42.43
    assert round(geometric[middle], 2) == D("42.43")
    # and every point of it is the engine's own V(t)
    for t, value in geometric.items():
        assert value == progress.expected_value(anchors, t, True)


def test_the_path_holds_at_the_last_target_up_to_a_later_end():
    anchors = [(2025, D(2)), (2028, D(5))]
    path = expected_path_points(2025, anchors, geometric=False, end_year=2030)
    assert path[-1] == (D(2030), D(5))


# --- One numeric indicator -----------------------------------------------------------------


def test_a_numeric_chart_has_its_series_named_in_chinese():
    figure = valid(indicator_figure(data()))
    assert set(traces(figure)) == {PATH, BASELINE, TARGETS, QUARTERLY, WHOLE_YEAR}


def test_the_drawn_path_passes_through_baseline_and_targets_and_is_curved():
    figure = valid(indicator_figure(data()))
    path = dict(points(traces(figure)[PATH]))
    assert path[2025] == 30 and path[2028] == 60 and path[2030] == 100
    assert path[2026.5] < (30 + 60) / 2  # compound growth: below the straight line
    assert points(traces(figure)[BASELINE]) == [(2025, 30)]
    assert points(traces(figure)[TARGETS]) == [(2028, 60), (2030, 100)]


def test_quarterly_values_sit_at_their_time_and_a_year_to_date_total_is_annualised():
    figure = valid(indicator_figure(data()))
    quarterly = traces(figure)[QUARTERLY]
    # t = y − 1 + q/4 (domain.md §4): 2026's quarters end at 2025.25 … 2025.75, the year at 2026
    assert quarterly["x"] == [2025.25, 2025.5, 2025.75]
    # 9 in Q1, 18 by Q2, 27 by Q3: 36 a year each time, as the engine compares them
    assert quarterly["y"] == [36, 36, 36]
    assert "1–3" not in quarterly["hovertext"][0]
    assert quarterly["hovertext"][0] == "2026年第1季度：9亿元，折算全年36亿元"
    assert points(traces(figure)[WHOLE_YEAR]) == [(2026, 36)]


def test_a_level_is_drawn_as_reported():
    level = data(spec=spec(kind="level", geometric=False), figures=(Figure(2026, 1, D(9)),))
    quarterly = traces(valid(indicator_figure(level)))[QUARTERLY]
    assert quarterly["y"] == [9] and quarterly["hovertext"] == ["2026年第1季度：9亿元"]


def test_the_title_gives_the_period_and_the_status_in_its_colour():
    figure = valid(indicator_figure(data(status=progress.FAR_BEHIND, period=(2026, 3))))
    title = figure["layout"]["title"]["text"]
    assert title.startswith("2026年第3季度：")
    assert status_label(progress.FAR_BEHIND) in title
    assert "#" + STATUS_COLOURS[progress.FAR_BEHIND] in title


def test_the_axes_read_as_years_and_the_unit():
    layout = valid(indicator_figure(data()))["layout"]
    # Each year labelled in the middle of its span (y − 1, y], where its quarters lie; the
    # gridlines at the year ends, where the baseline, the targets and whole-year values stand.
    assert layout["xaxis"]["tickvals"] == [2025.5, 2026.5, 2027.5, 2028.5, 2029.5]
    assert layout["xaxis"]["ticktext"] == ["2026", "2027", "2028", "2029", "2030"]
    assert layout["xaxis"]["minor"]["tickvals"] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert layout["yaxis"]["title"]["text"] == "亿元"
    assert "width" not in layout and layout["legend"]["orientation"] == "h"


def test_the_axis_shows_the_baseline_years_quarters_and_thins_its_labels_over_long_spans():
    figures = (Figure(2025, 1, D(7)), Figure(2026, 1, D(9)))
    long = spec(targets=((2028, D(60)), (2030, D(100)), (2035, D(200))))
    xaxis = valid(indicator_figure(data(spec=long, figures=figures)))["layout"]["xaxis"]
    assert xaxis["range"][0] < 2024.25  # 2025 Q1 ends at t = 2024.25
    assert xaxis["ticktext"] == ["2025", "2027", "2029", "2031", "2033", "2035"]
    assert xaxis["tickvals"][-1] == 2034.5


def test_pending_values_are_hollow_and_say_so():
    figures = (Figure(2026, 1, D(9)), Figure(2026, 2, D(18), provisional=True))
    quarterly = traces(valid(indicator_figure(data(figures=figures))))[QUARTERLY]
    assert quarterly["marker"]["symbol"] == ["circle", "circle-open"]
    assert "未经审核" in quarterly["hovertext"][1] and "未经审核" not in quarterly["hovertext"][0]


def test_a_missing_baseline_is_drawn_where_the_engine_put_it_and_flagged():
    figure = indicator_figure(data(spec=spec(baseline=None), baseline=D(28)))
    baseline = traces(valid(figure))[BASELINE]
    assert points(baseline) == [(2025, 28)] and "基期值缺失" in baseline["hovertext"][0]


def test_without_values_or_targets_only_the_flat_schedule_is_left():
    bare = data(spec=spec(targets=(), geometric=False), figures=(), status=progress.NO_DATA)
    figure = valid(indicator_figure(bare))
    assert set(traces(figure)) == {PATH, BASELINE}
    assert set(traces(figure)[PATH]["y"]) == {30}


# --- Zero events and milestones ------------------------------------------------------------


def test_zero_events_are_bars_against_a_target_of_zero():
    events = data(
        spec=spec(
            kind="zero_event", geometric=False, baseline=D(2), targets=((2028, D(0)), (2030, D(0)))
        ),
        baseline=D(2),
        figures=(Figure(2026, 1, D(0)), Figure(2026, 2, D(1)), Figure(2026, 3, D(0))),
        status=progress.FAILED,
        unit="起",
    )
    figure = valid(indicator_figure(events))
    bars = traces(figure)[QUARTERLY]
    assert bars["type"] == "bar" and bars["y"] == [0, 1, 0]
    assert bars["text"] == ["0", "1", "0"]  # a quarter without events is seen too
    ok, missed = "#" + STATUS_COLOURS[progress.ON_TRACK], "#" + STATUS_COLOURS[progress.FAILED]
    assert bars["marker"]["color"] == [ok, missed, ok]
    assert points(traces(figure)[TARGETS]) == [(2028, 0), (2030, 0)]
    assert set(traces(figure)[PATH]["y"]) == {0}
    yaxis = figure["layout"]["yaxis"]
    assert yaxis["dtick"] == 1 and yaxis["range"][0] == 0 and yaxis["range"][1] > 1


def test_a_milestone_plots_stages_with_their_names_on_the_axis():
    stages = ("未注册", "成功注册", "省内外知名")
    brand = IndicatorChartData(
        spec=progress.IndicatorSpec(
            kind="milestone",
            direction=1,
            geometric=False,
            binding=False,
            baseline_year=2025,
            baseline=None,
            stages=stages,
            stage_targets=((2028, "成功注册"), (2030, "省内外知名")),
        ),
        baseline=None,
        figures=(
            Figure(2026, 1, stage="未注册"),
            Figure(2026, 2, stage="成功注册", provisional=True),
            Figure(2026, None, stage="成功注册"),
        ),
        status=progress.ACHIEVED_MILESTONE,
        period=(2026, None),
    )
    figure = valid(indicator_figure(brand))
    assert set(traces(figure)) == {TARGETS, QUARTERLY, WHOLE_YEAR}  # no numeric path
    yaxis = figure["layout"]["yaxis"]
    assert yaxis["tickvals"] == [0, 1, 2] and yaxis["ticktext"] == list(stages)
    assert points(traces(figure)[TARGETS]) == [(2028, 1), (2030, 2)]
    assert points(traces(figure)[QUARTERLY]) == [(2025.25, 0), (2025.5, 1)]
    assert traces(figure)[QUARTERLY]["marker"]["symbol"] == ["circle", "circle-open"]
    assert points(traces(figure)[WHOLE_YEAR]) == [(2026, 1)]


def test_labels_follow_the_language():
    with translation.override("en"):
        figure = indicator_figure(data())
    assert set(traces(figure)) == {
        "Expected path",
        "Baseline",
        "Targets",
        "Quarterly values",
        "Whole-year values",
    }
