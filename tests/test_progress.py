"""Tests of the pure progress engine (domain.md §3–4). No Django, no database.

Numbers are rounded only inside assertions, to the precision domain.md prints.
"""

from dataclasses import replace
from decimal import Decimal, localcontext
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.domain.periods import Period
from indicators.domain.progress import (
    ACHIEVED_FINAL,
    ACHIEVED_MILESTONE,
    AHEAD,
    ANNUAL_TOTAL,
    ANNUALISED,
    BASELINE_MISSING,
    BEHIND,
    CHECK_DATA,
    CUMULATIVE,
    FAILED,
    FAR_BEHIND,
    FLAGS,
    IN_PROGRESS,
    KINDS,
    LEVEL,
    MILESTONE,
    NO_DATA,
    ON_TRACK,
    OVERDUE,
    PROVISIONAL,
    RATE,
    REGRESSING,
    STATUS_CODES,
    ZERO_EVENT,
    IndicatorSpec,
    Observation,
    annualise,
    compared_time,
    evaluate,
    expected_value,
    schedule_position,
)

D = Decimal
BASELINE_YEAR = 2025
NUMERIC_KINDS = (LEVEL, CUMULATIVE, ANNUAL_TOTAL, RATE)
QUARTERS = (None, 1, 2, 3, 4)

# Worse to better, for the monotonicity property.
STATUS_RANK = {
    status: rank
    for rank, status in enumerate(
        (
            REGRESSING,
            FAR_BEHIND,
            BEHIND,
            ON_TRACK,
            AHEAD,
            ACHIEVED_MILESTONE,
            ACHIEVED_FINAL,
        )
    )
}


# The default path: linear 0 → 300 (2028) → 600 (2030), so V(2026) is exactly 100.
DEFAULT_BASELINE = D(0)
DEFAULT_TARGETS = ((2028, D(300)), (2030, D(600)))


def make_spec(
    kind=LEVEL,
    direction=1,
    geometric=False,
    binding=False,
    baseline=DEFAULT_BASELINE,
    targets=DEFAULT_TARGETS,
    **extra,
):
    """Build a spec; the default path is linear 0 → 300 (2028) → 600 (2030)."""
    return IndicatorSpec(
        kind=kind,
        direction=direction,
        geometric=geometric,
        binding=binding,
        baseline_year=BASELINE_YEAR,
        baseline=baseline,
        targets=targets,
        **extra,
    )


def run(spec, value, year=2026, quarter=None, **obs):
    """Evaluate one observation; the default period is the whole year 2026 (t = 2026)."""
    return evaluate(spec, Period.of(year, quarter), Observation(value=value, **obs))


# The plan's own indicators, as used by domain.md's worked examples.
GROSS_OUTPUT = make_spec(  # 全产业链总产值（亿元）
    kind=ANNUAL_TOTAL,
    geometric=True,
    baseline=D(30),
    targets=((2028, D(60)), (2030, D(100))),
)
CROSS_BORDER = make_spec(  # 跨境电商主体（家）
    baseline=D(300), targets=((2028, D(500)), (2030, D(800)))
)
POLICE_CALLS = make_spec(  # 刑事治安警情增速（%）
    kind=RATE,
    direction=-1,
    baseline=D("-8.6"),
    targets=((2028, D(-10)), (2030, D(-10))),
)
ABOVE_SCALE = make_spec(  # 规上企业数量（家）
    baseline=D(0), targets=((2028, D(5)), (2030, D(10)))
)
SAFETY = make_spec(  # 安全生产事故: 零发生 in every column
    kind=ZERO_EVENT, baseline=D(0), targets=((2028, D(0)), (2030, D(0)))
)
BRAND_STAGES = ("未注册", "成功注册", "省内外知名")
BRAND = make_spec(  # 区域品牌知名度: - → 成功注册 → 省内外知名
    kind=MILESTONE,
    baseline=None,
    targets=(),
    stages=BRAND_STAGES,
    stage_targets=((2028, "成功注册"), (2030, "省内外知名")),
)


# --- domain.md §4 worked examples -----------------------------------------------------


def test_gross_output_geometric_2026_is_behind():
    result = run(GROSS_OUTPUT, D(36))
    assert round(result.expected, 2) == D("37.80")
    assert round(result.ratio, 3) == D("0.769")
    assert result.status == BEHIND
    assert result.flags == ()


