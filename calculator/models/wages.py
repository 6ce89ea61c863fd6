"""本市上年度职工社会平均工资: the average wage of each contribution year (not per edition)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from calculator.models.edition import POSITIVE_AMOUNT


def first_of_month(day: date | None) -> date | None:
    """A month is stored as its first day: any day entered in the admin means its whole month."""
    return day.replace(day=1) if day else day


def month_text(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


class AverageWageManager(models.Manager["AverageWage"]):
    def get_by_natural_key(self, start: date | str) -> AverageWage:
        return self.get(start=start)


class AverageWage(models.Model):
    """本市上年度职工社会平均工资 in force for the contribution months start..end (both inclusive)."""

    start = models.DateField("起始月份", help_text="填该月任意一天均可，保存为当月 1 日。")
    end = models.DateField("结束月份（含）", help_text="填该月任意一天均可，保存为当月 1 日；该月包括在内。")
    average = models.PositiveIntegerField("月平均工资（元）", validators=[POSITIVE_AMOUNT])
    ceiling = models.PositiveIntegerField("缴费基数上限（元）", validators=[POSITIVE_AMOUNT])
    floor = models.PositiveIntegerField("缴费基数下限（元）", validators=[POSITIVE_AMOUNT])
    confidence = models.CharField("可信度", max_length=200, blank=True, help_text="例如：两个来源一致")
    source = models.TextField("来源", blank=True)

    history = HistoricalRecords()

    objects = AverageWageManager()

    class Meta:
        verbose_name = "社会平均工资"
        verbose_name_plural = "社会平均工资"
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["start"],
                name="average_wage_start_unique",
                violation_error_message="已有一个从该月开始的平均工资期间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}：{self.average} 元"

    def save(self, *args, **kwargs) -> None:
        self.start = first_of_month(self.start)
        self.end = first_of_month(self.end)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[date]:
        return (self.start,)

    @property
    def period(self) -> str:
        if self.start is None or self.end is None:
            return "—"
        return f"{month_text(self.start)} 至 {month_text(self.end)}"

    def clean(self) -> None:
        self.start = first_of_month(self.start)
        self.end = first_of_month(self.end)
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "结束月份不能早于起始月份。"
        if self.average and self.ceiling and self.ceiling < self.average:
            errors["ceiling"] = "缴费基数上限不能低于月平均工资。"
        if self.average and self.floor and self.floor > self.average:
            errors["floor"] = "缴费基数下限不能高于月平均工资。"
        if self.start and self.end and "end" not in errors:
            overlapping = (
                AverageWage.objects.filter(start__lte=self.end, end__gte=self.start).exclude(pk=self.pk).first()
            )
            if overlapping is not None:
                errors["start"] = f"与已有期间 {overlapping.period} 重叠，各期间不能重叠。"
        if errors:
            raise ValidationError(errors)
