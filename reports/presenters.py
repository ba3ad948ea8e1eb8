"""Presentation of progress rows for the pages: cards, links, counts and tables of finished
text. Nothing here reads the database or recomputes a status."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import access
from indicators.domain import progress, statuses, warnings
from indicators.domain.formatting import plain, rounded
from indicators.domain.periods import Period
from indicators.models import (
    Department,
    Dimension,
    Form,
    Indicator,
    Kind,
    Plan,
    ResponsibilityRole,
    TaskIndicator,
)
from indicators.selectors import progress as progress_selectors
from indicators.selectors import targets as target_selectors
from indicators.selectors.progress import ProgressRow, indicator_figures
from reports import charts
from reports.selectors import (
    IndicatorValueRow,
    Overdue,
    chart_indicator_data,
    indicator_departments,
    indicator_get,
    indicator_spec,
    indicator_tasks,
    indicator_values,
    recorded_for,
)
from reports.wording import explanation_text, percent_shown


def _ink(colour: str) -> str:
    """Dark or white text, whichever reads better on the status colour (hex, no '#')."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "1f2933" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "ffffff"


STATUS_INK = {status: _ink(colour) for status, colour in statuses.STATUS_COLOURS.items()}
LIGHT_INK = {light: _ink(colour) for light, colour in statuses.LIGHT_COLOURS.items()}


def shown(indicator: Indicator, value: Decimal | None, places: int | None = None) -> str | None:
    """A number with its unit as a reader expects it ("36亿元", "5.2%", 零发生); computed
    numbers (expected values) are rounded to `places`."""
    if value is None:
        return None
    if indicator.kind == Kind.ZERO_EVENT and value == 0:
        return _("None occurred")
    text = plain(value) if places is None else rounded(value, places)
    return f"{text}{indicator.unit}"


class Card(TypedDict):
    """An indicator's standing in a period, ready to print: texts, status and colours.

    A plain dict rather than an object: a page prints hundreds of cards, and the template
    engine finds a dict's keys at once where an attribute costs it a failed lookup first.
    """

    row: ProgressRow
    code: str
    name: str
    binding: bool  # 约束性
    dimension: Dimension
    status: str
    label: str
    colour: str  # hex without '#', from statuses.STATUS_COLOURS
    ink: str  # text colour on `colour`
    light: str  # the warning light (warnings.LIGHTS): red, yellow, green or grey
    explanation: str  # the 滞后说明 of the figure shown, in one line; "" where there is none
    value: str | None  # the value with its unit, or the stage reached
    annualised: str | None  # the whole-year equivalent of a year-to-date total
    annualised_note: str | None  # the same, as a note ("折算全年：36亿元")
    expected_label: str
    expected: str | None
    ratio: str | None  # R as a percentage ("76.9")
    flags: list[str]
    provisional: bool  # includes a submitted, not yet approved value
    baseline_missing: bool
    url: str  # the indicator page, for the same period
    leads: list[str]
    lead_links: list[tuple[str, str | None]]  # (name, url of its page)
    responsible: list[str]


class Links:
    """Links from a dashboard to indicator and department pages, keeping the period's query.

    A page may link hundreds of indicators: each kind of link is reversed once, and the code
    or id is then put in its place (reversing every link took a third of a 300-card page).
    """

    def __init__(self, slug: str, query: str, departments: dict[str, Department] | None = None):
        self._indicator = reverse("reports:indicator", args=[slug, "0"])[:-2]
        self._department = reverse("reports:department", args=[slug, 0])[:-2]
        self._query = f"?{query}" if query else ""
        self._departments = departments or {}

    def indicator(self, code: str) -> str:
        return f"{self._indicator}{code}/{self._query}"

    def department(self, pk: int) -> str:
        return f"{self._department}{pk}/{self._query}"

    def lead(self, name: str) -> str | None:
        """A lead department's page, when the department is known by that name."""
        department = self._departments.get(name)
        return self.department(department.pk) if department else None