def test_gross_output_geometric_value_is_30_times_cube_root_of_2():
    with localcontext() as ctx:
        ctx.prec = 28
        exact = D(30) * D(2) ** (D(1) / D(3))
    assert abs(run(GROSS_OUTPUT, D(36)).expected - exact) < D("1e-24")


def test_gross_output_linear_path_gives_40_in_2026():
    anchors = [(2025, D(30)), (2028, D(60)), (2030, D(100))]
    assert expected_value(anchors, D(2026), geometric=False) == D(40)


def test_cross_border_linear_2026_is_ahead():
    result = run(CROSS_BORDER, D(380))
    assert round(result.expected, 2) == D("366.67")
    assert round(result.ratio, 2) == D("1.20")
    assert result.status == AHEAD
    assert result.flags == ()


def test_police_calls_lower_is_better_2026_is_regressing():
    result = run(POLICE_CALLS, D("-7.6"))
    assert round(result.expected, 3) == D("-9.067")
    assert round(result.ratio, 2) == D("-2.14")
    assert result.status == REGRESSING


def test_above_scale_enterprises_reaching_2028_target_in_2026():
    result = run(ABOVE_SCALE, D(5))
    assert result.status == ACHIEVED_MILESTONE
    assert (result.target_year, result.target_value) == (2028, D(5))
    assert result.completion == D(1)
    # R = 5 / (5/3) = 3: far ahead of schedule, so the data is flagged for a check.
    assert round(result.ratio, 6) == D(3)
    assert result.flags == (CHECK_DATA,)


# --- time -----------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("kind", [ANNUAL_TOTAL, RATE])
def test_whole_year_kinds_are_compared_at_year_end(kind, quarter):
    assert compared_time(kind, Period.of(2026, quarter)) == D(2026)


@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("kind", [LEVEL, CUMULATIVE, ZERO_EVENT, MILESTONE])
def test_other_kinds_are_compared_at_elapsed_time(kind, quarter):
    period = Period.of(2026, quarter)
    assert compared_time(kind, period) == period.t


# --- annualisation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "annual", "flag"),
    [
        (1, D(40), True),  # ×4
        (2, D(20), True),  # ×2
        (3, D(40) / D(3), True),  # ×4/3
        (4, D(10), False),
        (None, D(10), False),
    ],
)
def test_annualise_annual_total(quarter, annual, flag):
    assert annualise(ANNUAL_TOTAL, D(10), Period.of(2026, quarter)) == (annual, flag)


@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("kind", [LEVEL, CUMULATIVE, RATE, ZERO_EVENT])
def test_annualise_leaves_other_kinds_alone(kind, quarter):
    assert annualise(kind, D(10), Period.of(2026, quarter)) == (D(10), False)


def test_annualised_value_meets_the_whole_year_schedule():
    # Half of the year's 36 by Q2 is annualised to 36 and compared at t = 2026.
    result = run(GROSS_OUTPUT, D(18), quarter=2)
    assert result.value == D(18)
    assert result.compared_value == D(36)
    assert round(result.expected, 2) == D("37.80")
    assert result.status == BEHIND
    assert result.flags == (ANNUALISED,)
    # τ still uses the elapsed time: half a year of three.
    assert result.time_progress == D(1) / D(6)


def test_rate_is_compared_at_year_end_without_annualising():
    result = run(POLICE_CALLS, D("-9.0"), quarter=1)
    assert result.compared_value == D("-9.0")
    assert round(result.expected, 3) == D("-9.067")
    assert result.flags == ()


def test_level_is_compared_at_elapsed_time():
    result = run(make_spec(), D(50), quarter=2)  # t = 2025.5: V = 300 · 0.5/3 = 50
    assert result.expected == D(50)
    assert result.ratio == D(1)


# --- expected path --------------------------------------------------------------------


def test_path_before_the_baseline_year_is_the_baseline():
    anchors = [(2025, D(30)), (2028, D(60))]
    assert expected_value(anchors, D("2024.5"), geometric=True) == D(30)


def test_path_after_the_last_target_holds_at_the_last_target():
    anchors = [(2025, D(30)), (2028, D(60)), (2030, D(100))]
    assert expected_value(anchors, D(2033), geometric=True) == D(100)


def test_path_of_a_single_anchor_is_flat():
    assert expected_value([(2025, D(7))], D(2030), geometric=False) == D(7)


