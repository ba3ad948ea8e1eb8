"""Reading an uploaded template: its identity and filled rows, then the checks that it is
this user's template, for this period, unaltered."""

import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from indicators import access
from indicators.access import user_department, user_role
from indicators.domain import periods
from indicators.models import Department, Role
from indicators.uploads.safety import UnsafeWorkbook, check_workbook
from indicators.uploads.template import (
    COLUMN_INDEX,
    COLUMNS,
    FORMAT,
    IDENTITY_SHEET,
    MAX_BYTES,
    MAX_ROWS,
    OLD_FORMAT,
    Template,
    UploadRefused,
    department_named,
    fingerprint,
    template_for,
)


@dataclass(frozen=True)
class FilledRow:
    excel_row: int
    code: str
    name: str
    value: object  # the raw cell value, converted per kind when saved
    source: str
    note: str
    reason: str
    # The 滞后说明's cells as typed (能否按期完成 by its label); all empty in an older template.
    lag_cause: str = ""
    lag_measures: str = ""
    lag_will_meet: str = ""


@dataclass(frozen=True)
class Filled:
    """What an uploaded template says: its identity and its rows."""

    plan_slug: str
    department: str
    period: periods.Period
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
        period=identity["period"],
        fingerprint=identity["fingerprint"],
        versions=versions,
        rows=rows,
    )


def _open(data: bytes):
    not_xlsx = _("This is not an Excel .xlsx file; upload the template downloaded here.")
    if not zipfile.is_zipfile(BytesIO(data)):  # an .xlsx is a zip; .xls, .csv or text is not
        raise UploadRefused(not_xlsx)
    try:
        check_workbook(data)  # a zip bomb is refused before openpyxl unpacks anything
    except UnsafeWorkbook as error:
        raise UploadRefused(error.message) from error
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
    if identity.get("format") not in (FORMAT, OLD_FORMAT):
        raise UploadRefused(_not_template())
    try:
        identity["period"] = _identity_period(identity)
        for key in ("plan", "department", "fingerprint", "sheet"):
            identity[key] = str(identity[key])
    except (KeyError, periods.PeriodError) as error:
        raise UploadRefused(_not_template()) from error
    return identity, versions


def _identity_period(identity: dict) -> periods.Period:
    """The template's period, by its code; a template of the old format (downloaded before
    periods of every frequency) names it by year and quarter, 0 for the whole year."""
    if identity["format"] == OLD_FORMAT:
        return periods.parse_period({"year": identity["year"], "quarter": identity["quarter"]})
    return periods.parse_code(identity["period"])


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
                lag_cause=_text(cell["lag_cause"]),
                lag_measures=_text(cell["lag_measures"]),
                lag_will_meet=_text(cell["lag_will_meet"]),
            )
        )
    return rows


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check_upload(filled: Filled, *, user, period: periods.Period) -> Template:
    """Refuse a template of another department or period, for a period not yet over, or
    with altered rows; return the template as it stands now (the rows to save into)."""
    plan = access.plans_visible_to(user).filter(slug=filled.plan_slug).first()
    department = department_named(plan, filled.department) if plan else None
    if department is None:
        raise UploadRefused(_not_template())
    _check_department(user, department)
    _check_period(filled.period, period)
    template = template_for(plan=plan, department=department, period=filled.period)
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


def _check_period(own: periods.Period, chosen: periods.Period) -> None:
    """Refuse a template of a period not yet over, or of another period than the one chosen."""
    label = own.label()
    if not own.has_ended(periods.today()):
        raise UploadRefused(
            _(
                "This template is for %(period)s, which has not ended yet; upload it once it "
                "is over."
            )
            % {"period": label}
        )
    if own != chosen:
        raise UploadRefused(
            _(
                "This template is for %(template)s, but you chose to report %(chosen)s: choose "
                "the period of the template, or download the template of %(chosen)s."
            )
            % {"template": label, "chosen": chosen.label()}
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
