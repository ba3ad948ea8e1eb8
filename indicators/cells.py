"""Writing text into the spreadsheets the platform hands out, so that no text can run.

Every workbook and CSV written here (the clerk's template, the plan workbook, the evaluation
workbook and its CSV) carries text that users typed: data sources, notes, indicator names,
department names. Text that a spreadsheet could take for a formula (starting with = + - @, a
tab or a carriage return: "=HYPERLINK(…)", "@SUM(…)") is written so it stays text: in a
workbook as a string cell with Excel's quote prefix (so editing the cell does not turn it into
a formula either), in a CSV behind a "'". Characters an .xlsx cannot hold (control characters)
are dropped rather than failing the whole download.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(value) -> bool:
    """Text that Excel (or another spreadsheet) could take for a formula."""
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def put(cell, value) -> None:
    """Write a value so that Excel cannot run it: risky text stays text (string type and
    Excel's quote prefix), numbers stay numbers (-8.6 included)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def csv_field(text: str, *, keep: tuple[str, ...] = ()) -> str:
    """Text for a CSV field: risky text behind a "'" (what Excel's quote prefix shows), except
    the texts in `keep` that cannot be formulas (a lone "-" for a missing value)."""
    return "'" + text if risky(text) and text not in keep else text