def test_geometric_path_is_linear_on_segments_with_a_non_positive_end():
    anchors = [(2025, D(0)), (2028, D(6)), (2030, D(24))]
    assert expected_value(anchors, D(2026), geometric=True) == D(2)  # 0 → 6 linear
    assert expected_value(anchors, D(2029), geometric=True) == D(12)  # 6 → 24 compound


def test_geometric_path_with_a_negative_end_is_linear():
    anchors = [(2025, D(-4)), (2029, D(4))]
    assert expected_value(anchors, D(2027), geometric=True) == D(0)


def test_expected_value_needs_an_anchor():
    with pytest.raises(ValueError, match="baseline anchor"):
        expected_value([], D(2026), geometric=False)


def test_expected_value_needs_sorted_anchors():
    with pytest.raises(ValueError, match="sorted"):
        expected_value([(2028, D(60)), (2025, D(30))], D(2026), geometric=False)


def test_results_do_not_depend_on_the_callers_decimal_context():
    reference = run(GROSS_OUTPUT, D(36), quarter=3)
    with localcontext() as ctx:
        ctx.prec = 4
        assert run(GROSS_OUTPUT, D(36), quarter=3) == reference


# --- status bands ---------------------------------------------------------------------

# The default spec's V(2026) is exactly 100, so R = A/100 exactly.
BANDS = [
    ("105", False, AHEAD),
    ("104.99", False, ON_TRACK),
    ("100", False, ON_TRACK),
    ("95", False, ON_TRACK),
    ("94.99", False, BEHIND),
    ("60", False, BEHIND),
    ("59.99", False, FAR_BEHIND),
    ("0", False, FAR_BEHIND),
    ("-0.01", False, REGRESSING),
    ("105", True, AHEAD),
    ("104.99", True, ON_TRACK),
    ("100", True, ON_TRACK),
    ("99.99", True, BEHIND),
    ("95", True, BEHIND),
    ("60", True, BEHIND),
    ("59.99", True, FAR_BEHIND),
    ("0", True, FAR_BEHIND),
    ("-0.01", True, REGRESSING),
]


@pytest.mark.parametrize(("actual", "binding", "status"), BANDS)
def test_band_edges_higher_is_better(actual, binding, status):
    result = run(make_spec(binding=binding), D(actual))
    assert result.expected == D(100)
    assert result.ratio == D(actual) / 100
    assert result.status == status


@pytest.mark.parametrize(("actual", "binding", "status"), BANDS)
def test_band_edges_lower_is_better(actual, binding, status):
    spec = make_spec(direction=-1, binding=binding, targets=((2028, D(-300)), (2030, D(-600))))
    result = run(spec, -D(actual))
    assert result.expected == D(-100)
    assert result.ratio == D(actual) / 100
    assert result.status == status


@pytest.mark.parametrize(
    ("actual", "status"),
    [("40.5", AHEAD), ("40", ON_TRACK), ("39.5", ON_TRACK), ("36", BEHIND)],
)
def test_band_edges_from_a_non_zero_baseline(actual, status):
    spec = make_spec(baseline=D(30), targets=((2028, D(60)),))  # V(2026) = 40
    assert run(spec, D(actual)).status == status


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        ("600", ACHIEVED_FINAL),
        ("700", ACHIEVED_FINAL),
        ("300", ACHIEVED_MILESTONE),
        ("599.99", ACHIEVED_MILESTONE),
        ("299.99", AHEAD),
    ],
)
def test_achieved_statuses_come_first_and_still_report_r(actual, status):
    result = run(make_spec(), D(actual))
    assert result.status == status
    assert result.ratio == D(actual) / 100
    assert result.completion == D(actual) / 300


def test_achieved_final_lower_is_better():
    assert run(POLICE_CALLS, D("-10.5")).status == ACHIEVED_FINAL
    assert run(POLICE_CALLS, D(-10)).status == ACHIEVED_FINAL


def test_completion_and_time_progress():
    result = run(CROSS_BORDER, D(380))
    assert result.completion == D("0.4")  # 80 of the 200 asked for by 2028
    assert result.time_progress == D(1) / D(3)  # one year of three


# --- V(t) = B: the schedule asks for no change ---------------------------------------


