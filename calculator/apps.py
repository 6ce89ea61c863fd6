from django.apps import AppConfig, apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

# Saving or deleting any of these bumps the data stamp that invalidates every process's cached policy
# and catalogue (calculator/cache.py). Models not defined (yet) are skipped.
STAMPED_MODELS = (
    "calculator.PolicyEdition",
    "calculator.EducationPoints",
    "calculator.TierPoints",
    "calculator.BaseTierRule",
    "calculator.YearRate",
    "calculator.AwardPoints",
    "calculator.DeductionRule",
    "calculator.AverageWage",
    "calculator.Material",
    "calculator.PreflightCheck",
    "calculator.FilingStep",
    "catalogue.Certificate",
    "catalogue.Trade",
)


class CalculatorConfig(AppConfig):
    name = "calculator"
    verbose_name = "积分规则"

    def ready(self) -> None:
        from calculator import cache

        for label in STAMPED_MODELS:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            uid = f"jifen-stamp-{label}"
            post_save.connect(cache.data_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(cache.data_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(cache.data_changed, sender=through, dispatch_uid=f"{uid}-{field.name}")
        request_started.connect(cache.request_started, dispatch_uid="jifen-stamp-request-started")
        request_finished.connect(cache.request_finished, dispatch_uid="jifen-stamp-request-finished")
