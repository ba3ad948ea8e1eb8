"""load_plan: idempotent, updates in place, never deletes actuals, explains a bad file."""

from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Actual, Indicator, Responsibility, Target, Task
from indicators.planfile import PlanFileError, read_plan_file
from indicators.services.errors import ServiceError
from indicators.services.plans import plan_load
from tests.conftest import PLAN_FILE


def snapshot():
    """Every row the loader writes, as plain tuples."""
    return {
        "indicators": list(Indicator.objects.order_by("pk").values_list()),
        "targets": list(Target.objects.order_by("pk").values_list()),
        "tasks": list(Task.objects.order_by("pk").values_list()),
        "responsibilities": list(Responsibility.objects.order_by("pk").values_list()),
    }


def edited_file(tmp_path, edit):
    raw = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_second_load_changes_nothing(plan):
    before = snapshot()
    out = StringIO()
    call_command("load_plan", str(PLAN_FILE), stdout=out)
    assert "新增 0 条，更新 0 条，删除 0 条" in out.getvalue()
    assert snapshot() == before


def test_edited_file_updates_in_place_and_keeps_actuals(plan, clerk_kgj, tmp_path):
    indicator = Indicator.objects.get(plan=plan, code="gross_output")
    actual = Actual.objects.create(
        indicator=indicator, year=2025, quarter=None, value=Decimal("31"),
        source="县统计局", created_by=clerk_kgj, updated_by=clerk_kgj,
    )  # fmt: skip

    def edit(raw):
        raw["indicators"][0]["baseline"] = 31
        # swap the first two rows: orders change in place despite the unique order constraint
        raw["indicators"][0], raw["indicators"][1] = raw["indicators"][1], raw["indicators"][0]

    call_command("load_plan", str(edited_file(tmp_path, edit)), stdout=StringIO())
    indicator.refresh_from_db()
    assert indicator.baseline == Decimal("31")
    assert indicator.order == 2
    assert Indicator.objects.get(plan=plan, code="gdp_share").order == 1
    assert Actual.objects.filter(pk=actual.pk).exists()


def test_dropping_an_indicator_with_actuals_is_refused(plan, clerk_kgj, tmp_path):
    indicator = Indicator.objects.get(plan=plan, code="gross_output")
    Actual.objects.create(
        indicator=indicator, year=2025, value=Decimal("31"), source="县统计局",
        created_by=clerk_kgj, updated_by=clerk_kgj,
    )  # fmt: skip
    path = edited_file(tmp_path, lambda raw: raw["indicators"].pop(0))
    with pytest.raises(ServiceError, match="reported values|仍被填报数据使用"):
        plan_load(data=read_plan_file(path))
    assert Indicator.objects.filter(plan=plan).count() == 30


def test_dropping_an_indicator_without_actuals_deletes_it(plan, tmp_path):
    path = edited_file(tmp_path, lambda raw: raw["indicators"].pop())
    _plan, report = plan_load(data=read_plan_file(path))
    assert report.deleted >= 1
    assert not Indicator.objects.filter(plan=plan, code="petition_growth").exists()


def test_problems_are_listed_in_chinese(tmp_path):
    def edit(raw):
        raw["indicators"][0]["kind"] = "wrong"
        raw["projects"][0]["tasks"][0]["lead"] = ["县不存在局"]

    with pytest.raises(PlanFileError) as info:
        read_plan_file(edited_file(tmp_path, edit))
    assert len(info.value.problems) == 2
    assert any("wrong" in p for p in info.value.problems)
    assert any("县不存在局" in p for p in info.value.problems)


def test_command_fails_with_a_clear_message(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("plan: [", encoding="utf-8")
    with pytest.raises(CommandError, match="YAML"):
        call_command("load_plan", str(path))
    with pytest.raises(CommandError):
        call_command("load_plan", str(tmp_path / "missing.yaml"))


def test_numbers_are_exact_decimals():
    data = read_plan_file(PLAN_FILE)
    income = next(i for i in data.indicators if i.code == "income_growth")
    assert income.baseline == Decimal("5.2")
    assert isinstance(income.baseline, Decimal)
