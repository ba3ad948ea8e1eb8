"""From stored entries to a period's value (domain.md §3). Pure: plain values in and out.

An indicator's entries for a year are quarterly (quarter 1–4) or whole-year (quarter None).
The period asked for is a year and a quarter, or a whole year (quarter None, read as Q4).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.domain.progress import ANNUAL_TOTAL, CUMULATIVE, LEVEL, MILESTONE, RATE, ZERO_EVENT


@dataclass(frozen=True)
class Figure:
    year: int
    quarter: int | None
    value: Decimal | None = None
    stage: str | None = None
    stage_position: int | None = None
    provisional: bool = False  # submitted, not yet approved


@dataclass(frozen=True)
class PeriodValue:
    value: Decimal | None = None
    stage: str | None = None
    provisional: bool = False


NONE = PeriodValue()


def derive(kind: str, entries: Iterable[Figure], year: int, quarter: int | None) -> PeriodValue:
    """The period's value for an indicator of `kind`, from all its entries."""
    entries = list(entries)
    if kind in (LEVEL, CUMULATIVE, ANNUAL_TOTAL, RATE):
        entry = _entry_for(entries, year, quarter)
        return _as_value(entry) if entry else NONE
    if kind == ZERO_EVENT:
        return _events(entries, year, quarter)
    if kind == MILESTONE:
        return _highest_stage(entries, year, quarter)
    raise ValueError(f"unknown kind {kind!r}")


def _entry_for(entries: list[Figure], year: int, quarter: int | None) -> Figure | None:
    """The entry of that quarter; for the whole year or Q4, the whole-year entry wins over Q4."""
    by_period = {(e.year, e.quarter): e for e in entries}
    if quarter in (None, 4):
        return by_period.get((year, None)) or by_period.get((year, 4))
    return by_period.get((year, quarter))


def _as_value(entry: Figure) -> PeriodValue:
    return PeriodValue(value=entry.value, stage=entry.stage, provisional=entry.provisional)


def _events(entries: list[Figure], year: int, quarter: int | None) -> PeriodValue:
    """Events of the year up to the quarter: a whole-year entry, else the sum of the quarters.

    Quarters not reported count as unknown, not zero: with none reported there is no value.
    """
    whole_year = _entry_for(entries, year, None) if quarter in (None, 4) else None
    if whole_year and whole_year.quarter is None:
        return _as_value(whole_year)
    last = quarter or 4
    quarters = [e for e in entries if e.year == year and e.quarter and e.quarter <= last]
    if not quarters:
        return NONE
    return PeriodValue(
        value=sum((e.value for e in quarters), Decimal(0)),
        provisional=any(e.provisional for e in quarters),
    )


def _highest_stage(entries: list[Figure], year: int, quarter: int | None) -> PeriodValue:
    """The highest stage reached by the end of the period, over all earlier years too."""
    last = quarter or 4
    reached = [
        e
        for e in entries
        if e.year < year
        or (e.year == year and (e.quarter is None and last == 4 or (e.quarter or 5) <= last))
    ]
    if not reached:
        return NONE
    best = max(reached, key=lambda e: (e.stage_position, not e.provisional))
    return _as_value(best)


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
