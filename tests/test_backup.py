"""backup and restore: one archive holds the database (history included) and the attachments;
restoring it into an empty, migrated database gives back every row and file — on SQLite and on
PostgreSQL alike (the suite runs on both)."""

from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Actual, Indicator, Plan, Region, Target
from indicators.services.actuals import Entry, actual_approve, actual_create, actual_update
from tests.conftest import load_luhe_plan

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def snapshot():
    """The rows a county cares about, as plain values (history included)."""
    return {
        "plans": list(Plan.objects.order_by("slug").values_list("slug", "name", "region__code")),
        "targets": Target.objects.count(),
        "actuals": list(
            Actual.objects.order_by("indicator__code", "year", "quarter").values_list(
                "indicator__code",
                "year",
                "quarter",
                "value",
                "approved_value",
                "state",
                "created_by__username",
                "approved_by__username",
                "attachment",
            )
        ),  # fmt: skip
        "history": list(
            Actual.history.order_by("history_date").values_list(
                "indicator__code",
                "value",
                "state",
                "history_user__username",
                "history_change_reason",
            )
        ),  # fmt: skip
        "users": list(get_user_model().objects.order_by("username").values_list("username")),
    }


@pytest.fixture
def county(settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_luhe_plan()
    from tests.conftest import _user

    clerk = _user("clerk_kgj", "clerk", "县科工局")
    reviewer = _user("reviewer", "reviewer")
    indicator = Indicator.objects.get(plan__slug="luhe-garment", code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=2, value=D(3), source="县统计局快报")
    actual = actual_create(
        user=clerk, indicator=indicator, entry=entry, submit=True,
        attachment=ContentFile(PDF, name="统计快报.pdf"),
    )  # fmt: skip
    actual_approve(user=reviewer, actual=actual)
    actual.refresh_from_db()
    corrected = Entry(year=2026, quarter=2, value=D(4), source="县统计局年报")
    actual_update(user=clerk, actual=actual, entry=corrected, version=actual.version, reason="更正")
    return tmp_path


def test_a_backup_restores_every_row_and_attachment(county):
    before = snapshot()
    files = sorted(p.name for p in (county / "media").rglob("*") if p.is_file())
    out = StringIO()
    call_command("backup", "--out", str(county / "backups"), stdout=out)
    archive = Path(out.getvalue().split("：", 1)[-1].strip())
    assert archive.exists() and archive.suffixes[-2:] == [".tar", ".gz"]

    call_command("flush", interactive=False, verbosity=0)
    for path in (county / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Plan.objects.exists()

    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert snapshot() == before
    assert sorted(p.name for p in (county / "media").rglob("*") if p.is_file()) == files
    assert Region.objects.get(code="441523").name == "陆河县"
    assert "已恢复" in out.getvalue()


def test_restore_refuses_a_database_that_is_not_empty(county):
    out = StringIO()
    call_command("backup", "--out", str(county / "backups"), stdout=out)
    archive = out.getvalue().split("：", 1)[-1].strip()
    before = snapshot()
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", archive)
    assert snapshot() == before


def test_restore_refuses_a_file_that_is_not_a_backup(county, tmp_path):
    call_command("flush", interactive=False, verbosity=0)
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="无法读取备份"):
        call_command("restore", str(bogus))
