"""The columns of a roster: which header means which vocabulary name, and what each column's template
help says.

A header is the vocabulary's name (`education`) or its Chinese label from the template (`最高学历`, also
without the part in brackets: `年龄` for `年龄（周岁）`). How a row's cells are read is `cells.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from calculator import labels
from calculator.forms import MAX_AGE, ProfileForm
from calculator.scoring import Policy

MAX_REF = 100
BRACKETS = re.compile(r"\(.*?\)")


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the vocabulary's name (`ref` and `si` are the roster's own)
    kind: str  # ref, int, flag, choice, month, date, certificate, si
    help: str  # for the template's notes sheet
    example: str = ""
    choices: Mapping[str, str] | None = None  # code -> label, for coded columns

    @property
    def header(self) -> str:
        """The Chinese header of the template: the vocabulary's own label where it has one."""
        field = ProfileForm.base_fields.get(self.name)
        return str(field.label) if field is not None else OWN_HEADERS[self.name]


OWN_HEADERS = {"ref": "工号/备注", "si": "社保缴费期间"}
FLAG_HELP = "是 或 否（也可填 1/0）；留空为否。"
COLUMNS: tuple[Column, ...] = (
    Column("ref", "ref", f"单位内部的工号或备注，最多 {MAX_REF} 个字符，可不填。不要填写姓名、证件号或电话。", "A001"),
    Column("birth", "month", "出生年月，YYYY-MM；填写后按评估日计算周岁（与“年龄”二选一）。", "1990-05"),
    Column("age", "int", "评估日的周岁，{min_age} 到 {max_age} 的整数（未填出生年月时必填）。", "35"),
    Column(
        "education", "choice", "从下拉列表选择；也可填代码。", labels.EDUCATION["bachelor_degree"], labels.EDUCATION
    ),  # noqa: E501
    Column("certificate", "certificate", "证书目录中的名称、别名或编号（见本站“证书目录”）；没有可不填。", "经济师"),
    Column("cert_job_match", "flag", "证书的专业或工种与所聘岗位相符。" + FLAG_HELP, "是"),
    Column("cert_in_shanghai", "flag", "证书在本市工作期间取得，或已经本市认定。" + FLAG_HELP, "是"),
    Column("cert_registered", "flag", "注册类职业资格已注册并在有效期内。" + FLAG_HELP, "否"),
    Column(
        "si",
        "si",
        "本市职工社保缴费期间，格式 起始月~结束月:月缴费基数（元），多段用分号或换行隔开；"
        "仍在缴纳写 起始月~至今:基数；按上限缴纳写 max 或 封顶。",
        "2019-07~2023-06:12000; 2023-07~至今:15000",
    ),
    Column("shortage_major", "flag", "紧缺急需专业（专业在本市目录中且与岗位相符）。" + FLAG_HELP, "否"),
    Column("fresh_graduate", "flag", "全日制应届高校毕业生。" + FLAG_HELP, "否"),
    Column("invest_tax", "int", "本人在本市投资企业近 {investment_years} 年年均纳税（元，按个人股份），整数。", ""),
    Column("invest_hires", "int", "本人投资企业近 {investment_years} 年年均聘用本市户籍人数，整数。", ""),
    Column("public_service_years", "int", "在特定公共服务领域工作的整年数。", ""),
    Column("remote_years", "int", "在远郊重点区域工作并居住的整年数。", ""),
    Column("lingang_years", "int", "在临港新片区工作并居住的整年数。", ""),
    Column("spouse_years", "int", "与本市户籍配偶结婚的整年数。", ""),
    Column("award", "choice", "从下拉列表选择；没有填 无 或留空。", labels.AWARD["none"], labels.AWARD),
    Column("talent", "choice", "从下拉列表选择；没有填 无 或留空。", labels.TALENT["none"], labels.TALENT),
    Column("false_material", "int", "近 {false_material} 年申请积分时提供虚假材料的次数。", ""),
    Column("detention", "int", "近 {detention} 年行政拘留的次数。", ""),
    Column("crime", "int", "近 {crime} 年一般刑事犯罪记录的次数。", ""),
    Column("veto_family_planning", "flag", "有违反计划生育政策记录（一票否决）。" + FLAG_HELP, ""),
    Column("veto_serious_crime", "flag", "有严重刑事犯罪记录（一票否决）。" + FLAG_HELP, ""),
    Column("foreign_degree", "flag", "学历学位在境外取得（不影响积分，只增加申请前检查）。" + FLAG_HELP, ""),
    Column("agent_paid", "flag", "有社保由代理或挂靠单位缴纳的月份（不影响积分）。" + FLAG_HELP, ""),
    Column("tax_mismatch", "flag", "个税扣缴单位与社保缴纳单位不一致（不影响积分）。" + FLAG_HELP, ""),
    Column("archive_outside", "flag", "人事档案不在本市（不影响积分）。" + FLAG_HELP, ""),
    Column("permit_expires", "month", "居住证到期月份 YYYY-MM，可不填（不影响积分）。", ""),
    Column("as_of", "date", "这一行的评估日期 YYYY-MM-DD；留空则用上传时选择的评估日期。", ""),
)
BY_NAME = {column.name: column for column in COLUMNS}
MONTH_COLUMNS = frozenset(column.name for column in COLUMNS if column.kind == "month")


def stating(policy: Policy | None) -> tuple[Column, ...]:
    """The columns with the rules' numbers in their help (the template's notes, the upload page) taken
    from `policy`; without an edition in force, the help says "规定年限" instead of a number."""
    if policy is None:
        numbers = dict.fromkeys(("investment_years", *labels.DEDUCTION), "规定")
        numbers |= {"min_age": "规定", "max_age": str(MAX_AGE)}
    else:
        numbers = {code: str(policy.deductions[code].window_years) for code in labels.DEDUCTION}
        numbers |= {
            "investment_years": str(policy.investment_years),
            "min_age": str(policy.age.min_age),
            "max_age": str(MAX_AGE),
        }
    return tuple(replace(column, help=column.help.format(**numbers)) for column in COLUMNS)


def normalise(text: str) -> str:
    """Headers and coded values are compared in NFKC, lower case, without whitespace or a trailing *."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip("*")


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        label = normalise(column.header)
        for key in (column.name, label, BRACKETS.sub("", label)):
            keys.setdefault(key, column.name)
    return keys


HEADER_KEYS = _header_keys()


def column_for(header: str) -> str | None:
    """The vocabulary name a header means, or None."""
    return HEADER_KEYS.get(normalise(header))


def header_of(name: str, headers: Mapping[str, str]) -> str:
    """The column's header as uploaded, else the template's."""
    if name in headers:
        return headers[name]
    column = BY_NAME.get(name)
    return column.header if column is not None else name