def target_shown(indicator: Indicator, text: str, form: str, value: Decimal | None) -> str:
    """A target as the plan prints it; a plain number gets its unit ("60亿元"), any other form
    stays exactly as printed (≥95, 控制在5.5%以内, 年均增长6%)."""
    if form == Form.PLAIN and value is not None and text == plain(value):
        return shown(indicator, value)
    return text


def card(row: ProgressRow, links: Links) -> Card:
    """Format one progress row (no query)."""
    ind, p = row.indicator, row.progress
    target_label = _("%(year)s target") % {"year": p.target_year} if p.target_year else ""
    if ind.kind == Kind.MILESTONE:
        value = row.stage
        expected_label, expected = target_label, p.target_stage
    elif p.expected is None and row.target_text:
        # A limit, a compound rate or a judged target has no path: show the target itself.
        value = shown(ind, p.value)
        expected_label, expected = target_label, row.target_text
    else:
        value = shown(ind, p.value)
        expected_label = _("Expected by schedule")
        expected = shown(ind, p.expected, 2)
    annualised = shown(ind, p.compared_value, 2) if progress.ANNUALISED in p.flags else None
    return Card(
        row=row,
        code=ind.code,
        name=ind.name,
        binding=ind.binding,
        dimension=ind.dimension,
        status=p.status,
        label=statuses.status_label(p.status),
        colour=statuses.STATUS_COLOURS[p.status],
        ink=STATUS_INK[p.status],
        light=row.light,
        explanation=explanation_text(row.explanation),
        value=value,
        annualised=annualised,
        annualised_note=_("whole year: %(value)s") % {"value": annualised} if annualised else None,
        expected_label=expected_label,
        expected=expected,
        ratio=percent_shown(p.ratio),
        flags=[statuses.flag_label(flag, row.period) for flag in p.flags],
        provisional=progress.PROVISIONAL in p.flags,
        baseline_missing=progress.BASELINE_MISSING in p.flags,
        url=links.indicator(ind.code),
        leads=row.leads,
        lead_links=[(name, links.lead(name)) for name in row.leads],
        responsible=row.responsible,
    )


def cards(rows: list[ProgressRow], links: Links) -> list[Card]:
    return [card(row, links) for row in rows]


def counts_shown(counts: dict[str, int]) -> list[dict]:
    """Status counts in report order with label and colours, for a legend or a list."""
    return [
        {
            "status": status,
            "label": statuses.status_label(status),
            "colour": statuses.STATUS_COLOURS[status],
            "ink": STATUS_INK[status],
            "count": count,
        }
        for status, count in counts.items()
    ]


def by_dimension(items: list[Card]) -> list[dict]:
    """Cards grouped by dimension, in plan order, with each dimension's counts."""
    groups: dict[int, dict] = {}
    for item in items:
        dimension = item["dimension"]
        group = groups.setdefault(dimension.pk, {"dimension": dimension, "cards": []})
        group["cards"].append(item)
    for group in groups.values():
        group["counts"] = progress_selectors.status_counts(c["row"] for c in group["cards"])
    return list(groups.values())


# The statuses a leader must act on, in the order the overview lists them.
ATTENTION = (progress.REGRESSING, progress.FAR_BEHIND, progress.FAILED, progress.OVERDUE)


def attention(items: list[Card]) -> dict:
    """The overview's lists: indicators by worrying status (only statuses that occur), and
    the gaps in the plan itself (no lead department, no baseline)."""
    by_status = defaultdict(list)
    for item in items:
        by_status[item["status"]].append(item)
    return {
        "statuses": [
            {
                "status": status,
                "label": statuses.status_label(status),
                "colour": statuses.STATUS_COLOURS[status],
                "ink": STATUS_INK[status],
                "cards": by_status[status],
            }
            for status in ATTENTION
            if by_status[status]
        ],
        "without_lead": [item for item in items if not item["leads"]],
        "without_baseline": [item for item in items if item["baseline_missing"]],
    }


