"""The one input vocabulary: a query string -> a validated scoring.Profile.

The simulator form produces it, a bookmarked URL holds it, the API reads it and share links store it
(calculator/vocabulary.py names the parameters; calculator/periods.py owns the SI periods). Labels,
help texts and limits that state a rule are read from the `Policy` in force, so the page renders the
fields as they are. Every error message says, in Chinese, what to type instead.
"""

from __future__ import annotations

import copy
import re
from datetime import date

from django import forms

from calculator import labels, periods
from calculator import policy as policies
from calculator.certificates import Entry
from calculator.checklist import Extras
from calculator.scoring import CertificateClaim, Policy, Profile, age_at, month_of, rate_text
from calculator.vocabulary import TRUE_WORDS

MAX_QUERY_LENGTH = 8000
MAX_AGE = 99  # the form's sanity limit; the rules' own maximum is the policy's age.max_age
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
PERMIT_MESSAGE = "居住证到期月份请按 YYYY-MM 填写，例如 2027-05。"


def is_on(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS


class FlagInput(forms.CheckboxInput):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, check_test=is_on)

    def value_from_datadict(self, data, files, name: str) -> object:
        return data.get(name, "")


class Flag(forms.BooleanField):
    """A checkbox of the vocabulary: on when present with value on, 1 or true; otherwise off."""

    widget = FlagInput

    def __init__(self, label: str, help_text: str = "") -> None:
        super().__init__(label=label, help_text=help_text, required=False)

    def to_python(self, value: object) -> bool:
        return is_on(value)


class Integer(forms.IntegerField):
    """Django's IntegerField with its pattern for a trailing ".0" compiled up front: Django's is a lazy
    object, and reaching through it was most of converting a number (a keystroke converts several)."""

    re_decimal = re.compile(r"\.0*\s*$")


