"""The one input vocabulary: a query string -> a validated scoring.Profile.

The simulator form produces it, a bookmarked URL holds it, the API reads it and share links store it.
Every error message says, in Chinese, what to type instead.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone

from calculator import periods
from calculator.checklist import Extras
from calculator.periods import CEILING_WORDS, PeriodRow, parse_month
from calculator.scoring import (
    AWARD_LABELS,
    EDUCATION_LABELS,
    TALENT_LABELS,
    CertificateClaim,
    Profile,
    SIPeriod,
    age_at,
    month_index,
)

MAX_QUERY_LENGTH = 8000
TRUE_WORDS = {"on", "1", "true"}


class FlagInput(forms.CheckboxInput):
    def value_from_datadict(self, data, files, name: str) -> str:
        return data.get(name, "")


class Flag(forms.BooleanField):
    """A checkbox of the vocabulary: on when present with value on, 1 or true; otherwise off."""

    widget = FlagInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in TRUE_WORDS

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {}


def count_field(label: str, maximum: int, unit: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        error_messages={
            "invalid": f"请输入 0 到 {maximum} 之间的整数{unit}。",
            "min_value": f"请输入 0 到 {maximum} 之间的整数{unit}。",
            "max_value": f"请输入 0 到 {maximum} 之间的整数{unit}。",
        },
    )


class ProfileForm(forms.Form):
    age = forms.IntegerField(
        label="年龄（周岁）",
        required=False,
        min_value=16,
        max_value=99,
        error_messages={
            "required": "请填写年龄：16 到 99 之间的整数（周岁）。",
            "invalid": "年龄请填写 16 到 99 之间的整数（周岁）。",
            "min_value": "年龄须满 16 周岁：请填写 16 到 99 之间的整数。",
            "max_value": "年龄请填写 16 到 99 之间的整数（周岁）。",
        },
    )
    birth = forms.CharField(
        label="出生年月",
        required=False,
        max_length=7,
        error_messages={"max_length": "出生年月请按 YYYY-MM 填写，例如 1990-05。"},
    )
    education = forms.ChoiceField(
        label="最高学历",
        required=False,
        choices=list(EDUCATION_LABELS.items()),
        error_messages={"invalid_choice": "请从列表中选择学历。"},
    )
    certificate = forms.IntegerField(
        label="职称或技能等级证书",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": "请从目录中选择证书（证书编号是正整数）。",
            "min_value": "请从目录中选择证书。",
            "max_value": "请从目录中选择证书。",
        },
    )
    cert_job_match = Flag(label="专业/工种与所聘岗位相符")
    cert_in_shanghai = Flag(label="在本市工作期间取得，或已经本市认定")
    cert_registered = Flag(label="已注册且在有效期内")
    as_of = forms.DateField(
        label="评估日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "请按 YYYY-MM-DD 填写评估日期，例如 2026-11-25。"},
    )
    shortage_major = Flag(label="紧缺急需专业")
    fresh_graduate = Flag(label="全日制应届高校毕业生")
    invest_tax = count_field("近 3 年年均纳税（元）", 10_000_000_000, "（元）")
    invest_hires = count_field("近 3 年年均聘用本市户籍人数", 1_000_000, "（人）")
    public_service_years = count_field("特定公共服务领域工作年限", 60, "（年）")
    remote_years = count_field("远郊重点区域工作并居住年限", 60, "（年）")
    lingang_years = count_field("临港新片区工作并居住年限", 60, "（年）")
    spouse_years = count_field("与本市户籍配偶结婚年限", 80, "（年）")
    award = forms.ChoiceField(
        label="表彰奖励",
        required=False,
        choices=list(AWARD_LABELS.items()),
        error_messages={"invalid_choice": "请从列表中选择表彰奖励。"},
    )
    talent = forms.ChoiceField(
        label="创业人才 / 中介服务人才",
        required=False,
        choices=list(TALENT_LABELS.items()),
        error_messages={"invalid_choice": "请从列表中选择。"},
    )
    false_material = count_field("近 3 年提供虚假材料次数", 50, "（次）")
    detention = count_field("近 5 年行政拘留次数", 50, "（次）")
    crime = count_field("近 5 年一般刑事犯罪记录次数", 50, "（次）")
    veto_family_planning = Flag(label="有违反计划生育政策记录")
    veto_serious_crime = Flag(label="有严重刑事犯罪记录")
    # Answers that never change the score: they add pre-flight checks, materials and reminders.
    foreign_degree = Flag(label="学历学位在国（境）外取得")
    agent_paid = Flag(label="部分社保由代缴、挂靠或人事代理公司缴纳")
    tax_mismatch = Flag(label="个税由社保缴纳单位以外的单位扣缴，或个税明显低于社保基数对应的水平")
    archive_outside = Flag(label="人事档案在外省市")
    permit_expires = forms.CharField(
        label="居住证到期月份",
        required=False,
        max_length=7,
        error_messages={"max_length": "居住证到期月份请按 YYYY-MM 填写，例如 2027-05。"},
    )

    def __init__(self, data: QueryDict | None = None, *, certificates=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.certificates = certificates  # callable: id -> catalogue entry dict or None
        self.certificate_entry: dict | None = None
        self.period_rows: list[PeriodRow] = []
        self.periods: tuple[SIPeriod, ...] = ()
        self.si_errors: list[str] = []

    # -- fields needing more than one value -------------------------------------------------

    def clean_certificate(self) -> int | None:
        pk = self.cleaned_data.get("certificate")
        if pk is None:
            return None
        entry = self.certificates(pk) if self.certificates else None
        if entry is None:
            raise forms.ValidationError("目录中没有这个证书，请重新搜索并选择。")
        self.certificate_entry = entry
        return pk

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data.get("as_of") or timezone.localdate()
        if not (date(2000, 1, 1) <= as_of <= date(2100, 12, 31)):
            raise forms.ValidationError("评估日期请填写 2000 年到 2100 年之间的日期。")
        return as_of

    def clean_birth(self) -> int | None:
        text = self.cleaned_data.get("birth", "").strip()
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError("出生年月请按 YYYY-MM 填写，例如 1990-05。")
        return month

    def clean_permit_expires(self) -> int | None:
        text = self.cleaned_data.get("permit_expires", "").strip()
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError("居住证到期月份请按 YYYY-MM 填写，例如 2027-05。")
        return month

    def clean(self) -> dict:
        cleaned = super().clean()
        birth, as_of = cleaned.get("birth"), cleaned.get("as_of")
        if birth is not None and as_of is not None and "age" not in self.errors:
            age = age_at(birth, month_index(as_of.year, as_of.month))
            if not (16 <= age <= 99):
                self.add_error("birth", f"按出生年月，评估日时为 {age} 周岁：须在 16 到 99 周岁之间。")
            else:
                cleaned["age"] = age
        elif cleaned.get("age") is None and not self.has_error("age") and not self.has_error("birth"):
            self.add_error("age", "请填写年龄：16 到 99 之间的整数（周岁），或填写出生年月。")
        self._clean_periods()
        return cleaned

    def _clean_periods(self) -> None:
        parsed = periods.from_query(self.data)
        self.period_rows = list(parsed.rows)
        self.periods = parsed.periods
        if parsed.errors:
            self.add_error(None, forms.ValidationError(list(parsed.errors), code="si"))
            self.si_errors = list(parsed.errors)

    # -- output ------------------------------------------------------------------------------

    def to_profile(self) -> Profile:
        """The validated input as the engine's Profile. Call only when is_valid()."""
        data = self.cleaned_data
        entry = self.certificate_entry
        claim = None
        if entry is not None:
            claim = CertificateClaim(
                name=entry["name"],
                tier=entry["tier"],
                needs_registration=entry["needs_registration"],
                active=entry["active"],
                job_match=data["cert_job_match"],
                in_shanghai=data["cert_in_shanghai"],
                registered=data["cert_registered"],
            )
        return Profile(
            age=data["age"],
            education=data["education"] or "none",
            certificate=claim,
            si_periods=self.periods,
            shortage_major=data["shortage_major"],
            fresh_graduate=data["fresh_graduate"],
            invest_tax=data["invest_tax"] or 0,
            invest_hires=data["invest_hires"] or 0,
            public_service_years=data["public_service_years"] or 0,
            remote_years=data["remote_years"] or 0,
            lingang_years=data["lingang_years"] or 0,
            spouse_years=data["spouse_years"] or 0,
            award=data["award"] or "none",
            talent=data["talent"] or "none",
            false_material=data["false_material"] or 0,
            detention=data["detention"] or 0,
            crime=data["crime"] or 0,
            veto_family_planning=data["veto_family_planning"],
            veto_serious_crime=data["veto_serious_crime"],
            birth=data.get("birth"),
        )

    def to_extras(self) -> Extras:
        """The answers that never change the score. Call only when is_valid()."""
        data = self.cleaned_data
        return Extras(
            foreign_degree=data["foreign_degree"],
            agent_paid=data["agent_paid"],
            tax_mismatch=data["tax_mismatch"],
            archive_outside=data["archive_outside"],
            permit_expires=data["permit_expires"],
        )

    def errors_json(self) -> dict[str, list[str]]:
        """{field: [messages]}; SI row problems are reported under si_from/si_to/si_base as 'si'."""
        out: dict[str, list[str]] = {}
        for field, errors in self.errors.items():
            key = "si" if field == "__all__" else field
            out.setdefault(key, []).extend(str(e) for e in errors)
        return out


