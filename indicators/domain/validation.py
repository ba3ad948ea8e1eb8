"""The one check of a reported value (domain.md §3, §5), used by the form, the API and the
Excel upload alike. Plain values in, messages out: {field: [message, …]}, empty when valid."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain import periods, units, warnings
from indicators.domain.progress import ANNUAL_TOTAL, CUMULATIVE, MILESTONE, RATE, ZERO_EVENT

RATE_BOUNDS = (Decimal(-100), Decimal(1000))  # a growth rate or other ratio, in % or ‰
SHARE_BOUNDS = (Decimal(0), Decimal(100))  # a share of a whole, in %
PER_MILLE_SHARE_BOUNDS = (Decimal(0), Decimal(1000))  # a share of a whole, in ‰
LARGEST = Decimal("1e15")
BIG_CHANGE = Decimal("0.5")
# Kinds whose period-on-period change means nothing for the 50% rule: a growth rate is a
# change already, events are counted per quarter, and stages are not numbers.
NO_CHANGE_RULE = {RATE, ZERO_EVENT, MILESTONE}
# The longest texts a value carries (characters), the same on the entry form, the API, the
# Excel upload and the services: a note, and a reason for a change or a reviewer's comment (they
# are also the history's reasons).
MAX_NOTE = 2000
MAX_REASON = 1000
MAX_COMMENT = MAX_REASON
# A 滞后说明's cause and measures, a supervision item's requirement and a department's answer.
MAX_EXPLANATION = 1000
MAX_REQUIREMENT = 1000
MAX_RESPONSE = MAX_NOTE


def too_long(field: str, limit: int) -> str:
    """The message for a text longer than `limit`: `field` is "note", "reason", "comment", or
    a 滞后说明's "lag_cause" or "lag_measures"."""
    messages = {
        "note": _("The note is too long: at most %(limit)s characters."),
        "reason": _("The reason for the change is too long: at most %(limit)s characters."),
        "comment": _("The comment is too long: at most %(limit)s characters."),
        "lag_cause": _(
            "Lag explanation: the cause of the lag is too long: at most %(limit)s characters."
        ),
        "lag_measures": _(
            "Lag explanation: the measures are too long: at most %(limit)s characters."
        ),
    }
    return messages[field] % {"limit": limit}


@dataclass(frozen=True)
class Rules:
    """What the check needs to know about the indicator and its neighbourhood."""

    kind: str
    unit: str
    stages: tuple[str, ...]
    first_year: int
    last_year: int
    today: date
    previous_value: Decimal | None = None  # the previous period's value, if any
    previous_period: periods.Period | None = None  # that period (to annualise YTD totals)
    frequency: str = periods.QUARTERLY  # the indicator's reporting frequency (§10)
    name: str = ""  # the indicator's name: tells a share from a rate, a density from a count
    may_be_negative: bool = False  # the plan says the figure may fall below zero


@dataclass(frozen=True)
class Report:
    """A figure as entered, for the year and at most one of month, quarter, half."""

    year: int
    quarter: int | None
    value: Decimal | None
    stage: str | None
    source: str
    note: str = ""
    month: int | None = None
    half: int | None = None


def period_of(report: Report) -> periods.Period | None:
    """The report's period, or None when its fields do not make one (`_period_problems`
    says why)."""
    try:
        return periods.parse_period(
            {"year": report.year, "month": report.month, "quarter": report.quarter,
             "half": report.half},
            allow_whole_year_zero=False,
        )  # fmt: skip
    except periods.PeriodError:
        return None


