"""What an applicant can hold: 专业技术职称, 专业技术类职业资格 and 技能等级证书 (RULES.md §1.3).

Every Certificate maps to one scoring tier; the points per tier are policy data (calculator.policy), so the
catalogue stores the tier, never the points. Entries are retired (active=False), never deleted.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from pypinyin import Style, lazy_pinyin
from simple_history.models import HistoricalRecords

from calculator import labels
from calculator.certificates import Entry

SEARCH_FIELDS = ("search_name", "search_aliases", "search_other", "search_pinyin")
ALIAS_SEPARATORS = re.compile(r"[\n\r、,，;；]+")
NOT_PINYIN = re.compile(r"[^a-z0-9]")


def normalise(text: str) -> str:
    """The form queries and search keys are compared in: NFKC (full-width to half-width), lower case,
    no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full pinyin and pinyin initials of a name, letters and digits only: 经济师 -> (jingjishi, jjs)."""
    full = NOT_PINYIN.sub("", normalise("".join(lazy_pinyin(text))))
    initials = NOT_PINYIN.sub("", normalise("".join(lazy_pinyin(text, style=Style.FIRST_LETTER))))
    return full, initials


def _lines(values: Iterable[str]) -> str:
    """Values one per line, with a newline before the first and after the last, so that
    `contains("\\n" + term + "\\n")` is an exact match of one value and `contains("\\n" + term)` a prefix."""
    return "\n" + "".join(f"{value}\n" for value in values if value)


class Status(models.TextChoices):
    CONFIRMED = "confirmed", "已核实"
    UNVERIFIED = "unverified", "待核实"
    HISTORICAL = "historical", "历史口径"


class EntryQuerySet(models.QuerySet):
    def active(self) -> "EntryQuerySet":
        return self.filter(active=True)

    def search(self, q: str) -> list:
        """The entries of this queryset matching q, best first; all of them in catalogue order when q is blank.

        q matches any part of the name or an alias, the series or level, or the full pinyin or pinyin
        initials of the name or an alias (jjs, jingjishi -> 经济师); several words must all match (see
        `ranked`, which the public pages run over the entries each process keeps: catalogue/search.py).
        A list, not a QuerySet: slice it."""
        return ranked(self.order_by("position", "name"), q)


class CatalogueEntry(models.Model):
    """Fields shared by certificates and 工种: a name, its aliases, provenance, and the search keys."""

    name = models.CharField("名称", max_length=100)
    aliases = models.TextField(
        "别名", blank=True, help_text="旧称或其他叫法，每行一个（也可用“、”或逗号分隔）；搜索时会匹配。"
    )
    status = models.CharField("核实状态", max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    note = models.TextField("说明", blank=True, help_text="展示给申请人的中文说明，例如“待核实：……”。")
    source = models.TextField("来源", blank=True, help_text="出处与整理记录（内部）。")
    active = models.BooleanField("启用", default=True, help_text="停用而不是删除：停用的条目不再出现在目录和搜索中。")
    position = models.PositiveIntegerField("排序", default=0, help_text="目录中的顺序；留 0 则排在同类最后。")
    search_name = models.CharField(max_length=100, editable=False, default="")
    search_aliases = models.TextField(editable=False, default="")
    search_other = models.TextField(editable=False, default="")
    search_pinyin = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived_fields()
        if not self.position:
            self.position = self.next_position()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.derived_fields()}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:index')}?{urlencode({'q': self.name})}"

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in ALIAS_SEPARATORS.split(self.aliases) if alias.strip()]

    def search_others(self) -> list[str]:
        """Further texts that find this entry (series, level), ranked below names and aliases."""
        return []

    @property
    def tier_rank(self) -> int:
        """Higher for entries worth more; breaks ties between equally good matches."""
        return 0

    def matches(self, term: str) -> bool:
        """A search key contains the normalised `term`."""
        return (
            term in self.search_name
            or term in self.search_aliases
            or term in self.search_other
            or term in self.search_pinyin
        )

    def match_rank(self, term: str) -> int:
        """How well a normalised query matches, 0 best: exact name or alias > name starts with it >
        an alias starts with it > name contains it > an alias contains it > series or level contains it >
        pinyin exact > pinyin prefix > pinyin contains > only its words matched separately."""
        name, aliases, pinyin = self.search_name, self.search_aliases, self.search_pinyin
        ranks = (
            name == term or f"\n{term}\n" in aliases,
            name.startswith(term),
            f"\n{term}" in aliases,
            term in name,
            term in aliases,
            term in self.search_other,
            f"\n{term}\n" in pinyin,
            f"\n{term}" in pinyin,
            term in pinyin,
        )
        return next((rank for rank, matched in enumerate(ranks) if matched), len(ranks))

    def search_order(self, term: str) -> tuple:
        """Best match first; ties: higher tier, then the shorter name, then the name."""
        return (self.match_rank(term), -self.tier_rank, len(self.name), self.name, self.pk)

    def derived_fields(self) -> tuple[str, ...]:
        return SEARCH_FIELDS

    def next_position(self) -> int:
        last = type(self)._default_manager.aggregate(models.Max("position"))["position__max"]
        return (last or 0) + 1

    def refresh_derived_fields(self) -> None:
        """Fill the search keys from name, aliases and search_others() (they are never edited by hand)."""
        self.name = self.name.strip()
        names = [self.name, *self.alias_list]
        self.search_name = normalise(self.name)
        self.search_aliases = _lines(normalise(alias) for alias in self.alias_list)
        self.search_other = _lines(normalise(text) for text in self.search_others())
        self.search_pinyin = _lines(key for name in names for key in pinyin_keys(name))


E = TypeVar("E", bound=CatalogueEntry)


def ranked(entries: Iterable[E], q: str) -> list[E]:
    """The entries matching q, best first (CatalogueEntry.search_order); all of them in their order when
    q is blank."""
    term = normalise(q)
    if not term:
        return list(entries)
    words = [normalise(word) for word in q.split()]
    every_word = len(words) > 1
    found = [e for e in entries if e.matches(term) or (every_word and all(e.matches(word) for word in words))]
    return sorted(found, key=lambda entry: entry.search_order(term))


class Kind(models.TextChoices):
    TITLE = "title", "专业技术职称"
    QUALIFICATION = "qualification", "专业技术类职业资格"
    SKILL = "skill", "技能等级证书"


# The scoring tiers of RULES.md §1.3, lowest first; their labels are the rules' own (calculator.labels)
# and the points per tier, and which tiers need the SI base test, are policy data.
Tier = models.TextChoices("Tier", labels.choice_members(labels.TIER), module=__name__)
TIER_ORDER = {tier.value: rank for rank, tier in enumerate(Tier)}


class Registration(models.TextChoices):
    YES = "yes", "需注册（注册后且在有效期内才计分）"
    NO = "no", "无需注册"
    CONDITIONAL = "conditional", "视情况（可能需登记）"
    NOT_APPLICABLE = "n/a", "不适用"


class CertificateQuerySet(EntryQuerySet):
    pass


class CertificateManager(models.Manager.from_queryset(CertificateQuerySet)):
    def get_by_natural_key(self, kind: str, series: str, name: str) -> "Certificate":
        return self.get(kind=kind, series=series, name=name)


class Certificate(CatalogueEntry):
    """One entry an applicant can pick: a title, a professional qualification or a skill level."""

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    series = models.CharField("系列", max_length=40, help_text="职称系列（如“经济”）；职业资格与技能证书为分组名称。")
    level = models.CharField("等级", max_length=20, help_text="如 正高级、副高级、中级、初级、相当于中级、三级。")
    tier = models.CharField("计分档", max_length=16, choices=Tier.choices)
    registration = models.CharField(
        "注册要求", max_length=16, choices=Registration.choices, default=Registration.NOT_APPLICABLE
    )
    needs_registration = models.BooleanField("需注册", default=False, editable=False)
    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS)

    objects = CertificateManager()

    class Meta:
        verbose_name = "证书"
        verbose_name_plural = "证书"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "series", "name"], name="certificate_unique_kind_series_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.series} · {self.level}）"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.kind, self.series, self.name)

    @property
    def tier_rank(self) -> int:
        return TIER_ORDER.get(self.tier, 0)

    def points(self, table: dict[str, int] | None) -> int | None:
        """Points of this entry's tier in a policy table (calculator.policy.tier_points()), None without one."""
        return None if table is None else table.get(self.tier)

    def as_json(self, table: dict[str, int] | None) -> dict:
        return {
            "id": self.pk,
            "name": self.name,
            "kind": self.kind,
            "series": self.series,
            "level": self.level,
            "tier": self.tier,
            "points": self.points(table),
            "needs_registration": self.needs_registration,
            "note": self.note,
            "active": self.active,
        }

    def entry(self) -> Entry:
        """This certificate as the simulator sees it (calculator.certificates)."""
        return Entry(
            id=self.pk,
            name=self.name,
            kind=self.kind,
            series=self.series,
            level=self.level,
            tier=self.tier,
            needs_registration=self.needs_registration,
            note=self.note,
            active=self.active,
        )

    def search_others(self) -> list[str]:
        return [self.series, self.level]

    def derived_fields(self) -> tuple[str, ...]:
        return (*SEARCH_FIELDS, "needs_registration")

    def next_position(self) -> int:
        last = Certificate._default_manager.filter(kind=self.kind).aggregate(models.Max("position"))
        return (last["position__max"] or 0) + 1

    def refresh_derived_fields(self) -> None:
        self.series = self.series.strip()
        self.needs_registration = self.registration == Registration.YES
        super().refresh_derived_fields()

    def unique_error_message(self, model_class, unique_check) -> ValidationError:
        if tuple(unique_check) == ("kind", "series", "name"):
            return ValidationError(
                "同一类别和系列下已有同名证书：%(kind)s · %(series)s · %(name)s。"
                "请修改名称或系列，或直接编辑已有的那一条。",
                code="unique_together",
                params={"kind": self.get_kind_display(), "series": self.series, "name": self.name},
            )
        return super().unique_error_message(model_class, unique_check)


