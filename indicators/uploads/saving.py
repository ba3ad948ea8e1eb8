"""Saving an upload: every row through the services, all or nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from indicators.domain import numbers
from indicators.models import Actual, ActualState, Indicator, Kind
from indicators.services import actuals as actual_services
from indicators.uploads.reading import Filled, FilledRow, _text
from indicators.uploads.template import COLUMN_INDEX, COLUMNS, NO_VERSION, Template, TemplateRow


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
}


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
        filled.period, value=value, stage=stage, source=filled_row.source, note=filled_row.note
    )


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
            actual_services.actual_submit(user=user, actual=actual, version=version)
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
    )