def check_report(rules: Rules, report: Report) -> dict[str, list[str]]:
    """Every problem with the report, by field. Nothing is saved unless this is empty."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, message in _period_problems(rules, report):
        add(field, message)
    if len(report.note.strip()) > MAX_NOTE:
        add("note", too_long("note", MAX_NOTE))
    if not report.source.strip():
        add("source", _("Say where the figure comes from (e.g. 县统计局快报, a ledger)."))
    if rules.kind == MILESTONE:
        if report.stage not in rules.stages:
            add(
                "stage",
                _("Choose one of the stages: %(stages)s.") % {"stages": "、".join(rules.stages)},
            )
        return errors
    for message in _number_problems(rules, report.value):
        add("value", message)
    if "value" not in errors and _needs_note(rules, report):
        add(
            "note",
            _(
                "The value changed by more than half against the previous period: "
                "explain why in the note."
            ),
        )
    return errors


def check_explanation(
    explanation: warnings.Explanation, light: str | None = None
) -> dict[str, list[str]]:
    """Every problem with a 滞后说明 (domain.md §11), by field (lag_cause, lag_measures,
    lag_will_meet; "explanation" for the whole): texts within `MAX_EXPLANATION` always, and
    with the `light` the submitted value gives its indicator, when yellow or red, every part
    given. A draft is checked without a light: it needs none yet."""
    errors: dict[str, list[str]] = {}
    for field, text in (("lag_cause", explanation.cause), ("lag_measures", explanation.measures)):
        if len(text.strip()) > MAX_EXPLANATION:
            errors[field] = [too_long(field, MAX_EXPLANATION)]
    if explanation.will_meet and explanation.will_meet not in warnings.WILL_MEET:
        errors["lag_will_meet"] = [_will_meet_choice()]
    if light is None or not warnings.needs_explanation(light) or explanation.complete:
        return errors
    errors["explanation"] = [_explanation_needed(light)]
    missing = {
        "lag_cause": (explanation.cause, _("Lag explanation: give the cause of the lag.")),
        "lag_measures": (explanation.measures, _("Lag explanation: give the measures taken.")),
    }
    for field, (text, message) in missing.items():
        if not text.strip():
            errors.setdefault(field, []).append(message)
    if not explanation.will_meet:
        errors["lag_will_meet"] = [_will_meet_choice()]
    return errors


def _explanation_needed(light: str) -> str:
    if light == warnings.RED:
        return _("This value turns the indicator's light red: submit it with a lag explanation.")
    return _("This value turns the indicator's light yellow: submit it with a lag explanation.")


def _will_meet_choice() -> str:
    return _(
        "Lag explanation: say whether the milestone will still be met (will be met, at risk, "
        "will not be met)."
    )


def _period_problems(rules: Rules, report: Report):
    try:
        period = periods.parse_period(
            {"year": report.year, "month": report.month, "quarter": report.quarter,
             "half": report.half},
            allow_whole_year_zero=False,
        )  # fmt: skip
    except periods.PeriodError as exc:
        yield exc.field, exc.message
        return
    if not period.is_whole_year and period.frequency != rules.frequency:
        yield (
            period.param,
            _(
                "This indicator is reported by %(frequency)s: enter a %(frequency)s figure or "
                "the whole year's."
            )
            % {"frequency": periods.FREQUENCY_LABELS[rules.frequency]},
        )
        return
    if not rules.first_year <= report.year <= rules.last_year:
        yield (
            "year",
            _("The plan runs from %(first)s to %(last)s.")
            % {
                "first": rules.first_year,
                "last": rules.last_year,
            },
        )
    elif not period.has_ended(rules.today):
        yield (
            "year",
            _("%(period)s has not ended yet; it can be reported once it is over.")
            % {"period": period.label()},
        )


def _number_problems(rules: Rules, value: Decimal | None):
    if value is None:
        yield _("Enter a number.")
        return
    if not value.is_finite() or abs(value) >= LARGEST:
        yield _("This number is too large.")
        return
    if value.as_tuple().exponent < -4:
        yield _("Use at most 4 decimal places.")
    yield from _measure_problems(rules, value)
    if (
        rules.kind == CUMULATIVE
        and rules.previous_value is not None
        and value < rules.previous_value
    ):
        yield _("A running total cannot fall: the previous period had %(previous)s.") % {
            "previous": rules.previous_value
        }


def _measure_problems(rules: Rules, value: Decimal):
    """The bounds of what the figure measures (units.py): a count, a rate, a share, an amount."""
    measure = units.measure_of(rules.unit, rules.name, rules.kind)
    if measure == units.COUNT:
        yield from _count_problems(rules, value)
    elif measure == units.RATE_LIKE:
        yield from _rate_problems(rules, value)
    elif measure == units.SHARE:
        yield from _share_problems(rules, value)
    elif value < 0 and not rules.may_be_negative:
        yield _("An amount cannot be negative.")


def _count_problems(rules: Rules, value: Decimal):
    # Events (zero_event) never fall below zero, whatever the plan says.
    if rules.may_be_negative and rules.kind != ZERO_EVENT:
        if value != value.to_integral_value():
            yield _("A count must be a whole number.")
    elif value < 0 or value != value.to_integral_value():
        yield _("A count must be a whole number, 0 or more.")


def _rate_problems(rules: Rules, value: Decimal):
    low, high = RATE_BOUNDS
    if low <= value <= high:
        return
    if rules.kind == RATE:
        yield _("A growth rate must lie between %(low)s%% and %(high)s%%.") % {
            "low": low,
            "high": high,
        }
    else:
        unit = units.normal_unit(rules.unit)
        yield _("A rate must lie between %(low)s%(unit)s and %(high)s%(unit)s.") % {
            "low": low,
            "high": high,
            "unit": unit,
        }


def _share_problems(rules: Rules, value: Decimal):
    if units.normal_unit(rules.unit) == units.PER_MILLE:
        low, high = PER_MILLE_SHARE_BOUNDS
        if not low <= value <= high:
            yield _("A share in per mille must lie between 0‰ and 1000‰.")
    else:
        low, high = SHARE_BOUNDS
        if not low <= value <= high:
            yield _("A percentage must lie between 0 and 100.")


def _needs_note(rules: Rules, report: Report) -> bool:
    """A change of more than 50% against the previous period needs an explanation."""
    if rules.kind in NO_CHANGE_RULE or rules.previous_value is None or report.note.strip():
        return False
    current, previous = report.value, rules.previous_value
    if rules.kind == ANNUAL_TOTAL:  # compare like with like: whole-year equivalents
        current = _annualised(current, period_of(report))
        previous = _annualised(previous, rules.previous_period)
    if previous == 0:
        return current != 0
    return abs(current - previous) > BIG_CHANGE * abs(previous)


def _annualised(value: Decimal, period: periods.Period | None) -> Decimal:
    if period is None or period.closes_year:
        return value
    return value * period.per_year / period.n