def warned(items: list[Card]) -> list[Card]:
    """The cards under a red or a yellow light, red before yellow, each in plan order."""
    order = {warnings.RED: 0, warnings.YELLOW: 1}
    return sorted((c for c in items if c["light"] in order), key=lambda c: order[c["light"]])


def department_rows(
    rows: list[ProgressRow], departments: dict[str, Department], overdue: list[Overdue]
) -> list[dict]:
    """Per department of the plan: its counts as lead (`counts_by_lead`), how many
    indicators it shares as responsible, and its overdue values; lead departments first in
    plan order, then the others in the county's order, and last the indicators without a lead
    (department None). No query."""
    responsible: dict[str, int] = defaultdict(int)
    for row in rows:
        for name in row.responsible:
            responsible[name] += 1
    missing = {o.department.pk: o.missing for o in overdue}
    result, seen = [], set()
    for group in progress_selectors.counts_by_lead(rows):
        name = group["department"]
        seen.add(name)
        result.append(_department_row(name, group["counts"], departments, responsible, missing))
    for name in departments:
        if name not in seen:
            counts = statuses.empty_counts()
            result.append(_department_row(name, counts, departments, responsible, missing))
    # counts_by_lead puts the indicators without a lead last; keep them last
    result.sort(key=lambda r: r["department"] is None)
    return result


def _department_row(name, counts, departments, responsible, missing) -> dict:
    department = departments.get(name) if name else None
    return {
        "department": department,
        "name": name,
        "counts": counts,
        "lead": sum(counts.values()),
        "responsible": responsible.get(name, 0) if name else 0,
        "missing": missing.get(department.pk, 0) if department else 0,
    }


def departments_table(
    rows: list[ProgressRow], departments: dict[str, Department], overdue: list[Overdue]
) -> dict:
    """The departments page's table: a column for each status some department has (a narrower
    table on a phone), in report order, and per row (`department_rows`) its counts in them."""
    table = department_rows(rows, departments, overdue)
    used = {status for row in table for status, count in row["counts"].items() if count}
    columns = [c for c in counts_shown(statuses.empty_counts()) if c["status"] in used]
    for row in table:
        row["cells"] = [(c["status"], row["counts"][c["status"]]) for c in columns]
    return {"columns": columns, "rows": table}


def department_cards(items: list[Card], name: str) -> tuple[list[Card], list[Card]]:
    """A department's indicators: those it leads, and those it shares as responsible."""
    lead = [item for item in items if name in item["leads"]]
    shared = [item for item in items if name in item["responsible"]]
    return lead, shared


@dataclass(frozen=True)
class AssignmentRow:
    """A value assigned from above for a year, as the indicator page lists it."""

    year: int
    value: str  # with its unit
    document: str
    who: str
    when: datetime


@dataclass(frozen=True)
class JudgementRow:
    """The judgement of a qualitative target for a year, as the indicator page lists it."""

    year: int
    met: bool
    verdict: str  # 达到 or 未达到
    note: str
    who: str
    when: datetime


@dataclass(frozen=True)
class TargetRecords:
    """What is recorded beside the plan's table (domain.md §9, point 4); a list is None when
    the indicator has no target of its form (the page then leaves its section out)."""

    assignments: list[AssignmentRow] | None
    judgements: list[JudgementRow] | None
    may_record: bool  # the user records them: a reviewer or an administrator of the plan
    years: list[int]  # the years they may be recorded for


@dataclass(frozen=True)
class IndicatorPage:
    """Everything the indicator page shows, read and evaluated."""

    indicator: Indicator
    card: Card  # the standing, formatted as on the other dashboards
    progress: progress.Progress
    completion: str | None  # C_k as a percentage
    time_progress: str | None  # τ as a percentage
    target: str | None  # the current milestone's target, with its unit
    baseline: str | None  # the plan's baseline with its unit; None where the plan has none
    targets: list[tuple[int, str]]  # every target: (year, value with its unit, or stage)
    leads: list[Department]
    responsible: list[Department]
    tasks: list[TaskIndicator]
    values: list[IndicatorValueRow]
    figure: dict  # the plotly figure (reports.charts.indicator_figure)
    records: TargetRecords


