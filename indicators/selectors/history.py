"""Reads of the history of values: a value's steps, and every value as it stood at a past moment."""

from dataclasses import dataclass

from django.apps import apps

from indicators import access
from indicators.domain.formatting import plain
from indicators.models import (
    Actual,
    ActualState,
    Plan,
    SupervisionStep,
)


@dataclass(frozen=True)
class HistoryStep:
    """One recorded change of a value: who, when, what changed (old → new) and why."""

    when: object
    who: str
    kind: str  # "+" created, "~" changed
    reason: str
    changes: list[tuple[str, str, str, str]]  # (field, label, old, new)
    state: str
    version: int


# The fields a history step reports, in the order a reader wants them.
HISTORY_FIELDS = [
    "value", "stage", "source", "note", "attachment",
    "lag_cause", "lag_measures", "lag_will_meet", "state", "review_comment",
    "approved_value", "approved_stage", "approved_attachment",
    "approved_lag_cause", "approved_lag_measures", "approved_lag_will_meet",
]  # fmt: skip


def actual_history(actual: Actual) -> list[HistoryStep]:
    """Every step of a value's history, oldest first (one query for the records)."""
    records = list(
        actual.history.select_related("history_user", "stage", "approved_stage").order_by(
            "history_date", "history_id"
        )
    )
    steps, previous = [], None
    for record in records:
        steps.append(_history_step(record, previous))
        previous = record
    return steps


def history_seen_by(user, actual: Actual) -> list[HistoryStep]:
    """The steps of `actual_history` the user may see: every one to those who see the working
    copy (`access.sees_working_copy`); to anyone else only the steps up to the latest
    approval, none of a correction made since."""
    steps = actual_history(actual)
    if access.sees_working_copy(user, actual):
        return steps
    approvals = [n for n, step in enumerate(steps) if step.state == ActualState.APPROVED]
    return steps[: approvals[-1] + 1] if approvals else []


def _history_step(record, previous) -> HistoryStep:
    changes = []
    for name in HISTORY_FIELDS:
        new = _shown(record, name)
        old = _shown(previous, name) if previous is not None else ""
        if new != old:
            label = str(Actual._meta.get_field(name).verbose_name)
            changes.append((name, label, old, new))
    return HistoryStep(
        when=record.history_date,
        who=record.history_user.get_username() if record.history_user else "",
        kind=record.history_type,
        reason=record.history_change_reason or "",
        changes=changes,
        state=record.state,
        version=record.version,
    )


def _shown(record, name: str) -> str:
    """A field of a history record as text ('' when empty)."""
    value = getattr(record, name)
    if value is None or value == "":
        return ""
    if name in ("value", "approved_value"):
        return plain(value)
    return str(value)


def actuals_as_of(*, plan: Plan, moment) -> list:
    """Every value of the plan as it stood at `moment` (historical records, one query).

    Each item is the history record in force then: the latest change at or before `moment`,
    unless that change was a deletion. It has the Actual's fields (value, approved_value, …).
    """
    records = (
        Actual.history.filter(indicator__plan=plan, history_date__lte=moment)
        .order_by("id", "-history_date", "-history_id")
        .select_related("stage", "approved_stage")
    )
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    return [r for r in latest.values() if r.history_type != "-"]


def history_models() -> list:
    """The historical models of every model with a history (django-simple-history)."""
    return [
        model
        for model in apps.get_models()
        if any(field.name == "history_user" for field in model._meta.fields)
    ]


def user_in_history(user) -> list:
    """Up to one history record per model in which `user` made a change (one query per model
    with a history), or a step of a supervision item they took (one query more: the steps are
    that model's history): a user who appears there is never deleted, only deactivated."""
    found = [model.objects.filter(history_user=user).first() for model in history_models()]
    found.append(SupervisionStep.objects.filter(by=user).first())
    return [record for record in found if record is not None]