class TradeQuerySet(EntryQuerySet):
    pass


class TradeManager(models.Manager.from_queryset(TradeQuerySet)):
    def get_by_natural_key(self, name: str) -> "Trade":
        return self.get(name=name)


class Trade(CatalogueEntry):
    """A 工种 whose 技能人员职业资格证书 or 职业技能等级证书 scores by its level (五级…一级)."""

    listing = models.CharField(
        "所属目录", max_length=60, blank=True, help_text="例如 上海市高技能人才职业（工种）目录。"
    )
    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS)

    objects = TradeManager()

    class Meta:
        verbose_name = "工种"
        verbose_name_plural = "工种"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="trade_unique_name")]

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    def search_others(self) -> list[str]:
        return [self.listing]

    def unique_error_message(self, model_class, unique_check) -> ValidationError:
        if tuple(unique_check) == ("name",):
            return ValidationError("已有同名工种：%(name)s。", code="unique", params={"name": self.name})
        return super().unique_error_message(model_class, unique_check)


@receiver(pre_save, sender=Certificate)
@receiver(pre_save, sender=Trade)
def _fill_derived_fields_on_raw_save(sender, instance: CatalogueEntry, raw: bool, **kwargs) -> None:
    """Fixture loading saves raw, bypassing save(); the search keys are filled here instead."""
    if raw:
        instance.refresh_derived_fields()


@dataclass
class Group:
    """The entries of one series of one kind, as the catalogue page shows them."""

    kind: str
    kind_label: str
    series: str
    entries: list[Certificate] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.series}"


def group_by_series(certificates: Iterable[Certificate]) -> list[Group]:
    """Certificates grouped by (kind, series), kinds in Kind order, groups in order of first appearance."""
    groups: dict[tuple[str, str], Group] = {}
    for certificate in certificates:
        key = (certificate.kind, certificate.series)
        if key not in groups:
            groups[key] = Group(certificate.kind, certificate.get_kind_display(), certificate.series)
        groups[key].entries.append(certificate)
    kind_order = {kind.value: rank for rank, kind in enumerate(Kind)}
    return sorted(groups.values(), key=lambda group: kind_order[group.kind])
