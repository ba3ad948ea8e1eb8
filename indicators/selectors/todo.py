"""The 待办 page (domain.md §11): what the reminders would tell a user, and more of the same.

- A clerk: their department's values still owed (我的填报's rule, `reporting.my_reporting`):
  overdue, owed (those falling due within the plan's `remind_days` marked), returned by the
  reviewer; and their department's supervision items waiting for its answer.
- A reviewer (or an administrator): the values waiting for review in their scope
  (`review.submitted_actuals`), the supervision items answered and waiting to be closed, and
  the open ones past due (red).
- A leader or an analyst has nothing to do here: the page shows counts only.

`todo_count` is the number beside the navigation's link, in a constant number of queries.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from indicators import access
from indicators.domain import periods
from indicators.models import (
    Actual,
    ActualState,
    Indicator,
    Plan,
    ReminderKind,
    Role,
    SupervisionState,
)
from indicators.selectors.reminders import value_kind
from indicators.selectors.reporting import MISSING, OVERDUE, my_reporting
from indicators.selectors.review import QueueFilters, submitted_actuals
from indicators.selectors.supervision import SupervisionRow, rows, supervisions

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
CLERK_OWED = {MISSING, ActualState.DRAFT}


@dataclass(frozen=True)
class OwedValue:
    """A value the clerk's department still owes for a period, as 我的填报 lists it."""

    plan: Plan
    indicator: Indicator
    period: periods.Period
    deadline: date
    state: str  # missing, draft, overdue or returned (reporting.ReportingRow.state)
    comment: str  # the reviewer's, on a returned value
    kind: str | None  # the reminder it gets today: due_soon, overdue, or none

    @property
    def code(self) -> str:
        return self.period.code()

    @property
    def due_soon(self) -> bool:
        return self.kind == ReminderKind.DUE_SOON


@dataclass
class Todo:
    role: str | None
    overdue: list[OwedValue] = field(default_factory=list)
    owed: list[OwedValue] = field(default_factory=list)
    returned: list[OwedValue] = field(default_factory=list)
    to_answer: list[SupervisionRow] = field(default_factory=list)
    to_review: list[Actual] = field(default_factory=list)
    to_close: list[SupervisionRow] = field(default_factory=list)
    red: list[SupervisionRow] = field(default_factory=list)
    overview: dict | None = None  # leaders and analysts: counts only

    @property
    def count(self) -> int:
        lists = (self.overdue, self.owed, self.returned, self.to_answer)
        return sum(map(len, (*lists, self.to_review, self.to_close, self.red)))


def todo_for(user, today: date) -> Todo:
    """The user's 待办 (see the module docstring). Queries: a clerk 4 (我的填报's 3, the
    department's open supervision items); a reviewer 2 (the submitted values, the supervision
    items); a leader or an analyst 2 (two counts); each after the user's role and scope."""
    role = access.user_role(user)
    if role == Role.CLERK:
        return _clerk(user, today)
    if role in REVIEWERS:
        return _reviewer(user, today)
    return Todo(role, overview=_overview(user, today))


def todo_count(user, today: date) -> int:
    """The number of lines of the user's 待办, for the navigation: a clerk 4 queries, a
    reviewer 2 (counts), anyone else none (their page lists nothing to do)."""
    role = access.user_role(user)
    if role == Role.CLERK:
        return _clerk(user, today).count
    if role in REVIEWERS:
        return _submitted(user).count() + _office_items(user, today).count()
    return 0


def _clerk(user, today: date) -> Todo:
    department_id = access.actor(user).department_id
    todo = Todo(Role.CLERK)
    for section in my_reporting(department=department_id, on=today):
        for row in section.rows:
            value = OwedValue(
                plan=section.plan,
                indicator=row.indicator,
                period=section.period,
                deadline=section.deadline,
                state=row.state,
                comment=row.comment,
                kind=value_kind(row.state, section.deadline, today, section.plan.remind_days),
            )
            _file_value(todo, value)
    for listed in (todo.overdue, todo.owed, todo.returned):
        listed.sort(key=lambda v: (v.deadline, v.plan.slug, v.indicator.order))
    answer = supervisions(department_ids=[department_id], open_only=True).filter(
        state=SupervisionState.OPEN
    )
    todo.to_answer = rows(answer, today)
    return todo


def _file_value(todo: Todo, value: OwedValue) -> None:
    """Put a row of 我的填报 in its list; submitted and approved rows are not the clerk's to do."""
    if value.state == OVERDUE:
        todo.overdue.append(value)
    elif value.state == ActualState.RETURNED:
        todo.returned.append(value)
    elif value.state in CLERK_OWED:
        todo.owed.append(value)


def _submitted(user):
    return submitted_actuals(user=user, filters=QueueFilters())


def _office_items(user, today: date):
    """Supervision items in the user's plans that wait for the office: answered, or open and
    past due (red)."""
    waiting = Q(state=SupervisionState.RESPONDED) | Q(due__lt=today)
    return supervisions(plans=access.plans_visible_to(user), open_only=True).filter(waiting)


def _reviewer(user, today: date) -> Todo:
    todo = Todo(access.user_role(user), to_review=list(_submitted(user)))
    for row in rows(_office_items(user, today), today):
        (todo.to_close if row.item.state == SupervisionState.RESPONDED else todo.red).append(row)
    return todo


def _overview(user, today: date) -> dict | None:
    """For those who only read: values waiting for review, supervision items not closed and
    how many of them are red."""
    if access.user_role(user) is None:
        return None
    submitted = access.actuals_visible_to(user).filter(state=ActualState.SUBMITTED).count()
    items = supervisions(plans=access.plans_visible_to(user), open_only=True).aggregate(
        open=Count("pk"), red=Count("pk", filter=Q(due__lt=today))
    )
    return {"submitted": submitted, "open": items["open"], "red": items["red"]}
