"""Reporting periods and the values they hold (domain.md §3, §5, §10). Pure: plain values.

The one home for reporting periods of every frequency (month, quarter, half, whole year):
`Period` gives their time t, last day, deadline, label, and how they are written in URLs, the
API and uploads (`parse_period`, `parse_code`: one parser, one set of messages); the functions
below it say which periods are owed and which one a page shows. `derive` (with `chosen`) turns
an indicator's stored figures into a period's value (domain.md §3).
"""

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from indicators.domain.progress import ANNUAL_TOTAL, CUMULATIVE, LEVEL, MILESTONE, RATE, ZERO_EVENT
from indicators.domain.warnings import Explanation


@dataclass(frozen=True)
class Figure:
    """One stored entry that counts, for the year and at most one of month, quarter, half (as
    the Actual row stores it; none of them: the whole year)."""

    year: int
    quarter: int | None
    value: Decimal | None = None
    stage: str | None = None
    stage_position: int | None = None
    provisional: bool = False  # submitted, not yet approved
    month: int | None = None
    half: int | None = None
    # the 滞后说明 that goes with this figure (§11): in force, or submitted with it
    explanation: Explanation | None = None

    @cached_property
    def period(self) -> "Period":
        # Read on every derivation of every indicator: built once per figure.
        return Period.from_fields(self.year, month=self.month, quarter=self.quarter, half=self.half)


@dataclass(frozen=True)
class PeriodValue:
    value: Decimal | None = None
    stage: str | None = None
    provisional: bool = False


NONE = PeriodValue()


def derive(kind: str, entries: Iterable[Figure], period: "Period") -> PeriodValue:
    """The period's value for an indicator of `kind`, from all its entries (domain.md §3)."""
    picked = chosen(kind, entries, period)
    if not picked:
        return NONE
    if kind == ZERO_EVENT and not picked[0].period.is_whole_year:
        return PeriodValue(
            value=sum((e.value for e in picked), Decimal(0)),
            provisional=any(e.provisional for e in picked),
        )
    return _as_value(picked[0])


def chosen(kind: str, entries: Iterable[Figure], period: "Period") -> list[Figure]:
    """The entries that make the period's value (the same objects as given), so a report can
    name where the value comes from: the period's own entry; for events, every period counted;
    for stages, the entry of the highest stage reached."""
    entries = [(entry.period, entry) for entry in entries]
    if kind in (LEVEL, CUMULATIVE, ANNUAL_TOTAL, RATE):
        entry = _entry_for(entries, period)
        return [entry] if entry else []
    if kind == ZERO_EVENT:
        return _events(entries, period)
    if kind == MILESTONE:
        return _highest_stage(entries, period)
    raise ValueError(f"unknown kind {kind!r}")


def _entry_for(entries: list, period: "Period") -> Figure | None:
    """The entry of that period. For the period that closes a year (December, Q4, H2) the
    statistics bureau's whole-year figure wins; asked for the whole year, the entry of the
    period that closes it stands in when there is no whole-year figure."""
    same_year = [(own, entry) for own, entry in entries if own.year == period.year]
    if period.closes_year:
        whole = next((entry for own, entry in same_year if own.is_whole_year), None)
        if whole is not None or period.is_whole_year:
            return whole or next((entry for own, entry in same_year if own.closes_year), None)
    return next((entry for own, entry in same_year if own == period), None)


def _as_value(entry: Figure) -> PeriodValue:
    return PeriodValue(value=entry.value, stage=entry.stage, provisional=entry.provisional)


def _events(entries: list, period: "Period") -> list[Figure]:
    """Events of the year up to the period's end: a whole-year entry, else the periods
    reported. Periods not reported count as unknown, not zero: with none reported there is
    no value."""
    same_year = [(own, entry) for own, entry in entries if own.year == period.year]
    if period.closes_year:
        whole = next((entry for own, entry in same_year if own.is_whole_year), None)
        if whole is not None:
            return [whole]
    return [e for own, e in same_year if not own.is_whole_year and own.end <= period.end]


def _highest_stage(entries: list, period: "Period") -> list[Figure]:
    """The entry of the highest stage reached by the end of the period, over earlier years
    too."""
    reached = [entry for own, entry in entries if own.end <= period.end]
    if not reached:
        return []
    return [max(reached, key=lambda e: (e.stage_position, not e.provisional))]


def today() -> date:
    """Today in the county's time zone (tests replace this)."""
    return timezone.localdate()


# --- Reporting periods of every frequency (domain.md §10) --------------------------------

