"""History reasons are text (settings.SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD): a
reason or a reviewer's comment longer than 100 characters must not fail on PostgreSQL."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_actual_approved_attachment"),
    ]

    operations = [
        migrations.AlterField(
            model_name=name,
            name="history_change_reason",
            field=models.TextField(null=True),
        )
        for name in ("historicalactual", "historicalassignment", "historicaljudgement")
    ]
