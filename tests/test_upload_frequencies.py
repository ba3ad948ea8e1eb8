"""The Excel template and upload follow each indicator's reporting frequency (domain.md §3,
§10), on the bundled 十五五 plan: a month's template lists the monthly indicators, a half's the
half-yearly ones, the whole year's all of them; the value is stored for that month or half.
Tests run on 2026-11-24 (conftest): October 2026 is over, November not."""

import re
from decimal import Decimal as D
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from indicators.domain.periods import HALF_YEARLY, MONTHLY, Period
from indicators.models import Actual, Department, Indicator, Plan
from indicators.services.actuals import Entry, actual_create
from indicators.services.users import user_set_role
from indicators.uploads import template as upload_template
from tests.conftest import PLAN_FILE

FIFTEENTH_FILE = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"
FIFTEENTH = "luhe-15th-five-year"
TEMPLATE_URL = reverse("indicators:upload-template")
UPLOAD_URL = reverse("indicators:upload") + f"?plan={FIFTEENTH}"
COL = {key: index + 1 for key, index in upload_template.COLUMN_INDEX.items()}  # 1-based columns
SOURCE = "县统计局快报"
OCTOBER = Period(2026, MONTHLY, 10)

# 县统计局 is the data source of these 十五五 indicators, in the plan's order.
TJJ_MONTHLY = ["industrial_value_added_growth", "retail_sales_growth"]
TJJ_ALL = [
    "gdp", "gdp_growth", "industrial_value_added_growth", "retail_sales_growth",
    "urbanisation_rate", "rd_intensity", "disposable_income", "disposable_income_growth",
    "urban_unemployment_rate", "population_natural_growth", "schooling_years",
    "energy_intensity_reduction", "carbon_intensity_reduction", "grain_output",
]  # fmt: skip


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def fifteenth(plan):
    """The 十五五 plan beside the garment plan (both of 陆河县)."""
    call_command("load_plan", str(FIFTEENTH_FILE), stdout=StringIO())
    return Plan.objects.get(slug=FIFTEENTH)


def department(name: str) -> Department:
    return Department.objects.get(region__code="441523", name=name)


@pytest.fixture
def clerk_tjj(fifteenth):
    """A clerk of 县统计局, which reports monthly, quarterly and annual indicators."""
    return user_set_role(
        username="clerk_tjj", role="clerk", department=department("县统计局"), password="pw-tjj"
    )


@pytest.fixture
def tjj(client, clerk_tjj):
    client.force_login(clerk_tjj)
    return client


@pytest.fixture
def kgj(client, clerk_kgj, fifteenth):
    """县科工局 reports one half-yearly indicator of the 十五五 plan and an annual one."""
    client.force_login(clerk_kgj)
    return client


def download(client, period: str, **params):
    return client.get(TEMPLATE_URL, {"plan": FIFTEENTH, "period": period, **params})


def workbook(response):
    assert response.status_code == 200, response.content.decode()
    return openpyxl.load_workbook(BytesIO(response.content))


def codes(book) -> list[str]:
    sheet = book.worksheets[0]
    return [sheet.cell(n, COL["code"]).value for n in range(2, sheet.max_row + 1)]


def cell(book, code: str, key: str):
    sheet = book.worksheets[0]
    number = codes(book).index(code) + 2
    return sheet.cell(number, COL[key]).value