@pytest.mark.parametrize(
    ("direction", "actual", "status"),
    [
        (1, "30", ON_TRACK),
        (1, "45", ON_TRACK),
        (1, "29.99", REGRESSING),
        (-1, "30", ON_TRACK),
        (-1, "29", ON_TRACK),
        (1, "60", ACHIEVED_FINAL),
        (-1, "0", ACHIEVED_FINAL),
        (-1, "30.01", REGRESSING),
    ],
)
def test_baseline_year_itself_asks_for_no_change(direction, actual, status):
    spec = make_spec(
        direction=direction,
        baseline=D(30),
        targets=((2028, D(30 + 30 * direction)),),
    )
    result = run(spec, D(actual), year=2025)
    assert result.expected == D(30)
    assert result.ratio is None
    assert result.time_progress == D(0)
    assert result.status == status


def test_baseline_year_of_the_plan_indicator():
    result = run(GROSS_OUTPUT, D(30), year=2025)
    assert (result.expected, result.ratio, result.time_progress) == (D(30), None, 0)
    assert result.status == ON_TRACK
    assert result.target_year == 2028


def test_quarter_of_the_baseline_year_has_no_elapsed_time():
    result = run(make_spec(), D(5), year=2025, quarter=2)  # t = 2024.5, before Y_0
    assert result.time_progress == D(0)
    assert result.expected == D(0)
    assert result.status == ON_TRACK


@pytest.mark.parametrize(
    ("actual", "status"),
    [("10", ACHIEVED_MILESTONE), ("12", ACHIEVED_MILESTONE), ("9", REGRESSING)],
)
def test_target_equal_to_baseline(actual, status):
    spec = make_spec(baseline=D(10), targets=((2028, D(10)), (2030, D(20))))
    result = run(spec, D(actual))
    assert result.expected == D(10)
    assert result.ratio is None  # V = B
    assert result.completion is None  # T_k = B
    assert result.status == status


def test_all_targets_equal_to_baseline():
    spec = make_spec(baseline=D(10), targets=((2028, D(10)), (2030, D(10))))
    assert run(spec, D(10)).status == ACHIEVED_FINAL
    assert run(spec, D("9.9")).status == REGRESSING


# --- missing, zero baselines and zero targets ------------------------------------------


def test_missing_cumulative_baseline_starts_at_zero_without_flag():
    spec = make_spec(kind=CUMULATIVE, baseline=None, targets=((2028, D(3000)),))
    result = run(spec, D(1000), baseline_year_value=D(400))
    assert result.baseline == D(0)  # a running total starts from nothing
    assert result.expected == D(1000)
    assert result.status == ON_TRACK
    assert result.flags == ()


@pytest.mark.parametrize("kind", [LEVEL, ANNUAL_TOTAL, RATE])
def test_missing_baseline_uses_the_baseline_year_actual(kind):
    spec = make_spec(kind=kind, baseline=None, targets=((2028, D(2)), (2030, D(5))))
    result = run(spec, D("1.5"), baseline_year_value=D("0.5"))
    assert result.baseline == D("0.5")
    assert result.expected == D("1")
    assert result.ratio == D(2)
    assert result.flags == (BASELINE_MISSING, CHECK_DATA)


@pytest.mark.parametrize("kind", [LEVEL, ANNUAL_TOTAL, RATE, ZERO_EVENT])
def test_missing_baseline_without_an_actual_uses_zero(kind):
    spec = make_spec(kind=kind, baseline=None, targets=((2028, D(3)), (2030, D(5))))
    result = run(spec, D(0))
    assert result.baseline == D(0)
    assert result.flags == (BASELINE_MISSING,)


def test_given_baseline_ignores_the_baseline_year_actual():
    result = run(CROSS_BORDER, D(380), baseline_year_value=D(1))
    assert result.baseline == D(300)
    assert result.flags == ()


def test_missing_baseline_is_flagged_even_without_a_value():
    spec = make_spec(baseline=None, targets=((2028, D(3)),))
    result = run(spec, None)
    assert result.status == NO_DATA
    assert result.expected == D(1)
    assert result.flags == (BASELINE_MISSING,)


def test_zero_baseline_on_a_geometric_path():
    result = run(make_spec(geometric=True, baseline=D(0)), D(50))
    assert result.expected == D(100)  # 0 → 300 cannot compound: linear
    assert result.ratio == D("0.5")
    spec = make_spec(geometric=True, baseline=D(0), targets=ABOVE_SCALE.targets)
    later = run(spec, D(7), year=2029)  # 5 → 10 compounds: V = 5·√2
    assert round(later.expected, 4) == D("7.0711")


