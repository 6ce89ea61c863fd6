"""The 目录维护 staff group: may add, change and view catalogue entries and their history, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "目录维护"
MODELS = ("certificate", "trade", "historicalcertificate", "historicaltrade")
ACTIONS = ("add", "change", "view")


def create_group(apps, schema_editor) -> None:
    # Permissions are normally created after all migrations ran (post_migrate); create them now.
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames))


def remove_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