def count(label: str, most: int, unit: str) -> Integer:
    message = f"请输入 0 到 {most} 之间的整数（{unit}）。"
    return Integer(
        label=label,
        required=False,
        min_value=0,
        max_value=most,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def choice(label: str, table, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=list(table.items()), error_messages={"invalid_choice": message}
    )


class ProfileForm(forms.Form):
    age = Integer(label="年龄（周岁）", required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    birth = forms.CharField(label="出生年月", required=False, max_length=7)
    education = choice("最高学历", labels.EDUCATION, "请从列表中选择学历。")
    certificate = Integer(
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
    cert_job_match = Flag("专业/工种与所聘岗位相符", "证书的专业或工种须与你现在的岗位一致。")
    cert_in_shanghai = Flag(
        "在本市工作期间取得，或已经本市认定",
        "全国统一考试取得的可不受地域限制；外省市评审职称须经本市复评，外省市三级及以上技能证书须经本市复评或验证。",
    )
    cert_registered = Flag("已注册且在注册有效期内", "这是注册类职业资格：注册后才给予加分。")
    as_of = forms.DateField(
        label="评估日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "max": LAST_DAY.isoformat()}, format="%Y-%m-%d"),
        error_messages={"invalid": "请按 YYYY-MM-DD 填写评估日期，例如 2026-11-25。"},
    )
    shortage_major = Flag(labels.INDICATOR["shortage_major"])
    fresh_graduate = Flag(labels.INDICATOR["fresh_graduate"])
    invest_tax = count("个人投资企业年均纳税（元）", 10_000_000_000, "元")
    invest_hires = count("年均聘用本市户籍人数", 1_000_000, "人")
    public_service_years = count(f"{labels.INDICATOR['public_service']}（如环卫）工作年限", 60, "年")
    spouse_years = count("与本市户籍配偶结婚年限", 80, "年")
    remote_years = count("在远郊重点区域工作并居住年限", 60, "年")
    lingang_years = count("在临港新片区工作并居住年限", 60, "年")
    award = choice(
        f"{labels.INDICATOR['award']}（在本市工作期间获得，取最高一项）", labels.AWARD, "请从列表中选择表彰奖励。"
    )
    talent = choice(labels.INDICATOR["talent"], labels.TALENT, "请从列表中选择。")
    false_material = count("提供虚假材料次数", 50, "次")
    detention = count("行政拘留次数", 50, "次")
    crime = count("一般刑事犯罪记录次数", 50, "次")
    veto_family_planning = Flag("有违反国家或本市计划生育政策规定的记录")
    veto_serious_crime = Flag("有严重刑事犯罪记录")
    # Answers that never change the score: they add pre-flight checks, materials and reminders.
    foreign_degree = Flag(labels.EXTRAS["foreign_degree"], "须先办理教育部留学服务中心的认证。")
    agent_paid = Flag(labels.EXTRAS["agent_paid"], "例如由人事代理公司或挂靠单位代为缴纳的月份。")
    tax_mismatch = Flag(labels.EXTRAS["tax_mismatch"], "可在个人所得税 App 的收入纳税明细中查看扣缴单位。")
    archive_outside = Flag(labels.EXTRAS["archive_outside"], "人事档案不在本市的人才服务中心或单位。")
    permit_expires = forms.CharField(
        label=labels.EXTRAS["permit_expires"],
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "min": "2000-01", "max": "2100-12"}),
        help_text="见居住证上的有效期，格式 YYYY-MM。会提醒到期前签注，并可加入日历。",
    )

    BONUSES = ("shortage_major", "fresh_graduate", "invest_tax", "invest_hires", "public_service_years",
               "spouse_years", "remote_years", "lingang_years", "award", "talent")  # fmt: skip
    DEDUCTIONS = ("false_material", "detention", "crime", "veto_family_planning", "veto_serious_crime")
    EXTRAS = tuple(labels.EXTRAS)

    def __init__(
        self,
        data=None,
        *,
        policy: Policy | None = None,
        certificates=None,
        earliest: date | None = None,
        today: date | None = None,
    ):
        self.base_fields = {}  # BaseForm.__init__ deep-copies these; the prepared fields replace them
        super().__init__(data, label_suffix="")
        self.today = today or policies.today()  # the default evaluation date
        fields, self._absent = _prepared_fields(policy, earliest or FIRST_DAY, self.today)
        self.fields = dict(fields)
        self.policy = policy
        self.certificates = certificates  # callable: id -> calculator.certificates.Entry or None
        self.certificate_entry: Entry | None = None
        self.parsed_periods = periods.Parsed()

    def _clean_fields(self) -> None:
        """Django's own loop without a BoundField per field (the form has no prefix, no file and no
        disabled field, so a field's data is its widget's value): a third of validating a query. A field
        left empty (most of them, in any query) is only converted: every field is optional, and Django's
        validate() and validators pass an empty optional value untouched. A field the query does not name
        at all (most of them) takes the value it always converts to, worked out with the prepared fields
        (asking the query for it raised and caught a KeyError each time)."""
        data, cleaned, absent = self.data, self.cleaned_data, self._absent
        for name, field in self.fields.items():
            try:
                if name in data or name not in absent:
                    value = field.widget.value_from_datadict(data, self.files, name)
                    empty = value in field.empty_values and not field.required
                    cleaned[name] = field.to_python(value) if empty else field.clean(value)
                else:
                    cleaned[name] = absent[name]
                if name in CLEANED:
                    cleaned[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)

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
        as_of = self.cleaned_data.get("as_of") or self.today
        if not (FIRST_DAY <= as_of <= LAST_DAY):
            raise forms.ValidationError(f"评估日期请填写 {FIRST_DAY.year} 年到 {LAST_DAY.year} 年之间的日期。")
        return as_of

    def clean_birth(self) -> int | None:
        text = self.cleaned_data.get("birth", "").strip()
        if not text:
            return None
        month = periods.parse_month(text, earliest=periods.MIN_BIRTH_YEAR)
        if month is None:
            raise forms.ValidationError("出生年月请按 YYYY-MM 填写，例如 1990-05。")
        return month

    def clean_permit_expires(self) -> int | None:
        text = self.cleaned_data.get("permit_expires", "").strip()
        if not text:
            return None
        month = periods.parse_month(text)
        if month is None:
            raise forms.ValidationError(PERMIT_MESSAGE)
        return month

    def clean(self) -> dict:
        cleaned = super().clean()
        birth, as_of = cleaned.get("birth"), cleaned.get("as_of")
        least = self.fields["age"].min_value or 0
        if birth is not None and as_of is not None and "age" not in self.errors:
            age = age_at(birth, month_of(as_of))
            if not (least <= age <= MAX_AGE):
                self.add_error("birth", f"按出生年月，评估日时为 {age} 周岁：须在 {least} 到 {MAX_AGE} 周岁之间。")
            else:
                cleaned["age"] = age
        elif cleaned.get("age") is None and not self.has_error("age") and not self.has_error("birth"):
            self.add_error("age", f"请填写年龄：{least} 到 {MAX_AGE} 之间的整数（周岁），或填写出生年月。")
        self.parsed_periods = periods.from_query(self.data)
        if self.parsed_periods.errors:
            self.add_error(None, forms.ValidationError(list(self.parsed_periods.errors), code="si"))
        return cleaned

    @property
    def si_errors(self) -> tuple[str, ...]:
        return self.parsed_periods.errors

    @property
    def other_errors(self) -> list[str]:
        """The errors of no field, except the SI table's: those are listed beside the table (and kept
        current there as the inputs change)."""
        shown = set(self.si_errors)
        return [message for message in self.non_field_errors() if message not in shown]

    @property
    def period_rows(self) -> tuple[periods.PeriodRow, ...]:
        return self.parsed_periods.rows

    # -- output ------------------------------------------------------------------------------

    def to_profile(self) -> Profile:
        """The validated input as the engine's Profile. Call only when is_valid()."""
        data, entry = self.cleaned_data, self.certificate_entry
        claim = None
        if entry is not None:
            claim = CertificateClaim(
                name=entry.name,
                tier=entry.tier,
                needs_registration=entry.needs_registration,
                active=entry.active,
                job_match=data["cert_job_match"],
                in_shanghai=data["cert_in_shanghai"],
                registered=data["cert_registered"],
            )
        numbers = {name: data[name] or 0 for name in NUMBERS}
        return Profile(
            age=data["age"],
            education=data["education"] or "none",
            certificate=claim,
            si_periods=self.parsed_periods.periods,
            shortage_major=data["shortage_major"],
            fresh_graduate=data["fresh_graduate"],
            award=data["award"] or "none",
            talent=data["talent"] or "none",
            veto_family_planning=data["veto_family_planning"],
            veto_serious_crime=data["veto_serious_crime"],
            birth=data.get("birth"),
            **numbers,
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
            out.setdefault("si" if field == "__all__" else field, []).extend(str(e) for e in errors)
        return out

    def opens(self, group: tuple[str, ...]) -> bool:
        """Whether a folded group of fields holds an entered value (the page opens its <details>)."""
        return any((self.data.get(name) or "none") not in ("none", "0", "") for name in group)


CLEANED = frozenset(name for name in ProfileForm.base_fields if hasattr(ProfileForm, f"clean_{name}"))

for _name, _field in ProfileForm.base_fields.items():
    _field.widget.attrs["aria-describedby"] = f"{_name}-help err-{_name}"


def state_the_rules(fields: dict[str, forms.Field], policy: Policy) -> None:
    """Labels, help texts and limits that state a rule, from the edition in force."""
    rule = policy.age
    span = f"{rule.min_age} 到 {MAX_AGE} 之间的整数"
    fields["age"] = Integer(
        label=fields["age"].label,
        required=False,
        min_value=rule.min_age,
        max_value=MAX_AGE,
        widget=fields["age"].widget,
        error_messages={
            "invalid": f"年龄请填写 {span}（周岁）。",
            "min_value": f"年龄须满 {rule.min_age} 周岁：请填写 {span}。",
            "max_value": f"年龄请填写 {span}（周岁）。",
        },
        help_text=(
            f"评估日当天的周岁。{rule.base_from}–{rule.max_age} 岁 {rule.base_points} 分，"
            f"每年轻 1 岁加 {rule.per_year} 分，最高 {rule.cap} 分。"
        ),
    )
    fields["education"].choices = _with_points(labels.EDUCATION, policy.education_points)
    fields["education"].help_text = "国家承认的最高学历学位；与职称/技能二选一，计入较高者。"
    fields["award"].choices = _with_points(labels.AWARD, policy.award_points)
    talent = {code: policy.talent_points for code in labels.TALENT if code != "none"}
    fields["talent"].choices = _with_points(labels.TALENT, talent)
    fields["talent"].help_text = f"符合本市相关条件的，计一次 {policy.talent_points} 分。"
    fields[
        "shortage_major"
    ].help_text = f"+{policy.shortage_major_points} 分。全日制所学专业属于本市紧缺急需专业目录，且与所聘岗位相符。"
    fields["fresh_graduate"].help_text = f"+{policy.fresh_graduate_points} 分。毕业当年以应届生身份申请。"
    years, step = policy.investment_years, policy.investment_points_per_step
    fields["invest_tax"].label = f"个人投资企业近 {years} 年年均纳税（元）"
    fields[
        "invest_tax"
    ].help_text = f"按个人股份计算，每满 {policy.investment_tax_step:,} 元 {step} 分，最高 {policy.investment_cap} 分。"
    fields["invest_hires"].label = f"近 {years} 年年均聘用本市户籍人数"
    fields["invest_hires"].help_text = f"每满 {policy.investment_hires_step} 人 {step} 分，与纳税途径取较高者。"
    fields["public_service_years"].help_text = rate_text(policy.public_service) + "。"
    fields["spouse_years"].help_text = rate_text(policy.spouse) + "。"
    fields["remote_years"].help_text = rate_text(policy.remote_area) + "。"
    fields["lingang_years"].help_text = rate_text(policy.lingang) + "；与远郊取较高者。"
    for code in ("false_material", "detention", "crime"):
        deduction = policy.deductions[code]
        fields[code].label = f"近 {deduction.window_years} 年{fields[code].label}"
        fields[code].help_text = f"每次 {deduction.points} 分。"
    for code in ("veto_family_planning", "veto_serious_crime"):
        fields[code].help_text = "一票否决：不能申请积分。"


_STATED: dict[int, tuple[Policy, dict[str, forms.Field]]] = {}


_PREPARED: dict[tuple, tuple[Policy | None, dict[str, forms.Field], dict[str, object]]] = {}


def _prepared_fields(
    policy: Policy | None, earliest: date, today: date
) -> tuple[dict[str, forms.Field], dict[str, object]]:
    """The fields of a form for `policy`, with the evaluation date's limits and help for `today`, and
    what each converts to when a query does not name it (its widget's value for an absent name).

    Built once per (policy, earliest date, day) instead of deep-copied for every form (that copy was a
    tenth of a keystroke's server time). Forms share these Field objects, so nothing may change a field
    after this point: whatever varies per request belongs in the key."""
    key = (id(policy), earliest, today)
    known = _PREPARED.get(key)
    if known is None or known[0] is not policy:
        if len(_PREPARED) >= 16:
            _PREPARED.clear()
        fields = copy.deepcopy(_fields_stating(policy) if policy is not None else ProfileForm.base_fields)
        fields["as_of"].widget.attrs["min"] = earliest.isoformat()
        fields["as_of"].help_text = f"留空即今天（{today:%Y-%m-%d}）。可以选一个将来的日期，看那时能得多少分。"
        absent = {
            name: field.to_python(field.widget.value_from_datadict({}, {}, name)) for name, field in fields.items()
        }
        known = _PREPARED[key] = (policy, fields, absent)
    return known[1], known[2]


def _fields_stating(policy: Policy) -> dict[str, forms.Field]:
    """The form's fields with the rules of `policy` stated, built once per Policy value (policies are
    immutable and the loader keeps one per edition until staff save; the entry holds the policy, so
    its id is not reused while cached)."""
    known = _STATED.get(id(policy))
    if known is None or known[0] is not policy:
        if len(_STATED) >= 16:
            _STATED.clear()
        fields = copy.deepcopy(ProfileForm.base_fields)
        state_the_rules(fields, policy)
        known = _STATED[id(policy)] = (policy, fields)
    return known[1]


NUMBERS = frozenset(
    {"invest_tax", "invest_hires", "public_service_years", "spouse_years", "remote_years", "lingang_years",
     "false_material", "detention", "crime"}
)  # fmt: skip


def _with_points(table, points) -> list[tuple[str, str]]:
    """Choices whose labels show their points: "硕士研究生 · 100分"."""
    return [(code, f"{label} · {points[code]}分" if points.get(code) else label) for code, label in table.items()]
