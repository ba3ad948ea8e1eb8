"""Inputs bounded and exact: zip bombs refused before parsing, typed numbers read exactly or
refused on every route, formula-like text kept as text in every workbook written,
attachments stored under generated names with checked content, absurd periods 400/404."""

import html
import re
import time
import zipfile
from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from indicators import attachments, cells
from indicators.domain.numbers import NumberError, read_number
from indicators.models import Actual, Indicator, Region
from indicators.planbook import PlanBookError, read_workbook, write_workbook
from indicators.selectors.planbook import plan_raw
from indicators.services.actuals import Entry, actual_create
from indicators.services.users import user_set_role
from indicators.uploads import safety
from indicators.uploads import template as upload_template
from indicators.views import plan_upload
from reports.evaluation import workbook as evaluation_workbook
from tests.conftest import PLAN_SLUG

SOURCE = "县统计局快报"
COL = {key: index + 1 for key, index in upload_template.COLUMN_INDEX.items()}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kgj(client, clerk_kgj):
    client.force_login(clerk_kgj)
    return client


def entry_url(code="ecommerce_volume", period="2026-Q3"):
    return f"/reporting/{PLAN_SLUG}/{code}/{period}/"


def stored(code="ecommerce_volume"):
    return Actual.objects.filter(indicator__code=code, year=2026, quarter=3).first()


# --- 1. zip bombs ---------------------------------------------------------------------------


