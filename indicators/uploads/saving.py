"""Saving an upload: every row through the services, all or nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.domain import numbers, warnings
from indicators.models import Actual, ActualState, Indicator, Kind
from indicators.services import actuals as actual_services
from indicators.uploads.reading import Filled, FilledRow, _text
from indicators.uploads.template import (
    COLUMN_INDEX,
    COLUMNS,
    NO_VERSION,
    Template,
    TemplateRow,
    will_meet_labels,
)


@dataclass(frozen=True)
class RowError:
    excel_row: int
    indicator: str
    column: str
    message: str


@dataclass
class Outcome:
    saved: int = 0  # created or changed (and submitted, when asked)
    unchanged: int = 0  # the same as the value already there: left alone
    empty: int = 0  # no value or stage: not reported
    errors: list[RowError] = field(default_factory=list)


class _RollBack(Exception):
    """Raised inside the transaction when any row failed, so that nothing is kept."""


# The column to point at for a service's error on a field (others point at no column).
FIELD_COLUMNS = {
    "value": "value",
    "stage": "value",
    "source": "source",
    "note": "note",
    "reason": "reason",
    "explanation": "lag_cause",
    "lag_cause": "lag_cause",
    "lag_measures": "lag_measures",
    "lag_will_meet": "lag_will_meet",
}


class BadCell(ValueError):
    """A cell that cannot be read; `key` names its column."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def save_rows(*, user, template: Template, filled: Filled, submit: bool) -> Outcome:
    """Save every filled row (as drafts, or submitted) in one transaction; if any row fails,
    save none and return every row's errors."""
    outcome = Outcome()
    try:
        with transaction.atomic():
            for row, filled_row in zip(template.rows, filled.rows, strict=True):
                _save_row(user, row, filled_row, filled, submit, outcome)
            if outcome.errors:
                raise _RollBack
    except _RollBack:
        outcome.saved = outcome.unchanged = 0
    return outcome


def _save_row(user, row: TemplateRow, filled_row: FilledRow, filled: Filled, submit, outcome):
    def fail(key: str, message: str) -> None:
        header = str(COLUMNS[COLUMN_INDEX[key]].header) if key else ""
        outcome.errors.append(
            RowError(filled_row.excel_row, row.indicator.printed_name, header, message)
        )

    if _text(filled_row.value) == "":
        outcome.empty += 1
        return
    try:
        entry = _entry(row.indicator, filled_row, filled)
    except BadCell as error:
        fail(error.key, str(error))
        return
    except ValueError as error:
        fail("value", str(error))
        return
    try:
        saved = _apply(user, row, filled_row, entry, filled, submit)
    except actual_services.Invalid as error:
        for name, messages in error.errors.items():
            for message in messages:
                fail(FIELD_COLUMNS.get(name, ""), message)
        return
    except (actual_services.NotAllowed, actual_services.Conflict) as error:
        fail("", str(error))
        return
    if saved:
        outcome.saved += 1
    else:
        outcome.unchanged += 1


def _entry(indicator: Indicator, filled_row: FilledRow, filled: Filled) -> actual_services.Entry:
    stage = value = None
    if indicator.kind == Kind.MILESTONE:
        stage = _text(filled_row.value)
    else:
        value = parse_number(filled_row.value)
    return actual_services.Entry.of(
        filled.period,
        value=value,
        stage=stage,
        source=filled_row.source,
        note=filled_row.note,
        explanation=_explanation(filled_row),
    )


def _explanation(filled_row: FilledRow) -> warnings.Explanation | None:
    """The row's 滞后说明; None when its three cells are empty (the stored one stays, so an
    older template without them changes nothing). 能否按期完成 is read by its label (能 / 有风险
    / 不能) or its code (yes / at_risk / no)."""
    cause, measures, label = filled_row.lag_cause, filled_row.lag_measures, filled_row.lag_will_meet
    if not (cause or measures or label):
        return None
    labels = will_meet_labels()
    will_meet = labels.get(label, label)
    if will_meet and will_meet not in warnings.WILL_MEET:
        raise BadCell(
            "lag_will_meet",
            _("Lag explanation: write one of %(choices)s for whether the milestone will be met.")
            % {"choices": "、".join(labels)},
        )
    return warnings.Explanation(cause, measures, will_meet)


def parse_number(raw) -> Decimal:
    """A cell's number as an exact Decimal (`domain.numbers.read_number`, the one reader of a
    typed number): Excel gives int or float, a text cell a string, in which thousands
    separators in groups of three are read (text copied from a printed table has them)."""
    return numbers.read_number(raw, thousands=True)


def _apply(user, row: TemplateRow, filled_row: FilledRow, entry, filled: Filled, submit) -> bool:
    """Create, change or submit the period's value; False when the row repeats it unchanged."""
    actual = row.actual
    if actual is None:
        actual_services.actual_create(
            user=user, indicator=row.indicator, entry=entry, submit=submit
        )
        return True
    # The version at download, so a change made since then is refused (Conflict), not lost.
    version = filled.versions.get(filled_row.code) or NO_VERSION
    if _same(actual, entry):
        if submit and actual.state in (ActualState.DRAFT, ActualState.RETURNED):
            actual_services.actual_submit(
                user=user, actual=actual, version=version, explanation=entry.explanation
            )
            return True
        return False
    actual_services.actual_update(
        user=user,
        actual=actual,
        entry=entry,
        version=version,
        reason=filled_row.reason,
        submit=submit,
    )
    return True


def _same(actual: Actual, entry: actual_services.Entry) -> bool:
    """Whether the row only repeats the value as it stands (re-uploading a file is harmless)."""
    stage = actual.stage.label if actual.stage else None
    return (
        (actual.value, stage) == (entry.value, entry.stage or None)
        and actual.source == entry.source.strip()
        and actual.note == entry.note.strip()
        and _same_explanation(actual, entry.explanation)
    )


def _same_explanation(actual: Actual, explanation: warnings.Explanation | None) -> bool:
    if explanation is None:  # none given: the stored one stays
        return True
    given = (explanation.cause.strip(), explanation.measures.strip(), explanation.will_meet)
    return given == (actual.lag_cause, actual.lag_measures, actual.lag_will_meet)