def test_zero_target_lower_is_better():
    spec = make_spec(direction=-1, geometric=True, baseline=D(10), targets=((2028, D(0)),))
    result = run(spec, D(8))
    assert round(result.expected, 3) == D("6.667")  # 10 → 0 cannot compound: linear
    assert round(result.ratio, 6) == D("0.6")
    assert result.completion == D("0.2")
    assert run(spec, D(0)).status == ACHIEVED_FINAL


def test_zero_baseline_and_zero_target():
    spec = make_spec(baseline=D(0), targets=((2028, D(0)),))
    result = run(spec, D(0))
    assert (result.ratio, result.completion) == (None, None)
    assert result.status == ACHIEVED_FINAL
    assert run(spec, D(-1)).status == REGRESSING


# --- flags ----------------------------------------------------------------------------


@pytest.mark.parametrize(("actual", "flags"), [("150", ()), ("150.01", (CHECK_DATA,))])
def test_check_data_above_r_of_one_and_a_half(actual, flags):
    result = run(make_spec(), D(actual))
    assert result.status == AHEAD
    assert result.flags == flags


def test_provisional_only_with_a_value():
    assert run(CROSS_BORDER, D(380), provisional=True).flags == (PROVISIONAL,)
    assert run(CROSS_BORDER, None, provisional=True).flags == ()


def test_all_flags_in_their_fixed_order():
    spec = make_spec(kind=ANNUAL_TOTAL, baseline=None, targets=((2028, D(60)),))
    result = run(spec, D(20), quarter=1, provisional=True, baseline_year_value=D(30))
    assert result.compared_value == D(80)
    assert result.status == ACHIEVED_FINAL
    assert result.flags == (BASELINE_MISSING, ANNUALISED, PROVISIONAL, CHECK_DATA)


# --- no data, time progress, periods past the last target ----------------------------


def test_no_data_still_reports_the_schedule():
    result = run(GROSS_OUTPUT, None, quarter=2)
    assert result.status == NO_DATA
    assert (result.value, result.compared_value) == (None, None)
    assert (result.ratio, result.completion) == (None, None)
    assert round(result.expected, 2) == D("37.80")
    assert (result.target_year, result.target_value) == (2028, D(60))
    assert result.flags == ()


@pytest.mark.parametrize(
    ("year", "quarter", "target_year", "tau"),
    [
        (2026, 1, 2028, D(1) / D(12)),
        (2028, 3, 2028, D(11) / D(12)),
        (2028, 4, 2028, D(1)),
        (2028, None, 2028, D(1)),
        (2029, 1, 2030, D("0.125")),
        (2030, None, 2030, D(1)),
        (2031, 1, 2030, D(1)),
        (2036, None, 2030, D(1)),
    ],
)
def test_current_milestone_and_time_progress(year, quarter, target_year, tau):
    result = run(make_spec(), D(1), year=year, quarter=quarter)
    assert (result.target_year, result.time_progress) == (target_year, tau)


def test_annual_total_takes_its_milestone_from_elapsed_time():
    result = run(GROSS_OUTPUT, D(20), year=2029, quarter=1)  # t = 2028.25
    assert result.target_year == 2030
    assert result.compared_value == D(80)
    assert round(result.expected, 2) == D("77.46")  # V(2029) = 60·(100/60)^½


def test_period_past_the_last_target():
    result = run(GROSS_OUTPUT, D(95), year=2032)
    assert (result.target_year, result.target_value) == (2030, D(100))
    assert result.time_progress == D(1)
    assert result.expected == D(100)
    assert result.ratio == D(65) / D(70)
    assert result.status == BEHIND
    assert run(GROSS_OUTPUT, D(100), year=2032).status == ACHIEVED_FINAL


@pytest.mark.parametrize(
    ("direction", "actual", "status"),
    [
        (1, "10", ON_TRACK),
        (1, "12", ON_TRACK),
        (1, "9", REGRESSING),
        (-1, "9", ON_TRACK),
        (-1, "11", REGRESSING),
    ],
)
def test_indicator_without_targets_asks_for_no_change(direction, actual, status):
    spec = make_spec(direction=direction, baseline=D(10), targets=())
    result = run(spec, D(actual))
    assert result.status == status
    assert result.expected == D(10)
    assert (result.target_year, result.target_value, result.time_progress) == (
        None,
        None,
        None,
    )
    assert (result.ratio, result.completion) == (None, None)
    assert run(spec, None).status == NO_DATA