def _workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(extra: dict[str, bytes], method=zipfile.ZIP_DEFLATED, big: str = "") -> bytes:
    """A valid minimal workbook with parts added or replaced ({name: bytes}); `big` names a
    part replaced by 300 MB of repeated bytes, written in chunks (a few hundred KB packed)."""
    source = zipfile.ZipFile(BytesIO(_workbook_bytes()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in extra and info.filename != big:
                target.writestr(info, source.read(info))
        for name, content in extra.items():
            target.writestr(name, content, compress_type=method)
        if big:
            info = zipfile.ZipInfo(big)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as stream:
                for _count in range(300):
                    stream.write(b"<row>" + b"A" * (1024 * 1024 - 5))
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A workbook whose only sheet unpacks to 300 MB."""
    data = _rezip({}, big="xl/worksheets/sheet1.xml")
    assert len(data) < 2 * 1024 * 1024
    return data


@pytest.fixture
def no_parsing(monkeypatch):
    """openpyxl must never be asked to open a refused file."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr("indicators.uploads.reading.load_workbook", refuse)
    monkeypatch.setattr("indicators.planbook.load_workbook", refuse)


def test_a_zip_bomb_is_refused_fast_without_parsing(bomb, no_parsing):
    started = time.monotonic()
    with pytest.raises(safety.UnsafeWorkbook) as refused:
        safety.check_workbook(bomb)
    with pytest.raises(PlanBookError) as plan_refused:
        read_workbook(bomb)  # the plan workbook reader: the upload page and load_plan
    assert time.monotonic() - started < 2
    assert "50 MB" in refused.value.message
    assert plan_refused.value.problems == [refused.value.message]


def test_the_clerk_upload_refuses_a_zip_bomb(kgj, bomb, no_parsing):
    upload = SimpleUploadedFile("模板.xlsx", bomb, content_type=upload_template.XLSX_TYPE)
    started = time.monotonic()
    response = kgj.post(
        reverse("indicators:upload"), {"period": "2026-Q3", "action": "draft", "file": upload}
    )
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "50 MB" in response.content.decode()
    assert not Actual.objects.exists()


def test_the_plan_upload_refuses_a_zip_bomb(client, plan, bomb, no_parsing, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_upload, "KEPT_DIR", tmp_path / "kept")
    region = Region.objects.get(code="441523")
    admin = user_set_role(username="adm", role="admin", department=None, password="pw",
                          region=region)  # fmt: skip
    client.force_login(admin)
    upload = SimpleUploadedFile("规划.xlsx", bomb)
    started = time.monotonic()
    response = client.post(reverse("indicators:plan-upload"), {"file": upload})
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "50 MB" in response.content.decode()


def test_too_many_parts_too_tight_and_too_many_texts_are_refused(no_parsing):
    many = _rezip({f"xl/media/image{n}.png": b"x" for n in range(safety.MAX_ENTRIES)})
    tight = _rezip({"xl/media/blob.bin": b"\0" * (20 * 1024 * 1024)})  # ~1000:1
    texts = b"<sst>" + b"<si><t>a</t></si>" * (safety.MAX_SHARED_STRINGS + 1) + b"</sst>"
    shared = _rezip({safety.SHARED_STRINGS: texts}, method=zipfile.ZIP_STORED)
    for data, words in ((many, "200"), (tight, "100"), (shared, "200,000")):
        with pytest.raises(safety.UnsafeWorkbook) as refused:
            safety.check_workbook(data)
        assert words in refused.value.message


def test_an_ordinary_workbook_passes():
    safety.check_workbook(_workbook_bytes())
    safety.check_workbook(b"not a zip at all")  # the reader says it is no workbook


# --- 2. typed numbers: one reader, every route ----------------------------------------------

# text: (form and API, Excel upload); a Decimal is read, None refused
NUMBERS = {
    "6.9": (D("6.9"), D("6.9")),
    " 6.9 ": (D("6.9"), D("6.9")),
    "６．９": (D("6.9"), D("6.9")),  # full-width, as a Chinese input method types it
    "-0.5": (D("-0.5"), D("-0.5")),  # read; the validation then refuses a negative amount
    "6,9": (None, None),  # a decimal comma: the upload stored 69
    "1_000": (None, None),  # Python's Decimal reads 1000
    "1 000": (None, None),
    "1,234.5": (None, D("1234.5")),  # thousands in groups of three: the upload only
    "1,234,567": (None, D("1234567")),
    "12,34": (None, None),
    "1,0000": (None, None),
    "+3": (None, None),
    "1e3": (None, None),
    "NaN": (None, None),
    "10²": (None, None),  # NFKC reads 102
    "٣": (None, None),  # another script's digit
    ".5": (None, None),
    "5%": (None, None),
    "9" * 50: (None, None),
}


@pytest.mark.parametrize(("text", "expected"), NUMBERS.items())
def test_the_one_reader(text, expected):
    for thousands, wanted in zip((False, True), expected, strict=True):
        if wanted is None:
            with pytest.raises(NumberError):
                read_number(text, thousands=thousands)
        else:
            assert read_number(text, thousands=thousands) == wanted


def test_excel_and_json_numbers_are_read_as_shown():
    assert read_number(0.1) == D("0.1")
    assert read_number(12) == D(12)
    for refused in (True, float("nan"), float("inf"), None, [1]):
        with pytest.raises(NumberError):
            read_number(refused)


def _by_form(client, text):
    data = {"value": text, "source": SOURCE, "note": "", "action": "draft"}
    response = client.post(entry_url(), data)
    return response.content.decode()


def _by_api(user, text):
    api = APIClient()
    api.force_authenticate(user)
    body = {"plan": PLAN_SLUG, "indicator": "ecommerce_volume", "year": 2026, "quarter": 3,
            "value": text, "source": SOURCE}  # fmt: skip
    response = api.post("/api/v1/actuals/", body, format="json")
    if response.status_code == 201:
        return ""
    assert response.status_code == 400
    return " ".join(response.json().get("value", []))


def _by_upload(client, text):
    content = client.get(reverse("indicators:upload-template"), {"period": "2026-Q3"}).content
    book = openpyxl.load_workbook(BytesIO(content))
    sheet = book.worksheets[0]
    number = next(n for n in range(2, sheet.max_row + 1)
                  if sheet.cell(n, COL["code"]).value == "ecommerce_volume")  # fmt: skip
    cell = sheet.cell(number, COL["value"])
    cell.value, cell.data_type = text, "s"  # typed as text
    sheet.cell(number, COL["source"], SOURCE)
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("模板.xlsx", buffer.getvalue())
    response = client.post(
        reverse("indicators:upload"), {"period": "2026-Q3", "action": "draft", "file": upload}
    )
    page = response.content.decode()
    if response.status_code == 400:
        assert f'<tr data-row="{number}">' in page  # the row, and the column to fix
        assert "数值/阶段" in page
    return page


@pytest.mark.parametrize("route", ["form", "api", "upload"])
@pytest.mark.parametrize(("text", "expected"), NUMBERS.items())
def test_every_route_reads_or_refuses_alike(kgj, clerk_kgj, route, text, expected):
    wanted = expected[1] if route == "upload" else expected[0]
    if route == "form":
        said = _by_form(kgj, text)
    elif route == "api":
        said = _by_api(clerk_kgj, text)
    else:
        said = _by_upload(kgj, text)
    actual = stored()
    if wanted is None:
        assert actual is None
        shown = text.strip()[:40]
        assert shown in said.replace("&quot;", '"').replace("&#x27;", "'")
    elif wanted >= 0:
        assert actual is not None and actual.value == wanted
    else:
        assert actual is None  # read, then refused by the validation: not a parsing matter


# --- 3. formula-like text stays text --------------------------------------------------------

RISKY = ['=HYPERLINK("http://example.com","x")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", RISKY)
def test_the_one_helper_keeps_risky_text_as_text(text):
    cell = openpyxl.Workbook().active["A1"]
    cells.put(cell, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert cells.csv_field(text) == "'" + text
    assert evaluation_workbook.put is cells.put  # the evaluation workbook uses it too


def _reopened(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


@pytest.mark.parametrize("text", RISKY)
def test_the_template_keeps_a_risky_source_as_text(kgj, clerk_kgj, plan, text):
    indicator = Indicator.objects.get(plan=plan, code="ecommerce_volume")
    actual_create(user=clerk_kgj, indicator=indicator, entry=Entry(2026, 3, D(1), None, text))
    content = kgj.get(reverse("indicators:upload-template"), {"period": "2026-Q3"}).content
    sheet = _reopened(content).worksheets[0]
    number = next(n for n in range(2, sheet.max_row + 1)
                  if sheet.cell(n, COL["code"]).value == "ecommerce_volume")  # fmt: skip
    cell = sheet.cell(number, COL["source"])
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert cell.value == text.strip()  # the services store the source stripped


def test_the_plan_workbook_keeps_risky_text_as_text(plan):
    raw = plan_raw(plan)
    for item, text in zip(raw["indicators"], RISKY, strict=False):
        item["note"] = text
    buffer = BytesIO()
    write_workbook(raw).save(buffer)
    sheet = _reopened(buffer.getvalue())["指标"]
    column = next(c.column for c in sheet[1] if c.value == "说明")
    for number, text in enumerate(RISKY, start=2):
        cell = sheet.cell(number, column)
        shown = text.replace("\r", "\n")  # XML reads a carriage return as a line feed
        assert (cell.value, cell.data_type, cell.quotePrefix) == (shown, "s", True)


# --- 4. attachments -------------------------------------------------------------------------


MISMATCH = (
    "The attachment's name must end in .pdf, .png, .jpg, .jpeg, .gif or .webp, matching its "
    "content (this file is a %(kind)s)."
)


def _attach(client, content, name):
    data = {"value": "3", "source": SOURCE, "note": "", "action": "draft",
            "attachment": SimpleUploadedFile(name, content)}  # fmt: skip
    return client.post(entry_url("above_scale_enterprises"), data)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PDF, "快报.pdf"),
        (PNG, "截图.PNG"),
        (PDF, "../../../etc/passwd.pdf"),
        (PDF, "a" * 250 + ".pdf"),
    ],
)
def test_an_attachment_is_stored_under_a_generated_name(kgj, content, name):
    assert _attach(kgj, content, name).status_code == 302
    path = stored("above_scale_enterprises").attachment.name
    extension = ".png" if name.endswith(".PNG") else ".pdf"
    assert re.fullmatch(rf"attachments/{PLAN_SLUG}/2026/[0-9a-f]{{32}}\{extension}", path), path


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (HTML, "page.html"),
        (PDF, "page.html"),  # the content is fine, the name would be served as a page
        (b"<svg onload=alert(1)>", "image.svg"),
        (PDF, "image.svg"),
        (b"MZ\x90\x00", "setup.exe"),
        (PDF, "setup.exe"),
        (PDF, "scan.png"),  # a PDF named as an image
        (PNG, "report.pdf"),
        (PDF, "no extension"),
    ],
)
def test_attachments_of_other_types_or_mismatched_names_are_refused(kgj, content, name):
    response = _attach(kgj, content, name)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    with translation.override("zh-hans"):
        messages = [gettext("The attachment must be a PDF or an image (PNG, JPEG, GIF or WebP).")]
        messages += [gettext(MISMATCH) % {"kind": kind} for kind in ("PDF", "PNG")]
    assert any(message in page for message in messages)
    assert stored("above_scale_enterprises") is None


