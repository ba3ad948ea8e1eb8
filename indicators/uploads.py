"""A department's Excel template for one period, and its upload (issue 4, bulk upload).

- fetch: `template_for` reads the department's indicators with the current and previous
  period's values into plain rows (a fixed number of queries);
- build: `build_workbook` turns those rows into the workbook, columns declared once (`COLUMNS`);
- read: `read_upload` turns uploaded bytes into the template's identity and its filled rows,
  `check_upload` refuses a file that is not this user's, this period's, unaltered template;
- save: `save_rows` sends every row through the reporting services in one transaction, so one
  failing row saves nothing.
"""

import hashlib
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from indicators import calendar, meanings, reporting
from indicators.formatting import plain
from indicators.models import Actual, ActualState, Department, Indicator, Kind, Plan, Role
from indicators.selectors import indicators_reported_by, user_department, user_role

MAX_BYTES = 5 * 1024 * 1024
# A department reports tens of indicators; reading stops here so that a small file that
# unpacks to millions of rows cannot tie up the server.
MAX_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Sheet protection keeps clerks from overwriting the printed cells by accident; it is not a
# security measure (Excel's protection is easily lifted), so the password need not be secret.
SHEET_PASSWORD = "lucounty"
IDENTITY_SHEET = "_template"
FORMAT = "1"
NO_VERSION = 0  # passed for a row that had no value at download: no stored value has version 0

INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
HEADER_FILL = PatternFill("solid", fgColor="E3E8EE")


class UploadRefused(Exception):
    """The whole upload is refused before any row is looked at; the message is for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- What a cell means ----------------------------------------------------------------------


def cell_meaning(indicator: Indicator, quarter: int | None) -> str:
    """The entry form's wording (`meanings.meaning`); for a milestone, with the stages to
    choose from, since a cell cannot show the form's drop-down labels."""
    text = meanings.meaning(indicator, quarter)
    if indicator.kind == Kind.MILESTONE:
        stages = "/".join(stage.label for stage in indicator.stages.all())
        return _("%(meaning)s (choose: %(stages)s)") % {"meaning": text, "stages": stages}
    return text


# --- Fetch: the template's rows as plain data ----------------------------------------------


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
    plan: Plan
    department: Department
    year: int
    quarter: int | None  # None: the whole year
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
    return Department.objects.filter(county=plan.county, name=name).first()


def reportable_periods(plan: Plan) -> list[tuple[int, int | None]]:
    """The plan's periods that are over, newest first: each year's whole-year figure, then its
    quarters from the fourth down."""
    today, last = calendar.today(), max([plan.baseline_year, *plan.milestone_years])
    periods = [
        (year, quarter)
        for year in range(last, plan.baseline_year - 1, -1)
        for quarter in (None, 4, 3, 2, 1)
    ]
    return [p for p in periods if calendar.has_ended(*p, today)]


def template_for(*, plan: Plan, department: Department, year: int, quarter: int | None) -> Template:
    """The department's indicators of the plan in plan order, with this period's and the
    previous period's values. Queries: indicators, their stages, the two periods' values."""
    indicators = list(
        indicators_reported_by(department).filter(plan=plan).prefetch_related("stages")
    )
    before = calendar.previous_period(year, quarter)
    # quarter=None matches a whole-year value (Django turns it into IS NULL).
    periods = Q(year=year, quarter=quarter) | Q(year=before[0], quarter=before[1])
    actuals = Actual.objects.filter(periods, indicator__in=indicators).select_related(
        "stage", "approved_stage"
    )
    by_period = {(a.indicator_id, a.year, a.quarter): a for a in actuals}
    rows = [
        TemplateRow(
            indicator=indicator,
            meaning=cell_meaning(indicator, quarter),
            actual=by_period.get((indicator.pk, year, quarter)),
            previous=by_period.get((indicator.pk, *before)),
        )
        for indicator in indicators
    ]
    return Template(plan, department, year, quarter, rows)


# --- Build: rows -> workbook ----------------------------------------------------------------


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
]
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def period_code(year: int, quarter: int | None) -> str:
    """Short period for file names: 2026Q3, or 2026全年."""
    return f"{year}Q{quarter}" if quarter else f"{year}{_('whole year')}"


def file_name(template: Template) -> str:
    return _("Reporting template-%(department)s-%(period)s.xlsx") % {
        "department": template.department.name,
        "period": period_code(template.year, template.quarter),
    }


