"""Reads of supervision items (督办, domain.md §11)."""

from django.db.models import QuerySet

from indicators.models import Supervision, SupervisionState


def supervisions(*, plans=None, department_ids=None, open_only: bool = False) -> QuerySet:
    """Supervision items with what a list shows selected (one query), optionally only those of
    some plans or departments, or only those not closed; in due order."""
    items = Supervision.objects.select_related(
        "plan", "indicator", "task", "department", "opened_by", "closed_by"
    )
    if plans is not None:
        items = items.filter(plan__in=plans)
    if department_ids is not None:
        items = items.filter(department_id__in=department_ids)
    if open_only:
        items = items.exclude(state=SupervisionState.CLOSED)
    return items.order_by("due", "id")