def indicator_page(
    *, plan: Plan, code: str, user, year: int, quarter: int | None, include_pending: bool
) -> IndicatorPage:
    """The indicator page for a period: 4 queries for the indicator, 1 for its figures, 1
    for its tasks, 2–3 for the values the user may see, whatever the plan's size; and 1 for
    its assigned values (an `assigned` target only), 1 for its judgements (a `qualitative`
    target only), 1 for a regional reviewer's or administrator's scope (either target only)."""
    indicator = indicator_get(plan=plan, code=code)
    spec = indicator_spec(indicator, plan.baseline_year)
    figures = indicator_figures(indicator, include_pending)
    forms = target_selectors.target_forms(indicator)
    assignments = judgements = None
    if Form.ASSIGNED in forms:
        assignments = list(target_selectors.assignments_of(indicator))
    if Form.QUALITATIVE in forms:
        judgements = list(target_selectors.judgements_of(indicator))
    result, stage, own_period = progress_selectors.evaluate_period(
        spec,
        figures,
        Period.of(year, quarter),
        indicator.frequency,
        recorded_for(indicator, assignments or (), judgements or ()),
    )
    targets = [progress_selectors.TargetRow.of(t) for t in indicator.targets.all()]
    roles = indicator_departments(indicator)
    leads, responsible = roles[ResponsibilityRole.LEAD], roles[ResponsibilityRole.RESPONSIBLE]
    row = ProgressRow(
        indicator=indicator,
        progress=result,
        stage=stage,
        leads=[d.name for d in leads],
        responsible=[d.name for d in responsible],
        targets=targets,
        period=own_period,
        explanation=progress_selectors.shown_explanation(indicator.kind, figures, own_period),
    )
    data = chart_indicator_data(indicator, spec, result, figures, (year, quarter))
    return IndicatorPage(
        indicator=indicator,
        # The page links its departments itself; the card gives the standing's texts.
        card=card(row, Links(plan.slug, "", {d.name: d for d in leads})),
        progress=result,
        completion=percent_shown(result.completion),
        time_progress=percent_shown(result.time_progress),
        target=next(
            (
                target_shown(indicator, t.text, t.form, t.value)
                for t in targets
                if t.year == result.target_year
            ),
            None,
        ),
        baseline=indicator.baseline_text or shown(indicator, indicator.baseline),
        targets=[(t.year, target_shown(indicator, t.text, t.form, t.value)) for t in targets],
        leads=leads,
        responsible=responsible,
        tasks=indicator_tasks(indicator),
        values=indicator_values(indicator, user),
        figure=charts.indicator_figure(data),
        records=target_records(plan, indicator, user, assignments, judgements),
    )


def target_records(
    plan: Plan, indicator: Indicator, user, assignments, judgements
) -> TargetRecords:
    """The indicator's assigned values and judgements (read by the caller, only for the forms
    of its targets: None where it has no target of that form), as the page lists them."""
    if assignments is not None:
        assignments = [
            AssignmentRow(a.year, shown(indicator, a.value), a.document, _who(a), a.recorded_at)
            for a in assignments
        ]
    if judgements is not None:
        judgements = [
            JudgementRow(j.year, j.met, _verdict(j.met), j.note, _who(j), j.recorded_at)
            for j in judgements
        ]
    recorded = assignments is not None or judgements is not None
    may_record = recorded and access.reviews(user, plan)
    years = list(target_selectors.recordable_years(plan)) if may_record else []
    return TargetRecords(assignments, judgements, may_record, years)


def _who(row) -> str:
    return row.recorded_by.get_username()


def _verdict(met: bool) -> str:
    return _("Met") if met else _("Not met")
