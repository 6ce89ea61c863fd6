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

# The indicators of 第六条 a result line names, in the order of the 办法 (the 减分 lines are DEDUCTION's).
INDICATOR: Mapping[str, str] = _table(
    ("age", "年龄"),
    ("education", "教育背景"),
    ("certificate", "专业技术职称和技能等级"),
    ("si_years", "社会保险缴费年限"),
    ("si_base", "社会保险缴费基数"),
    ("shortage_major", "紧缺急需专业"),
    ("investment", "投资纳税或带动本地就业"),
    ("public_service", "特定公共服务领域"),
    ("key_area", "远郊重点区域 / 临港新片区"),
    ("fresh_graduate", "全日制应届高校毕业生"),
    ("spouse", "配偶为本市户籍人员"),
    ("award", "表彰奖励"),
    ("talent", "创业人才 / 创新创业中介服务人才"),
)

# Bonuses paid per full year (the policy's year-rate rows); the key_area line is the better of the middle two.
YEAR_RATE: Mapping[str, str] = _table(
    ("public_service", INDICATOR["public_service"]),
    ("remote_area", "远郊重点区域"),
    ("lingang", "临港新片区专项加分"),
    ("spouse", INDICATOR["spouse"]),
)

# The checklist (MATERIALS.md): a material's group, 通用 first, then each indicator in the order of the 办法.
MATERIAL_GROUP: Mapping[str, str] = _table(
    ("general", "通用"),
    ("education", "教育背景"),
    ("certificate", "职称/技能"),
    ("spouse", "配偶"),
    ("fresh_graduate", "应届毕业生"),
    ("investment", "投资纳税"),
    ("key_area", "特定公共服务/远郊/临港"),
    ("award", "表彰奖励"),
    ("talent", "创业人才"),
)

# Who provides a material.
PROVIDER: Mapping[str, str] = _table(
    ("applicant", "本人"),
    ("employer", "单位"),
    ("system", "系统核查"),
)

# How well a text is sourced; "C" is shown with a 待核实 tag.
STRENGTH: Mapping[str, str] = _table(
    ("A", "A：多个独立来源一致"),
    ("B", "B：一个来源"),
    ("C", "C：常见做法，未找到来源（待核实）"),
    ("rule", "规则：由积分规则推出"),
)

# When a material applies (calculator/checklist/materials.py decides each).
CONDITION: Mapping[str, str] = _table(
    ("always", "总是"),
    ("education_college", "计入学历，且为大专及以上"),
    ("education_degree", "计入学历，且有学位（本科并学士学位、硕士、博士）"),
    ("foreign_degree", "学历学位在国（境）外取得"),
    ("certificate", "填写了证书"),
    ("certificate_registration", "证书为注册类职业资格"),
    ("certificate_outside", "填写了证书，且未勾选“在本市工作期间取得或已经本市认定”"),
    ("spouse", "与本市户籍配偶结婚年限大于 0"),
    ("fresh_graduate", INDICATOR["fresh_graduate"]),
    ("investment", "填写了投资纳税或聘用本市户籍人数"),
    ("key_area", "特定公共服务领域、远郊重点区域或临港新片区年限计分"),
    ("award", "表彰奖励计分"),
    ("talent", f"{INDICATOR['talent']}计分"),
    ("agent_paid", "部分社保由代缴、挂靠或人事代理公司缴纳"),
    ("tax_mismatch", "个税扣缴单位与社保缴纳单位不同，或个税明显偏低"),
    ("archive_outside", "人事档案在外省市"),
    ("permit_expires", "填写了居住证到期月份"),
)

# The pre-flight checks (申请前检查), by code.
CHECK: Mapping[str, str] = _table(
    ("agent_paid", "代缴/挂靠/人事代理缴纳社保"),
    ("tax_mismatch", "个税与社保不一致"),
    ("back_pay", "补缴月份不计（社保表下方说明）"),
    ("permit_expiry", "居住证到期"),
    ("foreign_degree", "国（境）外学历学位认证"),
    ("archive_outside", "档案在外省市"),
    ("registration", "注册类职业资格未注册"),
    ("base_test", "职称/技能的社保基数条件"),
    ("employer_registered", "单位须为积分申请单位"),
)

# The answers that never change the score: they only add checks, materials and reminders.
EXTRAS: Mapping[str, str] = _table(
    ("foreign_degree", "学历学位在国（境）外取得"),
    ("agent_paid", "部分社保由代缴、挂靠或人事代理公司缴纳"),
    ("tax_mismatch", "个税由社保缴纳单位以外的单位扣缴，或个税明显低于社保基数对应的水平"),
    ("archive_outside", "人事档案在外省市"),
    ("permit_expires", "居住证到期月份"),
)

VOCABULARIES: Mapping[str, Mapping[str, str]] = _table(
    ("education", EDUCATION),  # type: ignore[arg-type]
    ("tier", TIER),  # type: ignore[arg-type]
    ("indicator", INDICATOR),  # type: ignore[arg-type]
    ("award", AWARD),  # type: ignore[arg-type]
    ("talent", TALENT),  # type: ignore[arg-type]
    ("deduction", DEDUCTION),  # type: ignore[arg-type]
    ("year_rate", YEAR_RATE),  # type: ignore[arg-type]
    ("material_group", MATERIAL_GROUP),  # type: ignore[arg-type]
    ("provider", PROVIDER),  # type: ignore[arg-type]
    ("strength", STRENGTH),  # type: ignore[arg-type]
    ("condition", CONDITION),  # type: ignore[arg-type]
    ("check", CHECK),  # type: ignore[arg-type]
    ("extras", EXTRAS),  # type: ignore[arg-type]
)


def choice_members(table: Mapping[str, str], *, skip: frozenset[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """Members for Django's functional TextChoices API: {"NONE": ("none", "大专以下"), ...}."""
    return {code.upper(): (code, label) for code, label in table.items() if code not in skip}
