"""An edition of 《上海市居住证积分管理办法》 with every number of RULES.md, and its tables (admin inlines).
calculator/policy.py turns these rows into a scoring.Policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from calculator import labels
from calculator.scoring import decimal_text

POSITIVE_MULTIPLE = MinValueValidator(Decimal("0.01"), message="倍数必须大于 0。")
NEGATIVE_POINTS = MaxValueValidator(-1, message="减分分值必须为负数，例如每次扣 10 分填 -10。")
POSITIVE_AMOUNT = MinValueValidator(1, message="金额必须为正数（元）。")


class PolicyEditionManager(models.Manager["PolicyEdition"]):
    def get_by_natural_key(self, effective_from: date | str) -> PolicyEdition:
        return self.get(effective_from=effective_from)


class PolicyEdition(models.Model):
    """One edition of the 积分管理办法; the one in force on a date is the latest effective on or before it."""

    name = models.CharField("名称", max_length=100, help_text="例如《上海市居住证积分管理办法》")
    document = models.CharField("文号", max_length=50, blank=True, help_text="例如 沪府发〔2017〕98号")
    effective_from = models.DateField("生效日期", help_text="评估日在此日期及以后、且没有更晚生效的版本时适用。")
    written_until = models.DateField(
        "原文写明的有效期至",
        null=True,
        blank=True,
        help_text="留空表示原文未写有效期。过了这一天仍没有更晚生效的版本时，规则页说明本站沿用本版本计算。",
    )
    threshold = models.PositiveSmallIntegerField("标准分值")

    age_min = models.PositiveSmallIntegerField("最低年龄（周岁）")
    age_base_from = models.PositiveSmallIntegerField("基础分起始年龄")
    age_max = models.PositiveSmallIntegerField("最高年龄（周岁）", help_text="超过此年龄不符合申请条件。")
    age_base_points = models.PositiveSmallIntegerField("年龄基础分")
    age_per_year = models.PositiveSmallIntegerField("每年轻 1 岁加分")
    age_cap = models.PositiveSmallIntegerField("年龄最高分")

    base_test_multiple = models.DecimalField(
        "职称/技能基数条件：倍数",
        max_digits=4,
        decimal_places=2,
        validators=[POSITIVE_MULTIPLE],
        help_text="勾选“须满足社保基数条件”的档次：社保缴费基数 ≥ 此倍数 × 当月社会平均工资。",
    )
    base_test_window = models.PositiveSmallIntegerField("职称/技能基数条件：统计月数")
    base_test_months = models.PositiveSmallIntegerField("职称/技能基数条件：须达到的月数")

    si_points_per_year = models.PositiveSmallIntegerField("社保年限：每满 1 年（12 个月）加分")
    si_min_years = models.PositiveSmallIntegerField("社保年限：满几年起计")
    si_cap = models.PositiveSmallIntegerField("社保年限：最高分", null=True, blank=True, help_text="留空表示不封顶。")

    shortage_major_points = models.PositiveSmallIntegerField("紧缺急需专业加分")
    investment_tax_step = models.PositiveIntegerField(
        "投资纳税：每满多少元", validators=[POSITIVE_AMOUNT], help_text="年均纳税额，单位：元。"
    )
    investment_hires_step = models.PositiveSmallIntegerField(
        "带动就业：每满多少人", validators=[MinValueValidator(1, message="人数必须为正数。")]
    )
    investment_points_per_step = models.PositiveSmallIntegerField("投资纳税/带动就业：每档加分")
    investment_cap = models.PositiveSmallIntegerField("投资纳税/带动就业：最高分")
    investment_years = models.PositiveSmallIntegerField(
        "投资纳税/带动就业：统计最近几年", validators=[MinValueValidator(1, message="年限必须为正数。")]
    )
    fresh_graduate_points = models.PositiveSmallIntegerField("应届高校毕业生加分")
    fresh_graduate_months = models.PositiveSmallIntegerField(
        "应届生身份保留月数（推算用）",
        validators=[MinValueValidator(1, message="月数必须为正数。")],
        help_text="“如果保持现状”的推算中，应届高校毕业生加分在今后多少个月内计入。",
    )
    talent_points = models.PositiveSmallIntegerField("创业人才/创新创业中介服务人才加分")

    eligibility_months = models.PositiveSmallIntegerField("申请条件：社保月数")
    eligibility_window = models.PositiveSmallIntegerField("申请条件：统计最近几个月")

    history = HistoricalRecords()

    objects = PolicyEditionManager()

    class Meta:
        verbose_name = "积分办法版本"
        verbose_name_plural = "积分办法版本"
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                name="policy_edition_effective_from_unique",
                violation_error_message="已有一个同一天生效的版本，生效日期不能重复。",
            ),
        ]

    def __str__(self) -> str:
        title = f"{self.name} {self.document}" if self.document else self.name
        return f"{title}（{self.effective_from} 起施行）"

    def natural_key(self) -> tuple[date]:
        return (self.effective_from,)

    def copy(self, effective_from: date, **changes: object) -> PolicyEdition:
        """A new edition with this one's numbers and every table, effective from another date."""
        tables = (self.education_points, self.tier_points, self.base_tiers, self.year_rates, self.award_points)
        rows = [row for table in (*tables, self.deductions) for row in table.all()]
        edition = PolicyEdition.objects.get(pk=self.pk)
        edition.pk = None
        edition.effective_from = effective_from
        edition.written_until = None  # the new text states its own, if any
        for name, value in changes.items():
            setattr(edition, name, value)
        edition.save()
        for row in rows:
            row.pk = None
            row.edition = edition
            row.save()
        return edition

    def clean(self) -> None:
        if None in (self.age_min, self.age_base_from, self.age_max, self.age_base_points, self.age_cap):
            return  # a required number is missing: the field itself says so
        errors = {}
        if not self.age_min <= self.age_base_from <= self.age_max:
            errors["age_base_from"] = "基础分起始年龄须在最低年龄与最高年龄之间。"
        if self.age_base_points > self.age_cap:
            errors["age_cap"] = "年龄最高分不能低于年龄基础分。"
        if (self.base_test_months or 0) > (self.base_test_window or 0):
            errors["base_test_months"] = "须达到的月数不能多于统计月数。"
        if (self.eligibility_months or 0) > (self.eligibility_window or 0):
            errors["eligibility_months"] = "申请条件的社保月数不能多于统计月数。"
        if errors:
            raise ValidationError(errors)


