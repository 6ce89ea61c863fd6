"""The 规则维护 staff group: may add, change and view policy editions (with their point tables) and the
average wages, for the yearly update without a superuser; it deletes nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "规则维护"
MODELS = (
    "policyedition",
    "educationpoints",
    "tierpoints",
    "basetierrule",
    "yearrate",
    "awardpoints",
    "deductionrule",
    "averagewage",
)
ACTIONS = ("add", "change", "view")


def create_group(apps, schema_editor) -> None:
    # Permissions are normally created after all migrations ran (post_migrate); create them now.
    app_config = apps.get_app_config("calculator")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="calculator", codename__in=codenames))


def remove_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calculator", "0003_policy_facts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
