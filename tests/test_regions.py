"""Regions as a county official adds them (add_region, load_regions), plan files naming their
region, and the migration that carried the county names over (domain.md §8)."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from indicators.models import Department, Plan, Region
from tests.conftest import PLAN_FILE


def run(*args) -> str:
    out = StringIO()
    with translation.override("zh-hans"):
        call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with translation.override("zh-hans"), pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO())
    return str(error.value)


# --- add_region -------------------------------------------------------------------------------


def test_add_region_creates_a_chain_and_a_second_run_changes_nothing(db):
    assert "已保存" in run("add_region", "610000", "陕西省", "--level", "province")
    run("add_region", "610900", "安康市", "--level", "city", "--parent", "610000")
    run("add_region", "610921", "汉阴县", "--level", "county", "--parent", "610900")
    hanyin = Region.objects.get(code="610921")
    assert (hanyin.name, hanyin.level, hanyin.parent.code, hanyin.parent.parent.code) == (
        "汉阴县", "county", "610900", "610000",
    )  # fmt: skip
    assert "无变化" in run(
        "add_region", "610921", "汉阴县", "--level", "county", "--parent", "610900"
    )
    assert Region.objects.filter(code__startswith="61").count() == 3


def test_add_region_renames_in_place(db):
    run("add_region", "610000", "陕西", "--level", "province")
    run("add_region", "610000", "陕西省", "--level", "province")
    assert Region.objects.get(code="610000").name == "陕西省"


@pytest.mark.parametrize(
    ("args", "message"),
    [  # fmt: skip
        (("610921", "汉阴县", "--level", "county", "--parent", "610900"), "上级区划 610900 未登记"),
        (
            ("441522", "某县", "--level", "county", "--parent", "441523"),
            "县级区划（441522）不能隶属于县级",
        ),
        (("441523100", "某镇", "--level", "town", "--parent", "440000"), "不能隶属于省级"),
        (("44152", "某县", "--level", "county", "--parent", "441500"), "必须恰好是 6 位数字"),
        (
            ("４４１５２２", "某县", "--level", "county", "--parent", "441500"),
            "必须恰好是 6 位数字",
        ),
        (("451600", "某市", "--level", "city", "--parent", "440000"), "其代码必须以 44 开头"),
        (("441522", "某县", "--level", "county"), "需要上级区划"),
        (("441523", "陆河县", "--level", "city", "--parent", "440000"), "市级区划代码 441523"),
    ],
)
def test_add_region_refuses_in_chinese_and_changes_nothing(plan, args, message):
    before = list(Region.objects.order_by("pk").values_list())
    assert message in refused("add_region", *args)
    assert list(Region.objects.order_by("pk").values_list()) == before


# --- load_regions -----------------------------------------------------------------------------


def csv_file(tmp_path, text: str):
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_regions_reads_the_list_and_a_second_load_changes_nothing(db, tmp_path):
    path = csv_file(
        tmp_path,
        "代码,名称,级别,上级代码\n610000,陕西省,省,\n610900,安康市,市,610000\n"
        "610921,汉阴县,县,610900\n610921101,城关镇,乡镇,610921\n",
    )
    assert "读取行政区划 4 个，新增或修改 4 个" in run("load_regions", str(path))
    assert "读取行政区划 4 个，新增或修改 0 个" in run("load_regions", str(path))
    assert Region.objects.get(code="610921101").parent.code == "610921"


def test_one_bad_row_loads_nothing(db, tmp_path):
    path = csv_file(
        tmp_path,
        "代码,名称,级别,上级代码\n610000,陕西省,省,\n610900,安康市,市,610000\n"
        "610921,汉阴县,县,441500\n",
    )
    message = refused("load_regions", str(path))
    assert "第 4 行（610921）" in message
    assert not Region.objects.filter(code__startswith="61").exists()


def test_an_unknown_level_is_named_by_its_line(db, tmp_path):
    path = csv_file(tmp_path, "代码,名称,级别,上级代码\n610000,陕西省,自治区,\n")
    assert "第 2 行：未知的级别“自治区”" in refused("load_regions", str(path))


def test_a_list_in_another_encoding_is_refused(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_bytes("代码,名称,级别,上级代码\n610000,陕西省,省,\n".encode("gbk"))
    assert "不是 UTF-8 编码的 CSV 文件" in refused("load_regions", str(path))


def test_a_list_without_its_columns_is_refused(db, tmp_path):
    path = csv_file(tmp_path, "code,name\n610000,陕西省\n")
    assert "缺少列：代码、名称、级别、上级代码" in refused("load_regions", str(path))


# --- plan files name their region --------------------------------------------------------------


def plan_file(tmp_path, **head):
    raw = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    raw["plan"].update(head)
    raw["plan"] = {k: v for k, v in raw["plan"].items() if v is not None}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_the_plan_and_its_departments_belong_to_the_named_region(plan):
    assert plan.region.code == "441523"
    assert set(Department.objects.filter(region=plan.region).values_list("name", flat=True)) >= {
        "县科工局",
        "县人社局",
    }


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ({"region": "610921", "slug": "hanyin"}, "未登记的行政区划 610921"),
        ({"region": None, "county": "陆河县", "slug": "old"}, "“county”已改为“region”"),
        ({"region": "441523100", "slug": "town"}, "region 必须是六位行政区划代码"),
        ({"region": "４４１５２３", "slug": "wide"}, "region 必须是六位行政区划代码"),
    ],
)
def test_a_plan_file_with_a_bad_region_loads_nothing(plan, tmp_path, head, message):
    before = Plan.objects.count()
    assert message in refused("load_plan", str(plan_file(tmp_path, **head)))
    assert Plan.objects.count() == before


def test_a_plan_never_moves_to_another_region(plan, tmp_path):
    run("add_region", "441521", "海丰县", "--level", "county", "--parent", "441500")
    message = refused("load_plan", str(plan_file(tmp_path, region="441521")))
    assert "规划“luhe-garment”属于陆河县（441523），不属于海丰县（441521）" in message
    assert Plan.objects.get(slug="luhe-garment").region.code == "441523"


# --- the migration of today's rows ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_luhe_its_regions():
    """Rows from before regions (a plan and a department of 陆河县, a clerk) are carried over
    to 广东省 440000 › 汕尾市 441500 › 陆河县 441523, the clerk scoped to the department's."""
    executor = MigrationExecutor(connection)
    before = [("indicators", "0002_actual_history_and_value_in_force")]
    after = [("indicators", "0005_region_required_county_removed")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    plan = old.get_model("indicators", "Plan").objects.create(
        name="规划", slug="old", county="陆河县", baseline_year=2025, milestone_years=[2028]
    )
    department = old.get_model("indicators", "Department").objects.create(
        county="陆河县", name="县档案馆", kind="bureau"
    )
    user = old.get_model("auth", "User").objects.create(username="old-clerk")
    old.get_model("indicators", "Profile").objects.create(user=user, department=department)

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    region = new.get_model("indicators", "Region")
    luhe = region.objects.get(code="441523")
    assert (luhe.name, luhe.parent.code, luhe.parent.parent.code) == ("陆河县", "441500", "440000")
    assert new.get_model("indicators", "Plan").objects.get(pk=plan.pk).region_id == luhe.pk
    assert (
        new.get_model("indicators", "Department").objects.get(pk=department.pk).region_id == luhe.pk
    )
    assert new.get_model("indicators", "Profile").objects.get(user_id=user.pk).region_id == luhe.pk
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
