"""The ranking of departments on the departments page (issue 12): per department, the on-time
share of the values it owed, its open and red 督办 items, and the share of the indicators it
leads that show a red light; sortable by each. Plain data in, rows out: no query here.

What is owed is the completeness rule's (`indicators.selectors.review.completeness`), counted
over the periods whose deadline has passed (before it, a value not yet in is not late); a
supervision item's colour is `warnings.supervision_colour`, a light `ProgressRow.light`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators.domain import warnings
from indicators.selectors.progress import ProgressRow
from indicators.selectors.review import Tally
from reports.wording import percent_shown


@dataclass(frozen=True)
class Sort:
    """A column one may sort by: its header and whether its worst values are the highest."""

    header: str
    worst_highest: bool


SORTS = {
    "red_lights": Sort(_("Red lights among the indicators it leads"), worst_highest=True),
    "on_time": Sort(_("Values owed submitted on time"), worst_highest=False),
    "open_items": Sort(_("Open supervision items"), worst_highest=True),
    "red_items": Sort(_("Red supervision items"), worst_highest=True),
}
DEFAULT_SORT = "red_lights"  # the worst first by the share of red lights


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / whole if whole else None


def red_lights(rows: list[ProgressRow]) -> dict[str, tuple[int, int]]:
    """Per lead department's name: (indicators under a red light, indicators it leads)."""
    red, led = defaultdict(int), defaultdict(int)
    for row in rows:
        for name in row.leads:
            led[name] += 1
            red[name] += row.light == warnings.RED
    return {name: (red[name], led[name]) for name in led}


def on_time(tallies: list) -> dict[int, Tally]:
    """Per department id: its tally over the periods whose deadline has passed."""
    totals: dict[int, Tally] = defaultdict(Tally)
    for period in tallies:
        if period.deadline_passed:
            for department, tally in period.rows:
                totals[department.pk] = totals[department.pk] + tally
    return totals


def supervision_counts(items, today: date) -> dict[int, tuple[int, int]]:
    """Per department id: (open items, red items) among the items given (those not closed)."""
    open_items, red = defaultdict(int), defaultdict(int)
    for item in items:
        open_items[item.department_id] += 1
        red[item.department_id] += (
            warnings.supervision_colour(item.state, item.due, today) == warnings.RED
        )
    return {pk: (open_items[pk], red[pk]) for pk in open_items}


def add_ranking(table_rows: list[dict], rows, tallies, items, today: date) -> None:
    """Put the ranking's figures on the departments table's rows (`departments_table`); the
    row of the indicators without a lead gets none."""
    lights, tally, counts = red_lights(rows), on_time(tallies), supervision_counts(items, today)
    for row in table_rows:
        department = row["department"]
        if department is None:
            row["ranking"] = None
            continue
        red, led = lights.get(row["name"], (0, 0))
        owed = tally.get(department.pk, Tally())
        open_items, red_items = counts.get(department.pk, (0, 0))
        row["ranking"] = {
            "red_lights": _share(red, led),
            "red_lights_count": red,
            "on_time": _share(owed.on_time, owed.owed),
            "on_time_count": owed.on_time,
            "owed": owed.owed,
            "open_items": open_items,
            "red_items": red_items,
        }
        row["ranking"]["shown"] = {
            key: percent_shown(row["ranking"][key]) for key in ("red_lights", "on_time")
        }


def chosen_sort(raw: str | None) -> tuple[str, bool]:
    """The column asked for by ?sort= (`key`, or `-key` for the best first) and whether the
    order is reversed; an unknown value is the default order, not an error."""
    raw = (raw or "").strip()
    key = raw.removeprefix("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, raw.startswith("-")


def ranked(table_rows: list[dict], key: str, reverse: bool) -> list[dict]:
    """The departments worst first by `key` (best first when `reverse`); a department without
    a figure (nothing led, nothing owed) after them, ties in the county's order, and the row
    without a lead last."""
    worst_first = SORTS[key].worst_highest != reverse
    departments = [r for r in table_rows if r["ranking"] is not None]
    known = [r for r in departments if r["ranking"][key] is not None]
    unknown = [r for r in departments if r["ranking"][key] is None]
    known.sort(key=lambda r: r["ranking"][key], reverse=worst_first)
    return known + unknown + [r for r in table_rows if r["ranking"] is None]


def sort_links(key: str, reverse: bool) -> list[dict]:
    """The ranking's column headers: each links to sorting by it (the worst first), or, for the
    column sorted by, to the other direction."""
    return [
        {
            "key": name,
            "header": sort.header,
            "param": f"-{name}" if name == key and not reverse else name,
            "current": name == key,
            "reverse": reverse,
        }
        for name, sort in SORTS.items()
    ]
