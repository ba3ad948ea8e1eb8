"""Reporting periods of every frequency (domain.md §5, §10): the pure `Period` and its readers."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators.domain.periods import (
    ANNUAL,
    FREQUENCIES,
    FREQUENCY_LABELS,
    HALF_YEARLY,
    MONTHLY,
    PER_YEAR,
    QUARTERLY,
    WHOLE_YEAR,
    Period,
    PeriodError,
    first_period,
    is_earlier,
    last_ended_period,
    latest_ended,
    parse_code,
    parse_period,
    period_containing,
    periods_owed,
)


def month(year, n):
    return Period(year, MONTHLY, n)


def quarter(year, n):
    return Period(year, QUARTERLY, n)


def half(year, n):
    return Period(year, HALF_YEARLY, n)


def year(y):
    return Period.whole_year(y)


ANY_YEAR = st.integers(1, 9999)


@st.composite
def periods(draw, years=ANY_YEAR):
    frequency = draw(st.sampled_from(FREQUENCIES))
    n = None if frequency == ANNUAL else draw(st.integers(1, PER_YEAR[frequency]))
    return Period(draw(years), frequency, n)


# --- What a period is ------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, t",
    [
        (month(2026, 1), D(2025) + D(1) / D(12)),
        (month(2026, 2), D(2025) + D(2) / D(12)),
        (month(2026, 6), D("2025.5")),
        (month(2026, 11), D(2025) + D(11) / D(12)),
        (month(2026, 12), D(2026)),
        (quarter(2026, 1), D("2025.25")),
        (quarter(2026, 2), D("2025.5")),
        (quarter(2026, 3), D("2025.75")),
        (quarter(2026, 4), D(2026)),
        (half(2026, 1), D("2025.5")),
        (half(2026, 2), D(2026)),
        (year(2026), D(2026)),
    ],
)
def test_t_is_the_elapsed_share_of_the_year(period, t):
    assert period.t == t


@pytest.mark.parametrize(
    ("q", "t"), [(1, "2025.25"), (2, "2025.5"), (3, "2025.75"), (4, "2026"), (None, "2026")]
)
def test_t_of_a_quarter_is_domain_4s(q, t):
    assert Period.of(2026, q).t == D(t)


@pytest.mark.parametrize(
    "period, fraction",
    [
        (month(2026, 3), D(3) / D(12)),
        (month(2026, 12), D(1)),
        (quarter(2026, 1), D("0.25")),
        (quarter(2026, 3), D("0.75")),
        (half(2026, 1), D("0.5")),
        (half(2026, 2), D(1)),
        (year(2026), D(1)),
    ],
)
def test_fraction_is_the_share_of_the_year_covered(period, fraction):
    assert period.fraction == fraction


MONTH_ENDS_2026 = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


@pytest.mark.parametrize("n, last_day", list(enumerate(MONTH_ENDS_2026, start=1)))
def test_a_month_ends_on_its_last_day(n, last_day):
    assert month(2026, n).start == date(2026, n, 1)
    assert month(2026, n).end == date(2026, n, last_day)


@pytest.mark.parametrize(
    "period, start, end",
    [
        (month(2028, 2), date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        (month(2100, 2), date(2100, 2, 1), date(2100, 2, 28)),  # not one
        (quarter(2026, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (quarter(2026, 2), date(2026, 4, 1), date(2026, 6, 30)),
        (quarter(2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
        (quarter(2026, 4), date(2026, 10, 1), date(2026, 12, 31)),
        (half(2026, 1), date(2026, 1, 1), date(2026, 6, 30)),
        (half(2026, 2), date(2026, 7, 1), date(2026, 12, 31)),
        (year(2026), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_start_and_end(period, start, end):
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "period, q",
    [
        *[(month(2026, n), (n + 2) // 3) for n in range(1, 13)],
        *[(quarter(2026, n), n) for n in range(1, 5)],
        (half(2026, 1), 2),
        (half(2026, 2), 4),
        (year(2026), None),
    ],
)
def test_quarter_is_the_one_the_period_ends_in(period, q):
    assert period.quarter == q


def test_the_old_year_quarter_pair():
    assert Period.of(2026, 3) == quarter(2026, 3)
    assert Period.of(2026, None) == year(2026)
    assert Period.of(2026, None).is_whole_year
    assert not quarter(2026, 4).is_whole_year
    with pytest.raises(ValueError):
        Period.of(2026, 0)  # 0 is the URL's spelling: parse_period reads it


@pytest.mark.parametrize(
    "args",
    [
        (0, QUARTERLY, 1),
        (10000, QUARTERLY, 1),
        ("2026", QUARTERLY, 1),
        (True, ANNUAL, None),
        (2026, "weekly", 1),
        (2026, MONTHLY, 0),
        (2026, MONTHLY, 13),
        (2026, QUARTERLY, 5),
        (2026, HALF_YEARLY, 3),
        (2026, QUARTERLY, None),
        (2026, ANNUAL, 1),
        (2026, QUARTERLY, 1.0),
    ],
)
def test_a_period_that_cannot_exist_is_refused(args):
    with pytest.raises(ValueError):
        Period(*args)


def test_frequencies_and_their_labels():
    assert PER_YEAR == {MONTHLY: 12, QUARTERLY: 4, HALF_YEARLY: 2, ANNUAL: 1}
    with translation.override("en"):
        labels = [str(FREQUENCY_LABELS[f]) for f in FREQUENCIES]
    assert labels == ["monthly", "quarterly", "half-yearly", "annual"]


# --- When it is over and when it is due ------------------------------------------------


def test_a_period_has_ended_from_the_day_after_its_last_day():
    assert not quarter(2026, 1).has_ended(date(2026, 3, 31))
    assert quarter(2026, 1).has_ended(date(2026, 4, 1))
    assert not month(2028, 2).has_ended(date(2028, 2, 29))
    assert month(2028, 2).has_ended(date(2028, 3, 1))
    assert not year(2026).has_ended(date(2026, 12, 31))
    assert year(2026).has_ended(date(2027, 1, 1))


@pytest.mark.parametrize(
    "period, days_after, annual_deadline, due",
    [
        (month(2026, 1), 15, (3, 31), date(2026, 2, 15)),
        (month(2026, 2), 10, (3, 31), date(2026, 3, 10)),
        (month(2026, 12), 15, (3, 31), date(2027, 1, 15)),
        (quarter(2026, 1), 15, (3, 31), date(2026, 4, 15)),
        (quarter(2026, 4), 15, (3, 31), date(2027, 1, 15)),
        (quarter(2026, 2), 0, (3, 31), date(2026, 6, 30)),
        (half(2026, 1), 20, (3, 31), date(2026, 7, 20)),
        (half(2026, 2), 20, (3, 31), date(2027, 1, 20)),
        (year(2026), 15, (3, 31), date(2027, 3, 31)),  # not 15 days after the year
        (year(2026), 15, (5, 20), date(2027, 5, 20)),
        (year(2026), 15, (2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (year(2027), 15, (2, 29), date(2028, 2, 29)),
    ],
)
def test_deadline(period, days_after, annual_deadline, due):
    assert period.deadline(days_after, annual_deadline) == due


def test_the_annual_deadline_defaults_to_31_march():
    assert year(2026).deadline(15) == date(2027, 3, 31)


# --- Stepping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, before",
    [
        (month(2026, 3), month(2026, 2)),
        (month(2026, 1), month(2025, 12)),
        (quarter(2026, 1), quarter(2025, 4)),
        (quarter(2026, 3), quarter(2026, 2)),
        (half(2026, 1), half(2025, 2)),
        (half(2026, 2), half(2026, 1)),
        (year(2026), year(2025)),
    ],
)
def test_previous_and_next_step_within_the_frequency(period, before):
    assert period.previous() == before
    assert before.next() == period


@given(periods(years=st.integers(2, 9999)))
def test_previous_is_strictly_earlier(period):
    before = period.previous()
    assert before.frequency == period.frequency
    assert before.t < period.t
    assert before < period
    assert before.end < period.start


# --- How it is written ----------------------------------------------------------------


WRITTEN = [
    # period, label in English, code, params
    (month(2026, 3), "2026-03", "2026-M03", {"year": 2026, "month": 3}),
    (month(2026, 12), "2026-12", "2026-M12", {"year": 2026, "month": 12}),
    (quarter(2026, 1), "2026 Q1", "2026-Q1", {"year": 2026, "quarter": 1}),
    (quarter(2026, 4), "2026 Q4", "2026-Q4", {"year": 2026, "quarter": 4}),
    (half(2026, 1), "2026 first half", "2026-H1", {"year": 2026, "half": 1}),
    (half(2026, 2), "2026 second half", "2026-H2", {"year": 2026, "half": 2}),
    (year(2026), "2026 (whole year)", "2026", {"year": 2026}),
    (month(987, 5), "987-05", "0987-M05", {"year": 987, "month": 5}),
]


@pytest.mark.parametrize("period, label, code, params", WRITTEN)
def test_how_a_period_is_written(period, label, code, params):
    with translation.override("en"):
        assert period.label() == label
    assert period.code() == code
    assert period.as_params() == params
    assert parse_code(code) == period
    assert parse_period(params) == period


def test_labels_in_chinese():
    with translation.override("zh-hans"):
        assert quarter(2026, 1).label() == "2026年第1季度"
        assert year(2026).label() == "2026年（全年）"


@given(periods())
def test_a_code_reads_back_as_its_period(period):
    assert parse_code(period.code()) == period


@given(periods())
def test_params_read_back_as_their_period(period):
    assert parse_period(period.as_params()) == period
    as_strings = {key: str(value) for key, value in period.as_params().items()}
    assert parse_period(as_strings) == period


# --- Reading what a person wrote ------------------------------------------------------


@pytest.mark.parametrize(
    "params, period",
    [
        ({"year": "2026"}, year(2026)),
        ({"year": 2026, "quarter": WHOLE_YEAR}, year(2026)),
        ({"year": "2026", "quarter": "0"}, year(2026)),
        ({"year": " 2026 ", "quarter": " 2 "}, quarter(2026, 2)),
        ({"year": "2026", "month": "03"}, month(2026, 3)),
        ({"year": "2026", "half": "2"}, half(2026, 2)),
        # blank and None are absent
        ({"year": "2026", "month": "", "quarter": None, "half": "  "}, year(2026)),
        ({"year": "2026", "month": "", "quarter": "3"}, quarter(2026, 3)),
        # other parameters (filters) are not its business
        ({"year": "2026", "quarter": "1", "plan": "luhe", "state": "x"}, quarter(2026, 1)),
    ],
)
def test_parse_period(params, period):
    assert parse_period(params) == period


YEAR_NUMBER = "The year must be a number such as 2026."
YEAR_RANGE = "The year must be from 1 to 9999."
ONE_ONLY = "Give at most one of month, quarter and half-year."
MONTH = "The month must be 1 to 12."
QUARTER = "The quarter must be 1 to 4, or 0 for whole-year figures."
HALF = "The half-year must be 1 (first half) or 2 (second half)."


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({}, "year", YEAR_NUMBER),
        ({"year": ""}, "year", YEAR_NUMBER),
        ({"year": None, "quarter": "1"}, "year", YEAR_NUMBER),
        ({"year": "twenty"}, "year", YEAR_NUMBER),
        ({"year": "2026.0"}, "year", YEAR_NUMBER),
        ({"year": 2026.0}, "year", YEAR_NUMBER),
        ({"year": True}, "year", YEAR_NUMBER),
        ({"year": "2_026"}, "year", YEAR_NUMBER),
        ({"year": "２０２６"}, "year", YEAR_NUMBER),  # full-width digits
        ({"year": "9" * 5000}, "year", YEAR_NUMBER),
        ({"year": "0"}, "year", YEAR_RANGE),
        ({"year": "-2026"}, "year", YEAR_RANGE),
        ({"year": 10000}, "year", YEAR_RANGE),
        ({"year": "2026", "month": "1", "quarter": "1"}, "period", ONE_ONLY),
        ({"year": "2026", "quarter": "0", "half": "1"}, "period", ONE_ONLY),
        ({"year": "2026", "month": "0"}, "month", MONTH),
        ({"year": "2026", "month": "13"}, "month", MONTH),
        ({"year": "2026", "month": "March"}, "month", MONTH),
        ({"year": "2026", "quarter": "5"}, "quarter", QUARTER),
        ({"year": "2026", "quarter": "-1"}, "quarter", QUARTER),
        ({"year": "2026", "quarter": "Q1"}, "quarter", QUARTER),
        ({"year": "2026", "half": "0"}, "half", HALF),
        ({"year": "2026", "half": "3"}, "half", HALF),
    ],
)
def test_parse_period_refuses_naming_the_field(params, field, message):
    with translation.override("en"), pytest.raises(PeriodError) as refused:
        parse_period(params)
    assert refused.value.field == field
    assert refused.value.message == message == str(refused.value)


def test_quarter_zero_can_be_refused():
    with translation.override("en"), pytest.raises(PeriodError) as refused:
        parse_period({"year": "2026", "quarter": "0"}, allow_whole_year_zero=False)
    assert refused.value.field == "quarter"
    assert refused.value.message == "The quarter must be 1 to 4."
    assert parse_period({"year": "2026"}, allow_whole_year_zero=False) == year(2026)


def test_the_messages_are_translated():
    with translation.override("zh-hans"), pytest.raises(PeriodError) as refused:
        parse_period({"year": "abc"})
    assert refused.value.message == "年份须为数字，例如 2026。"


@pytest.mark.parametrize(
    "code, period",
    [
        ("2026", year(2026)),
        (" 2026-q2 ", quarter(2026, 2)),
        ("2026-M3", month(2026, 3)),
        ("2026-h1", half(2026, 1)),
        (2026, year(2026)),  # an Excel cell
    ],
)
def test_parse_code_is_lenient_where_it_costs_nothing(code, period):
    assert parse_code(code) == period


@pytest.mark.parametrize(
    "code, field, message",
    [
        ("", "period", "Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."),
        ("2026Q1", "period", "Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."),
        ("2026-W01", "period", "Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."),
        ("2026-Q", "period", "Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."),
        ("2026.0", "period", "Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."),
        ("0", "year", YEAR_RANGE),
        ("20260", "year", YEAR_RANGE),
        ("2026-M13", "month", MONTH),
        ("2026-Q0", "quarter", "The quarter must be 1 to 4."),  # a code never uses 0
        ("2026-Q5", "quarter", "The quarter must be 1 to 4."),
        ("2026-H3", "half", HALF),
    ],
)
def test_parse_code_refuses_naming_the_field(code, field, message):
    with translation.override("en"), pytest.raises(PeriodError) as refused:
        parse_code(code)
    assert (refused.value.field, refused.value.message) == (field, message)


# --- What is owed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency, first",
    [
        (MONTHLY, month(2026, 1)),
        (QUARTERLY, quarter(2026, 1)),
        (HALF_YEARLY, half(2026, 1)),
        (ANNUAL, year(2026)),
    ],
)
def test_first_period(frequency, first):
    assert first_period(frequency, 2026) == first


def test_periods_owed_from_the_first_tracked_year():
    on = date(2026, 8, 10)
    first = year(2026)  # baseline 2025: the plan tracks from 2026
    assert periods_owed(MONTHLY, first, on, 2030) == [month(2026, n) for n in range(1, 8)]
    assert periods_owed(QUARTERLY, first, on, 2030) == [quarter(2026, 1), quarter(2026, 2)]
    assert periods_owed(HALF_YEARLY, first, on, 2030) == [half(2026, 1)]
    assert periods_owed(ANNUAL, first, on, 2030) == []
    assert periods_owed(ANNUAL, first, date(2027, 1, 1), 2030) == [year(2026)]


def test_periods_owed_from_a_first_sub_period():
    on = date(2027, 1, 1)
    first = quarter(2026, 3)  # a plan tracked from July 2026
    assert periods_owed(MONTHLY, first, on, 2030) == [month(2026, n) for n in range(7, 13)]
    assert periods_owed(QUARTERLY, first, on, 2030) == [quarter(2026, 3), quarter(2026, 4)]
    assert periods_owed(HALF_YEARLY, first, on, 2030) == [half(2026, 2)]
    assert periods_owed(ANNUAL, first, on, 2030) == [year(2026)]  # the year that holds it


def test_periods_owed_stop_after_the_plans_last_year():
    owed = periods_owed(QUARTERLY, year(2026), date(2040, 5, 1), 2030)
    assert owed[0] == quarter(2026, 1)
    assert owed[-1] == quarter(2030, 4)
    assert len(owed) == 20
    assert periods_owed(ANNUAL, year(2026), date(2040, 5, 1), 2030)[-1] == year(2030)


def test_nothing_is_owed_before_the_first_period_ends():
    assert periods_owed(QUARTERLY, year(2026), date(2026, 3, 31), 2030) == []
    assert periods_owed(QUARTERLY, year(2026), date(2020, 1, 1), 2030) == []
    assert periods_owed(QUARTERLY, year(2031), date(2040, 1, 1), 2030) == []


@given(
    frequency=st.sampled_from(FREQUENCIES),
    first=periods(years=st.integers(2020, 2032)),
    on=st.dates(date(2019, 1, 1), date(2036, 12, 31)),
    last_year=st.integers(2020, 2034),
)
def test_periods_owed_are_every_ended_one_in_order(frequency, first, on, last_year):
    owed = periods_owed(frequency, first, on, last_year)
    start = period_containing(frequency, first.start)
    assert all(p.frequency == frequency for p in owed)
    assert all(p.has_ended(on) and p.year <= last_year for p in owed)
    assert all(a.t < b.t and a.next() == b for a, b in zip(owed, owed[1:], strict=False))
    # it starts where the plan does, and the period after it is not owed yet
    assert not owed or owed[0] == start
    after = owed[-1].next() if owed else start
    assert not after.has_ended(on) or after.year > last_year


# --- The period a page shows ----------------------------------------------------------


@pytest.mark.parametrize(
    "frequency, page, shown",
    [
        # a 2026 Q2 page
        (MONTHLY, quarter(2026, 2), month(2026, 6)),
        (QUARTERLY, quarter(2026, 2), quarter(2026, 2)),
        (HALF_YEARLY, quarter(2026, 2), half(2026, 1)),
        (ANNUAL, quarter(2026, 2), year(2025)),
        # a 2026 Q1 page
        (HALF_YEARLY, quarter(2026, 1), half(2025, 2)),
        (ANNUAL, quarter(2026, 1), year(2025)),
        # a whole-year page: each frequency's last period of that year
        (MONTHLY, year(2026), month(2026, 12)),
        (QUARTERLY, year(2026), quarter(2026, 4)),
        (HALF_YEARLY, year(2026), half(2026, 2)),
        (ANNUAL, year(2026), year(2026)),
        # a monthly page
        (QUARTERLY, month(2026, 5), quarter(2026, 1)),
        (QUARTERLY, month(2026, 6), quarter(2026, 2)),
        (MONTHLY, month(2026, 5), month(2026, 5)),
    ],
)
def test_latest_ended(frequency, page, shown):
    assert latest_ended(frequency, page) == shown


@pytest.mark.parametrize(
    "frequency, page, earlier",
    [
        (MONTHLY, quarter(2026, 2), False),
        (QUARTERLY, quarter(2026, 2), False),
        (HALF_YEARLY, quarter(2026, 1), True),
        (ANNUAL, quarter(2026, 2), True),
        (ANNUAL, year(2026), False),
        (QUARTERLY, year(2026), False),
    ],
)
def test_the_earlier_period_flag(frequency, page, earlier):
    assert is_earlier(latest_ended(frequency, page), page) is earlier


def test_nothing_ends_before_year_1():
    assert latest_ended(ANNUAL, quarter(1, 2)) is None
    assert latest_ended(HALF_YEARLY, quarter(1, 1)) is None
    assert latest_ended(MONTHLY, quarter(1, 1)) == month(1, 3)


@given(frequency=st.sampled_from(FREQUENCIES), page=periods(years=st.integers(2, 9998)))
def test_latest_ended_is_the_last_one_ended_by_the_pages_end(frequency, page):
    shown = latest_ended(frequency, page)
    assert shown.frequency == frequency
    assert shown.end <= page.end < shown.next().end
    assert is_earlier(shown, page) is (shown.end < page.end)


@pytest.mark.parametrize(
    "frequency, on, reported",
    [
        (QUARTERLY, date(2026, 4, 1), quarter(2026, 1)),
        (QUARTERLY, date(2026, 3, 31), quarter(2025, 4)),
        (MONTHLY, date(2026, 1, 15), month(2025, 12)),
        (HALF_YEARLY, date(2026, 8, 1), half(2026, 1)),
        (ANNUAL, date(2026, 8, 1), year(2025)),
        (ANNUAL, date(1, 8, 1), None),
    ],
)
def test_last_ended_period(frequency, on, reported):
    assert last_ended_period(frequency, on) == reported
