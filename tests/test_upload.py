"""The department's Excel template and its bulk upload, as a clerk sees them: the bytes of the
template reopened with openpyxl, the upload page's messages, the database afterwards."""

import hashlib
import re
import zipfile
from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from indicators.domain.periods import Period
from indicators.models import Actual, Department, Indicator, Plan
from indicators.services.actuals import Entry, actual_approve, actual_create, actual_update
from indicators.services.users import user_set_role
from indicators.uploads import template as upload_template
from tests.conftest import PLAN_SLUG

TEMPLATE_URL = reverse("indicators:upload-template")
UPLOAD_URL = reverse("indicators:upload")
COL = {key: index + 1 for key, index in upload_template.COLUMN_INDEX.items()}  # 1-based columns
SOURCE = "县统计局快报"


# --- helpers ------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def download(client, **params) -> bytes:
    response = client.get(TEMPLATE_URL, {"period": "2026-Q3", **params})
    assert response.status_code == 200, response.content.decode()
    return response.content


def open_book(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


def rows_sheet(book):
    return book.worksheets[0]


def row_of(sheet, code: str) -> int:
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(number, COL["code"]).value == code:
            return number
    raise AssertionError(f"no row for {code}")


def fill(content: bytes, values: dict[str, dict], edit=None) -> bytes:
    """The template with cells filled in as a clerk would: {code: {column key: value}}."""
    book = open_book(content)
    sheet = rows_sheet(book)
    for code, cells in values.items():
        number = row_of(sheet, code)
        for key, value in cells.items():
            sheet.cell(number, COL[key], value)
    if edit:
        edit(sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post(client, content: bytes, period="2026-Q3", action="draft", name="模板.xlsx"):
    upload = SimpleUploadedFile(name, content, content_type=upload_template.XLSX_TYPE)
    return client.post(UPLOAD_URL, {"period": period, "action": action, "file": upload})


def html(response) -> str:
    return response.content.decode()


def zh(msgid: str) -> str:
    """A service's message as a Chinese user reads it (its wording is the service's)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)


def approved(clerk, reviewer, code: str, value: str, quarter=3):
    entry = Entry(2026, quarter, D(value), None, SOURCE)
    actual = actual_create(user=clerk, indicator=indicator(code), entry=entry, submit=True)
    return actual_approve(user=reviewer, actual=actual)


@pytest.fixture
def kgj(client, clerk_kgj):
    return login(client, clerk_kgj)


@pytest.fixture
def admin(plan):
    return user_set_role(username="admin", role="admin", department=None, password="pw-admin")


@pytest.fixture
def clerk_scj(plan):
    """A clerk of 县市场监管局, which reports the milestone indicator 区域品牌知名度."""
    department = Department.objects.get(name="县市场监管局")
    return user_set_role(username="clerk_scj", role="clerk", department=department, password="x")


GOOD = {
    "above_scale_enterprises": {"value": 3, "source": SOURCE},
    "ecommerce_volume": {"value": 12.3, "source": SOURCE},
    "high_tech_enterprises": {"value": "4", "source": "县科工局台账", "note": "新认定1家"},
}


# --- the template -------------------------------------------------------------------------


def test_template_lists_the_department_indicators_in_plan_order(kgj):
    response = kgj.get(TEMPLATE_URL, {"period": "2026-Q3"})
    assert response["Content-Type"] == upload_template.XLSX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" in disposition
    assert "%E5%A1%AB%E6%8A%A5%E6%A8%A1%E6%9D%BF" in disposition  # 填报模板, RFC 5987 encoded
    sheet = rows_sheet(open_book(response.content))
    headers = [c.value for c in sheet[1]]
    assert headers == ["指标代码", "指标名称", "单位", "填报口径", "上期值", "当前值", "当前状态",
                       "数值/阶段", "数据来源", "备注", "修改理由",
                       "滞后原因", "整改措施", "能否按期完成（能/有风险/不能）"]  # fmt: skip
    rows = [
        [sheet.cell(n, COL[key]).value for key in ("code", "name", "unit")]
        for n in range(2, sheet.max_row + 1)
    ]
    assert rows == [  # 县科工局's indicators, in the plan's order
        ["ecommerce_volume", "电子商务交易额（亿元）", "亿元"],
        ["above_scale_enterprises", "规上企业数量（家）", "家"],
        ["hundred_million_enterprises", "亿元以上企业（家）", "家"],
        ["wholesale_retail_enterprises", "限上批发和零售企业（家）", "家"],
        ["high_tech_enterprises", "高新技术企业（家）", "家"],
        ["digital_management_adopters", "数字化管理系统应用企业（家）", "家"],
        ["automated_factories", "自动化生产工厂/车间（个）", "个"],
    ]


def test_each_cell_says_what_the_value_means(kgj, client, clerk_rsj, clerk_scj):
    sheet = rows_sheet(open_book(download(kgj)))
    meaning = {
        sheet.cell(n, COL["code"]).value: sheet.cell(n, COL["meaning"]).value
        for n in range(2, sheet.max_row + 1)
    }
    assert meaning["ecommerce_volume"] == "1–3季度累计值（亿元）"
    assert meaning["above_scale_enterprises"] == "季末值（家）"
    sheet = rows_sheet(open_book(download(kgj, period="2025")))
    assert (
        sheet.cell(row_of(sheet, "ecommerce_volume"), COL["meaning"]).value == "全年累计值（亿元）"
    )
    assert (
        sheet.cell(row_of(sheet, "above_scale_enterprises"), COL["meaning"]).value == "年末值（家）"
    )
    login(client, clerk_rsj)
    sheet = rows_sheet(open_book(download(client)))
    number = row_of(sheet, "skilled_workers_introduced")
    assert sheet.cell(number, COL["meaning"]).value == "截至季末累计值（人）"
    login(client, clerk_scj)
    sheet = rows_sheet(open_book(download(client)))
    number = row_of(sheet, "regional_brand")
    assert (
        sheet.cell(number, COL["meaning"]).value
        == "已达到的阶段（可选：未注册/成功注册/省内外知名）"
    )


def test_meaning_of_events_and_rates_by_period(plan):
    events = Indicator(kind="zero_event", unit="起")
    rate = Indicator(kind="rate", unit="%")
    with translation.override("zh-hans"):
        assert upload_template.cell_meaning(events, Period.of(2026, 2)) == "本季度发生数（起）"
        assert upload_template.cell_meaning(events, Period.of(2026, None)) == "全年发生数（起）"
        assert upload_template.cell_meaning(rate, Period.of(2026, 3)) == "1–3季度累计增速（%）"
        assert upload_template.cell_meaning(rate, Period.of(2026, 1)) == "1季度累计增速（%）"


def test_input_cells_are_unlocked_and_the_rest_protected(kgj):
    sheet = rows_sheet(open_book(download(kgj)))
    assert sheet.protection.sheet is True
    assert sheet.protection.password  # stored hashed
    assert open_book(download(kgj)).security.lockStructure  # no renaming or unhiding sheets
    assert sheet.freeze_panes == "A2"
    inputs = {"value", "source", "note", "reason", "lag_cause", "lag_measures", "lag_will_meet"}
    for number in (1, 2, sheet.max_row):
        for key, column in COL.items():
            locked = sheet.cell(number, column).protection.locked
            assert locked is (number == 1 or key not in inputs), (number, key)
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert widths == [column.width for column in upload_template.COLUMNS]


def test_hidden_sheet_identifies_the_template(kgj, plan):
    book = open_book(download(kgj))
    hidden = book[upload_template.IDENTITY_SHEET]
    assert hidden.sheet_state == "veryHidden"
    identity = {row[0]: row[1] for row in hidden.iter_rows(max_row=7, values_only=True)}
    assert identity["plan"] == PLAN_SLUG
    assert identity["department"] == "县科工局"
    assert identity["period"] == "2026-Q3"
    sheet = rows_sheet(book)
    pairs = "\n".join(
        f"{sheet.cell(n, COL['code']).value}\t{sheet.cell(n, COL['name']).value}"
        for n in range(2, sheet.max_row + 1)
    )
    assert identity["fingerprint"] == hashlib.sha256(pairs.encode()).hexdigest()


def test_last_period_and_current_values_are_shown(kgj, clerk_kgj, reviewer):
    approved(clerk_kgj, reviewer, "above_scale_enterprises", "2", quarter=2)
    entry = Entry(2026, 2, D("3"), None, "县科工局台账")
    actual_create(user=clerk_kgj, indicator=indicator("high_tech_enterprises"), entry=entry)
    entry = Entry(2026, 3, D("3"), None, SOURCE)
    actual_create(user=clerk_kgj, indicator=indicator("above_scale_enterprises"), entry=entry)
    sheet = rows_sheet(open_book(download(kgj)))
    number = row_of(sheet, "above_scale_enterprises")
    assert sheet.cell(number, COL["previous"]).value == 2  # the figure in force
    assert sheet.cell(number, COL["current"]).value == 3
    assert sheet.cell(number, COL["state"]).value == "草稿"
    assert sheet.cell(number, COL["source"]).value == SOURCE  # prefilled from the value
    number = row_of(sheet, "high_tech_enterprises")
    assert sheet.cell(number, COL["previous"]).value == 3  # a draft: its latest entry
    assert sheet.cell(number, COL["current"]).value is None
    assert sheet.cell(number, COL["state"]).value == "未填报"
    assert sheet.cell(number, COL["source"]).value == "县科工局台账"  # last period's source
    number = row_of(sheet, "ecommerce_volume")
    assert sheet.cell(number, COL["previous"]).value == "-"


def test_milestone_value_cell_offers_the_stages(client, clerk_scj):
    sheet = rows_sheet(open_book(download(login(client, clerk_scj))))
    number = row_of(sheet, "regional_brand")
    cell = sheet.cell(number, COL["value"]).coordinate
    lists = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    assert len(lists) == 1
    assert lists[0].type == "list"
    assert lists[0].formula1 == '"未注册,成功注册,省内外知名"'


def test_file_name_names_department_and_period(kgj):
    response = kgj.get(TEMPLATE_URL)  # the quarter being reported now: 2026 Q3
    assert "filename*=utf-8''" in response["Content-Disposition"]
    with translation.override("zh-hans"):
        department = Department.objects.get(name="县科工局")
        template = upload_template.Template(
            Plan.objects.get(slug=PLAN_SLUG), department, Period.of(2026, 3), []
        )
        assert upload_template.file_name(template) == "填报模板-县科工局-2026年第3季度.xlsx"
        template = upload_template.Template(template.plan, department, Period.whole_year(2025), [])
        assert upload_template.file_name(template) == "填报模板-县科工局-2025年（全年）.xlsx"
    identity = dict(open_book(response.content)[upload_template.IDENTITY_SHEET].iter_rows(
        max_row=5, max_col=2, values_only=True))  # fmt: skip
    assert identity["period"] == "2026-Q3"


# --- who may download and upload ----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "params", "status"),
    [
        ("clerk_kgj", {}, 200),
        ("clerk_rsj", {}, 200),
        ("clerk_rsj", {"department": "县科工局"}, 403),
        ("admin", {"department": "县科工局"}, 200),
        ("admin", {}, 400),
        ("reviewer", {}, 403),
        ("leader", {}, 403),
        ("analyst", {}, 403),
        ("outsider", {}, 403),
    ],
)
def test_who_may_download_a_template(client, request, who, params, status):
    login(client, request.getfixturevalue(who))
    response = client.get(TEMPLATE_URL, {"period": "2026-Q3", **params})
    assert response.status_code == status


def test_admin_gets_the_named_department_template(client, admin):
    book = open_book(download(login(client, admin), department="县人社局"))
    identity = dict(
        book[upload_template.IDENTITY_SHEET].iter_rows(max_row=5, max_col=2, values_only=True)
    )
    assert identity["department"] == "县人社局"


@pytest.mark.parametrize("url", [TEMPLATE_URL, UPLOAD_URL])
def test_anonymous_goes_to_login(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_no_template_for_a_future_or_foreign_period(kgj):
    for params, text in [
        ({"period": "2026-Q4"}, "没有2026年第4季度的模板"),
        ({"period": "2026"}, "没有2026年（全年）的模板"),
        ({"period": "2024-Q2"}, "该期间不在规划期内，或尚未结束"),
        ({"period": "2026-X2"}, zh("Write the period as 2026, 2026-M03, 2026-Q1 or 2026-H1.")),
        ({"period": "2026-Q5"}, zh("The quarter must be 1 to 4.")),
        ({"year": "x", "quarter": 2}, zh("The year must be a number such as 2026.")),
        ({"year": 2026, "quarter": 0}, "没有2026年（全年）的模板"),  # an old link's whole year
    ]:
        response = kgj.get(TEMPLATE_URL, params)
        assert response.status_code == 400
        assert text in html(response)


@pytest.mark.parametrize("who", ["reviewer", "leader", "analyst", "outsider"])
def test_other_roles_cannot_upload(client, request, who, clerk_kgj):
    content = fill(download(login(client, clerk_kgj)), GOOD)
    login(client, request.getfixturevalue(who))
    assert client.get(UPLOAD_URL).status_code == 403
    assert post(client, content).status_code == 403
    assert not Actual.objects.exists()


def test_upload_page_offers_download_and_choices(kgj):
    page = html(kgj.get(UPLOAD_URL))
    for text in [
        "批量上传",
        "下载填报模板",
        "保存为草稿",
        "直接提交审核",
        "2026年第3季度",
        "县科工局",
    ]:
        assert text in page
    # 县科工局 reports quarterly: its quarters and whole years, newest first, Q3 chosen first
    # in both the download and the upload form.
    offered = re.findall(r'<option value="(2026[^"]*|2025[^"]*)"', page)
    half = len(offered) // 2
    assert offered[:half] == offered[half:]
    assert offered[:half] == [
        "2026-Q3", "2026-Q2", "2026-Q1", "2025", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1",
    ]  # fmt: skip
    assert page.count('<option value="2026-Q3" selected>') == 2


# --- refusals: nothing is saved -----------------------------------------------------------


def refused(response, text: str):
    assert response.status_code == 400
    assert text in html(response), html(response)
    assert not Actual.objects.exists()


def test_refuses_a_file_that_is_not_xlsx(kgj):
    refused(
        post(kgj, b"code,value\nabove_scale_enterprises,3\n", name="t.xlsx"),
        "不是 Excel .xlsx 文件",
    )
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512  # an old .xls renamed
    refused(post(kgj, ole, name="t.xlsx"), "不是 Excel .xlsx 文件")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a zip, but no workbook
        archive.writestr("word/document.xml", "<w/>")
    refused(post(kgj, buffer.getvalue(), name="t.xlsx"), "不是 Excel .xlsx 文件")


def test_refuses_a_workbook_that_is_not_the_template(kgj):
    book, buffer = openpyxl.Workbook(), BytesIO()
    book.active["A1"] = "above_scale_enterprises"
    book.save(buffer)
    refused(post(kgj, buffer.getvalue()), "不是本平台的填报模板")


def test_refuses_a_file_over_5_mb(kgj):
    big = fill(download(kgj), GOOD) + b"\0" * (5 * 1024 * 1024)
    refused(post(kgj, big), "文件超过 5 MB")


def test_refuses_another_departments_template(client, clerk_kgj, clerk_rsj):
    content = fill(download(login(client, clerk_kgj)), GOOD)
    login(client, clerk_rsj)
    refused(post(client, content), "该模板属于县科工局，您是县人社局的填报员")


def test_refuses_a_template_of_another_period(kgj):
    content = download(kgj, period="2026-Q2")
    content = fill(content, {"above_scale_enterprises": {"value": 3, "source": SOURCE}})
    refused(
        post(kgj, content, period="2026-Q3"),
        "该模板对应2026年第2季度，而您选择上报的是2026年第3季度",
    )


def test_refuses_a_template_of_a_period_not_yet_over(kgj, plan):
    department = Department.objects.get(name="县科工局")
    template = upload_template.template_for(
        plan=plan, department=department, period=Period.of(2026, 4)
    )
    content = upload_template.build_workbook(template)
    content = fill(content, {"above_scale_enterprises": {"value": 3, "source": SOURCE}})
    refused(post(kgj, content, period="2026-Q3"), "该模板对应2026年第4季度，该期间尚未结束")


def test_refuses_a_changed_code(kgj):
    def rename(sheet):
        sheet.cell(row_of(sheet, "ecommerce_volume"), COL["code"], "gross_output")

    content = fill(download(kgj), GOOD, edit=rename)
    refused(post(kgj, content), "指标行已被改动")


def test_refuses_a_deleted_or_added_row(kgj):
    content = fill(download(kgj), GOOD, edit=lambda sheet: sheet.delete_rows(2))
    refused(post(kgj, content), "指标行已被改动：模板应有")

    def add(sheet):
        sheet.cell(sheet.max_row + 1, COL["code"], "gross_output")

    refused(post(kgj, fill(download(kgj), GOOD, edit=add)), "请勿增删行")


def test_refuses_moved_rows(kgj):
    def swap(sheet):
        for column in (COL["code"], COL["name"]):
            first, second = sheet.cell(2, column), sheet.cell(3, column)
            first.value, second.value = second.value, first.value

    refused(post(kgj, fill(download(kgj), {}, edit=swap)), "第 2 行应为")


# --- saving ------------------------------------------------------------------------------


def test_good_upload_saves_every_row_as_drafts(kgj, clerk_kgj):
    response = post(kgj, fill(download(kgj), GOOD), action="draft")
    assert response.status_code == 302
    page = html(kgj.get(response["Location"]))
    assert "已保存 3 项数值（草稿）" in page
    saved = {a.indicator.code: a for a in Actual.objects.select_related("indicator")}
    assert set(saved) == set(GOOD)
    assert {a.state for a in saved.values()} == {"draft"}
    assert saved["ecommerce_volume"].value == D("12.3")  # the float 12.3, exactly
    assert saved["high_tech_enterprises"].note == "新认定1家"
    assert saved["above_scale_enterprises"].created_by == clerk_kgj
    assert (saved["above_scale_enterprises"].year, saved["above_scale_enterprises"].quarter) == (
        2026,
        3,
    )


def test_good_upload_can_submit_every_row(kgj):
    response = post(kgj, fill(download(kgj), GOOD), action="submit")
    assert "已保存并提交审核 3 项数值" in html(kgj.get(response["Location"]))
    assert set(Actual.objects.values_list("state", flat=True)) == {"submitted"}


def test_one_bad_row_saves_nothing_and_is_listed(kgj):
    values = {**GOOD, "automated_factories": {"value": -2, "source": SOURCE}}
    response = post(kgj, fill(download(kgj), values))
    page = html(response)
    assert response.status_code == 400
    assert not Actual.objects.exists()
    assert "未保存任何数据：有 1 个问题须先改正" in page
    number = row_of(rows_sheet(open_book(download(kgj))), "automated_factories")
    assert f'<tr data-row="{number}">' in page
    assert indicator("automated_factories").printed_name in page
    assert zh("A count must be a whole number, 0 or more.") in page


def test_every_failing_row_is_listed(kgj):
    values = {
        "above_scale_enterprises": {"value": 3},  # no source
        "ecommerce_volume": {"value": "abc", "source": SOURCE},
        "high_tech_enterprises": {"value": 2.5, "source": SOURCE},
    }
    response = post(kgj, fill(download(kgj), values))
    page = html(response)
    assert "有 3 个问题" in page
    assert "“abc”不是数字。" in page
    assert zh("A count must be a whole number, 0 or more.") in page
    assert not Actual.objects.exists()


def test_text_that_is_not_a_number_is_refused(kgj):
    content = fill(download(kgj), {"ecommerce_volume": {"value": "abc", "source": SOURCE}})
    response = post(kgj, content)
    assert response.status_code == 400
    assert "“abc”不是数字。" in html(response)
    assert "数值/阶段" in html(response)  # the column to fix
    assert not Actual.objects.exists()


def test_numbers_typed_as_text_are_read_exactly(kgj):
    values = {
        "ecommerce_volume": {"value": " 1,234.5 ", "source": SOURCE},
        "above_scale_enterprises": {"value": "３", "source": SOURCE},  # full-width digit
    }
    assert post(kgj, fill(download(kgj), values)).status_code == 302
    figures = dict(Actual.objects.values_list("indicator__code", "value"))
    assert figures == {"ecommerce_volume": D("1234.5"), "above_scale_enterprises": D(3)}


def test_empty_rows_are_not_reported(kgj):
    content = fill(download(kgj), {"ecommerce_volume": {"value": None, "source": SOURCE}})
    response = post(kgj, content)
    assert response.status_code == 302
    assert "已保存 0 项数值" in html(kgj.get(response["Location"]))
    assert not Actual.objects.exists()


def test_a_draft_is_updated_and_a_submitted_value_is_refused(kgj, clerk_kgj):
    entry = Entry(2026, 3, D("3"), None, SOURCE)
    draft = actual_create(
        user=clerk_kgj, indicator=indicator("above_scale_enterprises"), entry=entry
    )
    waiting = actual_create(
        user=clerk_kgj, indicator=indicator("high_tech_enterprises"), entry=entry, submit=True
    )
    content = download(kgj)
    ok = fill(content, {"above_scale_enterprises": {"value": 4, "source": SOURCE}})
    assert post(kgj, ok).status_code == 302
    draft.refresh_from_db()
    assert (draft.value, draft.state, draft.version) == (D(4), "draft", 2)
    bad = fill(content, {"high_tech_enterprises": {"value": 5, "source": SOURCE}})
    response = post(kgj, bad)
    assert response.status_code == 400
    assert zh("This value is waiting for review; it cannot be changed now.") in html(response)
    waiting.refresh_from_db()
    assert waiting.value == D(3)


def test_approved_value_changes_only_with_a_reason(kgj, clerk_kgj, reviewer):
    actual = approved(clerk_kgj, reviewer, "above_scale_enterprises", "3")
    content = download(kgj)
    values = {"above_scale_enterprises": {"value": 4, "source": SOURCE}}
    response = post(kgj, fill(content, values))
    assert response.status_code == 400
    assert zh("Changing an approved value needs a reason.") in html(response)
    assert "修改理由" in html(response)
    actual.refresh_from_db()
    assert (actual.value, actual.state) == (D(3), "approved")

    values["above_scale_enterprises"]["reason"] = "统计局修订快报"
    assert post(kgj, fill(content, values), action="submit").status_code == 302
    actual.refresh_from_db()
    assert (actual.value, actual.state) == (D(4), "submitted")
    assert actual.approved_value == D(3)  # still in force until the correction is approved
    assert actual.history.first().history_change_reason == "统计局修订快报"


def test_a_change_made_after_download_is_not_overwritten(kgj, clerk_kgj):
    entry = Entry(2026, 3, D("3"), None, SOURCE)
    actual = actual_create(
        user=clerk_kgj, indicator=indicator("above_scale_enterprises"), entry=entry
    )
    content = fill(download(kgj), {"above_scale_enterprises": {"value": 5, "source": SOURCE}})
    actual_update(user=clerk_kgj, actual=actual, entry=Entry(2026, 3, D("4"), None, SOURCE),
                  version=actual.version)  # fmt: skip
    response = post(kgj, content)
    assert response.status_code == 400
    errors = html(response).split('class="row-errors"')[1]
    assert "clerk_kgj" in errors  # the conflict names who changed it
    actual.refresh_from_db()
    assert actual.value == D(4)


def test_uploading_the_same_file_twice_changes_nothing(kgj):
    content = fill(download(kgj), GOOD)
    post(kgj, content)
    versions = dict(Actual.objects.values_list("indicator__code", "version"))
    response = post(kgj, content)
    assert response.status_code == 302
    page = html(kgj.get(response["Location"]))
    assert "3 行与系统中已有的数值相同，未作改动" in page
    assert dict(Actual.objects.values_list("indicator__code", "version")) == versions


def test_milestone_stage_is_uploaded(client, clerk_scj):
    login(client, clerk_scj)
    content = fill(
        download(client), {"regional_brand": {"value": "成功注册", "source": "县市场监管局"}}
    )
    assert post(client, content).status_code == 302
    actual = Actual.objects.get(indicator__code="regional_brand")
    assert (actual.stage.label, actual.value) == ("成功注册", None)
    bad = fill(download(client), {"regional_brand": {"value": "很有名", "source": "县市场监管局"}})
    response = post(client, bad)
    assert response.status_code == 400


def test_old_links_and_templates_still_work(kgj):
    """A link of the old form (?year=&quarter=), and a template downloaded before templates named
    their period by its code (identity format 1: year and quarter)."""
    book = open_book(download(kgj, period="", year=2026, quarter=3))
    hidden = book[upload_template.IDENTITY_SHEET]
    assert (hidden["A4"].value, hidden["B4"].value) == ("period", "2026-Q3")
    hidden["B1"] = "1"  # the format
    hidden["A4"], hidden["B4"] = "year", 2026
    hidden.insert_rows(5)
    hidden["A5"], hidden["B5"] = "quarter", 3
    values = {"above_scale_enterprises": {"value": 3, "source": SOURCE}}
    buffer = BytesIO()
    book.save(buffer)
    assert post(kgj, fill(buffer.getvalue(), values)).status_code == 302
    actual = Actual.objects.get()
    assert (actual.year, actual.quarter, actual.value) == (2026, 3, D(3))


def test_whole_year_template_is_uploaded(kgj):
    content = download(kgj, period="2025")
    content = fill(content, {"above_scale_enterprises": {"value": 1, "source": SOURCE}})
    assert post(kgj, content, period="2025").status_code == 302
    actual = Actual.objects.get()
    assert (actual.year, actual.quarter) == (2025, None)


def test_admin_uploads_for_a_department(client, admin):
    login(client, admin)
    content = fill(download(client, department="县科工局"), GOOD)
    assert post(client, content, action="submit").status_code == 302
    assert Actual.objects.filter(state="submitted").count() == 3


def test_template_download_has_a_query_budget(
    kgj, clerk_kgj, reviewer, django_assert_max_num_queries
):
    for code in ("above_scale_enterprises", "high_tech_enterprises", "automated_factories"):
        approved(clerk_kgj, reviewer, code, "2", quarter=2)
        approved(clerk_kgj, reviewer, code, "2", quarter=3)
    # session, user, role (decorator), plan, profile, role (view), indicators, stages, the
    # two periods' values (with their stages): whatever the number of rows.
    with django_assert_max_num_queries(9):
        download(kgj)