def build_workbook(template: Template) -> bytes:
    """The template as .xlsx bytes: the rows sheet (input cells unlocked, the rest protected),
    an instructions sheet, and a very hidden sheet with the template's identity."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(template)
    _write_rows(sheet, template.rows)
    _add_stage_lists(sheet, template.rows)
    _protect(sheet)
    _write_instructions(workbook.create_sheet(_("Instructions")), template)
    _write_identity(workbook.create_sheet(IDENTITY_SHEET), template, sheet.title)
    # Sheets cannot be renamed, moved, added or unhidden: the upload finds them by name.
    workbook.security = WorkbookProtection(workbookPassword=SHEET_PASSWORD, lockStructure=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(template: Template) -> str:
    title = f"{template.department.name} {period_code(template.year, template.quarter)}"
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _write_rows(sheet, rows: list[TemplateRow]) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = column.width
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index, value=column.getter(row))
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


def _protect(sheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    # Resizing columns and rows harms nothing; inserting or deleting rows stays forbidden.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_instructions(sheet, template: Template) -> None:
    period = calendar.period_label(template.year, template.quarter)
    due = calendar.deadline(template.year, template.quarter, template.plan.deadline_days)
    lines = [
        _("Reporting template: %(department)s, %(period)s")
        % {"department": template.department.name, "period": period},
        _("Due by %(date)s.") % {"date": due.isoformat()},
        _("Fill in only the yellow cells; do not add, delete or move rows."),
        _("A row whose value is left empty is not reported."),
        _("Every value needs its data source."),
        _("Changing an approved value needs a reason in the last column."),
        _(
            "On upload every row is checked; if any row has a problem, nothing is saved and "
            "the problems are listed by row."
        ),
    ]
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=line)
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
        ("year", template.year),
        ("quarter", template.quarter or 0),
        ("fingerprint", template.fingerprint),
        ("sheet", rows_sheet),
        ("versions", None),
    ]
    versions = [(r.indicator.code, r.actual.version if r.actual else None) for r in template.rows]
    for row in identity + versions:
        sheet.append(row)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD


# --- Read: uploaded bytes -> identity and filled rows ---------------------------------------


@dataclass(frozen=True)
class FilledRow:
    excel_row: int
    code: str
    name: str
    value: object  # the raw cell value, converted per kind when saved
    source: str
    note: str
    reason: str


@dataclass(frozen=True)
class Filled:
    """What an uploaded template says: its identity and its rows."""

    plan_slug: str
    department: str
    year: int
    quarter: int | None
    fingerprint: str
    versions: dict[str, int | None]
    rows: list[FilledRow]


def read_upload(upload) -> Filled:
    """Open an uploaded file as our template, or refuse it (UploadRefused)."""
    if upload.size > MAX_BYTES:
        raise UploadRefused(
            _("The file is larger than %(size)s MB; upload the template itself.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    workbook = _open(upload.read())
    try:
        identity, versions = _read_identity(workbook)
        # A renamed rows sheet (the structure lock lifted) is still the first one.
        name = identity["sheet"]
        rows = _read_rows(workbook[name] if name in workbook.sheetnames else workbook.worksheets[0])
    finally:
        workbook.close()
    return Filled(
        plan_slug=identity["plan"],
        department=identity["department"],
        year=identity["year"],
        quarter=identity["quarter"] or None,
        fingerprint=identity["fingerprint"],
        versions=versions,
        rows=rows,
    )


def _open(data: bytes):
    not_xlsx = _("This is not an Excel .xlsx file; upload the template downloaded here.")
    if not zipfile.is_zipfile(BytesIO(data)):  # an .xlsx is a zip; .xls, .csv or text is not
        raise UploadRefused(not_xlsx)
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl reports a zip that is not a workbook (a .docx, a broken file) with many
        # exception types; each means the same thing to the clerk.
        raise UploadRefused(not_xlsx) from error


def _not_template() -> str:
    return _(
        "This workbook is not a reporting template of this platform: download the template, "
        "fill it in and upload it."
    )


def _read_identity(workbook) -> tuple[dict, dict[str, int | None]]:
    if IDENTITY_SHEET not in workbook.sheetnames:
        raise UploadRefused(_not_template())
    identity, versions, in_versions = {}, {}, False
    identity_rows = workbook[IDENTITY_SHEET].iter_rows(
        max_row=MAX_ROWS + 10, max_col=2, values_only=True
    )
    for cells in identity_rows:
        key, value = (*cells, None, None)[:2]
        if in_versions and key:
            versions[str(key)] = value if isinstance(value, int) else None
        elif key == "versions":
            in_versions = True
        elif key:
            identity[key] = value
    try:
        identity["year"], identity["quarter"] = int(identity["year"]), int(identity["quarter"])
        for key in ("plan", "department", "fingerprint", "sheet"):
            identity[key] = str(identity[key])
    except (KeyError, TypeError, ValueError) as error:
        raise UploadRefused(_not_template()) from error
    if identity.get("format") != FORMAT or identity["quarter"] not in range(5):
        raise UploadRefused(_not_template())
    return identity, versions


def _read_rows(sheet) -> list[FilledRow]:
    """Every row below the header that has anything in it (a row added by hand included)."""
    rows = []
    cells = sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 1, values_only=True)
    for number, values in enumerate(cells, start=2):
        values = list(values) + [None] * (len(COLUMNS) - len(values))
        if all(_text(v) == "" for v in values):
            continue
        cell = dict(zip(COLUMN_INDEX, values, strict=False))
        rows.append(
            FilledRow(
                excel_row=number,
                code=_text(cell["code"]),
                name=_text(cell["name"]),
                value=cell["value"],
                source=_text(cell["source"]),
                note=_text(cell["note"]),
                reason=_text(cell["reason"]),
            )
        )
    return rows


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# --- Check: is it this user's template, for this period, unaltered? -------------------------


def check_upload(filled: Filled, *, user, year: int, quarter: int | None) -> Template:
    """Refuse a template of another department or period, for a period not yet over, or
    with altered rows; return the template as it stands now (the rows to save into)."""
    plan = Plan.objects.filter(slug=filled.plan_slug).first()
    department = department_named(plan, filled.department) if plan else None
    if department is None:
        raise UploadRefused(_not_template())
    _check_department(user, department)
    _check_period(filled, year, quarter)
    template = template_for(
        plan=plan, department=department, year=filled.year, quarter=filled.quarter
    )
    _check_rows(filled, template)
    return template


def _check_department(user, department: Department) -> None:
    if user_role(user) == Role.ADMIN:
        return
    own = user_department(user)
    if own is None or own.pk != department.pk:
        raise UploadRefused(
            _("This template belongs to %(template)s; you report for %(yours)s.")
            % {"template": department.name, "yours": own.name if own else "-"}
        )


def _check_period(filled: Filled, year: int, quarter: int | None) -> None:
    label = calendar.period_label(filled.year, filled.quarter)
    if not calendar.has_ended(filled.year, filled.quarter, calendar.today()):
        raise UploadRefused(
            _(
                "This template is for %(period)s, which has not ended yet; upload it once it "
                "is over."
            )
            % {"period": label}
        )
    if (filled.year, filled.quarter) != (year, quarter):
        raise UploadRefused(
            _(
                "This template is for %(template)s, but you chose to report %(chosen)s: choose "
                "the period of the template, or download the template of %(chosen)s."
            )
            % {"template": label, "chosen": calendar.period_label(year, quarter)}
        )


def _check_rows(filled: Filled, template: Template) -> None:
    found = [(row.code, row.name) for row in filled.rows]
    expected = [(r.indicator.code, r.indicator.printed_name) for r in template.rows]
    if fingerprint(found) != filled.fingerprint:
        raise UploadRefused(_altered(filled, expected))
    if filled.fingerprint != template.fingerprint:
        raise UploadRefused(
            _(
                "The department's indicators have changed since this template was downloaded; "
                "download the template again."
            )
        )


def _altered(filled: Filled, expected: list[tuple[str, str]]) -> str:
    """Say where the rows differ from the template's, as precisely as cheaply possible."""
    if len(filled.rows) != len(expected):
        return _(
            "The indicator rows were changed: the template has %(expected)s rows, this file "
            "%(found)s. Do not add or delete rows; download the template again."
        ) % {"expected": len(expected), "found": len(filled.rows)}
    for row, (code, name) in zip(filled.rows, expected, strict=True):
        if (row.code, row.name) != (code, name):
            return _(
                "The indicator rows were changed: row %(row)s should be %(expected)s but reads "
                "%(found)s. Do not change or move rows; download the template again."
            ) % {
                "row": row.excel_row,
                "expected": f"{code} {name}",
                "found": f"{row.code} {row.name}".strip() or "-",
            }
    return _("The indicator rows were changed; download the template again.")


