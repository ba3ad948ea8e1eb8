"""export_plan and the plan workbook download (indicators/selectors/planbook.py): every bundled
plan, exported and loaded back, changes nothing; the workbook shows the plan's own cells; the
download answers those who may see the plan; the export's queries do not grow with the plan."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from indicators.models import (
    Department,
    Dimension,
    Indicator,
    Plan,
    Project,
    Region,
    Responsibility,
    Stage,
    Target,
    Task,
    TaskDepartment,
    TaskIndicator,
)
from indicators.planbook import read_workbook
from indicators.planfile import check_plan
from indicators.selectors.planbook import plan_raw
from indicators.services.users import user_set_role
from tests.conftest import PLAN_FILE, PLAN_SLUG
from tests.factories import make_synthetic_plan, synthetic_region

FIFTEENTH_FILE = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"
FIFTEENTH_SLUG = "luhe-15th-five-year"
BUNDLED = {PLAN_SLUG: PLAN_FILE, FIFTEENTH_SLUG: FIFTEENTH_FILE}
# Every table a plan load writes.
TABLES = (
    Plan,
    Dimension,
    Department,
    Indicator,
    Stage,
    Target,
    Responsibility,
    Project,
    Task,
    TaskDepartment,
    TaskIndicator,
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def snapshot() -> dict[str, list[tuple]]:
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in TABLES}


def load(path: Path) -> str:
    out = StringIO()
    call_command("load_plan", str(path), stdout=out)
    return out.getvalue()


def export(slug: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{slug}.xlsx"
    call_command("export_plan", "--plan", slug, "--out", str(out), stdout=StringIO())
    return out


def rows_of(sheet) -> list[dict]:
    """A sheet's rows as {header: value}."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=False)) for row in rows]


@pytest.fixture(params=list(BUNDLED), ids=list(BUNDLED))
def bundled(request, plan) -> Plan:
    """Each bundled plan, loaded from its own file (the regions and 陆河's garment plan are)."""
    load(BUNDLED[request.param])
    return Plan.objects.get(slug=request.param)


# --- the round trip ----------------------------------------------------------------------


def test_loading_the_exported_workbook_changes_nothing(bundled, tmp_path):
    path = export(bundled.slug, tmp_path)
    before = snapshot()
    assert "新增 0 条，更新 0 条，删除 0 条" in load(path)
    assert snapshot() == before


def test_the_raw_plan_is_a_plan_file_the_checker_accepts(bundled):
    data = check_plan(plan_raw(bundled), {})
    assert (data.slug, len(data.indicators)) == (bundled.slug, bundled.indicators.count())


def test_an_administrators_responsibility_stays_out_of_the_workbook(plan, tmp_path):
    indicator = Indicator.objects.get(plan=plan, code="gdp_share")
    statistics = Department.objects.get(region=plan.region, name="县统计局")
    Responsibility.objects.create(
        indicator=indicator, department=statistics, role="data_source", origin="admin"
    )
    path = export(plan.slug, tmp_path)
    share = next(r for r in rows_of(load_workbook(path)["指标"]) if r["指标代码"] == "gdp_share")
    assert share["数据来源单位"] is None
    before = snapshot()
    assert "新增 0 条，更新 0 条，删除 0 条" in load(path)
    assert snapshot() == before


# --- what the workbook shows -------------------------------------------------------------


def test_the_garment_workbook_shows_the_plans_cells(plan, tmp_path):
    workbook = load_workbook(export(PLAN_SLUG, tmp_path))
    indicators = {row["指标名称"]: row for row in rows_of(workbook["指标"])}
    output = indicators["全产业链总产值"]
    assert (output["指标代码"], output["基期值"], output["基期值原文"]) == (
        "gross_output",
        30,
        None,
    )
    assert (output["2028年目标"], output["2030年目标"], output["2035年目标"]) == (60, 100, 200)
    assert (output["指标类型"], output["路径"]) == ("年度累计值", "几何")
    accidents = indicators["安全生产事故"]
    assert (accidents["基期值"], accidents["基期值原文"]) == (0, "零发生")
    assert (accidents["属性"], accidents["2030年目标"]) == ("约束性", "零发生")
    assert indicators["全县GDP占比"]["基期说明"] == "规划表基期值为“-”（缺失）"
    assert indicators["区域品牌知名度"]["阶段"] == "未注册→成功注册→省内外知名"
    # the 2035 targets the plan's text states, with their clause
    sources = rows_of(workbook["目标出处"])
    assert {
        "指标代码": "ecommerce_volume",
        "年份": 2035,
        "出处": "规划文本",
        "条款": "到2035年，电子商务交易额超100亿元",
    } in sources
    assert {row["指标代码"] for row in sources} == {
        "gross_output",
        "ecommerce_volume",
        "wholesale_retail_enterprises",
    }
    tasks = {row["任务"]: row for row in rows_of(workbook["重点任务"])}
    gathering = tasks["推进产业集聚发展"]
    assert (gathering["牵头单位"], gathering["推定牵头"]) == ("县政府（金融）", "是")
    assert gathering["部门条款"].endswith("各镇按职责分工负责）")
    assert tasks["培育壮大领航企业"]["关联指标"] == (
        "above_scale_enterprises、hundred_million_enterprises"
    )
    links = rows_of(workbook["关联条款"])
    assert {
        "工程": "制造企业培育工程",
        "任务": "培育壮大领航企业",
        "关联指标": "hundred_million_enterprises",
        "条款": "其中亿元以上企业5家",
    } in links
    units = {row["单位名称"]: row["类型"] for row in rows_of(workbook["单位"])}
    assert (units["县科工局"], units["各镇"], units["县总工会"]) == ("县直部门", "镇", "其他")


