"""The bundled 十五五 example (fixtures/luhe-15th-five-year-2026-2030.xlsx): it loads from its
workbook, its statuses match values worked out by hand from domain.md §9, and every page, the
APIs and the evaluation workbook answer for it."""

from decimal import Decimal as D
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.domain.periods import Period
from indicators.models import Actual, ActualState, Assignment, Plan
from indicators.selectors.progress import progress_rows
from tests.conftest import PLAN_FILE

WORKBOOK = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"
SLUG = "luhe-15th-five-year"


@pytest.fixture
def fifteenth(plan, reviewer):
    call_command("load_plan", str(WORKBOOK), stdout=StringIO())
    return Plan.objects.get(slug=SLUG)


def approve(plan, user, code, year, quarter, value):
    indicator = plan.indicators.get(code=code)
    return Actual.objects.create(
        indicator=indicator, year=year, quarter=quarter, value=D(value), source="县统计局",
        state=ActualState.APPROVED, approved_value=D(value), approved_source="县统计局",
        created_by=user, updated_by=user, approved_by=user,
    )  # fmt: skip


def statuses(plan, year, quarter=None):
    rows = progress_rows(plan=plan, period=Period.of(year, quarter))
    return {row.indicator.code: row for row in rows}


def test_the_example_loads_with_its_printed_targets(fifteenth):
    assert fifteenth.example is True
    assert fifteenth.indicators.count() == 26
    targets = {
        code: (text, form)
        for code, text, form in fifteenth.indicators.values_list(
            "code", "targets__text", "targets__form"
        )
    }
    assert targets["gdp_growth"] == ("年均增长6%", "per_year")
    assert targets["industrial_value_added_growth"] == (">7", "at_least")
    assert targets["urban_unemployment_rate"] == ("控制在5.5%以内", "at_most")
    assert targets["retail_sales_growth"] == ("6—6.5", "between")
    assert targets["urbanisation_rate"] == ("60左右", "about")
    assert targets["energy_intensity_reduction"] == ("累计降低13.5%", "total")
    assert targets["cultivated_land"] == ("完成市下达任务", "assigned")
    assert targets["disposable_income_growth"] == ("与经济增长基本同步", "relative")
    assert targets["population_natural_growth"] == ("保持适度水平", "qualitative")
    frequencies = set(fifteenth.indicators.values_list("frequency", flat=True))
    assert frequencies == {"monthly", "quarterly", "half_yearly", "annual"}


def test_loading_the_workbook_twice_changes_nothing(fifteenth):
    out = StringIO()
    call_command("load_plan", str(WORKBOOK), stdout=out)
    assert "新增 0 条，更新 0 条，删除 0 条" in out.getvalue()