def fill(book, values: dict[str, dict]) -> bytes:
    """The template with cells filled in as a clerk would: {code: {column key: value}}."""
    sheet = book.worksheets[0]
    for code, cells in values.items():
        number = codes(book).index(code) + 2
        for key, value in cells.items():
            sheet.cell(number, COL[key], value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post(client, content: bytes, period: str, action="draft"):
    upload = SimpleUploadedFile("模板.xlsx", content, content_type=upload_template.XLSX_TYPE)
    return client.post(UPLOAD_URL, {"period": period, "action": action, "file": upload})


def html(response) -> str:
    return response.content.decode()


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def identity(book) -> dict:
    rows = book[upload_template.IDENTITY_SHEET].iter_rows(max_row=7, max_col=2, values_only=True)
    return dict(rows)


def offered(page: str) -> list[str]:
    """The period codes of the download form (the upload form repeats them)."""
    form = page.split('class="download"')[1].split("</form>")[0]
    return re.findall(r'<option value="(\d{4}[^"]*)"', form)


# --- a month ------------------------------------------------------------------------------


def test_monthly_template_is_filled_in_and_stored_for_the_month(tjj, clerk_tjj):
    book = workbook(download(tjj, "2026-M10"))
    assert codes(book) == TJJ_MONTHLY
    assert identity(book)["period"] == "2026-M10"
    assert cell(book, "industrial_value_added_growth", "meaning") == "1—10月累计增速（%）"
    instructions = [row[0] for row in book["填报说明"].iter_rows(values_only=True)]
    assert "2026年10月" in instructions[0]
    assert instructions[1] == "报送截止日期：2026-11-15。"  # 15 days after 31 October
    content = fill(book, {"industrial_value_added_growth": {"value": 7.2, "source": SOURCE}})
    response = post(tjj, content, "2026-M10")
    assert response.status_code == 302, html(response)
    actual = Actual.objects.get(indicator__code="industrial_value_added_growth")
    assert (actual.year, actual.month, actual.quarter, actual.half) == (2026, 10, None, None)
    assert (actual.value, actual.state, actual.created_by) == (D("7.2"), "draft", clerk_tjj)


def test_monthly_template_shows_last_months_value(tjj, clerk_tjj):
    september = Period(2026, MONTHLY, 9)
    indicator = Indicator.objects.get(plan__slug=FIFTEENTH, code="retail_sales_growth")
    entry = Entry.of(september, value=D("6.1"), source=SOURCE)
    actual_create(user=clerk_tjj, indicator=indicator, entry=entry)
    book = workbook(download(tjj, "2026-M10"))
    assert cell(book, "retail_sales_growth", "previous") == 6.1
    assert cell(book, "retail_sales_growth", "source") == SOURCE  # last period's, prefilled
    assert cell(book, "industrial_value_added_growth", "previous") == "-"


def test_a_month_template_is_not_a_quarter_one(tjj):
    content = fill(workbook(download(tjj, "2026-M10")), {})
    response = post(tjj, content, "2026-Q3")
    assert response.status_code == 400
    assert "该模板对应2026年10月，而您选择上报的是2026年第3季度" in html(response)


def test_a_month_not_yet_over_is_refused(tjj, fifteenth):
    november = Period(2026, MONTHLY, 11)
    template = upload_template.template_for(
        plan=fifteenth, department=department("县统计局"), period=november
    )
    content = upload_template.build_workbook(template)
    response = post(tjj, content, "2026-M10")
    assert response.status_code == 400
    assert "该模板对应2026年11月，该期间尚未结束" in html(response)
    assert download(tjj, "2026-M11").status_code == 400


# --- a half -------------------------------------------------------------------------------


def test_half_year_template_lists_only_half_yearly_indicators(kgj):
    book = workbook(download(kgj, "2026-H1"))
    assert codes(book) == ["high_tech_enterprises"]
    assert identity(book)["period"] == "2026-H1"
    assert cell(book, "high_tech_enterprises", "meaning") == "半年末值（家）"


def test_half_year_upload_uses_the_previous_half(kgj, clerk_kgj):
    indicator = Indicator.objects.get(plan__slug=FIFTEENTH, code="high_tech_enterprises")
    entry = Entry.of(Period(2025, HALF_YEARLY, 2), value=D(22), source="县科工局台账")
    actual_create(user=clerk_kgj, indicator=indicator, entry=entry)
    book = workbook(download(kgj, "2026-H1"))
    assert cell(book, "high_tech_enterprises", "previous") == 22
    values = {"high_tech_enterprises": {"value": 40, "source": "县科工局台账"}}
    response = post(kgj, fill(book, values), "2026-H1")
    assert response.status_code == 400  # 22 → 40 is more than half: the 50% rule
    assert zh(
        "The value changed by more than half against the previous period: explain why in the note."
    ) in html(response)
    values["high_tech_enterprises"]["note"] = "新认定18家"
    assert post(kgj, fill(book, values), "2026-H1").status_code == 302
    actual = Actual.objects.get(indicator=indicator, half=1)
    assert (actual.year, actual.month, actual.quarter, actual.value) == (2026, None, None, 40)


def test_no_template_of_a_frequency_the_department_lacks(kgj):
    response = download(kgj, "2026-M10")
    assert response.status_code == 400
    message = zh(
        "%(department)s reports no %(frequency)s indicators, so there is no template for "
        "%(period)s."
    ) % {"department": "县科工局", "frequency": "月度", "period": "2026年10月"}
    assert message in html(response)


# --- the whole year -----------------------------------------------------------------------


def test_whole_year_template_lists_every_indicator_of_the_department(tjj):
    book = workbook(download(tjj, "2025"))
    assert codes(book) == TJJ_ALL
    assert identity(book)["period"] == "2025"
    instructions = [row[0] for row in book["填报说明"].iter_rows(values_only=True)]
    assert instructions[1] == "报送截止日期：2026-03-31。"  # the plan's annual deadline
    assert cell(book, "grain_output", "meaning") == "年末值（万吨）"
    content = fill(book, {"grain_output": {"value": 5.3, "source": "县统计局年报"}})
    assert post(tjj, content, "2025").status_code == 302
    actual = Actual.objects.get(indicator__code="grain_output")
    assert (actual.year, actual.month, actual.quarter, actual.half) == (2025, None, None, None)


# --- the upload page ----------------------------------------------------------------------


def test_page_offers_the_departments_frequencies_newest_first(tjj):
    page = html(tjj.get(UPLOAD_URL))
    codes_offered = offered(page)
    # Periods ending on the same day: the longer first (the quarter, then its last month).
    assert codes_offered[:6] == ["2026-M10", "2026-Q3", "2026-M09", "2026-M08", "2026-M07",
                                 "2026-Q2"]  # fmt: skip
    assert "2025" in codes_offered and "2025-M01" in codes_offered
    assert not [code for code in codes_offered if "-H" in code]  # 县统计局 reports no halves
    assert "2026-M11" not in codes_offered and "2026" not in codes_offered  # not over yet
    assert page.count('<option value="2026-M10" selected>') == 2  # the most frequent kind
    assert "2026年10月" in page


def test_page_of_a_half_yearly_department_chooses_the_last_half(kgj):
    page = html(kgj.get(UPLOAD_URL))
    assert offered(page) == ["2026-H1", "2025", "2025-H2", "2025-H1"]
    assert page.count('<option value="2026-H1" selected>') == 2


def test_administrator_is_offered_every_frequency_of_the_plan(client, fifteenth):
    admin = user_set_role(username="admin", role="admin", department=None, password="pw-admin")
    client.force_login(admin)
    codes_offered = offered(html(client.get(UPLOAD_URL)))
    assert {"2026-M10", "2026-Q3", "2026-H1", "2025"} <= set(codes_offered)
    book = workbook(download(client, "2026-H1", department="县科工局"))
    assert codes(book) == ["high_tech_enterprises"]


# --- query budgets ------------------------------------------------------------------------


def test_download_and_page_have_query_budgets(tjj, clerk_tjj, django_assert_max_num_queries):
    for code in TJJ_MONTHLY:
        indicator = Indicator.objects.get(plan__slug=FIFTEENTH, code=code)
        for period in (Period(2026, MONTHLY, 9), OCTOBER):
            entry = Entry.of(period, value=D("6.5"), source=SOURCE)
            actual_create(user=clerk_tjj, indicator=indicator, entry=entry)
    # session, user, role (decorator), plan, profile, role (view), indicators, stages, the
    # two periods' values (with their stages): whatever the number of rows.
    with django_assert_max_num_queries(9):
        workbook(download(tjj, "2026-M10"))
    # session, user, role and profile (decorator), the plan, the department, its indicators'
    # frequencies, the plans of the navigation and its 待办 count (我的填报's three queries,
    # the open supervision items): however many periods are offered.
    with django_assert_max_num_queries(12):
        assert tjj.get(UPLOAD_URL).status_code == 200
