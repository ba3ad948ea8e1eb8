"""The department's Excel template: its rows as plain data, then the protected workbook."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from indicators import access
from indicators.cells import put
from indicators.domain import meanings, periods
from indicators.domain.formatting import plain
from indicators.models import Actual, ActualState, Department, Indicator, Kind, Plan, WillMeet
from indicators.selectors.plans import indicators_reported_by

MAX_BYTES = 5 * 1024 * 1024


# A department reports tens of indicators; reading stops here so that a small file that
# unpacks to millions of rows cannot tie up the server.
MAX_ROWS = 2000


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Sheet protection keeps clerks from overwriting the printed cells by accident; it is not a
# security measure (Excel's protection is easily lifted), so the password need not be secret.
SHEET_PASSWORD = "lucounty"


IDENTITY_SHEET = "_template"


# The identity's layout: "2" names the period by its code (2026-M10, 2026-Q3, 2026-H1, 2026);
# "1", of templates downloaded before periods of every frequency, by year and quarter (still
# read, so a template downloaded before the change can be uploaded).
FORMAT, OLD_FORMAT = "2", "1"


NO_VERSION = 0  # passed for a row that had no value at download: no stored value has version 0


INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")


HEADER_FILL = PatternFill("solid", fgColor="E3E8EE")


class UploadRefused(Exception):
    """The whole upload is refused before any row is looked at; the message is for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def cell_meaning(indicator: Indicator, period: periods.Period) -> str:
    """The entry form's wording (`meanings.meaning`); for a milestone, with the stages to
    choose from, since a cell cannot show the form's drop-down labels."""
    text = meanings.meaning(indicator, period)
    if indicator.kind == Kind.MILESTONE:
        stages = "/".join(stage.label for stage in indicator.stages.all())
        return _("%(meaning)s (choose: %(stages)s)") % {"meaning": text, "stages": stages}
    return text


@dataclass(frozen=True)
class TemplateRow:
    """One indicator of the template, with the period's value (if any) and the previous one's."""

    indicator: Indicator
    meaning: str
    actual: Actual | None  # the period's value as it stands now
    previous: Actual | None  # the previous period's value

    @property
    def stages(self) -> list[str]:
        return [stage.label for stage in self.indicator.stages.all()]


@dataclass(frozen=True)
class Template:
    """One department's template for one period: a month, quarter or half lists its
    indicators of that frequency, the whole year every one of them (domain.md §3, §10)."""

    plan: Plan
    department: Department
    period: periods.Period
    rows: list[TemplateRow]

    @property
    def fingerprint(self) -> str:
        return fingerprint((r.indicator.code, r.indicator.printed_name) for r in self.rows)


def fingerprint(pairs) -> str:
    """A digest of the indicator rows, (code, printed name) in order: any row added, removed,
    moved or renamed changes it."""
    text = "\n".join(f"{code}\t{name}" for code, name in pairs)
    return hashlib.sha256(text.encode()).hexdigest()


def department_named(plan: Plan, name: str) -> Department | None:
    """The department of this name in the plan's region (names repeat across counties)."""
    return access.department_in(plan.region, name)


def template_frequencies(plan: Plan, department: Department | None) -> set[str]:
    """The frequencies of the department's indicators in the plan; without a department (an
    administrator choosing one), of every indicator of the plan (1 query)."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        if department is None
        else indicators_reported_by(department).filter(plan=plan)
    )
    return set(indicators.order_by().values_list("frequency", flat=True).distinct())


def is_reportable(plan: Plan, period: periods.Period, on: date) -> bool:
    """Whether a template can be for the period: within the plan's years and over by `on`."""
    return plan.baseline_year <= period.year <= plan.last_year and period.has_ended(on)