# --- zero_event -----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "status"), [(D(0), ON_TRACK), (D(1), FAILED), (D(3), FAILED)])
def test_zero_event(count, status):
    result = run(SAFETY, count, quarter=2)
    assert result.status == status
    assert result.expected == D(0)
    assert (result.ratio, result.completion) == (None, None)
    assert result.time_progress == D(1) / D(6)
    assert (result.target_year, result.target_value) == (2028, D(0))
    assert result.flags == ()


def test_zero_event_without_data():
    result = run(SAFETY, None, provisional=True)
    assert result.status == NO_DATA
    assert result.flags == ()


def test_zero_event_provisional():
    assert run(SAFETY, D(0), provisional=True).flags == (PROVISIONAL,)


def test_zero_event_rejects_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        run(SAFETY, D(-1))


# --- milestone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "quarter", "stage", "status", "target"),
    [
        (2026, None, "未注册", IN_PROGRESS, (2028, "成功注册")),
        (2026, None, "成功注册", ACHIEVED_MILESTONE, (2028, "成功注册")),
        (2026, None, "省内外知名", ACHIEVED_FINAL, (2028, "成功注册")),
        (2028, 4, "未注册", IN_PROGRESS, (2028, "成功注册")),  # due now, not late yet
        (2029, 1, "未注册", OVERDUE, (2030, "省内外知名")),  # the 2028 stage is late
        (2029, 1, "成功注册", IN_PROGRESS, (2030, "省内外知名")),
        (2030, None, "成功注册", IN_PROGRESS, (2030, "省内外知名")),
        (2031, 1, "成功注册", OVERDUE, (2030, "省内外知名")),
        (2031, 1, "省内外知名", ACHIEVED_FINAL, (2030, "省内外知名")),
        (2026, None, None, NO_DATA, (2028, "成功注册")),
    ],
)
def test_milestone(year, quarter, stage, status, target):
    result = evaluate(BRAND, Period.of(year, quarter), Observation(stage=stage))
    assert result.status == status
    assert (result.target_year, result.target_stage) == target
    assert result.target_value is None
    assert (result.baseline, result.expected) == (None, None)
    assert (result.ratio, result.completion) == (None, None)
    assert result.flags == ()  # stages have no numeric baseline to miss


def test_milestone_time_progress():
    result = evaluate(BRAND, Period.of(2029, 2), Observation(stage="成功注册"))
    assert result.time_progress == D("0.25")


def test_milestone_unknown_stage():
    with pytest.raises(ValueError, match="'已注册' is not one of"):
        evaluate(BRAND, Period.of(2026, None), Observation(stage="已注册"))


def test_milestone_provisional_only_with_a_stage():
    reached = evaluate(BRAND, Period.of(2026, None), Observation(stage="未注册", provisional=True))
    assert reached.flags == (PROVISIONAL,)
    missing = evaluate(BRAND, Period.of(2026, None), Observation(provisional=True))
    assert missing.flags == ()


def test_milestone_without_stage_targets_is_in_progress():
    spec = replace(BRAND, stage_targets=())
    result = evaluate(spec, Period.of(2026, None), Observation(stage="成功注册"))
    assert result.status == IN_PROGRESS
    assert (result.target_year, result.target_stage, result.time_progress) == (
        None,
        None,
        None,
    )


# --- spec and observation checks ------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"kind": "ratio"}, ValueError, "unknown indicator kind"),
        ({"direction": 0}, ValueError, "direction"),
        ({"direction": True}, ValueError, "direction"),
        ({"baseline": 30.0}, TypeError, "baseline must be a Decimal"),
        ({"baseline": "30"}, TypeError, "baseline must be a Decimal"),
        ({"baseline": D("NaN")}, ValueError, "finite"),
        ({"targets": ((2028, 60.0),)}, TypeError, "target 2028"),
        ({"targets": ((2025, D(60)),)}, ValueError, "strictly increasing"),
        ({"targets": ((2030, D(1)), (2028, D(2)))}, ValueError, "strictly increasing"),
        ({"targets": ((2028, D(1)), (2028, D(2)))}, ValueError, "strictly increasing"),
        ({"stage_targets": ((2028, "a"),)}, ValueError, "not stage targets"),
    ],
)
def test_malformed_numeric_spec(changes, error, message):
    with pytest.raises(error, match=message):
        replace(CROSS_BORDER, **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"targets": ((2028, D(1)),)}, "not numeric targets"),
        ({"stages": ("a", "a")}, "distinct"),
        ({"stage_targets": ((2028, "享誉全国"),)}, "'享誉全国' is not one of"),
        ({"stage_targets": ((2024, "成功注册"),)}, "strictly increasing"),
    ],
)
def test_malformed_milestone_spec(changes, message):
    with pytest.raises(ValueError, match=message):
        replace(BRAND, **changes)


