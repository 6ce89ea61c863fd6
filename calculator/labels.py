"""The labels of each vocabulary of the rules, once: the model choices, the form, scoring, the projection
and actions, the catalogue and the pages all read them here. Pure (no Django), so scoring can import it.

Codes are the values stored in the database and written in the query string; labels are what a person
reads. The order is the order shown (lowest first where the codes rank).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


def _table(*pairs: tuple[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


EDUCATION: Mapping[str, str] = _table(
    ("none", "大专以下"),
    ("junior_college", "大专（高职）"),
    ("bachelor", "大学本科（无学士学位）"),
    ("bachelor_degree", "大学本科 + 学士学位"),
    ("master", "硕士研究生"),
    ("doctor", "博士研究生"),
)

# Certificate tiers (RULES.md §1.3), lowest first: the catalogue ranks entries by this order.
TIER: Mapping[str, str] = _table(
    ("none", "不计分（初级职称等）"),
    ("skill_5", "技能五级（初级工）"),
    ("skill_4", "技能四级（中级工）"),
    ("skill_3", "技能三级（高级工）"),
    ("intermediate", "中级职称 / 技能二级（技师） / 相当于中级的职业资格"),
    ("senior", "高级职称 / 技能一级（高级技师）"),
)

# "none" is the form's choice of no award; the policy's award tables hold the other codes.
AWARD: Mapping[str, str] = _table(
    ("none", "无"),
    ("municipal_special", "市级机关专项性表彰奖励"),
    ("municipal_general", "市级机关综合性表彰奖励"),
    ("national", "省部级及以上表彰奖励"),
)

TALENT: Mapping[str, str] = _table(
    ("none", "无"),
    ("entrepreneur", "创业人才"),
    ("intermediary", "创新创业中介服务人才"),
)

# 第七条 减分 records, in the order of the 办法.
DEDUCTION: Mapping[str, str] = _table(
    ("false_material", "申请积分时提供虚假材料"),
    ("detention", "行政拘留记录"),
    ("crime", "一般刑事犯罪记录"),
)

# Bonuses paid per full year (the policy's year-rate rows).
YEAR_RATE: Mapping[str, str] = _table(
    ("public_service", "特定的公共服务领域（环卫）"),
    ("remote_area", "远郊重点区域"),
    ("lingang", "临港新片区专项加分"),
    ("spouse", "配偶为本市户籍人员"),
)

VOCABULARIES: Mapping[str, Mapping[str, str]] = _table(
    ("education", EDUCATION),  # type: ignore[arg-type]
    ("tier", TIER),  # type: ignore[arg-type]
    ("award", AWARD),  # type: ignore[arg-type]
    ("talent", TALENT),  # type: ignore[arg-type]
    ("deduction", DEDUCTION),  # type: ignore[arg-type]
    ("year_rate", YEAR_RATE),  # type: ignore[arg-type]
)


def choice_members(table: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """Members for Django's functional TextChoices API: {"NONE": ("none", "大专以下"), ...}."""
    return {code.upper(): (code, label) for code, label in table.items() if code not in skip}
