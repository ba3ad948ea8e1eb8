"""python manage.py export_evaluation: writes the workbook or its CSV; refuses bad arguments in
Chinese with a non-zero exit status, and then writes nothing."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.services.demo import demo_seed
from reports.management.commands.export_evaluation import Command


def export(*args):
    out = StringIO()
    call_command("export_evaluation", *args, stdout=out)
    return out.getvalue()


def test_writes_the_workbook(plan, tmp_path):
    demo_seed(plan=plan)
    target = tmp_path / "评估表.xlsx"
    out = export("--plan", "luhe-garment", "--year", "2026", "--quarter", "3", "--out", str(target))
    assert out.strip() == f"已写入 {target}：30项指标，2026年第3季度。"
    wb = load_workbook(io.BytesIO(target.read_bytes()))
    assert wb.sheetnames[0] == "指标完成情况"
    assert wb["指标完成情况"]["F1"].value == "2026年第3季度实际值"
    assert wb["指标完成情况"]["F2"].value == 26.4
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_writes_the_csv_and_as_of(plan, tmp_path):
    demo_seed(plan=plan)
    target = tmp_path / "评估表.csv"
    export("--plan", "luhe-garment", "--year", "2026", "--as-of", "2026-11-23", "--out",
           str(target))  # fmt: skip
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0].startswith("指标维度,指标名称,2025年基期")


def test_overwrites_an_earlier_export(plan, tmp_path):
    target = tmp_path / "e.xlsx"
    target.write_bytes(b"old")
    export("--plan", "luhe-garment", "--year", "2026", "--out", str(target))
    assert load_workbook(io.BytesIO(target.read_bytes())).sheetnames[-1] == "评估摘要"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2026"], "请提供 --plan, --out 参数"),
        (["--plan", "nope", "--year", "2026"], "未找到规划“nope”（已导入：luhe-garment）。"),
        (["--plan", "luhe-garment", "--year", "2024"], "请选择2025年至2035年之间的年份。"),
        (["--plan", "luhe-garment", "--year", "二〇二六"], "年份须为数字，例如 2026。"),
        (
            ["--plan", "luhe-garment", "--year", "2026", "--quarter", "5"],
            "季度须为 1 至 4，全年数值请用 0。",
        ),
        (["--plan", "luhe-garment", "--year", "2026", "--as-of", "2026/10/20"], "截至日期请写作"),
        (["--plan", "luhe-garment", "--year", "2026", "--as-of", "2027-01-01"], "不能晚于今天"),
    ],
)
def test_refuses_bad_arguments(plan, tmp_path, args, message):
    target = tmp_path / "e.xlsx"
    out_args = [] if args == ["--year", "2026"] else ["--out", str(target)]
    with pytest.raises(CommandError, match=message):
        export(*args, *out_args)
    assert not target.exists()


def test_refuses_a_bad_output_file(plan, tmp_path):
    base = ["--plan", "luhe-garment", "--year", "2026", "--out"]
    with pytest.raises(CommandError, match=r"输出文件须以 \.xlsx 或 \.csv 结尾。"):
        export(*base, str(tmp_path / "e.txt"))
    with pytest.raises(CommandError, match="文件夹 .* 不存在。"):
        export(*base, str(tmp_path / "missing" / "e.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_exit_status_is_not_zero(plan, tmp_path, capsys):
    """Run as from the shell: a refusal prints the reason and exits with status 1."""
    argv = ["manage.py", "export_evaluation", "--plan", "nope", "--year", "2026", "--out",
            str(tmp_path / "e.xlsx")]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(argv)
    assert exit_info.value.code == 1
    assert "未找到规划“nope”" in capsys.readouterr().err