def test_spec_accepts_ints_as_exact_decimals():
    spec = make_spec(baseline=300, targets=((2028, 500),))
    assert spec.baseline == D(300) and isinstance(spec.baseline, Decimal)
    assert spec.targets == ((2028, D(500)),)
    assert isinstance(spec.targets[0][1], Decimal)


def test_spec_accepts_target_lists():
    spec = make_spec(targets=[(2028, D(5))], stages=[])
    assert spec.targets == ((2028, D(5)),)


@pytest.mark.parametrize("field", ["value", "baseline_year_value"])
def test_observation_refuses_floats(field):
    with pytest.raises(TypeError, match=field):
        Observation(**{field: 1.5})


def test_observation_accepts_ints():
    assert Observation(value=3).value == D(3)


# --- properties -----------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)

amounts = st.decimals(
    min_value=-(10**6),
    max_value=10**6,
    allow_nan=False,
    allow_infinity=False,
    places=2,
)
positive_amounts = st.decimals(
    min_value=D("0.01"),
    max_value=10**6,
    allow_nan=False,
    allow_infinity=False,
    places=2,
)
non_negative_amounts = st.decimals(
    min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False, places=2
)
years = st.integers(BASELINE_YEAR, 2036)
quarters = st.sampled_from(QUARTERS)


@st.composite
def target_years(draw, min_size=0):
    """Strictly increasing years after the baseline year, e.g. [2028, 2030, 2035]."""
    gaps = draw(st.lists(st.integers(1, 5), min_size=min_size, max_size=3))
    return list(accumulate(gaps, initial=BASELINE_YEAR))[1:]


@st.composite
def anchor_lists(draw, values):
    """[(Y_0, B), (Y_1, T_1), …] with strictly increasing years."""
    anchor_years = [BASELINE_YEAR, *draw(target_years())]
    return [(year, draw(values)) for year in anchor_years]


@st.composite
def better_moving_specs(draw):
    """Numeric specs whose every target is at least as good as the baseline."""
    direction = draw(st.sampled_from((1, -1)))
    baseline = draw(amounts)
    targets = tuple(
        (year, baseline + direction * draw(non_negative_amounts)) for year in draw(target_years())
    )
    return make_spec(
        kind=draw(st.sampled_from(NUMERIC_KINDS)),
        direction=direction,
        geometric=draw(st.booleans()),
        binding=draw(st.booleans()),
        baseline=baseline,
        targets=targets,
    )


@st.composite
def linear_specs(draw):
    """Numeric linear specs with any targets, a baseline that may be missing."""
    return make_spec(
        kind=draw(st.sampled_from(NUMERIC_KINDS)),
        direction=draw(st.sampled_from((1, -1))),
        binding=draw(st.booleans()),
        baseline=draw(st.none() | amounts),
        targets=tuple((year, draw(amounts)) for year in draw(target_years())),
    )


@st.composite
def edge_specs(draw):
    """Any kind, with the edges: missing or zero baseline, zero or equal targets."""
    kind = draw(st.sampled_from(KINDS))
    baseline = draw(st.none() | st.just(D(0)) | amounts)
    chosen_years = draw(target_years())
    if kind == MILESTONE:
        stages = ("a", "b", "c", "d")
        due = tuple((year, draw(st.sampled_from(stages))) for year in chosen_years)
        return make_spec(kind=kind, baseline=None, targets=(), stages=stages, stage_targets=due)
    equal_to_baseline = st.just(D(0) if baseline is None else baseline)
    target_values = equal_to_baseline | st.just(D(0)) | amounts
    return make_spec(
        kind=kind,
        direction=draw(st.sampled_from((1, -1))),
        geometric=draw(st.booleans()),
        binding=draw(st.booleans()),
        baseline=baseline,
        targets=tuple((year, draw(target_values)) for year in chosen_years),
    )


