"""What an evaluation asks for: a plan's year, quarter and as-of date, checked."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.domain import periods
from indicators.models import (
    Plan,
)


class BadQuery(ValueError):
    """What was asked for cannot be evaluated; the message is for the user."""


@dataclass(frozen=True)
class Query:
    year: int
    quarter: int | None  # None: the whole year
    as_of: date | None = None  # rebuild from the history as it stood at the end of this day


def plan_years(plan: Plan) -> range:
    """The years the plan runs: from its baseline year to its last milestone year (the range
    the progress API accepts)."""
    return range(plan.baseline_year, plan.last_year + 1)


def parse_query(plan: Plan, year, quarter=None, as_of=None) -> Query:
    """Check a request's year, quarter (1–4; empty or 0 for the whole year), read by the one
    period parser, and as-of date (YYYY-MM-DD, not after today); raise BadQuery with a
    message for the user."""
    try:
        period = periods.parse_period({"year": year, "quarter": quarter})
    except periods.PeriodError as exc:
        raise BadQuery(exc.message) from exc
    years = plan_years(plan)
    if period.year not in years:
        raise BadQuery(
            _("Choose a year from %(first)s to %(last)s.") % {"first": years[0], "last": years[-1]}
        )
    return Query(period.year, period.quarter, _as_of_date(as_of))


def _as_of_date(raw) -> date | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadQuery(_("Write the as-of date as YYYY-MM-DD, e.g. 2026-10-20.")) from None
    if len(text) != 10:  # fromisoformat also takes 20261020 and 2026-W43-2
        raise BadQuery(_("Write the as-of date as YYYY-MM-DD, e.g. 2026-10-20."))
    if day > periods.today():
        raise BadQuery(_("The as-of date cannot be after today."))
    return day


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in the county's time zone. The history selectors keep changes
    recorded at or before a moment; history dates have microsecond precision, so this keeps
    exactly the changes recorded before the next midnight."""
    next_midnight = datetime.combine(
        day + timedelta(days=1), time.min, timezone.get_default_timezone()
    )
    return next_midnight - timedelta(microseconds=1)
