"""Reporting periods in calendar time: when a period ends, when its values are due.

A period is (year, quarter) with quarter 1–4, or (year, None) for a whole-year figure.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31), None: (12, 31)}


def today() -> date:
    """Today in the county's time zone (tests replace this)."""
    return timezone.localdate()


def period_end(year: int, quarter: int | None) -> date:
    month, day = QUARTER_END[quarter]
    return date(year, month, day)


def has_ended(year: int, quarter: int | None, on: date) -> bool:
    """A period can be reported only once it is over: from the day after its last day."""
    return on > period_end(year, quarter)


def deadline(year: int, quarter: int | None, days_after: int) -> date:
    """The due date: `days_after` days after the period ends (15 → the 15th of the next month)."""
    return period_end(year, quarter) + timedelta(days=days_after)


def last_ended_quarter(on: date) -> tuple[int, int]:
    """The most recent quarter that is over on `on`: the one being reported now."""
    quarter = (on.month - 1) // 3  # quarters fully over this year
    return (on.year, quarter) if quarter else (on.year - 1, 4)


def previous_period(year: int, quarter: int | None) -> tuple[int, int | None]:
    """The period before: the previous quarter, or the previous year for a whole-year figure."""
    if quarter is None:
        return year - 1, None
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def period_label(year: int, quarter: int | None) -> str:
    if quarter is None:
        return _("%(year)s (whole year)") % {"year": year}
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