MONTHLY, QUARTERLY, HALF_YEARLY, ANNUAL = "monthly", "quarterly", "half_yearly", "annual"
FREQUENCIES = (MONTHLY, QUARTERLY, HALF_YEARLY, ANNUAL)
PER_YEAR = {MONTHLY: 12, QUARTERLY: 4, HALF_YEARLY: 2, ANNUAL: 1}

# Lazy, because this is read at import time, before any language is active. The context keeps
# these apart from other uses of the same English words (月度, 季度, 半年度, 年度).
FREQUENCY_LABELS = {
    MONTHLY: pgettext_lazy("frequency", "monthly"),
    QUARTERLY: pgettext_lazy("frequency", "quarterly"),
    HALF_YEARLY: pgettext_lazy("frequency", "half-yearly"),
    ANNUAL: pgettext_lazy("frequency", "annual"),
}

WHOLE_YEAR = 0  # `quarter=0` in URLs and the API asks for the whole year (quarter NULL)

MIN_YEAR, MAX_YEAR = 1, 9999  # what `datetime.date` can hold

_MONTHS_IN = {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, ANNUAL: 12}
# How a sub-year period is written in URLs, the API and uploads (`as_params`, `parse_period`).
_PARAM_OF = {MONTHLY: "month", QUARTERLY: "quarter", HALF_YEARLY: "half"}
_FREQUENCY_OF_PARAM = {param: frequency for frequency, param in _PARAM_OF.items()}
_CODE_LETTER = {MONTHLY: "M", QUARTERLY: "Q", HALF_YEARLY: "H"}
_PARAM_OF_LETTER = {letter: _PARAM_OF[frequency] for frequency, letter in _CODE_LETTER.items()}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: a month, quarter or half of a year, or a whole year.

    A whole-year figure is an ANNUAL period with `n` None, whatever the indicator's frequency:
    the statistics bureau's figure for the year (§3). Ordering compares periods of one
    frequency in time; across frequencies compare `t` or `end` instead.
    """

    year: int
    frequency: str
    n: int | None  # month 1–12, quarter 1–4, half 1–2; None for a whole year

    def __post_init__(self) -> None:
        """Refuse a period that cannot exist, so no caller has to check again."""
        if not _is_int(self.year) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year must be {MIN_YEAR} to {MAX_YEAR}, not {self.year!r}")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {FREQUENCIES}, not {self.frequency!r}")
        if self.frequency == ANNUAL:
            if self.n is not None:
                raise ValueError(f"a whole year has no n, not {self.n!r}")
        elif not _is_int(self.n) or not 1 <= self.n <= PER_YEAR[self.frequency]:
            top = PER_YEAR[self.frequency]
            raise ValueError(f"n of a {self.frequency} period must be 1 to {top}, not {self.n!r}")

    @classmethod
    def whole_year(cls, year: int) -> "Period":
        return cls(year, ANNUAL, None)

    @classmethod
    def of(cls, year: int, quarter: int | None) -> "Period":
        """The period of an old (year, quarter) pair, where None is the whole year (not 0)."""
        return cls.whole_year(year) if quarter is None else cls(year, QUARTERLY, quarter)

    @classmethod
    def from_fields(
        cls,
        year: int,
        *,
        month: int | None = None,
        quarter: int | None = None,
        half: int | None = None,
    ) -> "Period":
        """The period of a stored row: the year and at most one of month, quarter, half."""
        if month is not None:
            return cls(year, MONTHLY, month)
        if quarter is not None:
            return cls(year, QUARTERLY, quarter)
        if half is not None:
            return cls(year, HALF_YEARLY, half)
        return cls.whole_year(year)

    @property
    def fields(self) -> dict[str, int | None]:
        """How a row stores it: month, quarter and half, all but one (or all) None."""
        stored = dict.fromkeys(("month", "quarter", "half"))
        if not self.is_whole_year:
            stored[_PARAM_OF[self.frequency]] = self.n
        return stored

    @property
    def param(self) -> str | None:
        """The parameter that names it beside the year: "month", "quarter", "half" or None."""
        return None if self.is_whole_year else _PARAM_OF[self.frequency]

    @property
    def closes_year(self) -> bool:
        """December, Q4, H2 or the whole year: the period that ends on 31 December."""
        return self.n is None or self.n == self.per_year

    @property
    def per_year(self) -> int:
        """How many periods of its frequency a year has (1 for a whole year)."""
        return PER_YEAR[self.frequency]

    @property
    def is_whole_year(self) -> bool:
        return self.frequency == ANNUAL

    @property
    def _index(self) -> int:
        """n, with a whole year counted as the one period of its year."""
        return self.n or 1

    @property
    def t(self) -> Decimal:
        """Time on the plan's axis (§4, §10): y − 1 + n/12, n/4 or n/2; y for a whole year."""
        return Decimal(self.year - 1) + Decimal(self._index) / PER_YEAR[self.frequency]

    @property
    def fraction(self) -> Decimal:
        """The share of the year covered, 1 for a whole year.

        A year-to-date total is annualised by dividing by it (§10: ×12/n, ×4/n, ×2/n). For
        months it is rounded (1/12), so exact arithmetic should scale by ×PER_YEAR/n instead.
        """
        return Decimal(self._index) / PER_YEAR[self.frequency]

    @property
    def start(self) -> date:
        """The first day of the period."""
        return date(self.year, (self._index - 1) * _MONTHS_IN[self.frequency] + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period: values describe the state or the total at that day."""
        month = self._index * _MONTHS_IN[self.frequency]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def quarter(self) -> int | None:
        """The quarter the period ends in (None for a whole year), for code still on quarters."""
        return None if self.is_whole_year else (self.end.month + 2) // 3

    def has_ended(self, on: date) -> bool:
        """A period can be reported only once it is over: from the day after its last day."""
        return on > self.end

    def deadline(self, days_after: int, annual_deadline: tuple[int, int] = (3, 31)) -> date:
        """When the value is due (§5, §10).

        A sub-year period: `days_after` days after it ends (15 → the 15th of the next month).
        A whole-year figure: the (month, day) of the next year, when the statistics bureau's
        annual figures are out; a day past the month's end (29 February) means its last day.
        """
        if not self.is_whole_year:
            return self.end + timedelta(days=days_after)
        month, day = annual_deadline
        year = self.year + 1
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))

    def previous(self) -> "Period":
        """The period before, of the same frequency (January → December of the year before)."""
        if self._index > 1:
            return Period(self.year, self.frequency, self._index - 1)
        return _last_of_year(self.frequency, self.year - 1)

    def next(self) -> "Period":
        """The period after, of the same frequency (December → January of the year after)."""
        if self._index < PER_YEAR[self.frequency]:
            return Period(self.year, self.frequency, self._index + 1)
        return first_period(self.frequency, self.year + 1)

    def label(self) -> str:
        """How the period is named to a person.

        In Chinese: 2026年3月, 2026年第1季度, 2026年上半年, 2026年下半年, 2026年（全年）.
        """
        year = self.year
        if self.frequency == MONTHLY:
            return _("%(year)s-%(month)02d") % {"year": year, "month": self.n}
        if self.frequency == QUARTERLY:
            return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": self.n}
        if self.frequency == HALF_YEARLY and self.n == 1:
            return _("%(year)s first half") % {"year": year}
        if self.frequency == HALF_YEARLY:
            return _("%(year)s second half") % {"year": year}
        return _("%(year)s (whole year)") % {"year": year}

    def as_params(self) -> dict[str, int]:
        """How it is written in URLs and the API: the year and at most one of month/quarter/half.

        A whole year is the year alone; `parse_period` reads this back.
        """
        if self.is_whole_year:
            return {"year": self.year}
        return {"year": self.year, _PARAM_OF[self.frequency]: self.n}

    def code(self) -> str:
        """A compact form for uploads and URL paths: 2026, 2026-M03, 2026-Q1, 2026-H1."""
        if self.is_whole_year:
            return f"{self.year:04d}"
        width = 2 if self.frequency == MONTHLY else 1
        return f"{self.year:04d}-{_CODE_LETTER[self.frequency]}{self.n:0{width}d}"


def _last_of_year(frequency: str, year: int) -> Period:
    if frequency == ANNUAL:
        return Period.whole_year(year)
    return Period(year, frequency, PER_YEAR[frequency])


def first_period(frequency: str, first_year: int) -> Period:
    """The first period of `frequency` in `first_year`: January, Q1, H1 or the whole year."""
    if frequency == ANNUAL:
        return Period.whole_year(first_year)
    return Period(first_year, frequency, 1)


def period_containing(frequency: str, day: date) -> Period:
    """The period of `frequency` that `day` falls in."""
    if frequency == ANNUAL:
        return Period.whole_year(day.year)
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {FREQUENCIES}, not {frequency!r}")
    return Period(day.year, frequency, (day.month - 1) // _MONTHS_IN[frequency] + 1)


def _before(period: Period) -> Period | None:
    """The period before, or None for the first period of year 1, which has none."""
    first_ever = period.year == MIN_YEAR and period.n in (None, 1)
    return None if first_ever else period.previous()


def last_ended_period(frequency: str, on: date) -> Period | None:
    """The most recent period of `frequency` that is over on `on`: the one reported now."""
    return _before(period_containing(frequency, on))


def periods_owed(frequency: str, first: Period, on: date, last_year: int) -> list[Period]:
    """Every period of `frequency` owed by `on` (§10), oldest first.

    They run from the one that holds the first day of `first` (the plan's first tracked
    period: a whole year gives its January, Q1 or H1) to the last one that has ended by `on`,
    and stop after the plan's `last_year`.
    """
    period = period_containing(frequency, first.start)
    owed = []
    # 31 December 9999 never ends for a `date`, so `next()` never steps past year 9999.
    while period.year <= last_year and period.has_ended(on):
        owed.append(period)
        period = period.next()
    return owed


def latest_ended(frequency: str, page: Period) -> Period | None:
    """The period an indicator of `frequency` shows on a page for `page` (§10).

    Its latest own period that has ended by the end of the page's period: on a 2026 Q2 page
    a monthly indicator shows June 2026, an annual one 2025; on a whole-year page each shows
    its last period of that year (the caller lets a whole-year figure supersede it, §3).
    None only before the first period of year 1.
    """
    candidate = period_containing(frequency, page.end)
    return candidate if candidate.end <= page.end else _before(candidate)


def is_earlier(shown: Period, page: Period) -> bool:
    """Whether the period shown ends before the page's period: the `earlier_period` flag."""
    return shown.end < page.end


# --- Reading a period a person wrote ------------------------------------------------------


class PeriodError(ValueError):
    """A period from a URL, the API or an upload that cannot be read.

    `field` names the parameter to fix ("year", "month", "quarter", "half", or "period" for
    the whole), so a form or a serializer can put the translated `message` beside it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)  # no "1_000", no non-ASCII digits
_CODE = re.compile(r"([0-9]+)(?:-([MQH])([0-9]+))?", re.ASCII | re.IGNORECASE)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integer(value: object) -> int | None:
    """An int given as an int or as its digits; None for anything else (3.0, "3a", True)."""
    if _is_int(value):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    return None


def _parse_year(value: object) -> int:
    year = _integer(value)
    if year is None:
        raise PeriodError("year", _("The year must be a number such as 2026."))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("year", _("The year must be from 1 to 9999."))
    return year


def _range_message(param: str, allow_whole_year_zero: bool) -> str:
    if param == "month":
        return _("The month must be 1 to 12.")
    if param == "half":
        return _("The half-year must be 1 (first half) or 2 (second half).")
    if allow_whole_year_zero:
        return _("The quarter must be 1 to 4, or 0 for whole-year figures.")
    return _("The quarter must be 1 to 4.")


def parse_period(params: Mapping[str, object], *, allow_whole_year_zero: bool = True) -> Period:
    """The period in `params`: the one reader for URLs, API queries and bodies, and uploads.

    `params` has a "year" and at most one of "month", "quarter", "half", as ints or strings;
    a blank or None one is absent, and other keys are ignored. The year alone, or with
    `quarter=0` (unless `allow_whole_year_zero` is off), is the whole year. Anything else
    raises PeriodError naming the parameter, so every route refuses with the same words.
    """
    year = _parse_year(params.get("year"))
    given = {p: params.get(p) for p in _FREQUENCY_OF_PARAM if not _blank(params.get(p))}
    if len(given) > 1:
        raise PeriodError("period", _("Give at most one of month, quarter and half-year."))
    if not given:
        return Period.whole_year(year)
    ((param, raw),) = given.items()
    n = _integer(raw)
    if param == "quarter" and n == WHOLE_YEAR and allow_whole_year_zero:
        return Period.whole_year(year)
    frequency = _FREQUENCY_OF_PARAM[param]
    if n is None or not 1 <= n <= PER_YEAR[frequency]:
        raise PeriodError(param, _range_message(param, allow_whole_year_zero))
    return Period(year, frequency, n)


def parse_code(text: str) -> Period:
    """The period of a code such as 2026, 2026-M03, 2026-Q1 or 2026-H1 (`Period.code()`).

    Lenient where it costs nothing: spaces around it, a lower-case letter, M3 for M03, and
    a number (an Excel cell holds 2026 as one). Errors are `parse_period`'s.
    """
    match = _CODE.fullmatch(str(text).strip())
    if match is None:
        raise PeriodError("period", _("Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1."))
    year, letter, n = match.groups()
    params = {"year": year}
    if letter:
        params[_PARAM_OF_LETTER[letter.upper()]] = n
    return parse_period(params, allow_whole_year_zero=False)
