"""Writes of reported values (services): create, update, submit, approve, return.

Every route (page, API, Excel upload) calls these, so the rules hold everywhere: who may act
(domain.md §6), the one validation (`indicators.domain.validation`), optimistic locking on
`version`, and a history row for every change (django-simple-history: who, when, the new
state, and why; the old state is the previous history row).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.domain import periods, validation, warnings
from indicators.models import Actual, ActualState, Indicator, Stage
from indicators.selectors.lights import pending_light
from indicators.services import supervision as supervision_services
from indicators.services.errors import ServiceError

ALREADY_ENTERED = gettext_lazy("This period already has a value: change that one instead.")


class NotAllowed(ServiceError):
    """The user's role or department does not allow this action (403)."""


class Invalid(ServiceError):
    """The report fails validation; `errors` maps fields to messages (400)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


class Conflict(ServiceError):
    """Someone changed the value since the user loaded it (409)."""


@dataclass(frozen=True)
class Entry:
    """What a clerk enters for one indicator and period: the year and at most one of month,
    quarter, half (none: the whole year), as `periods.Period.fields` writes them."""

    year: int
    quarter: int | None = None
    value: Decimal | None = None
    stage: str | None = None
    source: str = ""
    note: str = ""
    month: int | None = None
    half: int | None = None
    # The 滞后说明 (domain.md §11); None keeps the one stored (a new value has none).
    explanation: warnings.Explanation | None = None

    @classmethod
    def of(cls, period: periods.Period, **figure) -> "Entry":
        return cls(year=period.year, **period.fields, **figure)

    @property
    def period(self) -> periods.Period:
        return periods.Period.from_fields(
            self.year, month=self.month, quarter=self.quarter, half=self.half
        )


def _require_reporter(user, indicator: Indicator) -> None:
    if not access.reports(user, indicator):
        raise NotAllowed(_("Only a data clerk of the reporting department may enter this value."))


def _require_reviewer(user, actual: Actual) -> None:
    if not access.reviews(user, actual.indicator.plan):
        raise NotAllowed(_("Only a reviewer may approve or return values."))


def _check_text(field: str, text: str, limit: int) -> None:
    if len(text.strip()) > limit:
        raise Invalid({field: [validation.too_long(field, limit)]})


def _require_other_eyes(user, actual: Actual) -> None:
    """Four eyes (domain.md §5): nobody approves a value they entered, last changed or
    submitted, whatever their role. Besides who entered and last changed it, everyone who
    entered, changed or submitted it in the current review cycle (its history since the last
    approval) counts; a reviewer who returned it may approve it once it comes back. One query."""
    hands = {actual.created_by_id, actual.updated_by_id}
    steps = actual.history.order_by("-history_date", "-history_id").values_list(
        "state", "history_user_id"
    )
    for state, who in steps:
        if state == ActualState.APPROVED:
            break
        if state != ActualState.RETURNED:  # a return is a reviewer's step, not a change
            hands.add(who)
    if user.pk in hands:
        raise NotAllowed(
            _(
                "You entered, changed or submitted this value yourself: another reviewer "
                "must approve it."
            )
        )


def _check_version(actual: Actual, version: int | None) -> None:
    """Refuse a change made on a stale copy, naming who changed the value and when."""
    if version is not None and version != actual.version:
        raise Conflict(
            _(
                "%(user)s changed this value at %(when)s (version %(version)s) after you "
                "opened it, so nothing was saved: look at their change, then enter yours again."
            )
            % {
                "user": actual.updated_by.get_username(),
                "when": date_format(timezone.localtime(actual.updated_at), "Y-m-d H:i"),
                "version": actual.version,
            }
        )


def _locked(actual: Actual) -> Actual:
    """The row, locked until the transaction ends, so versions are compared and bumped alone.

    No join here: PostgreSQL re-checks joined rows after the lock wait, and a changed
    `updated_by` would then make the row vanish instead of raising a Conflict.
    """
    return Actual.objects.select_for_update().get(pk=actual.pk)


def _previous(indicator: Indicator, period: periods.Period) -> Actual | None:
    before = period.previous()
    return Actual.objects.filter(indicator=indicator, year=before.year, **before.fields).first()


def _validate(indicator: Indicator, entry: Entry) -> Stage | None:
    """Run the one check; return the chosen stage row for a milestone indicator."""
    report = validation.Report(
        entry.year, entry.quarter, entry.value, entry.stage, entry.source, entry.note,
        month=entry.month, half=entry.half,
    )  # fmt: skip
    period = validation.period_of(report)
    previous = _previous(indicator, period) if period else None
    plan = indicator.plan
    rules = validation.Rules(
        kind=indicator.kind,
        unit=indicator.unit,
        name=indicator.name,
        may_be_negative=indicator.may_be_negative,
        frequency=indicator.frequency,
        stages=tuple(indicator.stages.values_list("label", flat=True)),
        first_year=plan.baseline_year,
        last_year=plan.last_year,
        today=periods.today(),
        previous_value=_figure(previous),
        previous_period=previous.period if previous else None,
    )
    errors = validation.check_report(rules, report)
    if errors:
        raise Invalid(errors)
    return indicator.stages.filter(label=entry.stage).first() if entry.stage else None


def _explain(actual: Actual, explanation: warnings.Explanation | None) -> None:
    """Write the 滞后说明 given (None: keep the stored one) into the working copy, within
    its bounds; whether it is needed is known only once the value is submitted."""
    if explanation is None:
        return
    errors = validation.check_explanation(explanation)
    if errors:
        raise Invalid(errors)
    actual.lag_cause = explanation.cause.strip()
    actual.lag_measures = explanation.measures.strip()
    actual.lag_will_meet = explanation.will_meet


def _explanation_of(actual: Actual) -> warnings.Explanation:
    """The working copy's 滞后说明."""
    return warnings.Explanation(actual.lag_cause, actual.lag_measures, actual.lag_will_meet)


