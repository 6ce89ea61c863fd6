"""Catalogue rows loaded from fixtures (raw saves, which django-simple-history skips) get their current
values as a first version, so that the first staff edit's history shows old → new."""

from django.db import migrations
from django.utils import timezone


def first_history(apps, schema_editor) -> None:
    now = timezone.now()
    for name in ("Certificate", "Trade"):
        model = apps.get_model("catalogue", name)
        historical = apps.get_model("catalogue", f"Historical{name}")
        names = [field.attname for field in historical._meta.concrete_fields if field.attname in
                 {f.attname for f in model._meta.concrete_fields}]
        recorded = set(historical.objects.values_list("id", flat=True))
        historical.objects.bulk_create(
            historical(
                **{attname: getattr(row, attname) for attname in names},
                history_date=now,
                history_type="+",
                history_change_reason="升级时补记的初始版本",
            )
            for row in model.objects.exclude(pk__in=recorded)
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_tier_labels")]

    operations = [migrations.RunPython(first_history, migrations.RunPython.noop)]
