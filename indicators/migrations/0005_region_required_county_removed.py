"""Plans and departments now belong to a region; the county names are gone, and a department's
name is unique within its region only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_regions_from_county_names")]

    operations = [
        migrations.RemoveConstraint(model_name="department", name="department_unique_name"),
        migrations.AlterField(
            model_name="plan",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="plans",
                to="indicators.region", verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="departments",
                to="indicators.region", verbose_name="region",
            ),
        ),
        # A default first, so that going back re-creates the columns on existing rows (0004's
        # reverse then fills them from the regions' names).
        migrations.AlterField(
            model_name="plan",
            name="county",
            field=models.CharField(default="", max_length=60, verbose_name="county"),
        ),
        migrations.AlterField(
            model_name="department",
            name="county",
            field=models.CharField(default="", max_length=60, verbose_name="county"),
        ),
        migrations.RemoveField(model_name="plan", name="county"),
        migrations.RemoveField(model_name="department", name="county"),
        migrations.AlterModelOptions(
            name="department",
            options={
                "ordering": ["region__code", "order", "id"],
                "verbose_name": "department",
                "verbose_name_plural": "departments",
            },
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(
                fields=("region", "name"), name="department_unique_name_in_region"
            ),
        ),
    ]