def _require_explanation(actual: Actual) -> None:
    """Refuse a submission that turns its indicator's light yellow or red (§11) without a
    complete 滞后说明. Called once the submitted row is saved, inside the transaction, so
    the light is the dashboards' own with this value counted; a refusal rolls it back."""
    light = pending_light(actual.indicator, actual.period)
    errors = validation.check_explanation(_explanation_of(actual), light)
    if errors:
        raise Invalid(errors)


def _figure(actual: Actual | None) -> Decimal | None:
    """The figure to compare with: the one in force, else the latest entered."""
    if actual is None:
        return None
    return actual.approved_value if actual.approved_value is not None else actual.value


def _save(actual: Actual, user, reason: str) -> Actual:
    actual.version += 1
    actual.updated_by = user
    actual._history_user = user  # simple-history: who
    actual._change_reason = reason  # simple-history: why
    actual.save()
    return actual


def _stamp_submitted(actual: Actual) -> None:
    now = timezone.now()
    actual.state = ActualState.SUBMITTED
    actual.submitted_at = now
    actual.first_submitted_at = actual.first_submitted_at or now
    actual.review_comment = ""


@transaction.atomic
def actual_create(
    *, user, indicator: Indicator, entry: Entry, attachment=None, submit: bool = False
) -> Actual:
    """Enter a new value for a period that has none yet, as a draft or submitted."""
    _require_reporter(user, indicator)
    stage = _validate(indicator, entry)
    fields = {
        "year": entry.year,
        "month": entry.month,
        "quarter": entry.quarter,
        "half": entry.half,
    }
    if Actual.objects.filter(indicator=indicator, **fields).exists():
        raise Invalid({"year": [str(ALREADY_ENTERED)]})
    actual = Actual(
        indicator=indicator,
        **fields,
        value=None if stage else entry.value,
        stage=stage,
        source=entry.source.strip(),
        note=entry.note.strip(),
        attachment=attachment or "",
        created_by=user,
        updated_by=user,
        version=0,
    )
    _explain(actual, entry.explanation)
    if submit:
        _stamp_submitted(actual)
    try:
        with transaction.atomic():
            _save(actual, user, _("entered"))
    except IntegrityError:  # another connection entered the period since the check above
        raise Invalid({"year": [str(ALREADY_ENTERED)]}) from None
    if submit:
        _require_explanation(actual)
    return actual


