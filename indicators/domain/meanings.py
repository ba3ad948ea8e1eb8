"""What a reported number means, by indicator kind and period (domain.md §3), in one place:
the entry form and the Excel template both say it the same way."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Indicator, Kind

EVENT_UNIT = "起"  # events are counted in 起 even where the plan prints no unit


def display_unit(indicator: Indicator) -> str:
    """The unit a clerk types the number in: % for a growth rate, 起 for events."""
    if indicator.kind == Kind.RATE:
        return "%"
    if indicator.kind == Kind.ZERO_EVENT:
        return indicator.unit or EVENT_UNIT
    return "" if indicator.kind == Kind.MILESTONE else indicator.unit


def meaning(indicator: Indicator, quarter: int | None) -> str:
    """What the number means for the indicator's kind and the period (domain.md §3), with
    its unit: e.g. 1–3季度累计值（亿元）, 季末值（家）, 本季度发生数（起）, 已达到的阶段."""
    text = _meaning(indicator.kind, quarter)
    unit = display_unit(indicator)
    return _("%(meaning)s (%(unit)s)") % {"meaning": text, "unit": unit} if unit else text


def _meaning(kind: str, quarter: int | None) -> str:
    if kind == Kind.MILESTONE:
        return _("Stage reached")
    if quarter is None:
        return str(YEAR_MEANINGS[kind])
    if kind in (Kind.ANNUAL_TOTAL, Kind.RATE):
        if quarter == 1:
            return _("Q1 total") if kind == Kind.ANNUAL_TOTAL else _("Q1 growth")
        if kind == Kind.ANNUAL_TOTAL:
            return _("Year-to-date total, Q1–Q%(quarter)s") % {"quarter": quarter}
        return _("Year-to-date growth, Q1–Q%(quarter)s") % {"quarter": quarter}
    return str(QUARTER_MEANINGS[kind])


QUARTER_MEANINGS = {
    Kind.LEVEL: gettext_lazy("Level at quarter end"),
    Kind.CUMULATIVE: gettext_lazy("Running total at quarter end"),
    Kind.ZERO_EVENT: gettext_lazy("Events in this quarter"),
}
YEAR_MEANINGS = {
    Kind.LEVEL: gettext_lazy("Level at year end"),
    Kind.CUMULATIVE: gettext_lazy("Running total at year end"),
    Kind.ANNUAL_TOTAL: gettext_lazy("Total for the whole year"),
    Kind.RATE: gettext_lazy("Growth over the whole year"),
    Kind.ZERO_EVENT: gettext_lazy("Events in the whole year"),
}
