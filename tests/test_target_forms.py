"""The target forms of domain.md §9 in the pure engine: every worked example, and properties.

Numbers are typed from domain.md §9; results are rounded only inside the assertions, to the
precision §9 prints.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.domain.periods import Period
from indicators.domain.progress import (
    ABOUT,
    ACHIEVED_FINAL,
    AHEAD,
    ANNUAL_TOTAL,
    ASSIGNED,
    AT_LEAST,
    AT_MOST,
    BEHIND,
    BETWEEN,
    EARLIER_PERIOD,
    FAILED,
    FAR_BEHIND,
    INCOMPLETE_YEARS,
    LEVEL,
    NO_DATA,
    ON_TRACK,
    PER_YEAR,
    QUALITATIVE,
    RATE,
    RELATIVE,
    TARGET_PENDING,
    TOTAL,
    Goal,
    IndicatorSpec,
    Observation,
    evaluate,
)

WHOLE = None


def spec(*goals, kind=LEVEL, direction=1, binding=False, baseline=None, in_points=False):
    return IndicatorSpec(
        kind=kind,
        direction=direction,
        geometric=False,
        binding=binding,
        baseline_year=2025,
        baseline=baseline,
        goals=goals,
        in_points=in_points,
    )


def run(indicator, year, value, quarter=WHOLE, **obs):
    return evaluate(indicator, Period.of(year, quarter), Observation(value=value, **obs))


def r3(number):
    return round(number, 3)


# --- The worked examples of §9 --------------------------------------------------------

UNEMPLOYMENT = spec(
    Goal(2030, AT_MOST, D("5.5")), kind=LEVEL, direction=-1, baseline=D("4.8"), in_points=True
)


@pytest.mark.parametrize(("value", "status"), [(D("5.2"), ON_TRACK), (D("5.7"), FAILED)])
def test_unemployment_within_5_5_is_a_limit(value, status):
    """城镇调查失业率 控制在5.5%以内, B 4.8: a limit, V/R/C null."""
    result = run(UNEMPLOYMENT, 2027, value)
    assert result.status == status
    assert result.holding is True
    assert (result.expected, result.ratio, result.completion) == (None, None, None)


def test_air_quality_at_least_95_binding():
    """空气质量优良天数比率 ≥95, binding, B 92: 2027, A 93.1 → V 93.2, R 0.917 → behind."""
    air = spec(Goal(2030, AT_LEAST, D(95)), binding=True, baseline=D(92), in_points=True)
    result = run(air, 2027, D("93.1"))
    assert r3(result.expected) == D("93.2")
    assert r3(result.ratio) == D("0.917")
    assert result.status == BEHIND
    assert result.holding is False


URBAN = spec(Goal(2030, ABOUT, D(60)), baseline=D(55), in_points=True)


@pytest.mark.parametrize(
    ("year", "value", "expected", "ratio", "status"),
    [
        (2027, D("57.3"), D("57.0"), D("1.15"), AHEAD),
        (2029, D("57.3"), D("59.0"), D("0.575"), FAR_BEHIND),
    ],
)
def test_urbanisation_about_60(year, value, expected, ratio, status):
    """常住人口城镇化率 60左右, B 55."""
    result = run(URBAN, year, value)
    assert round(result.expected, 1) == expected
    assert r3(result.ratio) == ratio
    assert result.status == status


def test_urbanisation_within_half_a_point_is_achieved():
    assert run(URBAN, 2029, D("59.6")).status == ACHIEVED_FINAL


GDP = spec(Goal(2030, PER_YEAR, D(6)), kind=RATE)


def test_gdp_growth_six_percent_a_year():
    """年均增长6%: 2026 6.8, 2027 5.1 → Π 1.122468, required 0.1236, R 0.9908 → on_track."""
    result = run(GDP, 2027, D("5.1"), earlier_rates=((2026, D("6.8")),))
    assert round(result.ratio, 4) == D("0.9908")
    assert result.status == ON_TRACK
    assert INCOMPLETE_YEARS not in result.flags


def test_gdp_growth_with_a_year_to_date_rate():
    """2028 Q2 year-to-date 5.5 → R 0.9643 → on_track."""
    rates = ((2026, D("6.8")), (2027, D("5.1")))
    result = run(GDP, 2028, D("5.5"), quarter=2, earlier_rates=rates)
    assert round(result.ratio, 4) == D("0.9643")
    assert result.status == ON_TRACK


def test_energy_intensity_down_13_5_percent_in_total_binding():
    """单位GDP能耗降低 累计13.5%, binding: 2026 3.0, 2027 2.5 → X 0.05425, required 0.05636,
    R 0.9626 → behind (binding band)."""
    energy = spec(Goal(2030, TOTAL, D("13.5"), compound=-1), kind=RATE, binding=True)
    result = run(energy, 2027, D("2.5"), earlier_rates=((2026, D("3.0")),))
    assert round(result.ratio, 4) == D("0.9626")
    assert result.status == BEHIND


INCOME = spec(Goal(2030, RELATIVE, tolerance=D("0.5")), kind=RATE)


@pytest.mark.parametrize(("income", "status"), [(D("4.8"), ON_TRACK), (D("4.4"), FAILED)])
def test_income_in_step_with_the_economy(income, status):
    """与经济增长基本同步 (δ 0.5): GDP 5.1."""
    result = run(INCOME, 2027, income, reference_value=D("5.1"))
    assert result.status == status
    assert result.holding is True


LAND = spec(Goal(2030, ASSIGNED), baseline=D("21.5"))


def test_farmland_as_assigned():
    """耕地保有量 完成市下达任务: 2027 assigned 21.6, A 21.65 → on_track; 2028 nothing
    assigned yet → target_pending."""
    met = run(LAND, 2027, D("21.65"), assigned=D("21.6"))
    assert met.status == ON_TRACK
    assert met.target_value == D("21.6")
    assert run(LAND, 2028, D("21.65")).status == TARGET_PENDING


# --- Every form, every edge ------------------------------------------------------------


def test_a_strict_limit_excludes_its_number():
    strict = spec(Goal(2030, AT_LEAST, D(7), strict=True), kind=RATE, baseline=D(8))
    assert run(strict, 2026, D(7)).status == FAILED
    assert run(strict, 2026, D("7.1")).status == ON_TRACK


def test_between_heads_for_the_bound_on_the_baseline_side():
    low = spec(Goal(2030, BETWEEN, lower=D(6), upper=D("6.5")), baseline=D(5))
    assert run(low, 2030, D(6)).status == ACHIEVED_FINAL
    assert run(low, 2027, D(5)).target_value == D(6)
    high = spec(Goal(2030, BETWEEN, lower=D(6), upper=D("6.5")), direction=-1, baseline=D(8))
    assert run(high, 2027, D(8)).target_value == D("6.5")
    inside = spec(Goal(2030, BETWEEN, lower=D(6), upper=D("6.5")), baseline=D("6.2"))
    assert run(inside, 2027, D("6.6")).status == FAILED


def test_about_defaults_to_five_percent_outside_points():
    wages = spec(Goal(2030, ABOUT, D(100)), baseline=D(50))
    assert run(wages, 2030, D(95)).status == ACHIEVED_FINAL
    assert run(wages, 2030, D("94.9")).status != ACHIEVED_FINAL


def test_qualitative_is_judged():
    moderate = spec(Goal(2030, QUALITATIVE))
    assert run(moderate, 2027, D("-1.8")).status == TARGET_PENDING
    assert run(moderate, 2027, None).status == NO_DATA
    assert run(moderate, 2027, None, judgement=True).status == ON_TRACK
    assert run(moderate, 2027, D("-1.8"), judgement=False).status == FAILED


def test_relative_without_the_reference_is_pending():
    assert run(INCOME, 2027, D("4.8")).status == TARGET_PENDING
    assert run(INCOME, 2027, None, reference_value=D("5.1")).status == NO_DATA


def test_a_missing_year_is_skipped_and_flagged():
    result = run(GDP, 2028, D(6), earlier_rates=((2026, D(6)), (2027, None)))
    assert INCOMPLETE_YEARS in result.flags
    assert result.ratio == 1


def test_per_year_is_achieved_only_at_the_milestone_year_end():
    rates = tuple((year, D(7)) for year in range(2026, 2030))
    assert run(GDP, 2030, D(7), earlier_rates=rates).status == ACHIEVED_FINAL
    assert run(GDP, 2030, D(7), quarter=2, earlier_rates=rates).status == AHEAD


def test_an_earlier_period_is_flagged():
    result = run(URBAN, 2027, D("57.3"), earlier_period=True)
    assert result.flags[-1] == EARLIER_PERIOD


def test_an_annual_total_limit_is_annualised():
    output = spec(Goal(2030, AT_LEAST, D(100)), kind=ANNUAL_TOTAL, baseline=D(120))
    result = run(output, 2026, D(30), quarter=1)
    assert result.compared_value == D(120)
    assert result.status == ON_TRACK


def test_a_form_against_the_kind_is_refused():
    with pytest.raises(ValueError, match="rate"):
        spec(Goal(2030, PER_YEAR, D(6)), kind=LEVEL)
    with pytest.raises(ValueError, match="between"):
        Goal(2030, BETWEEN, lower=D(7), upper=D(6))


# --- Properties --------------------------------------------------------------------------

numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
quarters = st.sampled_from([None, 1, 2, 3, 4])
years = st.integers(min_value=2026, max_value=2032)


@settings(max_examples=300, deadline=None)
@given(
    form=st.sampled_from([AT_LEAST, AT_MOST]),
    strict=st.booleans(),
    target=numbers,
    value=numbers,
    year=years,
    quarter=quarters,
)
def test_a_limit_is_on_track_exactly_when_its_condition_holds(
    form, strict, target, value, year, quarter
):
    direction = 1 if form == AT_LEAST else -1
    goal = Goal(2030, form, target, strict=strict)
    held = spec(goal, direction=direction, baseline=target + (direction if not strict else 0))
    if held.baseline is not None and not (
        held.baseline > target if form == AT_LEAST else held.baseline < target
    ):
        held = spec(goal, direction=direction, baseline=target + direction)
    result = run(held, year, value, quarter=quarter)
    meets = {
        (AT_LEAST, False): value >= target,
        (AT_LEAST, True): value > target,
        (AT_MOST, False): value <= target,
        (AT_MOST, True): value < target,
    }[(form, strict)]
    assert result.holding
    assert result.status == (ON_TRACK if meets else FAILED)


@settings(max_examples=200, deadline=None)
@given(
    target=st.decimals(min_value=1, max_value=20, places=1),
    reduction=st.booleans(),
    year=st.integers(min_value=2026, max_value=2030),
)
def test_per_year_exactly_on_target_every_year_gives_r_1(target, reduction, year):
    goal = Goal(2030, PER_YEAR, target, compound=-1 if reduction else 1)
    indicator = spec(goal, kind=RATE)
    rates = tuple((y, target) for y in range(2026, year))
    result = run(indicator, year, target, earlier_rates=rates)
    assert abs(result.ratio - 1) < D("1e-20")


@settings(max_examples=200, deadline=None)
@given(
    form=st.sampled_from([ASSIGNED, RELATIVE, QUALITATIVE]),
    value=numbers,
    year=years,
    quarter=quarters,
)
def test_judged_forms_are_pending_without_what_they_are_judged_by(form, value, year, quarter):
    result = run(spec(Goal(2030, form)), year, value, quarter=quarter)
    assert result.status == TARGET_PENDING
    assert (result.expected, result.ratio, result.completion) == (None, None, None)