# --- Save: every row through the services, all or nothing -----------------------------------


@dataclass(frozen=True)
class RowError:
    excel_row: int
    indicator: str
    column: str
    message: str


@dataclass
class Outcome:
    saved: int = 0  # created or changed (and submitted, when asked)
    unchanged: int = 0  # the same as the value already there: left alone
    empty: int = 0  # no value or stage: not reported
    errors: list[RowError] = field(default_factory=list)


class _RollBack(Exception):
    """Raised inside the transaction when any row failed, so that nothing is kept."""


# The column to point at for a service's error on a field (others point at no column).
FIELD_COLUMNS = {
    "value": "value",
    "stage": "value",
    "source": "source",
    "note": "note",
    "reason": "reason",
}


def save_rows(*, user, template: Template, filled: Filled, submit: bool) -> Outcome:
    """Save every filled row (as drafts, or submitted) in one transaction; if any row fails,
    save none and return every row's errors."""
    outcome = Outcome()
    try:
        with transaction.atomic():
            for row, filled_row in zip(template.rows, filled.rows, strict=True):
                _save_row(user, row, filled_row, filled, submit, outcome)
            if outcome.errors:
                raise _RollBack
    except _RollBack:
        outcome.saved = outcome.unchanged = 0
    return outcome


def _save_row(user, row: TemplateRow, filled_row: FilledRow, filled: Filled, submit, outcome):
    def fail(key: str, message: str) -> None:
        header = str(COLUMNS[COLUMN_INDEX[key]].header) if key else ""
        outcome.errors.append(
            RowError(filled_row.excel_row, row.indicator.printed_name, header, message)
        )

    if _text(filled_row.value) == "":
        outcome.empty += 1
        return
    try:
        entry = _entry(row.indicator, filled_row, filled)
    except ValueError as error:
        fail("value", str(error))
        return
    try:
        saved = _apply(user, row, filled_row, entry, filled, submit)
    except reporting.Invalid as error:
        for name, messages in error.errors.items():
            for message in messages:
                fail(FIELD_COLUMNS.get(name, ""), message)
        return
    except (reporting.NotAllowed, reporting.Conflict) as error:
        fail("", str(error))
        return
    if saved:
        outcome.saved += 1
    else:
        outcome.unchanged += 1