def test_statuses_worked_out_by_hand(fifteenth, reviewer):
    approve(fifteenth, reviewer, "gdp_growth", 2026, None, "6.8")
    approve(fifteenth, reviewer, "gdp_growth", 2027, None, "5.1")
    approve(fifteenth, reviewer, "urbanisation_rate", 2027, None, "57.3")
    approve(fifteenth, reviewer, "disposable_income_growth", 2027, None, "4.8")
    approve(fifteenth, reviewer, "urban_unemployment_rate", 2027, None, "5.7")
    approve(fifteenth, reviewer, "air_quality_good_days", 2027, None, "96")
    approve(fifteenth, reviewer, "cultivated_land", 2027, None, "13.6")
    rows = statuses(fifteenth, 2027)
    # 年均增长6%: Π = 1.068 × 1.051 = 1.122468; required 1.06² − 1 = 0.1236; R = 0.9908.
    assert round(rows["gdp_growth"].progress.ratio, 4) == D("0.9908")
    assert rows["gdp_growth"].progress.status == "on_track"
    # 60左右, B 55.3: V(2027) = 55.3 + 4.7 × 2/5 = 57.18; R = 2.0/1.88 = 1.0638 → ahead.
    assert round(rows["urbanisation_rate"].progress.ratio, 4) == D("1.0638")
    assert rows["urbanisation_rate"].progress.status == "ahead"
    # 与经济增长基本同步 (容差 0.5): 4.8 against 5.1 → within 0.5 → on track.
    assert rows["disposable_income_growth"].progress.status == "on_track"
    # 控制在5.5%以内, B 4.8 (already within): a limit; 5.7 breaks it.
    assert rows["urban_unemployment_rate"].progress.status == "failed"
    assert rows["urban_unemployment_rate"].progress.holding is True
    # ≥95, B 97.8 (already met): a limit; 96 holds it.
    assert rows["air_quality_good_days"].progress.status == "on_track"
    # 完成市下达任务 with nothing assigned for 2027 yet.
    assert rows["cultivated_land"].progress.status == "target_pending"
    Assignment.objects.create(
        indicator=fifteenth.indicators.get(code="cultivated_land"),
        year=2027, value=D("13.5"), document="汕市农〔2027〕1号", recorded_by=reviewer,
    )  # fmt: skip
    assert statuses(fifteenth, 2027)["cultivated_land"].progress.status == "on_track"
    assert rows["gdp_growth"].target_text == "年均增长6%"


def test_every_page_api_and_workbook_answers(fifteenth, reviewer, client, analyst):
    approve(fifteenth, reviewer, "gdp_growth", 2026, 3, "6.1")
    approve(fifteenth, reviewer, "urban_unemployment_rate", 2026, 3, "5.0")
    client.force_login(analyst)
    overview = client.get(reverse("reports:overview", args=[SLUG]))
    assert overview.status_code == 200
    for code in fifteenth.indicators.values_list("code", flat=True):
        page = client.get(reverse("reports:indicator", args=[SLUG, code]))
        assert page.status_code == 200, code
    assert (
        "年均增长6%"
        in client.get(reverse("reports:indicator", args=[SLUG, "gdp_growth"])).content.decode()
    )
    for url in ("departments",):
        assert client.get(reverse(f"reports:{url}", args=[SLUG])).status_code == 200
    api = client.get(f"/api/v1/plans/{SLUG}/progress/?year=2026&quarter=3").json()
    rows = {row["code"]: row for row in api["indicators"]}
    assert rows["gdp_growth"]["target_text"] == "年均增长6%"
    assert rows["urban_unemployment_rate"]["holding"] is True
    assert "target_pending" in api["summary"]
    assert set(api["flags"]) >= {"incomplete_years", "earlier_period"}
    assert api["flags"]["earlier_period"] == sum(
        "earlier_period" in row["flags"] for row in api["indicators"]
    )
    workbook = client.get(reverse("reports:evaluation-xlsx", args=[SLUG, 2026]))
    assert workbook.status_code == 200
    book = openpyxl.load_workbook(BytesIO(workbook.content))
    assert book.sheetnames


def test_the_plan_is_marked_as_example_data(fifteenth, client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("reports:overview", args=[SLUG])).content.decode()
    assert '<span class="badge example"' in page and "示例数据" in page


def test_a_page_shows_each_indicators_latest_own_period(fifteenth, reviewer):
    """On a 2026 Q3 page an annual indicator shows its 2025 figure (flagged earlier_period),
    a monthly one September's, a half-yearly one the first half's (domain.md §10)."""
    approve(fifteenth, reviewer, "urbanisation_rate", 2025, None, "55.3")
    monthly = approve(fifteenth, reviewer, "air_quality_good_days", 2026, None, "97")
    monthly.quarter, monthly.month = None, 9
    monthly.save()
    half = approve(fifteenth, reviewer, "high_tech_enterprises", 2026, None, "26")
    half.half = 1
    half.save()
    rows = statuses(fifteenth, 2026, 3)
    urban = rows["urbanisation_rate"]
    assert urban.period == Period.whole_year(2025) and "earlier_period" in urban.progress.flags
    assert rows["air_quality_good_days"].period == Period(2026, "monthly", 9)
    assert rows["air_quality_good_days"].progress.value == D(97)
    assert "earlier_period" not in rows["air_quality_good_days"].progress.flags
    assert rows["high_tech_enterprises"].period == Period(2026, "half_yearly", 1)
    assert "earlier_period" in rows["high_tech_enterprises"].progress.flags


