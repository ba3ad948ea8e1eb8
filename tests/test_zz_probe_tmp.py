from io import StringIO
from pathlib import Path

from django.core.management import call_command

from indicators.models import Plan
from indicators.planbook import write_workbook
from indicators.planfile import check_plan
from indicators.selectors.planbook import plan_raw
from tests.test_load_plan import snapshot

FIX = Path("/work/main/fixtures")


def test_probe(plan, tmp_path):
    call_command("load_plan", str(FIX / "luhe-15th-five-year-2026-2030.xlsx"), stdout=StringIO())
    for slug in ("luhe-garment", "luhe-15th-five-year"):
        p = Plan.objects.get(slug=slug)
        raw = plan_raw(p)
        check_plan(raw, {})
        out = tmp_path / f"{slug}.xlsx"
        write_workbook(raw).save(out)
        before = snapshot()
        s = StringIO()
        call_command("load_plan", str(out), stdout=s)
        print(slug, s.getvalue())
        after = snapshot()
        for k in before:
            for a, b in zip(before[k], after[k]):
                if a != b:
                    print(k, a, b, sep="\n  ")