def reportable_periods(plan: Plan, frequencies: Iterable[str], on: date) -> list[periods.Period]:
    """The plan's periods of these frequencies, and its whole years, that are over by `on`,
    newest first; of periods ending on the same day the longer first (2025, 2025 H2, 2025 Q4,
    2025-12)."""
    offered = set()
    for frequency in {*frequencies, periods.ANNUAL}:
        first = periods.first_period(frequency, plan.baseline_year)
        offered.update(periods.periods_owed(frequency, first, on, plan.last_year))
    return sorted(offered, key=lambda p: (p.end, 12 // p.per_year), reverse=True)


def default_period(frequencies: Iterable[str], on: date) -> periods.Period | None:
    """The period a clerk most likely reports now: the last ended one of the most frequent
    kind among `frequencies` (monthly before quarterly, half-yearly, annual), else a quarter."""
    given = set(frequencies)
    most = next((f for f in periods.FREQUENCIES if f in given), periods.QUARTERLY)
    return periods.last_ended_period(most, on)


def template_for(*, plan: Plan, department: Department, period: periods.Period) -> Template:
    """The department's indicators of the plan that report for the period (of its frequency;
    all for a whole year) in plan order, with this period's and the previous period's values.
    Queries: indicators, their stages, the two periods' values."""
    indicators = indicators_reported_by(department).filter(plan=plan)
    if not period.is_whole_year:
        indicators = indicators.filter(frequency=period.frequency)
    indicators = list(indicators.prefetch_related("stages"))
    before = period.previous()
    # None in `fields` matches an empty column (Django turns it into IS NULL).
    both = Q(year=period.year, **period.fields) | Q(year=before.year, **before.fields)
    actuals = Actual.objects.filter(both, indicator__in=indicators).select_related(
        "stage", "approved_stage"
    )
    by_period = {(a.indicator_id, a.period): a for a in actuals}
    rows = [
        TemplateRow(
            indicator=indicator,
            meaning=cell_meaning(indicator, period),
            actual=by_period.get((indicator.pk, period)),
            previous=by_period.get((indicator.pk, before)),
        )
        for indicator in indicators
    ]
    return Template(plan, department, period, rows)


def _figure(actual: Actual | None):
    """The previous period's figure: the one in force, else its latest entry; '-' when none."""
    if actual is None:
        return "-"
    if actual.in_force:
        return _cell_value(actual.approved_value, actual.approved_stage)
    return _cell_value(actual.value, actual.stage)


def _current(actual: Actual | None):
    return None if actual is None else _cell_value(actual.value, actual.stage)


def _cell_value(value: Decimal | None, stage):
    if stage is not None:
        return stage.label
    return None if value is None else Decimal(plain(value))


def _state(actual: Actual | None) -> str:
    return str(ActualState(actual.state).label) if actual else _("not entered")


def _source(row: TemplateRow) -> str:
    """Prefilled so a clerk types it once: the value's own source, else last period's."""
    for actual in (row.actual, row.previous):
        if actual is not None:
            return actual.source or actual.approved_source
    return ""


def _will_meet(row: TemplateRow) -> str | None:
    """The working copy's 能否按期完成, by the label the clerk picks (能 / 有风险 / 不能)."""
    if row.actual is None or not row.actual.lag_will_meet:
        return None
    return str(WillMeet(row.actual.lag_will_meet).label)


def will_meet_labels() -> dict[str, str]:
    """能 / 有风险 / 不能 → yes / at_risk / no: what the 能否按期完成 cell may hold."""
    return {str(label): code for code, label in WillMeet.choices}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    getter: Callable[[TemplateRow], object]
    input: bool = False  # a cell the clerk fills in: unlocked


COLUMNS = [
    Column("code", gettext_lazy("Indicator code"), 28, lambda r: r.indicator.code),
    Column("name", gettext_lazy("Indicator name"), 36, lambda r: r.indicator.printed_name),
    Column("unit", gettext_lazy("Unit"), 8, lambda r: r.indicator.unit),
    Column("meaning", gettext_lazy("Meaning of the value"), 36, lambda r: r.meaning),
    Column("previous", gettext_lazy("Value last period"), 14, lambda r: _figure(r.previous)),
    Column("current", gettext_lazy("Current value"), 14, lambda r: _current(r.actual)),
    Column("state", gettext_lazy("Current state"), 10, lambda r: _state(r.actual)),
    Column("value", gettext_lazy("Value or stage"), 16, lambda r: None, input=True),
    Column("source", gettext_lazy("Data source"), 26, _source, input=True),
    Column("note", gettext_lazy("Note"), 30, lambda r: None, input=True),
    Column("reason", gettext_lazy("Reason for change"), 30, lambda r: None, input=True),
    # The 滞后说明 (domain.md §11), prefilled with the working copy's: a value that turns the
    # light yellow or red is submitted with it. Last, so that an older template still reads.
    Column(
        "lag_cause",
        gettext_lazy("Cause of the lag"),
        30,
        lambda r: r.actual.lag_cause if r.actual else None,
        input=True,
    ),
    Column(
        "lag_measures",
        gettext_lazy("Measures taken"),
        30,
        lambda r: r.actual.lag_measures if r.actual else None,
        input=True,
    ),
    Column(
        "lag_will_meet",
        gettext_lazy("Will the milestone be met (will be met / at risk / will not be met)"),
        16,
        _will_meet,
        input=True,
    ),
]


COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def file_name(template: Template) -> str:
    return _("Reporting template-%(department)s-%(period)s.xlsx") % {
        "department": template.department.name,
        "period": template.period.label(),
    }


def build_workbook(template: Template) -> bytes:
    """The template as .xlsx bytes: the rows sheet (input cells unlocked, the rest protected),
    an instructions sheet, and a very hidden sheet with the template's identity."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(template)
    _write_rows(sheet, template.rows)
    _add_stage_lists(sheet, template.rows)
    _add_will_meet_list(sheet, len(template.rows))
    _protect(sheet)
    _write_instructions(workbook.create_sheet(_("Instructions")), template)
    _write_identity(workbook.create_sheet(IDENTITY_SHEET), template, sheet.title)
    # Sheets cannot be renamed, moved, added or unhidden: the upload finds them by name.
    workbook.security = WorkbookProtection(workbookPassword=SHEET_PASSWORD, lockStructure=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(template: Template) -> str:
    title = f"{template.department.name} {template.period.label()}"
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _write_rows(sheet, rows: list[TemplateRow]) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        put(cell, str(column.header))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = column.width
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            put(cell, column.getter(row))  # a data source "=HYPERLINK(…)" stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.input:
                cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
    sheet.freeze_panes = "A2"


def _add_stage_lists(sheet, rows: list[TemplateRow]) -> None:
    """A drop-down of the stages in the value cell of each milestone row (the upload checks
    the stage anyway; a label with a comma or quote cannot be listed inline, so none is)."""
    letter = sheet.cell(row=1, column=COLUMN_INDEX["value"] + 1).column_letter
    for number, row in enumerate(rows, start=2):
        stages = row.stages
        if not stages or any("," in s or '"' in s for s in stages):
            continue
        validation = DataValidation(
            type="list",
            formula1='"{}"'.format(",".join(stages)),
            allow_blank=True,
            showErrorMessage=True,
            error=_("Choose one of the stages in the list."),
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{number}")


def _add_will_meet_list(sheet, rows: int) -> None:
    """A drop-down of 能 / 有风险 / 不能 in every row's 能否按期完成 cell."""
    if not rows:
        return
    letter = sheet.cell(row=1, column=COLUMN_INDEX["lag_will_meet"] + 1).column_letter
    validation = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(will_meet_labels())),
        allow_blank=True,
        showErrorMessage=True,
        error=_("Choose one of: %(choices)s.") % {"choices": "/".join(will_meet_labels())},
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{rows + 1}")


def _protect(sheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    # Resizing columns and rows harms nothing; inserting or deleting rows stays forbidden.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_instructions(sheet, template: Template) -> None:
    plan, period = template.plan, template.period
    due = period.deadline(plan.deadline_days, plan.annual_deadline)
    lines = [
        _("Reporting template: %(department)s, %(period)s")
        % {"department": template.department.name, "period": period.label()},
        _("Due by %(date)s.") % {"date": due.isoformat()},
        _("Fill in only the yellow cells; do not add, delete or move rows."),
        _("A row whose value is left empty is not reported."),
        _("Every value needs its data source."),
        _("Changing an approved value needs a reason in its column."),
        _(
            "A value that turns the indicator's warning light yellow or red is submitted with a "
            "lag explanation: the cause, the measures taken and whether the milestone will "
            "still be met."
        ),
        _(
            "On upload every row is checked; if any row has a problem, nothing is saved and "
            "the problems are listed by row."
        ),
    ]
    for number, line in enumerate(lines, start=1):
        put(sheet.cell(row=number, column=1), line)
    sheet.cell(row=1, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 90
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD


def _write_identity(sheet, template: Template, rows_sheet: str) -> None:
    """Which template this is, so an upload can be matched to its department, period and rows;
    and the version of each value at download, so a change made since is not overwritten."""
    identity = [
        ("format", FORMAT),
        ("plan", template.plan.slug),
        ("department", template.department.name),
        ("period", template.period.code()),
        ("fingerprint", template.fingerprint),
        ("sheet", rows_sheet),
        ("versions", None),
    ]
    versions = [(r.indicator.code, r.actual.version if r.actual else None) for r in template.rows]
    for number, row in enumerate(identity + versions, start=1):
        for column, value in enumerate(row, start=1):
            put(sheet.cell(row=number, column=column), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