def test_a_monthly_value_through_the_api(fifteenth, client):
    """A clerk of 县统计局 enters September's figure of a monthly indicator; the progress API
    for the month shows it."""
    from indicators.models import Department
    from indicators.services.users import user_set_role

    department = Department.objects.get(region__code="441523", name="县统计局")
    clerk = user_set_role(username="tjj", role="clerk", department=department, password="pw-tjj")
    client.force_login(clerk)
    body = {
        "plan": SLUG, "indicator": "industrial_value_added_growth", "year": 2026, "month": 9,
        "value": "7.4", "source": "县统计局月报", "submit": True,
    }  # fmt: skip
    response = client.post("/api/v1/actuals/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["month"], response.json()["quarter"]) == (9, None)
    assert response.json()["period"] == "2026年9月"
    wrong = body | {"month": None, "quarter": 3}
    response = client.post("/api/v1/actuals/", wrong, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"quarter": ["该指标按月度填报：请填报月度数据或全年数据。"]}
    progress = client.get(
        f"/api/v1/plans/{SLUG}/progress/", {"year": 2026, "month": 9, "include_pending": 1}
    ).json()
    row = next(r for r in progress["indicators"] if r["code"] == "industrial_value_added_growth")
    assert row["period"] == {"year": 2026, "frequency": "monthly", "n": 9}
    assert row["value"] == "7.4" and "provisional" in row["flags"]


def test_a_card_names_the_period_of_an_earlier_figure(fifteenth, reviewer, client, analyst):
    approve(fifteenth, reviewer, "urbanisation_rate", 2025, None, "55.3")
    client.force_login(analyst)
    page = client.get(reverse("reports:overview", args=[SLUG]), {"year": 2026, "quarter": 3})
    card = page.content.decode().split('data-code="urbanisation_rate"')[1].split("</article>")[0]
    assert "<li>数据期：2025年（全年）</li>" in card


def test_the_loader_says_which_codes_it_made_up(plan, tmp_path):
    """A table row without 指标代码 gets one from its position, and load_plan says so."""
    from indicators.planbook import read_workbook, write_workbook

    raw, _where = read_workbook(WORKBOOK)
    raw["plan"]["slug"] = "no-codes"
    del raw["indicators"][2]["code"]
    path = tmp_path / "no-codes.xlsx"
    write_workbook(raw).save(path)
    out = StringIO()
    call_command("load_plan", str(path), stdout=out)
    assert "i03" in out.getvalue().splitlines()[-1]
    assert Plan.objects.get(slug="no-codes").indicators.filter(code="i03").exists()


def test_the_indicator_page_names_its_frequency_and_the_period_shown(fifteenth, client, analyst):
    client.force_login(analyst)
    page = client.get(
        reverse("reports:indicator", args=[SLUG, "urbanisation_rate"]), {"year": 2026, "quarter": 3}
    ).content.decode()
    assert '<dd class="frequency">年度 · 所示数据：2025年（全年）</dd>' in page


def test_the_example_demo_figures_show_the_forms_at_work(fifteenth):
    """seed_demo --plan luhe-15th-five-year: figures of every frequency, statuses by form."""
    call_command("seed_demo", "--plan", SLUG, stdout=StringIO())
    rows = statuses(fifteenth, 2026, 3)
    assert rows["air_quality_good_days"].period == Period(2026, "monthly", 9)
    assert rows["urban_unemployment_rate"].progress.holding is True
    assert rows["disposable_income_growth"].progress.status == "failed"  # 5.6 against 6.3
    assert rows["major_safety_accidents"].progress.status == "on_track"
    assert "baseline_missing" not in rows["major_safety_accidents"].progress.flags
    assert rows["urbanisation_rate"].period == Period.whole_year(2025)
    # The yearly average: 2026 Q3 year to date 6.3 against 年均增长6% → R = 6.3/6 = 1.05.
    assert rows["gdp_growth"].progress.ratio == D("1.05")


def test_every_page_answers_with_figures_of_every_frequency(fifteenth, client, analyst, reviewer):
    """With the example's demo figures (months, quarters, halves, a year): every page of the
    plan, the clerk's 我的填报 and entry pages of each frequency, and both exports answer."""
    from indicators.models import Department
    from indicators.services.users import user_set_role

    call_command("seed_demo", "--plan", SLUG, stdout=StringIO())
    client.force_login(analyst)
    pages = [
        reverse("reports:overview", args=[SLUG]),
        reverse("reports:departments", args=[SLUG]),
        reverse("indicators:indicator-table", args=[SLUG]),
        reverse("indicators:task-list", args=[SLUG]),
        reverse("indicators:plan-workbook", args=[SLUG]),
        reverse("reports:evaluation-csv", args=[SLUG, 2026]),
    ]
    pages += [
        reverse("reports:dimension", args=[SLUG, pk])
        for pk in fifteenth.dimensions.values_list("pk", flat=True)
    ]
    department = Department.objects.get(region__code="441523", name="县统计局")
    pages.append(reverse("reports:department", args=[SLUG, department.pk]))
    for url in pages:
        assert client.get(url, {"year": 2026, "quarter": 3}).status_code == 200, url
    client.force_login(reviewer)
    assert client.get(reverse("indicators:completeness", args=[SLUG])).status_code == 200
    clerk = user_set_role(username="tjj2", role="clerk", department=department, password="pw")
    client.force_login(clerk)
    mine = client.get(reverse("indicators:my-reporting")).content.decode()
    for code in ("2026-M10", "2026-Q3", "2025"):
        assert f"/{code}/" in mine, code
    for code, period in (
        ("industrial_value_added_growth", "2026-M10"),
        ("gdp", "2026-Q3"),
        ("urbanisation_rate", "2025"),
    ):
        url = reverse("indicators:entry", args=[SLUG, code, period])
        assert client.get(url).status_code == 200, url
    wrong = reverse("indicators:entry", args=[SLUG, "industrial_value_added_growth", "2026-Q3"])
    assert client.get(wrong).status_code == 404  # a monthly indicator has no quarters


def test_another_countys_table_loads_and_answers(plan, client, analyst, tmp_path):
    """The same table for 海丰县 (441521): its own departments in its own region, its pages."""
    from indicators.planbook import read_workbook, write_workbook
    from indicators.services.regions import RegionData, region_save

    region_save(data=RegionData("441521", "海丰县", "county", "441500"))
    raw, _where = read_workbook(WORKBOOK)
    raw["plan"].update(
        slug="haifeng-15th", region="441521", name="海丰县十五五主要指标（示例数据）"
    )
    path = tmp_path / "haifeng.xlsx"
    write_workbook(raw).save(path)
    call_command("load_plan", str(path), stdout=StringIO())
    haifeng = Plan.objects.get(slug="haifeng-15th")
    assert haifeng.region.code == "441521"
    assert set(
        haifeng.indicators.values_list("responsibilities__department__region__code", flat=True)
    ) == {"441521"}
    client.force_login(analyst)
    assert client.get(reverse("reports:overview", args=["haifeng-15th"])).status_code == 200
    page = client.get(reverse("indicators:indicator-table", args=["haifeng-15th"]))
    assert "年均增长6%" in page.content.decode()