def _entry(indicator: Indicator, filled_row: FilledRow, filled: Filled) -> reporting.Entry:
    stage = value = None
    if indicator.kind == Kind.MILESTONE:
        stage = _text(filled_row.value)
    else:
        value = parse_number(filled_row.value)
    return reporting.Entry(
        filled.year, filled.quarter, value, stage, filled_row.source, filled_row.note
    )


def parse_number(raw) -> Decimal:
    """A cell's number as an exact Decimal. Excel gives int or float, a text cell a string;
    going through str() keeps 0.1 as 0.1 rather than the float's binary expansion."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise ValueError(_("“%(text)s” is not a number.") % {"text": _text(raw)})
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("“%(text)s” is not a number.") % {"text": _text(raw)})
    return number


def _apply(user, row: TemplateRow, filled_row: FilledRow, entry, filled: Filled, submit) -> bool:
    """Create, change or submit the period's value; False when the row repeats it unchanged."""
    actual = row.actual
    if actual is None:
        reporting.actual_create(user=user, indicator=row.indicator, entry=entry, submit=submit)
        return True
    # The version at download, so a change made since then is refused (Conflict), not lost.
    version = filled.versions.get(filled_row.code) or NO_VERSION
    if _same(actual, entry):
        if submit and actual.state in (ActualState.DRAFT, ActualState.RETURNED):
            reporting.actual_submit(user=user, actual=actual, version=version)
            return True
        return False
    reporting.actual_update(
        user=user,
        actual=actual,
        entry=entry,
        version=version,
        reason=filled_row.reason,
        submit=submit,
    )
    return True


def _same(actual: Actual, entry: reporting.Entry) -> bool:
    """Whether the row only repeats the value as it stands (re-uploading a file is harmless)."""
    stage = actual.stage.label if actual.stage else None
    return (
        (actual.value, stage) == (entry.value, entry.stage or None)
        and actual.source == entry.source.strip()
        and actual.note == entry.note.strip()
    )
