"""Warning lights and the 滞后说明 in force on every page, the progress API and the evaluation
workbook, and the ranking of departments (issue 12, domain.md §11).

The lights are worked out by hand from the 陆河 plan for 2026 Q3 (t = 2025.75; τ = 25% of the
way to 2028; an annual total or a rate is compared at t = 2026), with the values of
`worked_examples` (tests/test_overview.py):
- 全产业链总产值: geometric 30 → 60, 27 by Q3 annualised to 36, V = 37.80, R = 0.769: behind,
  not binding → yellow;
- 跨境电商主体: 300 → 500, V = 350, A = 380, R = 1.6: ahead → green;
- 规上企业数量: 5 reaches the 2028 target: achieved → green;
- 从业人员: 2 → 3, V = 2.25, A = 2.1, R = 0.4: far behind → red;
- 安全生产事故 (binding): one accident: failed → red;
- 刑事治安警情增速: −7.6 against −8.6 → −10: regressing → red;
- the other 24 indicators have no figure → grey.
"""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Actual, Department, Dimension, Indicator, Supervision
from tests.conftest import PLAN_SLUG
from tests.factories import make_synthetic_plan
from tests.test_overview import OVERVIEW, api_body, card, report, worked_examples  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEPARTMENTS = reverse("reports:departments", args=[PLAN_SLUG])
Q3 = {"year": 2026, "quarter": 3}
RED_THEN_YELLOW = ["employment", "safety_accidents", "crime_growth", "gross_output"]
EXPLAINED = "原因：订单外流；措施：招引两家链主企业；能否按期完成：有风险"


def explain(code: str, cause="订单外流", measures="招引两家链主企业", will_meet="at_risk"):
    """Put a 滞后说明 in force on the 2026 Q3 value of `code` (as an approval would)."""
    Actual.objects.filter(indicator__code=code, year=2026, quarter=3).update(
        approved_lag_cause=cause, approved_lag_measures=measures, approved_lag_will_meet=will_meet
    )


@pytest.fixture
def explained(worked_examples):  # noqa: F811 (the fixture imported above)
    explain("gross_output")
    explain("employment", "招工难", "开展专场招聘", "no")


def light_counts(page: str) -> dict[str, int]:
    found = re.findall(r'<li data-light="(\w+)" data-count="(\d+)"', page)
    return {light: int(count) for light, count in found}


