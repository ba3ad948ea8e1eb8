"""Reads of supervision items (督办, domain.md §11): the lists per plan, department and
indicator, the overview's counts, and one item with its steps.

An item's colour is computed from its state, due date and today (`warnings.supervision_colour`,
through `Supervision.colour`), never stored: so a colour filter reads the items, then keeps
those of the colour asked for. Every read costs a fixed number of queries, whatever the number
of items.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from indicators.domain import statuses, warnings
from indicators.models import (
    Department,
    Indicator,
    Plan,
    Supervision,
    SupervisionAction,
    SupervisionState,
    SupervisionStep,
)


def supervisions(
    *,
    plans=None,
    department_ids=None,
    open_only: bool = False,
    indicator: Indicator | None = None,
    state: str | None = None,
    with_steps: bool = False,
) -> QuerySet:
    """Supervision items with what a list shows selected (one query), optionally only those of
    some plans, departments or one indicator, of one state, or only those not closed; with
    `with_steps`, their steps and who took them (one query more); in due order."""
    items = Supervision.objects.select_related(
        "plan", "indicator", "task", "department", "opened_by", "closed_by"
    )
    if plans is not None:
        items = items.filter(plan__in=plans)
    if department_ids is not None:
        items = items.filter(department_id__in=department_ids)
    if indicator is not None:
        items = items.filter(indicator=indicator)
    if open_only:
        items = items.exclude(state=SupervisionState.CLOSED)
    if state is not None:
        items = items.filter(state=state)
    if with_steps:
        items = items.prefetch_related(_steps())
    return items.order_by("due", "id")


def _steps() -> Prefetch:
    return Prefetch("steps", queryset=SupervisionStep.objects.select_related("by"))


@dataclass(frozen=True)
class SupervisionRow:
    """An item as lists show it: the item (related rows selected) and its colour today."""

    item: Supervision
    colour: str | None  # blue / yellow / red; None once closed

    @property
    def colour_label(self) -> str:
        return str(statuses.SUPERVISION_COLOUR_LABELS[self.colour]) if self.colour else ""

    @property
    def colour_hex(self) -> str:
        return statuses.SUPERVISION_COLOURS_HEX[self.colour] if self.colour else ""

    @property
    def state_label(self) -> str:
        return str(statuses.SUPERVISION_STATE_LABELS[self.item.state])

    @property
    def subject(self) -> str:
        """What it is about: the indicator's name or the task's."""
        item = self.item
        return item.indicator.name if item.indicator_id else item.task.name

    def responses(self) -> list[SupervisionStep]:
        """The department's answers, oldest first (from the prefetched steps)."""
        return [s for s in self.item.steps.all() if s.action == SupervisionAction.RESPOND]


def rows(items, on: date, colour: str | None = None) -> list[SupervisionRow]:
    """The items with their colour on `on`; only those of `colour` when one is asked for."""
    shown = (SupervisionRow(item, item.colour(on)) for item in items)
    return [row for row in shown if colour is None or row.colour == colour]


def plan_supervisions(
    *, plan: Plan, on: date, state: str | None = None, colour: str | None = None, **kw
) -> list[SupervisionRow]:
    """A plan's items, filtered by state and colour (1 query; 2 `with_steps`)."""
    return rows(supervisions(plans=[plan], state=state, **kw), on, colour)


def department_supervisions(
    *, plan: Plan, department: Department, on: date
) -> list[SupervisionRow]:
    """A department's items of a plan, those not closed first (1 query)."""
    found = rows(supervisions(plans=[plan], department_ids=[department.pk]), on)
    return sorted(found, key=lambda row: row.item.state == SupervisionState.CLOSED)


def indicator_supervisions(*, indicator: Indicator, on: date) -> list[SupervisionRow]:
    """An indicator's items, in due order (1 query)."""
    return rows(supervisions(indicator=indicator), on)


@dataclass(frozen=True)
class Counts:
    pending: int  # not closed yet (open or answered)
    red: int  # of those, past due


def plan_counts(*, plan: Plan, on: date) -> Counts:
    """How many of a plan's items are not closed, and how many of those are red (1 query)."""
    pending = Supervision.objects.filter(plan=plan).exclude(state=SupervisionState.CLOSED)
    fields = pending.values_list("state", "due")
    colours = [warnings.supervision_colour(state, due, on) for state, due in fields]
    return Counts(pending=len(colours), red=colours.count(warnings.RED))


def supervision_get(*, plan: Plan, pk: int) -> Supervision:
    """One item of the plan with its steps and who took them (2 queries); 404 for an item of
    another plan."""
    return get_object_or_404(supervisions(plans=[plan], with_steps=True), pk=pk)


def step_get(*, plan: Plan, pk: int, step_pk: int) -> SupervisionStep:
    """A step of one of the plan's items (1 query); 404 otherwise."""
    return get_object_or_404(
        SupervisionStep.objects, pk=step_pk, supervision_id=pk, supervision__plan=plan
    )
