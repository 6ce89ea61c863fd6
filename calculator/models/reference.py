"""Which reference rows (fixtures/*.json) this database has already received."""

from django.db import models

LEGACY = ""  # the key of a model's marker row: loaded before these records were kept (see load_reference)


class LoadedReference(models.Model):
    """One fixture row, by its model and natural key, inserted (or found present) once in this database.
    A row staff later rename, edit or delete is therefore never inserted again."""

    model = models.CharField("模型", max_length=100)
    key = models.CharField("自然键", max_length=400)
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    class Meta:
        verbose_name = "已载入的参考数据"
        verbose_name_plural = "已载入的参考数据"
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="loaded_reference_unique_model_key")]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"
