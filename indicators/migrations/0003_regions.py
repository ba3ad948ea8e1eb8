"""Regions (domain.md §8): the Region table and a nullable region on plans, departments and
users' profiles; 0004 fills them from the old county names, 0005 makes them required."""

import django.db.models.deletion
from django.db import migrations, models

LEVELS = [("province", "province"), ("city", "city"), ("county", "county"), ("town", "town")]


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_actual_history_and_value_in_force")]

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=9, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("level", models.CharField(choices=LEVELS, max_length=10, verbose_name="level")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="children", to="indicators.region", verbose_name="parent region",
                    ),
                ),
            ],
            options={
                "verbose_name": "region",
                "verbose_name_plural": "regions",
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(level__in=["province", "city", "county", "town"]),
                        name="region_level_valid",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="plan",
            name="region",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="plans",
                to="indicators.region", verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="department",
            name="region",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="departments",
                to="indicators.region", verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="region",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="users", to="indicators.region", verbose_name="scope region",
                help_text="empty: the whole platform",
            ),
        ),
    ]
