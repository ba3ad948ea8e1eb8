"""Writes of what is recorded beside a plan's table (domain.md §9, point 4): the value a higher
level assigns for a year to an `assigned` target (完成市下达任务), with the assigning document,
and a reviewer's judgement of a `qualitative` target (保持适度水平) for a year, 达到 or 未达到,
with a note.

Only a reviewer or an administrator whose scope holds the plan records them (`access.reviews`),
for a year the plan tracks (`target_selectors.recordable_years`), and only for an indicator
with a target of that form. Recording a year again changes its row: django-simple-history
keeps every earlier state (who, when, what). Every route (the indicator page, the API) calls
these functions, so they refuse the same things with the same words: `NotAllowed` (403) for
the role or scope, `Invalid` (400) with a message per field for the rest.
"""

from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.domain import validation
from indicators.models import Assignment, Form, Indicator, Judgement, Target
from indicators.selectors import targets as target_selectors

# The refusals of the reported values' services: the API and the pages already map them.
from indicators.services.actuals import Invalid, NotAllowed

__all__ = ["NOT_A_REVIEWER", "Invalid", "NotAllowed", "assignment_record", "judgement_record"]

NOT_A_REVIEWER = gettext_lazy(
    "Only a reviewer or an administrator may record assigned values and judgements."
)


@transaction.atomic
def assignment_record(
    *, user, indicator: Indicator, year: int | None, value: Decimal | None, document: str
) -> Assignment:
    """Record the value assigned from above for `year` (or change the one recorded)."""
    _require_reviewer(user, indicator)
    _require_form(indicator, Form.ASSIGNED)
    document = (document or "").strip()
    errors = _fields(
        year=_year_problem(indicator, year),
        value=_value_problem(value),
        document=_text_problem(
            document,
            _limit(Assignment, "document"),
            missing=_("Name the document that assigned the value (its title and number)."),
            too_long=_("The document's name is too long: at most %(limit)s characters."),
        ),
    )
    if errors:
        raise Invalid(errors)
    return _record(Assignment, user, indicator, year, {"value": value, "document": document})


@transaction.atomic
def judgement_record(
    *, user, indicator: Indicator, year: int | None, met: bool | None, note: str
) -> Judgement:
    """Record whether the qualitative target was met in `year` (or change the judgement)."""
    _require_reviewer(user, indicator)
    _require_form(indicator, Form.QUALITATIVE)
    note = (note or "").strip()
    errors = _fields(
        year=_year_problem(indicator, year),
        met=None if isinstance(met, bool) else _("Say whether the target was met or not."),
        note=_text_problem(
            note,
            _limit(Judgement, "note"),
            missing=_("Write a note saying what the judgement rests on."),
            too_long=_("The note is too long: at most %(limit)s characters."),
        ),
    )
    if errors:
        raise Invalid(errors)
    return _record(Judgement, user, indicator, year, {"met": met, "note": note})


# --- the checks ---------------------------------------------------------------------------


def _require_reviewer(user, indicator: Indicator) -> None:
    if not access.reviews(user, indicator.plan):
        raise NotAllowed(str(NOT_A_REVIEWER))


def _require_form(indicator: Indicator, form: str) -> None:
    if Target.objects.filter(indicator=indicator, form=form).exists():
        return
    if form == Form.ASSIGNED:
        message = _(
            "This indicator has no target assigned from above: there is no assigned value "
            "to record."
        )
    else:
        message = _("This indicator has no qualitative target: there is nothing to judge.")
    raise Invalid({"indicator": [message]})


def _fields(**problems: str | None) -> dict[str, list[str]]:
    return {field: [message] for field, message in problems.items() if message}


def _year_problem(indicator: Indicator, year: int | None) -> str | None:
    years = target_selectors.recordable_years(indicator.plan)
    if isinstance(year, int) and not isinstance(year, bool) and year in years:
        return None
    return _("The year must be one the plan tracks, %(first)s to %(last)s.") % {
        "first": years.start,
        "last": years.stop - 1,
    }


def _value_problem(value: Decimal | None) -> str | None:
    """The bounds of a reported value (`domain.validation`): finite, below 10^15, at most
    4 decimal places. What the value measures is the assigning level's business."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return _("Enter the assigned value as a number.")
    if abs(value) >= validation.LARGEST:
        return _("This number is too large.")
    if value.as_tuple().exponent < -4:
        return _("Use at most 4 decimal places.")
    return None


def _limit(model: type[models.Model], field: str) -> int:
    """The column's own length: the model is the one place it is written."""
    return model._meta.get_field(field).max_length


def _text_problem(text: str, limit: int, *, missing: str, too_long: str) -> str | None:
    if not text:
        return missing
    if len(text) > limit:
        return too_long % {"limit": limit}
    return None


# --- the write ----------------------------------------------------------------------------


def _record(model: type[models.Model], user, indicator: Indicator, year: int, fields: dict):
    """Create the year's row, or change it if it exists; history records who did it."""
    row = model.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: someone may record the same year now
                return _save(model(indicator=indicator, year=year), user, fields)
        except IntegrityError:
            row = model.objects.select_for_update().get(indicator=indicator, year=year)
    return _save(row, user, fields)


def _save(row, user, fields: dict):
    for name, value in fields.items():
        setattr(row, name, value)
    row.recorded_by = user
    row._history_user = user  # simple-history: who
    row.save()
    return row
