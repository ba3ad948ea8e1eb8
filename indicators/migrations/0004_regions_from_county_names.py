"""Carry today's rows over to regions: each plan's and department's county name becomes the
region of that name. Only 陆河县 existed before regions; its chain (广东省 440000 › 汕尾市
441500 › 陆河县 441523, GB/T 2260) is created here. Any other county name has no code we could
know, so the migration stops and says what to do rather than invent one. A clerk's scope is
their department's region; other users keep the whole platform, as they had."""

from django.db import migrations

KNOWN = {
    "陆河县": [
        ("440000", "广东省", "province"),
        ("441500", "汕尾市", "city"),
        ("441523", "陆河县", "county"),
    ],
}


def _chain(Region, county: str):
    if county not in KNOWN:
        raise RuntimeError(
            f"行政区划：县“{county}”没有已知的行政区划代码。请先删除该县的规划和单位，"
            f"或在本迁移的 KNOWN 中补上它的代码后再迁移。"
        )
    parent = None
    for code, name, level in KNOWN[county]:
        parent, _created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
    return parent


def forward(apps, schema_editor):
    Region = apps.get_model("indicators", "Region")
    Plan = apps.get_model("indicators", "Plan")
    Department = apps.get_model("indicators", "Department")
    Profile = apps.get_model("indicators", "Profile")
    for model in (Plan, Department):
        for county in model.objects.values_list("county", flat=True).distinct():
            model.objects.filter(county=county).update(region=_chain(Region, county))
    for profile in Profile.objects.filter(department__isnull=False).select_related("department"):
        profile.region_id = profile.department.region_id
        profile.save(update_fields=["region"])


def backward(apps, schema_editor):
    Plan = apps.get_model("indicators", "Plan")
    Department = apps.get_model("indicators", "Department")
    for model in (Plan, Department):
        for row in model.objects.select_related("region"):
            row.county = row.region.name
            row.save(update_fields=["county"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_regions")]

    operations = [migrations.RunPython(forward, backward)]
