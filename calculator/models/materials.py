"""What an applicant prepares: the materials, the pre-flight checks and the filing steps of MATERIALS.md,
as texts staff edit in the admin (with history). *When* each applies is code (calculator/checklist/):
staff pick a material's condition from its closed list; a check's condition is its code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from calculator import checklist, labels


class Strength(models.TextChoices):
    A = "A", labels.STRENGTH["A"]
    B = "B", labels.STRENGTH["B"]
    C = "C", labels.STRENGTH["C"]
    RULE = "rule", labels.STRENGTH["rule"]


# The closed vocabularies' labels have one owner, calculator/labels.py; these are their choices.
GROUPS = list(labels.MATERIAL_GROUP.items())
PROVIDERS = list(labels.PROVIDER.items())
CONDITIONS = list(labels.CONDITION.items())
CHECK_CODES = list(labels.CHECK.items())


class KeyedQuerySet(models.QuerySet):
    def active(self) -> KeyedQuerySet:
        return self.filter(active=True)


class KeyedManager(models.Manager.from_queryset(KeyedQuerySet)):
    key = "key"

    def get_by_natural_key(self, key: str) -> models.Model:
        return self.get(**{self.key: key})


class CheckManager(KeyedManager):
    key = "code"


class Material(models.Model):
    """One line of the 申报材料清单: a paper, its form, who provides it, and when it applies."""

    key = models.SlugField("标识", max_length=60, unique=True, help_text="固定不变的英文标识，供数据文件对应。")
    group = models.CharField("分组", max_length=20, choices=GROUPS)
    item = models.TextField(
        "材料", help_text="写到积分规则的数字时用占位符，随规则变化：投资纳税统计年限 {investment_years}。"
    )
    form = models.CharField("形式", max_length=100, help_text="例如：原件核验，复印件或扫描件；PDF。")
    provider = models.CharField("提供方", max_length=20, choices=PROVIDERS)
    provider_text = models.CharField(
        "提供方（显示）", max_length=30, blank=True, help_text="留空则显示提供方本身，例如填“本人/单位”。"
    )
    condition = models.CharField("适用条件", max_length=30, choices=CONDITIONS, default="always")
    strength = models.CharField(
        "来源可信度", max_length=10, choices=Strength.choices, help_text="C 级在页面上标注“待核实”。"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0, help_text="同一分组内从小到大排列。")
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    objects = KeyedManager()

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}：{self.item[:40]}"

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    def clean(self) -> None:
        error = placeholder_error(self.item or "", checklist.MATERIAL_PLACEHOLDERS)
        if error:
            raise ValidationError({"item": error})


class PreflightCheck(models.Model):
    """One 申请前检查: the sentence shown when its code's condition holds (the condition is code)."""

    code = models.CharField("检查", max_length=30, unique=True, choices=CHECK_CODES)
    message = models.TextField(
        "提示",
        help_text="一句话说明该怎么做。可用的占位符：居住证到期 {expires}、{earliest}；"
        "基数条件 {month}、{multiple}、{months}、{window}。",
    )
    fallback = models.TextField("无法推算月份时的提示", blank=True, help_text="提示里的月份推算不出时显示这一句。")
    strength = models.CharField("来源可信度", max_length=10, choices=Strength.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    objects = CheckManager()

    class Meta:
        verbose_name = "申请前检查"
        verbose_name_plural = "申请前检查"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.get_code_display()

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        allowed = checklist.CHECK_PLACEHOLDERS.get(self.code, frozenset())
        errors = {}
        for field in ("message", "fallback"):
            error = placeholder_error(getattr(self, field) or "", allowed)
            if error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)


class FilingStep(models.Model):
    """One step of how an application is filed (MATERIALS.md §1), shown once above the checklist."""

    key = models.SlugField("标识", max_length=60, unique=True)
    text = models.TextField("说明")
    strength = models.CharField("来源可信度", max_length=10, choices=Strength.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    objects = KeyedManager()

    class Meta:
        verbose_name = "申请流程"
        verbose_name_plural = "申请流程"
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.text[:40]

    def natural_key(self) -> tuple[str]:
        return (self.key,)


def placeholder_error(text: str, allowed: frozenset[str]) -> str | None:
    """What is wrong with the {names} of a staff text that may name only `allowed`, in words (None if
    nothing)."""
    try:
        used = checklist.placeholders(text)
    except ValueError:
        return "花括号只能用于占位符，例如 {month}；要显示花括号本身请写两个：{{ 或 }}。"
    unknown = used - allowed
    if not unknown:
        return None
    names = "、".join(sorted(f"{{{name}}}" for name in unknown))
    usable = "、".join(sorted(f"{{{name}}}" for name in allowed))
    hint = f"这一项可用 {usable}" if allowed else "这一项不用占位符"
    return f"不认识的占位符 {names}（{hint}）。"


def checklist_texts() -> checklist.Texts:
    """Every active material, check and step as the pure module's values (3 queries; cache the result
    with calculator.cache.cached, which every save here invalidates)."""
    return checklist.Texts(
        materials=tuple(
            checklist.MaterialText(
                key=m.key,
                group=m.group,
                item=m.item,
                form=m.form,
                provider=m.provider,
                provider_text=m.provider_text,
                condition=m.condition,
                strength=m.strength,
            )
            for m in Material.objects.active()
        ),
        checks=tuple(
            checklist.CheckText(code=c.code, message=c.message, fallback=c.fallback, strength=c.strength)
            for c in PreflightCheck.objects.active()
        ),
        steps=tuple(
            checklist.StepText(key=s.key, text=s.text, strength=s.strength) for s in FilingStep.objects.active()
        ),
    )
