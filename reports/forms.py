"""The period a dashboard shows, read from the query string (?year=2026&quarter=3&pending=1).

Every dashboard page takes the same three parameters:
- `year`: a year of the plan, from its baseline year to its last milestone year (the range the
  progress API accepts);
- `quarter`: 1–4, or empty / 0 for the whole year;
- `pending`: 1 to include submitted, not yet approved values (marked as unverified on the page).
Without a year the page shows the default period (`selectors.default_period`). A value that is
not one of these (a typo, an edited link) never fails the page: a bad year or quarter shows the
default period, a bad switch leaves it off, each with a message saying what was wrong.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from indicators.domain import periods
from indicators.models import Plan
from reports.selectors import plan_years


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None  # None: the whole year
    include_pending: bool = False
    errors: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return periods.Period.of(self.year, self.quarter).label()

    def params(self) -> dict[str, str]:
        """The period as query parameters, to keep it on links between the dashboards."""
        params = {"year": str(self.year), "quarter": str(self.quarter or periods.WHOLE_YEAR)}
        if self.include_pending:
            params["pending"] = "1"
        return params

    @property
    def query(self) -> str:
        return urlencode(self.params())


def quarter_choices() -> list[tuple[int, str]]:
    """The period selector's quarters: the whole year first, then Q1–Q4."""
    quarters = [(q, _("Q%(quarter)s") % {"quarter": q}) for q in range(1, 5)]
    return [(periods.WHOLE_YEAR, _("Whole year")), *quarters]


def period_from_params(
    params: Mapping[str, str], plan: Plan, default: Callable[[], tuple[int, int | None]]
) -> Period:
    """Read the period from query parameters (see the module docstring); `default` gives the
    default (year, quarter) and is called only when it is needed."""
    raw_year = (params.get("year") or "").strip()
    raw_pending = (params.get("pending") or "").strip()
    errors = []
    years = plan_years(plan)
    pending = raw_pending == "1"
    if raw_pending not in ("", "0", "1"):
        errors.append(_("The include-pending switch is 1 (on) or 0 (off); it is off."))
    if raw_year:
        # The one period parser (its messages); a page shows a year or one of its quarters.
        try:
            period = periods.parse_period({"year": raw_year, "quarter": params.get("quarter")})
        except periods.PeriodError as exc:
            errors.append(exc.message)
        else:
            if period.year in years:
                return Period(period.year, period.quarter, pending, tuple(errors))
            errors.append(
                _("Choose a year from %(first)s to %(last)s.")
                % {"first": years[0], "last": years[-1]}
            )
    year, quarter = default()
    if errors:
        errors.append(
            _("Showing %(period)s.") % {"period": periods.Period.of(year, quarter).label()}
        )
    return Period(year, quarter, pending, tuple(errors))