@transaction.atomic
def actual_update(
    *,
    user,
    actual: Actual,
    entry: Entry,
    version: int | None,
    reason: str = "",
    attachment=None,
    submit: bool = False,
) -> Actual:
    """Change the working copy. An approved value needs a reason and goes back for review;
    the approved figure stays in force until the correction is approved."""
    actual = _locked(actual)
    _require_reporter(user, actual.indicator)
    _check_version(actual, version)
    _check_text("reason", reason, validation.MAX_REASON)
    if actual.state == ActualState.SUBMITTED:
        raise Invalid({"state": [_("This value is waiting for review; it cannot be changed now.")]})
    if actual.state == ActualState.APPROVED and not reason.strip():
        raise Invalid({"reason": [_("Changing an approved value needs a reason.")]})
    stage = _validate(
        actual.indicator,
        Entry.of(
            actual.period,
            value=entry.value,
            stage=entry.stage,
            source=entry.source,
            note=entry.note,
        ),
    )
    actual.value, actual.stage = (None, stage) if stage else (entry.value, None)
    actual.source, actual.note = entry.source.strip(), entry.note.strip()
    if attachment is not None:
        actual.attachment = attachment
    _explain(actual, entry.explanation)
    actual.state = ActualState.DRAFT
    if submit:
        _stamp_submitted(actual)
    _save(actual, user, reason.strip() or _("changed"))
    if submit:
        _require_explanation(actual)
    return actual


@transaction.atomic
def actual_submit(
    *,
    user,
    actual: Actual,
    version: int | None = None,
    explanation: warnings.Explanation | None = None,
) -> Actual:
    """Submit a draft or returned value for review, with the 滞后说明 given (None: the one
    stored), which a value turning its indicator's light yellow or red needs."""
    actual = _locked(actual)
    _require_reporter(user, actual.indicator)
    _check_version(actual, version)
    if actual.state not in (ActualState.DRAFT, ActualState.RETURNED):
        raise Invalid({"state": [_("Only a draft or a returned value can be submitted.")]})
    _explain(actual, explanation)
    _stamp_submitted(actual)
    _save(actual, user, _("submitted"))
    _require_explanation(actual)
    return actual


@transaction.atomic
def actual_approve(*, user, actual: Actual, version: int | None = None) -> Actual:
    """Approve a submission: its figure, source, attachment and 滞后说明 come into force. Four eyes:
    not by whoever entered, changed or submitted it (`_require_other_eyes`)."""
    _require_reviewer(user, actual)
    actual = _locked(actual)
    _check_version(actual, version)
    if actual.state != ActualState.SUBMITTED:
        raise Invalid({"state": [_("Only a submitted value can be approved.")]})
    _require_other_eyes(user, actual)
    actual.state = ActualState.APPROVED
    actual.approved_value, actual.approved_stage = actual.value, actual.stage
    actual.approved_source = actual.source
    actual.approved_attachment = actual.attachment.name
    actual.approved_lag_cause, actual.approved_lag_measures, actual.approved_lag_will_meet = (
        actual.lag_cause,
        actual.lag_measures,
        actual.lag_will_meet,
    )
    actual.approved_by, actual.approved_at = user, timezone.now()
    actual.review_comment = ""
    _save(actual, user, _("approved"))
    supervision_services.auto_open(actual=actual, user=user)  # §11: a binding indicator red
    return actual


@transaction.atomic
def actual_return(*, user, actual: Actual, comment: str, version: int | None = None) -> Actual:
    """Return a submission to its clerk with a comment; a figure in force stays in force.
    Four eyes do not apply: returning brings nothing into force, and whoever submitted a value
    may take it back this way (only approving needs another person)."""
    _require_reviewer(user, actual)
    if not comment.strip():
        raise Invalid({"comment": [_("Say why the value is returned.")]})
    _check_text("comment", comment, validation.MAX_COMMENT)
    actual = _locked(actual)
    _check_version(actual, version)
    if actual.state != ActualState.SUBMITTED:
        raise Invalid({"state": [_("Only a submitted value can be returned.")]})
    actual.state = ActualState.RETURNED
    actual.review_comment = comment.strip()
    return _save(actual, user, comment.strip())