@st.composite
def observations_for(draw, spec):
    """An observation that fits the spec's kind, any of its fields possibly missing."""
    if spec.kind == MILESTONE:
        value, stage = None, draw(st.none() | st.sampled_from(spec.stages))
    elif spec.kind == ZERO_EVENT:
        value, stage = draw(st.none() | st.integers(0, 5).map(D)), None
    else:
        value, stage = draw(st.none() | amounts), None
    return Observation(
        value=value,
        stage=stage,
        provisional=draw(st.booleans()),
        baseline_year_value=draw(st.none() | amounts),
    )


def mirrored(value):
    return None if value is None else -value


@PROPERTY_SETTINGS
@given(anchors=anchor_lists(amounts | positive_amounts), geometric=st.booleans())
def test_path_passes_through_every_anchor(anchors, geometric):
    for year, value in anchors:
        assert expected_value(anchors, D(year), geometric) == value


@PROPERTY_SETTINGS
@given(
    start=positive_amounts,
    end=positive_amounts,
    start_year=years,
    span=st.integers(1, 10),
    data=st.data(),
)
def test_geometric_path_is_linear_in_log_space(start, end, start_year, span, data):
    anchors = [(start_year, start), (start_year + span, end)]
    quarter_steps = data.draw(st.integers(0, 4 * span))
    for t in (D(start_year) + D(span) / 2, D(start_year) + D(quarter_steps) / 4):
        fraction = (t - start_year) / span
        value = expected_value(anchors, t, geometric=True)
        with localcontext() as ctx:
            ctx.prec = 40
            wanted = start.ln() + fraction * (end.ln() - start.ln())
            assert abs(value.ln() - wanted) < D("1e-20")


@PROPERTY_SETTINGS
@given(
    spec=better_moving_specs(),
    year=years,
    quarter=quarters,
    first=amounts,
    second=amounts,
)
def test_a_better_actual_never_gives_a_worse_status(spec, year, quarter, first, second):
    worse, better = sorted((first, second), key=lambda value: spec.direction * value)
    worse_status = run(spec, worse, year=year, quarter=quarter).status
    better_status = run(spec, better, year=year, quarter=quarter).status
    assert STATUS_RANK[better_status] >= STATUS_RANK[worse_status]


@PROPERTY_SETTINGS
@given(
    spec=linear_specs(),
    year=years,
    quarter=quarters,
    value=amounts,
    baseline_year_value=st.none() | amounts,
)
def test_mirroring_direction_and_numbers_keeps_the_status(
    spec, year, quarter, value, baseline_year_value
):
    mirror = replace(
        spec,
        direction=-spec.direction,
        baseline=mirrored(spec.baseline),
        targets=tuple((when, -target) for when, target in spec.targets),
    )
    original = run(spec, value, year, quarter, baseline_year_value=baseline_year_value)
    flipped = run(mirror, -value, year, quarter, baseline_year_value=mirrored(baseline_year_value))
    assert flipped.status == original.status
    assert (flipped.ratio, flipped.completion) == (original.ratio, original.completion)
    assert flipped.expected == -original.expected
    assert flipped.flags == original.flags


@PROPERTY_SETTINGS
@given(data=st.data(), spec=edge_specs(), year=years, quarter=quarters)
def test_evaluate_never_fails_and_gives_defined_results(data, spec, year, quarter):
    obs = data.draw(observations_for(spec))
    result = evaluate(spec, Period.of(year, quarter), obs)
    assert result.status in STATUS_CODES
    assert list(result.flags) == [flag for flag in FLAGS if flag in result.flags]
    numbers = (
        result.value,
        result.compared_value,
        result.baseline,
        result.expected,
        result.target_value,
        result.ratio,
        result.completion,
        result.time_progress,
    )
    assert all(n is None or (isinstance(n, Decimal) and n.is_finite()) for n in numbers)
    assert result.time_progress is None or D(0) <= result.time_progress <= D(1)
    if result.status == NO_DATA:
        assert (result.ratio, result.completion) == (None, None)
        assert PROVISIONAL not in result.flags
    if spec.kind in NUMERIC_KINDS and obs.value is not None:
        assert (result.ratio is None) == (result.expected == result.baseline)


def test_schedule_position_of_the_plan():
    assert schedule_position(2025, [2028, 2030], Period.of(2026, 3)) == (2028, Decimal("0.25"))
    assert schedule_position(2025, [2030, 2028], Period.of(2028, None)) == (2028, Decimal(1))
    assert schedule_position(2025, [2028, 2030], Period.of(2029, 2)) == (2030, Decimal("0.25"))
    assert schedule_position(2025, [], Period.of(2026, 1)) == (None, None)