def canonical_query(data: QueryDict | dict) -> str:
    """The vocabulary's parameters of `data`, in a stable order, without empty values."""
    keys = [*ProfileForm.base_fields, "si_from", "si_to", "si_base", "birth"]
    pairs: list[tuple[str, str]] = []
    getlist = data.getlist if hasattr(data, "getlist") else lambda k: _as_list(data.get(k))
    froms, tos, bases = getlist("si_from"), getlist("si_to"), getlist("si_base")
    at_max = set(getlist("si_max"))
    for key in keys:
        if key in ("si_from", "si_to", "si_base"):
            continue
        for value in getlist(key):
            if str(value).strip():
                pairs.append((key, str(value).strip()))
    for i in range(max(len(froms), len(tos), len(bases))):
        row = [_at(froms, i), _at(tos, i), "max" if str(i) in at_max else _at(bases, i)]
        if any(row):
            pairs.extend(zip(("si_from", "si_to", "si_base"), row, strict=True))
    return urlencode(pairs)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _at(values: list[str], i: int) -> str:
    return values[i].strip() if i < len(values) else ""


def inputs_summary(query: str, certificate: dict | None) -> list[tuple[str, str]]:
    """What the applicant entered, in words, for the shared and printed page."""
    data = QueryDict(query)
    rows: list[tuple[str, str]] = []
    if data.get("birth"):
        rows.append(("出生年月", data["birth"]))
    if data.get("age"):
        rows.append(("年龄", f"{data['age']} 周岁"))
    rows.append(("最高学历", EDUCATION_LABELS.get(data.get("education", "none"), "大专以下")))
    if certificate:
        rows.append(("证书", f"{certificate['name']}（{certificate['series']} · {certificate['level']}）"))
    periods = []
    for start, end, base in zip(data.getlist("si_from"), data.getlist("si_to"), data.getlist("si_base"), strict=False):
        amount = "封顶" if base.lower() in CEILING_WORDS else f"{base} 元"
        periods.append(f"{start} 至 {end}：{amount}" if end else f"{start} 至今：{amount}")
    rows.append(("社保缴费", "；".join(periods) if periods else "未填写"))
    numbers = {
        "invest_tax": ("年均纳税", "元"),
        "invest_hires": ("年均聘用本市户籍", "人"),
        "public_service_years": ("公共服务领域", "年"),
        "remote_years": ("远郊重点区域", "年"),
        "lingang_years": ("临港新片区", "年"),
        "spouse_years": ("与本市户籍配偶结婚", "年"),
        "false_material": ("虚假材料", "次"),
        "detention": ("行政拘留", "次"),
        "crime": ("一般刑事犯罪", "次"),
    }
    for key, (label, unit) in numbers.items():
        if data.get(key, "0") not in ("", "0"):
            rows.append((label, f"{data[key]} {unit}"))
    flags = {"shortage_major": "紧缺急需专业", "fresh_graduate": "应届高校毕业生"}
    rows.extend((label, "是") for key, label in flags.items() if data.get(key))
    # The answers that never change the score, under the form's own labels.
    for key in ("foreign_degree", "agent_paid", "tax_mismatch", "archive_outside"):
        if data.get(key, "").lower() in TRUE_WORDS:
            rows.append((ProfileForm.base_fields[key].label, "是"))
    if data.get("permit_expires"):
        rows.append((ProfileForm.base_fields["permit_expires"].label, data["permit_expires"]))
    if data.get("award", "none") != "none":
        rows.append(("表彰奖励", AWARD_LABELS.get(data["award"], data["award"])))
    if data.get("talent", "none") != "none":
        rows.append(("人才类别", TALENT_LABELS.get(data["talent"], data["talent"])))
    if data.get("as_of"):
        rows.append(("评估日期", data["as_of"]))
    return rows
