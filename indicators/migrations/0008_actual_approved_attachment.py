"""A correction keeps its own attachment until it is approved: the attachment of the figure in
force gets its own field. A value already in force takes the attachment it had when it was last
approved (its history says), or its current one when its history does not say."""

from django.db import migrations, models
from django.db.models import Q

import indicators.models


def attachments_in_force(apps, schema_editor):
    Actual = apps.get_model("indicators", "Actual")
    History = apps.get_model("indicators", "HistoricalActual")
    in_force = Q(approved_value__isnull=False) | Q(approved_stage__isnull=False)
    for pk, current in Actual.objects.filter(in_force).values_list("pk", "attachment"):
        approval = (
            History.objects.filter(id=pk, state="approved")
            .order_by("-history_date", "-history_id")
            .values_list("attachment", flat=True)
            .first()
        )
        name = current if approval is None else approval
        if name:
            Actual.objects.filter(pk=pk).update(approved_attachment=name)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_actual_month_and_half"),
    ]

    operations = [
        migrations.AddField(
            model_name="actual",
            name="approved_attachment",
            field=models.FileField(
                blank=True,
                max_length=300,
                upload_to=indicators.models.attachment_path,
                verbose_name="attachment in force",
            ),
        ),
        migrations.AddField(
            model_name="historicalactual",
            name="approved_attachment",
            field=models.TextField(blank=True, max_length=300, verbose_name="attachment in force"),
        ),
        migrations.RunPython(attachments_in_force, migrations.RunPython.noop),
    ]