def test_the_fifteenth_workbook_is_the_table_layout(plan, tmp_path):
    load(FIFTEENTH_FILE)
    workbook = load_workbook(export(FIFTEENTH_SLUG, tmp_path))
    assert workbook.sheetnames == ["规划", "指标", "重点任务", "单位"]  # nothing beyond it
    indicators = {row["指标代码"]: row for row in rows_of(workbook["指标"])}
    assert indicators["gdp_growth"]["2030年目标"] == "年均增长6%"
    assert indicators["gdp"]["基期值"] == 118
    assert indicators["disposable_income_growth"]["参照指标"] == "gdp_growth"
    plan_items = {row["项目"]: row["内容"] for row in rows_of(workbook["规划"])}
    assert (plan_items["行政区划代码"], plan_items["示例数据"]) == (441523, "是")
    assert plan_items["年度数据截止"] == "3月31日"


# --- the command -------------------------------------------------------------------------


def test_an_unknown_plan_is_refused(db, tmp_path):
    out = tmp_path / "plan.xlsx"
    with translation.override("en"), pytest.raises(CommandError, match="No plan “nowhere”"):
        call_command("export_plan", "--plan", "nowhere", "--out", str(out))
    with pytest.raises(CommandError, match="nowhere"):  # in Chinese by default
        call_command("export_plan", "--plan", "nowhere", "--out", str(out))
    assert not out.exists()


def test_the_output_must_be_an_xlsx_in_a_folder_that_exists(plan, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export_plan", "--plan", PLAN_SLUG, "--out", str(tmp_path / "plan.csv"))
    with translation.override("en"), pytest.raises(CommandError, match="does not exist"):
        call_command("export_plan", "--plan", PLAN_SLUG, "--out", str(tmp_path / "no" / "a.xlsx"))


# --- the download ------------------------------------------------------------------------


def test_the_indicator_table_links_to_the_workbook(leader_client, plan):
    response = leader_client.get(reverse("indicators:indicator-table", args=[plan.slug]))
    link = reverse("indicators:plan-workbook", args=[plan.slug])
    assert link == f"/plans/{plan.slug}/plan.xlsx"
    assert f'href="{link}"' in response.content.decode()
    with translation.override("en"):
        response = leader_client.get(reverse("indicators:indicator-table", args=[plan.slug]))
    assert "下载规划工作簿" in response.content.decode()


def test_the_download_is_the_exported_workbook(leader_client, plan, tmp_path):
    response = leader_client.get(reverse("indicators:plan-workbook", args=[plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="luhe-garment.xlsx"'
    assert read_workbook(response.content)[0] == read_workbook(export(plan.slug, tmp_path))[0]


def test_a_county_leader_downloads_their_plan(client, plan):
    luhe = Region.objects.get(code="441523")
    user = user_set_role(
        username="luhe_leader", role="leader", department=None, password="pw", region=luhe
    )
    client.force_login(user)
    response = client.get(reverse("indicators:plan-workbook", args=[plan.slug]))
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.content))["指标"]["A2"].value == "gross_output"


def test_another_countys_user_gets_404(client, plan):
    jiangan = synthetic_region()
    user = user_set_role(
        username="jiangan_leader", role="leader", department=None, password="pw", region=jiangan
    )
    client.force_login(user)
    assert client.get(reverse("indicators:plan-workbook", args=[plan.slug])).status_code == 404


def test_the_download_needs_a_login_and_a_role(client, outsider, plan):
    url = reverse("indicators:plan-workbook", args=[plan.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403


# --- the query budget --------------------------------------------------------------------


def with_tasks_and_table_roles(plan: Plan) -> None:
    """Give a synthetic plan what its factory leaves out: table responsibilities, and tasks
    that name departments and link every indicator."""
    department = Department.objects.get(region=plan.region, name="测试局")
    indicators = list(plan.indicators.order_by("order"))
    Responsibility.objects.bulk_create(
        Responsibility(
            indicator=indicator, department=department, role="responsible", origin="table"
        )
        for indicator in indicators
    )
    project = Project.objects.create(plan=plan, number=1, name="工程")
    tasks = Task.objects.bulk_create(
        Task(project=project, order=i, name=f"任务{i}", text="", clause="（牵头单位：测试局）")
        for i in range(1, len(indicators) // 3 + 2)
    )
    TaskDepartment.objects.bulk_create(
        TaskDepartment(task=task, department=department, role="lead", position=1) for task in tasks
    )
    TaskIndicator.objects.bulk_create(
        TaskIndicator(task=tasks[i % len(tasks)], indicator=indicator, clause=f"条款{i}")
        for i, indicator in enumerate(indicators)
    )


@pytest.mark.parametrize("size", [3, 300])
def test_the_exports_queries_do_not_grow_with_the_plan(
    db, size, tmp_path, django_assert_num_queries
):
    plan = make_synthetic_plan(size)
    with_tasks_and_table_roles(plan)
    # 11 queries, whatever the size: the plan by its slug; then the plan (+ region code),
    # dimensions, indicators, stages, targets (+ stage, referenced indicator), table
    # responsibilities (+ department), projects, tasks, task departments (+ department) and
    # task links (+ indicator code).
    with django_assert_num_queries(11):
        path = export(plan.slug, tmp_path)
    assert len(rows_of(load_workbook(path)["指标"])) == size
    assert len(rows_of(load_workbook(path)["关联条款"])) == size