class EditionChildManager(models.Manager):
    key = "code"

    def get_by_natural_key(self, effective_from: date | str, key: str | int) -> models.Model:
        return self.get(edition__effective_from=effective_from, **{self.key: key})


class EditionChild(models.Model):
    """A row of one edition's table (`edition` and `code` are declared by each table)."""

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return (*self.edition.natural_key(), self.code)

    natural_key.dependencies = ["calculator.policyedition"]


Education = models.TextChoices("Education", labels.choice_members(labels.EDUCATION), module=__name__)


class EducationPoints(EditionChild):
    """第六条(二) 教育背景: points per highest degree."""

    edition = models.ForeignKey(
        PolicyEdition, on_delete=models.CASCADE, related_name="education_points", verbose_name="版本"
    )
    code = models.CharField("学历", max_length=20, choices=Education.choices)
    points = models.PositiveSmallIntegerField("分值")

    objects = EditionChildManager()

    class Meta:
        verbose_name = "教育背景分值"
        verbose_name_plural = "教育背景分值"
        ordering = ["edition", "points"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="education_points_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}：{self.points} 分"


Tier = models.TextChoices("Tier", labels.choice_members(labels.TIER), module=__name__)


class TierPoints(EditionChild):
    """第六条(三) 专业技术职称和技能等级: points per tier, and whether the 1× base test applies."""

    edition = models.ForeignKey(
        PolicyEdition, on_delete=models.CASCADE, related_name="tier_points", verbose_name="版本"
    )
    code = models.CharField("档次", max_length=20, choices=Tier.choices)
    points = models.PositiveSmallIntegerField("分值")
    needs_base_test = models.BooleanField(
        "须满足社保基数条件", default=False, help_text="最近若干月社保缴费基数达到平均工资的规定倍数（见版本设置）。"
    )

    objects = EditionChildManager()

    class Meta:
        verbose_name = "职称/技能等级分值"
        verbose_name_plural = "职称/技能等级分值"
        ordering = ["edition", "points"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="tier_points_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}：{self.points} 分"


class BaseTierRuleManager(EditionChildManager):
    key = "points"


class BaseTierRule(EditionChild):
    """第六条 加分 缴费基数: `points` when, in the last `window` months, at least `months` months had a
    base >= `multiple` × the month's average wage. Keyed by its points within the edition."""

    edition = models.ForeignKey(PolicyEdition, on_delete=models.CASCADE, related_name="base_tiers", verbose_name="版本")
    points = models.PositiveSmallIntegerField("分值")
    multiple = models.DecimalField(
        "倍数（× 社会平均工资）", max_digits=4, decimal_places=2, validators=[POSITIVE_MULTIPLE]
    )
    window = models.PositiveSmallIntegerField("统计最近几个月")
    months = models.PositiveSmallIntegerField("须达到的月数")

    objects = BaseTierRuleManager()

    class Meta:
        verbose_name = "社保缴费基数档次"
        verbose_name_plural = "社保缴费基数档次"
        ordering = ["edition", "points"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "points"], name="base_tier_edition_points_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.points} 分：近 {self.window} 个月 ≥ {decimal_text(self.multiple)} 倍 {self.months} 个月"

    def natural_key(self) -> tuple:
        return (*self.edition.natural_key(), self.points)

    natural_key.dependencies = ["calculator.policyedition"]

    def clean(self) -> None:
        if self.months is not None and self.window is not None and self.months > self.window:
            raise ValidationError({"months": "须达到的月数不能多于统计月数。"})


YearRateCode = models.TextChoices("YearRateCode", labels.choice_members(labels.YEAR_RATE), module=__name__)


class YearRate(EditionChild):
    """A bonus paid per full year: nothing below `min_years`, then `points_per_year` × years, to `cap`."""

    edition = models.ForeignKey(PolicyEdition, on_delete=models.CASCADE, related_name="year_rates", verbose_name="版本")
    code = models.CharField("指标", max_length=20, choices=YearRateCode.choices)
    points_per_year = models.PositiveSmallIntegerField("每满 1 年加分")
    min_years = models.PositiveSmallIntegerField("满几年起计")
    cap = models.PositiveSmallIntegerField("最高分", null=True, blank=True, help_text="留空表示不封顶。")

    objects = EditionChildManager()

    class Meta:
        verbose_name = "按年计分指标"
        verbose_name_plural = "按年计分指标"
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="year_rate_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}：每年 {self.points_per_year} 分"


Award = models.TextChoices("Award", labels.choice_members(labels.AWARD, skip=frozenset({"none"})), module=__name__)


class AwardPoints(EditionChild):
    """第六条 加分 表彰奖励: points per award level."""

    edition = models.ForeignKey(
        PolicyEdition, on_delete=models.CASCADE, related_name="award_points", verbose_name="版本"
    )
    code = models.CharField("表彰奖励", max_length=20, choices=Award.choices)
    points = models.PositiveSmallIntegerField("分值")

    objects = EditionChildManager()

    class Meta:
        verbose_name = "表彰奖励分值"
        verbose_name_plural = "表彰奖励分值"
        ordering = ["edition", "points"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="award_points_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}：{self.points} 分"


DeductionCode = models.TextChoices("DeductionCode", labels.choice_members(labels.DEDUCTION), module=__name__)


class DeductionRule(EditionChild):
    """第七条 减分: `points` (negative) per record within the last `window_years` years."""

    edition = models.ForeignKey(PolicyEdition, on_delete=models.CASCADE, related_name="deductions", verbose_name="版本")
    code = models.CharField("记录", max_length=20, choices=DeductionCode.choices)
    points = models.SmallIntegerField(
        "每次扣分", validators=[NEGATIVE_POINTS], help_text="负数，例如每次扣 10 分填 -10。"
    )
    window_years = models.PositiveSmallIntegerField(
        "统计最近几年", validators=[MinValueValidator(1, message="年限必须为正数。")]
    )

    objects = EditionChildManager()

    class Meta:
        verbose_name = "减分指标"
        verbose_name_plural = "减分指标"
        ordering = ["edition", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="deduction_edition_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}：每次 {self.points} 分"
