"""Writes of regions (domain.md §8): create or update one by its code, checked by the pure rules
of `indicators.domain.regions`, and a whole list in one transaction."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from indicators.domain import regions
from indicators.models import Region
from indicators.services.errors import ServiceError

# The columns of a region list (load_regions), by their printed header.
COLUMNS = ("代码", "名称", "级别", "上级代码")
LEVEL_WORDS = {"省": "province", "市": "city", "县": "county", "乡镇": "town"}


@dataclass(frozen=True)
class RegionData:
    code: str
    name: str
    level: str
    parent: str | None = None


def _parent(data: RegionData) -> Region | None:
    if not data.parent:
        return None
    parent = Region.objects.filter(code=data.parent).first()
    if parent is None:
        raise ServiceError(
            _("Unknown parent region %(parent)s for %(code)s: add the parent first.")
            % {"parent": data.parent, "code": data.code}
        )
    return parent


def _check(data: RegionData, parent: Region | None) -> None:
    messages = regions.check_region(
        data.code, data.level, parent.code if parent else None, parent.level if parent else None
    )
    name = data.name.strip()
    if not name or len(name) > Region._meta.get_field("name").max_length:
        messages.append(
            _("The name of region %(code)s must be 1 to 60 characters.") % {"code": data.code}
        )
    if messages:
        raise ServiceError(" ".join(messages))


@transaction.atomic
def region_save(*, data: RegionData) -> tuple[Region, bool]:
    """Create or update the region with this code; returns it and whether anything changed.
    (A code keeps its level: the code's shape fixes it, domain/regions.py.)"""
    parent = _parent(data)
    _check(data, parent)
    region = Region.objects.filter(code=data.code).first()
    values = {"name": data.name.strip(), "level": data.level, "parent": parent}
    if region is None:
        return Region.objects.create(code=data.code, **values), True
    changed = [k for k, v in values.items() if getattr(region, k) != v]
    for key in changed:
        setattr(region, key, values[key])
    if changed:
        region.save(update_fields=changed)
    return region, bool(changed)


def read_region_list(path: str | Path) -> list[RegionData]:
    """A region list: a UTF-8 CSV with the headers 代码, 名称, 级别 (省/市/县/乡镇) and 上级代码,
    parents before children. Every bad row is reported at once, with its line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ServiceError(
            _("The region list is not a UTF-8 CSV file: %(error)s") % {"error": exc}
        ) from exc
    missing = [h for h in COLUMNS if rows and h not in rows[0]]
    if missing:
        raise ServiceError(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
    result, errors = [], []
    for line, row in enumerate(rows, start=2):
        level = LEVEL_WORDS.get((row["级别"] or "").strip())
        if level is None:
            errors.append(
                _("Line %(line)d: unknown level “%(level)s” (省, 市, 县 or 乡镇).")
                % {"line": line, "level": row["级别"]}
            )
            continue
        code, parent = (row["代码"] or "").strip(), (row["上级代码"] or "").strip() or None
        result.append(RegionData(code, (row["名称"] or "").strip(), level, parent))
    if errors:
        raise ServiceError("\n".join(errors))
    return result


@transaction.atomic
def regions_load(*, items: list[RegionData]) -> tuple[int, int]:
    """Save every region of a list (read by `read_region_list`: item n is the file's line
    n + 1, after the header), all or nothing; returns (saved, changed)."""
    changed = 0
    for line, data in enumerate(items, start=2):
        try:
            changed += region_save(data=data)[1]
        except ServiceError as exc:
            raise ServiceError(
                _("Line %(line)d (%(code)s): %(error)s")
                % {"line": line, "code": data.code, "error": exc}
            ) from exc
    return len(items), changed