def warned(page: str) -> list[tuple[str, str]]:
    """The overview's list of red and yellow lights: (code, light), in the order printed."""
    section = re.search(r'<ul class="warned-list">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r'<li data-code="(\w+)" data-light="(\w+)"', section)


def warned_item(page: str, code: str) -> str:
    return re.search(rf'<li data-code="{code}" data-light=.*?</li>', page, re.S).group(0)


def get(client, url: str, params=Q3) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- the overview ---------------------------------------------------------------------------


def test_the_overview_counts_the_lights_and_lists_red_before_yellow(leader_client, explained):
    page = get(leader_client, OVERVIEW)
    assert light_counts(page) == {"red": 3, "yellow": 1, "green": 2, "grey": 24}
    assert warned(page) == [(code, "yellow" if code == "gross_output" else "red")
                            for code in RED_THEN_YELLOW]  # fmt: skip
    employment = warned_item(page, "employment")
    assert "红灯" in employment and "严重滞后" in employment and "县人社局" in employment
    assert "原因：招工难；措施：开展专场招聘；能否按期完成：不能按期完成" in employment
    gross = warned_item(page, "gross_output")
    assert "黄灯" in gross and "滞后于序时进度" in gross and EXPLAINED in gross
    assert "未明确" in gross  # no lead department is named for it
    assert "滞后说明" not in warned_item(page, "crime_growth")  # none given: nothing shown
    # each card carries its light and its explanation, in the light's colour
    assert 'data-light="yellow" style="--light:#FBC02D' in card(page, "gross_output")
    assert EXPLAINED in card(page, "gross_output")
    assert "绿灯" in card(page, "cross_border_ecommerce")
    assert "灰灯" in card(page, "gdp_share")


def test_the_overview_without_red_or_yellow_lights(leader_client, plan):
    page = get(leader_client, OVERVIEW)
    assert light_counts(page) == {"red": 0, "yellow": 0, "green": 0, "grey": 30}
    assert "没有亮红灯或黄灯的指标。" in page


# --- the indicator, dimension and department pages --------------------------------------------


def indicator_url(code: str) -> str:
    return reverse("reports:indicator", args=[PLAN_SLUG, code])


def standing(page: str) -> str:
    return re.search(r'<section class="standing status-panel".*?</section>', page, re.S).group(0)


def test_the_indicator_page_shows_the_light_and_the_explanation(leader_client, explained):
    gross = standing(get(leader_client, indicator_url("gross_output")))
    assert "滞后于序时进度" in gross and "黄灯" in gross and EXPLAINED in gross
    accidents = standing(get(leader_client, indicator_url("safety_accidents")))
    assert "红灯" in accidents and "滞后说明" not in accidents
    assert "绿灯" in standing(get(leader_client, indicator_url("cross_border_ecommerce")))


def test_the_dimension_page_shows_lights_and_explanations(leader_client, plan, explained):
    dimension = Dimension.objects.get(plan=plan, name="产业规模")
    page = get(leader_client, reverse("reports:dimension", args=[PLAN_SLUG, dimension.pk]))
    assert light_counts(page) == {"red": 0, "yellow": 1, "green": 0, "grey": 3}
    gross = card(page, "gross_output")
    assert "黄灯" in gross and EXPLAINED in gross


def test_the_department_page_shows_lights_and_explanations(leader_client, explained):
    department = Department.objects.get(name="县人社局")
    page = get(leader_client, reverse("reports:department", args=[PLAN_SLUG, department.pk]))
    assert light_counts(page) == {"red": 1, "yellow": 0, "green": 0, "grey": 2}
    employment = card(page, "employment")
    assert "红灯" in employment and "原因：招工难" in employment


# --- the progress API -----------------------------------------------------------------------


def test_the_api_gives_each_row_its_light_and_explanation(api, explained):
    body = api_body(api, **Q3)
    rows = {row["code"]: row for row in body["indicators"]}
    assert {code: rows[code]["warning"] for code in RED_THEN_YELLOW} == {
        "employment": "red", "safety_accidents": "red", "crime_growth": "red",
        "gross_output": "yellow",
    }  # fmt: skip
    assert rows["cross_border_ecommerce"]["warning"] == "green"
    assert rows["gdp_share"]["warning"] == "grey"
    assert rows["gross_output"]["warning_label"] == "黄灯"
    assert rows["gross_output"]["explanation"] == {
        "cause": "订单外流", "measures": "招引两家链主企业", "will_meet": "at_risk",
    }  # fmt: skip
    assert rows["employment"]["explanation"]["will_meet"] == "no"
    assert rows["crime_growth"]["explanation"] is None
    assert body["warnings"] == {"red": 3, "yellow": 1, "green": 2, "grey": 24}


def test_a_submitted_value_shows_its_own_explanation_with_pending_values(api, clerk_kgj):
    """The explanation goes with the figure shown: the one in force, or with ?include_pending
    the one submitted with a correction under review."""
    actual = report(clerk_kgj, "gross_output", 2026, 3, "27")
    explain("gross_output")
    Actual.objects.filter(pk=actual.pk).update(
        state="submitted",
        value=28,
        lag_cause="原料涨价",
        lag_measures="稳产保供",
        lag_will_meet="yes",
    )
    in_force = {r["code"]: r for r in api_body(api, **Q3)["indicators"]}["gross_output"]
    assert in_force["explanation"]["cause"] == "订单外流"
    pending = api_body(api, **Q3, include_pending="true")["indicators"]
    assert {r["code"]: r for r in pending}["gross_output"]["explanation"] == {
        "cause": "原料涨价", "measures": "稳产保供", "will_meet": "yes",
    }  # fmt: skip


def test_an_explanation_of_another_period_is_not_shown(api, clerk_kgj):
    report(clerk_kgj, "gross_output", 2026, 2, "15")
    report(clerk_kgj, "gross_output", 2026, 3, "27")
    Actual.objects.filter(indicator__code="gross_output", quarter=2).update(
        approved_lag_cause="二季度停电", approved_lag_measures="抢工", approved_lag_will_meet="yes"
    )
    rows = {r["code"]: r for r in api_body(api, **Q3)["indicators"]}
    assert rows["gross_output"]["explanation"] is None
    rows = {r["code"]: r for r in api_body(api, year=2026, quarter=2)["indicators"]}
    assert rows["gross_output"]["explanation"]["cause"] == "二季度停电"


# --- the evaluation workbook ----------------------------------------------------------------


def test_the_workbook_has_a_warning_and_an_explanation_column(leader_client, explained):
    response = leader_client.get(f"/reports/{PLAN_SLUG}/evaluation/2026.xlsx", {"quarter": 3})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["指标完成情况"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["属性", "预警", "滞后说明"]  # added after the existing columns
    warning, explanation = header.index("预警") + 1, header.index("滞后说明") + 1
    rows = {ws.cell(row=r, column=2).value: r for r in range(2, 32)}
    gross, accidents = rows["全产业链总产值（亿元）"], rows["安全生产事故"]
    assert ws.cell(row=gross, column=warning).value == "黄灯"
    assert ws.cell(row=gross, column=warning).fill.fgColor.rgb[-6:] == "FBC02D"
    assert ws.cell(row=gross, column=explanation).value == EXPLAINED
    assert ws.cell(row=accidents, column=warning).value == "红灯"
    assert ws.cell(row=accidents, column=warning).fill.fgColor.rgb[-6:] == "D32F2F"
    assert ws.cell(row=accidents, column=explanation).value is None
    grey = ws.cell(row=rows["全县GDP占比（%）"], column=warning)
    assert (grey.value, grey.fill.fgColor.rgb[-6:]) == ("灰灯", "9E9E9E")


def explanation_cell(client, **params) -> str | None:
    response = client.get(f"/reports/{PLAN_SLUG}/evaluation/2026.xlsx", {"quarter": 3, **params})
    assert response.status_code == 200, response.content[:300]
    ws = load_workbook(io.BytesIO(response.content))["指标完成情况"]
    header = [c.value for c in ws[1]]
    row = next(
        r for r in range(2, 32) if ws.cell(row=r, column=2).value == "全产业链总产值（亿元）"
    )
    return ws.cell(row=row, column=header.index("滞后说明") + 1).value


def test_the_workbook_as_of_a_day_shows_the_explanation_in_force_then(leader_client, clerk_kgj):
    actual = report(clerk_kgj, "gross_output", 2026, 3, "27")
    actual.approved_lag_cause, actual.approved_lag_measures = "订单外流", "招引两家链主企业"
    actual.approved_lag_will_meet = "at_risk"
    actual.save()
    Actual.history.filter(id=actual.pk).update(
        history_date=datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    )
    actual.approved_lag_cause = actual.approved_lag_measures = actual.approved_lag_will_meet = ""
    actual.save()  # withdrawn since
    assert explanation_cell(leader_client, as_of="2026-11-02") == EXPLAINED
    assert explanation_cell(leader_client) is None


# --- the ranking of departments -------------------------------------------------------------


def submitted_on(code: str, quarter: int, when: datetime) -> None:
    Actual.objects.filter(indicator__code=code, year=2026, quarter=quarter).update(
        first_submitted_at=when
    )


def supervise(plan, user, name: str, due: date, state: str = "open") -> Supervision:
    return Supervision.objects.create(
        plan=plan, indicator=Indicator.objects.filter(plan=plan).first(),
        department=Department.objects.get(name=name), requirement="按期整改", due=due,
        state=state, opened_by=user, opened_at=datetime(2026, 11, 1, tzinfo=SHANGHAI),
    )  # fmt: skip


@pytest.fixture
def ranking_data(plan, reviewer, clerk_kgj, worked_examples):  # noqa: F811
    """县科工局 submits 2 of its 21 values of 2026 Q1–Q3 on time, 县人社局 3 of its 9; 县科工局
    has a red and a blue open item (and a closed one), 县市场监管局 a yellow one (today is
    2026-11-24). 县人社局 leads 3 indicators, 从业人员 under a red light; 县科工局 leads 7,
    电子商务交易额 under a red light (1亿元 by Q3 is 1.33 a year against a baseline of 7:
    regressing)."""
    on_time = datetime(2026, 10, 10, 9, tzinfo=SHANGHAI)  # before the Q3 deadline (10-15)
    report(clerk_kgj, "ecommerce_volume", 2026, 3, "1")
    submitted_on("above_scale_enterprises", 3, on_time)
    submitted_on("ecommerce_volume", 3, on_time)
    for code in ("employment", "skilled_workers_introduced", "net_inflow"):
        if code != "employment":
            report(clerk_kgj, code, 2026, 3, "1", state="submitted")
        submitted_on(code, 3, on_time)
    supervise(plan, reviewer, "县科工局", date(2026, 11, 20))  # past due: red
    supervise(plan, reviewer, "县科工局", date(2026, 12, 20))  # blue
    supervise(plan, reviewer, "县科工局", date(2026, 11, 1), state="closed")
    supervise(plan, reviewer, "县市场监管局", date(2026, 11, 26))  # within 3 days: yellow


def ranking_rows(page: str) -> list[tuple[str, dict]]:
    """The departments table in the order printed: (name, its ranking cells as shown)."""
    rows = []
    for name, body in re.findall(r'<tr data-department="([^"]*)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r'data-rank="(\w+)">(.*?)</td>', body, re.S)
        rows.append((name, {key: re.sub(r"<[^>]+>", "", text) for key, text in cells}))
    return rows


def order(page: str) -> list[str]:
    return [name for name, _cells in ranking_rows(page)]


def test_the_ranking_figures(leader_client, ranking_data):
    rows = dict(ranking_rows(get(leader_client, DEPARTMENTS)))
    assert rows["县人社局"] == {
        "red_lights": "33.3% (1/3)", "on_time": "33.3% (3/9)", "open_items": "0", "red_items": "0",
    }  # fmt: skip
    assert rows["县科工局"] == {
        "red_lights": "14.3% (1/7)", "on_time": "9.5% (2/21)", "open_items": "2", "red_items": "1",
    }  # fmt: skip
    assert rows["县市场监管局"]["open_items"] == "1" and rows["县市场监管局"]["red_items"] == "0"
    assert rows["县发展改革局"]["red_lights"] == "-"  # it leads nothing
    assert rows[""] == {"red_lights": "", "on_time": "", "open_items": "", "red_items": ""}


def test_the_ranking_is_worst_first_by_red_lights_and_sortable(leader_client, ranking_data):
    by_red = order(get(leader_client, DEPARTMENTS))
    assert by_red[0] == "县人社局" and by_red[-1] == ""  # the row without a lead stays last
    assert by_red[:2] == ["县人社局", "县科工局"]  # 33.3%, 14.3%, then 0% …
    assert by_red.index("县市场监管局") < by_red.index("县发展改革局")  # … before nothing led
    by_time = order(get(leader_client, DEPARTMENTS, {**Q3, "sort": "on_time"}))
    assert by_time.index("县科工局") < by_time.index("县人社局")  # 9.5% before 33.3%
    assert by_time.index("县人社局") < by_time.index("县发展改革局")  # nothing owed: after
    assert order(get(leader_client, DEPARTMENTS, {**Q3, "sort": "open_items"}))[:2] == [
        "县科工局", "县市场监管局",
    ]  # fmt: skip
    assert order(get(leader_client, DEPARTMENTS, {**Q3, "sort": "red_items"}))[0] == "县科工局"
    best_first = order(get(leader_client, DEPARTMENTS, {**Q3, "sort": "-red_lights"}))
    assert best_first.index("县人社局") > best_first.index("县科工局")
    # an unknown column is the default order, not an error
    assert order(get(leader_client, DEPARTMENTS, {**Q3, "sort": "name;drop"})) == by_red


def test_the_ranking_headers_link_to_each_sort(leader_client, ranking_data):
    page = get(leader_client, DEPARTMENTS)
    assert 'href="?year=2026&amp;quarter=3&amp;sort=on_time">按时报送率</a>' in page
    assert 'href="?year=2026&amp;quarter=3&amp;sort=-red_lights">牵头指标红灯占比</a>' in page
    assert 'data-sort="red_lights" aria-sort="descending"' in page
    page = get(leader_client, DEPARTMENTS, {**Q3, "sort": "-red_lights"})
    assert 'href="?year=2026&amp;quarter=3&amp;sort=red_lights">' in page


# Expected queries, with the period given: session, user, role and scope (3); the plan (1); the
# progress rows (4 for the plan's parts, 1 for the values); completeness (3: indicators, their
# responsibilities, the year's submissions); the plan's departments (1); the plan's open 督办
# items (1); the navigation's plans (1).
DEPARTMENTS_QUERIES = 15


def test_query_budget_of_the_departments_page_on_the_luhe_plan(
    leader_client, ranking_data, django_assert_num_queries
):
    with django_assert_num_queries(DEPARTMENTS_QUERIES):
        get(leader_client, DEPARTMENTS)


def test_query_budget_of_the_departments_page_on_a_300_indicator_plan(
    leader_client, synthetic_300, reviewer, django_assert_num_queries
):
    for day in (1, 20, 28):
        supervise(synthetic_300, reviewer, "测试局", date(2026, 11, day))
    url = reverse("reports:departments", args=["synthetic"])
    with django_assert_num_queries(DEPARTMENTS_QUERIES):
        page = get(leader_client, url)
    assert dict(ranking_rows(page))["测试局"]["open_items"] == "3"
    assert dict(ranking_rows(page))["测试局"]["red_items"] == "2"


def test_a_small_synthetic_plan_costs_the_same(leader_client, leader, django_assert_num_queries):
    make_synthetic_plan(10, slug="small")
    with django_assert_num_queries(DEPARTMENTS_QUERIES):
        get(leader_client, reverse("reports:departments", args=["small"]))
