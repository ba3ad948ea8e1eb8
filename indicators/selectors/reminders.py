"""What the daily reminders (催报 / 催办, domain.md §11) tell each department on a day D, who
receives them, and what was already sent that day.

- A value *falls due* when its deadline lies from D to D + the plan's `remind_days` and the
  department has not submitted it: nothing entered, a draft, or a value the reviewer returned.
- A value is *overdue* when 我的填报 says 逾期 (`selectors.reporting`: the deadline has passed and
  nothing was submitted, nor does a figure stand for the period), and also when a value the
  reviewer returned is past its deadline: it is back with the department, so it is chased like
  one never sent (我的填报 shows it as 已退回, the reviewer's turn having sent it back).
- A supervision item still open (not answered, not closed) is reminded of once yellow (due
  within `warnings.WARN_DAYS` days) and again every day once red (past due). An item answered
  is the office's to close, not the department's to chase.

What a department owes and by when is 我的填报's rule (`reporting.my_reporting`, the periods'
deadlines); the departments that report an indicator are `review.reporting_map`'s.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from indicators.domain import periods, warnings
from indicators.domain.reminders import supervision_key, value_key
from indicators.models import (
    ActualState,
    Department,
    Plan,
    Reminder,
    ReminderKind,
    Role,
    Supervision,
    SupervisionState,
)
from indicators.selectors.reporting import MISSING, OVERDUE, my_reporting
from indicators.selectors.review import reporting_map
from indicators.selectors.supervision import supervisions

STILL_OWED = {MISSING, ActualState.DRAFT, ActualState.RETURNED}
# How a message lists them: the most pressing first.
KIND_ORDER = (
    ReminderKind.OVERDUE,
    ReminderKind.DUE_SOON,
    ReminderKind.SUPERVISION_OVERDUE,
    ReminderKind.SUPERVISION_DUE,
)
SUPERVISION_KINDS = {
    warnings.YELLOW: ReminderKind.SUPERVISION_DUE,
    warnings.RED: ReminderKind.SUPERVISION_OVERDUE,
}


@dataclass(frozen=True)
class Item:
    """One thing a department is reminded of: a value of an indicator for a period, or a
    supervision item; `deadline` is the value's deadline or the item's due date."""

    kind: str  # a ReminderKind
    key: str  # Reminder.item
    plan: Plan
    subject: str  # the indicator's printed name, or the supervision item's indicator or task
    deadline: date
    period: periods.Period | None = None
    supervision: Supervision | None = None
    returned: bool = False  # a value the reviewer returned


@dataclass
class DepartmentItems:
    department: Department
    items: list[Item] = field(default_factory=list)


def value_kind(state: str, deadline: date, day: date, remind_days: int) -> str | None:
    """Whether a row of 我的填报 (its state and its period's deadline) is reminded of on `day`:
    overdue, falling due, or not at all (see the module docstring)."""
    if state == OVERDUE or (state == ActualState.RETURNED and deadline < day):
        return ReminderKind.OVERDUE
    if state in STILL_OWED and day <= deadline <= day + timedelta(days=remind_days):
        return ReminderKind.DUE_SOON
    return None


def supervision_subject(item: Supervision) -> str:
    return item.indicator.printed_name if item.indicator_id else item.task.name


def reminders_due(day: date) -> list[DepartmentItems]:
    """Per department, in the county's order, what it is reminded of on `day`, the most
    pressing first (`KIND_ORDER`). 4 queries whatever the number of departments, indicators and
    items: the reported indicators (+plan), their departments, their stored values, the open
    supervision items (+plan, indicator, task, department)."""
    grouped: dict[int, DepartmentItems] = {}
    for department, item in [*_value_items(day), *_supervision_items(day)]:
        grouped.setdefault(department.pk, DepartmentItems(department)).items.append(item)
    for group in grouped.values():
        group.items.sort(key=_order)
    return sorted(grouped.values(), key=lambda g: _department_order(g.department))


def _order(item: Item) -> tuple:
    return (KIND_ORDER.index(item.kind), item.deadline, item.key)


def _department_order(department: Department) -> tuple:
    return (department.region_id, department.order, department.pk)


def _value_items(day: date):
    """(department, item) for every value owed that is falling due or overdue on `day`."""
    sections = my_reporting(department=None, every=Plan.objects.all(), on=day)
    indicators = {row.indicator.pk: row.indicator for s in sections for row in s.rows}
    reporters = reporting_map(indicators.values())
    for section in sections:
        for row in section.rows:
            kind = value_kind(row.state, section.deadline, day, section.plan.remind_days)
            if kind is None:
                continue
            item = Item(
                kind=kind,
                key=value_key(row.indicator.pk, section.period.code()),
                plan=section.plan,
                subject=row.indicator.printed_name,
                deadline=section.deadline,
                period=section.period,
                returned=row.state == ActualState.RETURNED,
            )
            for department in reporters.get(row.indicator.pk, []):
                yield department, item


def _supervision_items(day: date):
    """(department, item) for every open supervision item yellow or red on `day`."""
    soon = day + timedelta(days=warnings.WARN_DAYS)
    open_items = supervisions(open_only=True).filter(state=SupervisionState.OPEN, due__lte=soon)
    for supervision in open_items:
        kind = SUPERVISION_KINDS.get(supervision.colour(day))
        if kind is None:
            continue
        yield (
            supervision.department,
            Item(
                kind=kind,
                key=supervision_key(supervision.pk),
                plan=supervision.plan,
                subject=supervision_subject(supervision),
                deadline=supervision.due,
                supervision=supervision,
            ),
        )


def clerk_addresses(department_ids) -> dict[int, list[str]]:
    """Per department id, the e-mail addresses of its active clerks (1 query)."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=Role.CLERK, profile__department_id__in=department_ids
        )
        .exclude(email="")
        .values_list("profile__department_id", "email")
        .order_by("email")
        .distinct()
    )
    addresses: dict[int, list[str]] = defaultdict(list)
    for department_id, email in users:
        addresses[department_id].append(email)
    return dict(addresses)


def sent_on(day: date) -> set[tuple[int, str, str, str]]:
    """(department id, item, kind, channel) of every reminder sent successfully on `day`
    (1 query): those are not sent again that day; a failed one is tried again."""
    return set(
        Reminder.objects.filter(day=day, failed=False).values_list(
            "department_id", "item", "kind", "channel"
        )
    )
