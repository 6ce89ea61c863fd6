"""The stamp that tells every process its cached policy and catalogue are stale."""

from django.db import models


class DataVersion(models.Model):
    """One row; `version` goes up on every save or delete of policy or catalogue data."""

    version = models.BigIntegerField("数据版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"数据版本 {self.version}"