def test_the_validator_names_the_mismatch():
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.check_attachment(SimpleUploadedFile("scan.png", PDF))
    assert "PDF" in refused.value.message


def test_an_attachment_downloads_as_a_file_never_a_page(kgj):
    _attach(kgj, PDF, "<script>.pdf")
    actual = stored("above_scale_enterprises")
    response = kgj.get(reverse("indicators:attachment", args=[actual.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "script" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


# --- 5. absurd years and periods: 400 or 404, never 500 -------------------------------------

ABSURD_PERIODS = ["0", "0000", "99999", "-1", "2026-Q9", "2026-M13", "2026-H3", "9999",
                  "9999-Q4", "9999-M12", "0001", "0001-Q1", "0001-M01", "1-H1",
                  "2026-Q0"]  # fmt: skip


@pytest.mark.parametrize("period", ABSURD_PERIODS)
def test_the_entry_page_with_an_absurd_period(kgj, period):
    assert kgj.get(entry_url(period=period)).status_code in (400, 404)


@pytest.mark.parametrize("period", ABSURD_PERIODS)
def test_the_template_with_an_absurd_period(kgj, period):
    response = kgj.get(reverse("indicators:upload-template"), {"period": period})
    assert response.status_code in (400, 404)


YEARS = ["0", "-1", "1", "9999", "99999", "abc", "2026.5", "1e3", "١٢"]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("quarter", ["", "3", "9", "0"])
def test_dashboards_with_an_absurd_year(leader_client, plan, year, quarter):
    params = {"year": year, "quarter": quarter}
    dimension = plan.dimensions.first()
    department = plan.region.departments.first()
    urls = [
        reverse("reports:overview", args=[PLAN_SLUG]),
        reverse("reports:departments", args=[PLAN_SLUG]),
        reverse("reports:department", args=[PLAN_SLUG, department.pk]),
        reverse("reports:dimension", args=[PLAN_SLUG, dimension.pk]),
        reverse("reports:indicator", args=[PLAN_SLUG, "ecommerce_volume"]),
    ]
    for url in urls:
        assert leader_client.get(url, params).status_code in (200, 400, 404), url


@pytest.mark.parametrize("year", YEARS)
def test_completeness_and_the_template_with_an_absurd_year(client, kgj, reviewer, year):
    template = reverse("indicators:upload-template")
    for params in ({"year": year}, {"year": year, "quarter": "3"}, {"year": year, "half": 9}):
        assert kgj.get(template, params).status_code in (400, 404), params
    client.force_login(reviewer)
    url = reverse("indicators:completeness", args=[PLAN_SLUG])
    assert client.get(url, {"year": year}).status_code in (200, 400, 404)


@pytest.mark.parametrize("year", YEARS)
def test_the_api_with_an_absurd_year(api, year):
    for url in (f"/api/v1/plans/{PLAN_SLUG}/progress/", "/api/v1/actuals/"):
        for params in (
            {"year": year},
            {"year": year, "quarter": "4"},
            {"year": year, "month": "12"},
        ):
            assert api.get(url, params).status_code in (200, 400, 404), (url, params)


@pytest.mark.parametrize("year", [0, 1, 9999, 99999, 10**12])
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_exports_with_an_absurd_year(leader_client, plan, year, extension):
    response = leader_client.get(f"/reports/{PLAN_SLUG}/evaluation/{year}.{extension}")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "params",
    [{"quarter": "9"}, {"quarter": "-1"}, {"quarter": "1e3"}, {"as_of": "99999-01-01"},
     {"as_of": "0000-01-01"}, {"as_of": "2026-02-30"}, {"as_of": "1"}],
)  # fmt: skip
def test_exports_with_an_absurd_quarter_or_date(leader_client, plan, params):
    response = leader_client.get(f"/reports/{PLAN_SLUG}/evaluation/2026.xlsx", params)
    assert response.status_code == 400


def test_posting_an_absurd_period_to_the_api(clerk_kgj):
    api = APIClient()
    api.force_authenticate(clerk_kgj)
    for year, quarter in ((0, 3), (9999, 4), (99999, 1), (2026, 9), ("2026", "Q3")):
        body = {"plan": PLAN_SLUG, "indicator": "ecommerce_volume", "year": year,
                "quarter": quarter, "value": "1", "source": SOURCE}  # fmt: skip
        assert api.post("/api/v1/actuals/", body, format="json").status_code == 400


# --- 6. oversize uploads --------------------------------------------------------------------


def test_an_oversize_upload_is_refused_with_a_message(kgj):
    upload = SimpleUploadedFile("模板.xlsx", b"PK" + b"\0" * (5 * 1024 * 1024))
    response = kgj.post(
        reverse("indicators:upload"), {"period": "2026-Q3", "action": "draft", "file": upload}
    )
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()
