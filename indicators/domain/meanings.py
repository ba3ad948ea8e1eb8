"""What a reported number means, by indicator kind and period (domain.md §3), in one place:
the entry form and the Excel template both say it the same way."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.domain import periods
from indicators.models import Indicator, Kind

EVENT_UNIT = "起"  # events are counted in 起 even where the plan prints no unit


def display_unit(indicator: Indicator) -> str:
    """The unit a clerk types the number in: % for a growth rate, 起 for events."""
    if indicator.kind == Kind.RATE:
        return "%"
    if indicator.kind == Kind.ZERO_EVENT:
        return indicator.unit or EVENT_UNIT
    return "" if indicator.kind == Kind.MILESTONE else indicator.unit


def meaning(indicator: Indicator, period: periods.Period) -> str:
    """What the number means for the indicator's kind and the period (domain.md §3, §10),
    with its unit: e.g. 1–3季度累计值（亿元）, 季末值（家）, 本月发生数（起）, 已达到的阶段."""
    text = _meaning(indicator.kind, period)
    unit = display_unit(indicator)
    return _("%(meaning)s (%(unit)s)") % {"meaning": text, "unit": unit} if unit else text


def _meaning(kind: str, period: periods.Period) -> str:
    if kind == Kind.MILESTONE:
        return _("Stage reached")
    if period.is_whole_year:
        return str(YEAR_MEANINGS[kind])
    if kind in (Kind.ANNUAL_TOTAL, Kind.RATE):
        return _year_to_date(kind, period)
    return str(PERIOD_MEANINGS[period.frequency][kind])


def _year_to_date(kind: str, period: periods.Period) -> str:
    """A year-to-date total or rate, up to the end of the period."""
    total = kind == Kind.ANNUAL_TOTAL
    if period.frequency == periods.QUARTERLY:
        if period.n == 1:
            return _("Q1 total") if total else _("Q1 growth")
        if total:
            return _("Year-to-date total, Q1–Q%(quarter)s") % {"quarter": period.n}
        return _("Year-to-date growth, Q1–Q%(quarter)s") % {"quarter": period.n}
    months = period.n * (12 // period.per_year)
    if total:
        return _("Year-to-date total, months 1–%(month)s") % {"month": months}
    return _("Year-to-date growth, months 1–%(month)s") % {"month": months}


PERIOD_MEANINGS = {
    periods.MONTHLY: {
        Kind.LEVEL: gettext_lazy("Level at month end"),
        Kind.CUMULATIVE: gettext_lazy("Running total at month end"),
        Kind.ZERO_EVENT: gettext_lazy("Events in this month"),
    },
    periods.QUARTERLY: {
        Kind.LEVEL: gettext_lazy("Level at quarter end"),
        Kind.CUMULATIVE: gettext_lazy("Running total at quarter end"),
        Kind.ZERO_EVENT: gettext_lazy("Events in this quarter"),
    },
    periods.HALF_YEARLY: {
        Kind.LEVEL: gettext_lazy("Level at half-year end"),
        Kind.CUMULATIVE: gettext_lazy("Running total at half-year end"),
        Kind.ZERO_EVENT: gettext_lazy("Events in this half-year"),
    },
}
YEAR_MEANINGS = {
    Kind.LEVEL: gettext_lazy("Level at year end"),
    Kind.CUMULATIVE: gettext_lazy("Running total at year end"),
    Kind.ANNUAL_TOTAL: gettext_lazy("Total for the whole year"),
    Kind.RATE: gettext_lazy("Growth over the whole year"),
    Kind.ZERO_EVENT: gettext_lazy("Events in the whole year"),
}
