"""A roster row's cells: a spreadsheet value as the text the vocabulary reads, and a row's cells as the
query string that `ProfileForm` reads like any URL.

Coded values are accepted as codes, labels or common words for them (高中 is 大专以下; 大学本科 alone is
asked about, since it does not say whether there is a 学士学位), checkboxes as 是/否, 1/0, on/off, true/false or empty,
the certificate as a catalogue id or an exact name or alias, and the SI periods in one cell
(`calculator/periods.py` reads it). What the form cannot check (an unknown 是/否 word, a certificate
name, the SI cell) is reported here, per column, in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.http import QueryDict

from calculator import labels, periods
from calculator.roster.columns import BY_NAME, MAX_REF, MONTH_COLUMNS, normalise

if TYPE_CHECKING:  # the catalogue's entry type; only its fields are read here
    from calculator.certificates import Entry

TRUE_WORDS = frozenset({"是", "1", "on", "true", "yes", "y", "√", "✓", "有"})
FALSE_WORDS = frozenset({"否", "0", "off", "false", "no", "n", "×", "无", ""})
EDUCATION_ALIASES = {
    **dict.fromkeys(("初中", "高中", "中专", "中技", "职高", "小学"), "none"),  # all below 大专: RULES.md §1.2
    "大专": "junior_college",
    "高职": "junior_college",
    **dict.fromkeys(("本科+学士学位", "本科+学士", "大学本科+学士", "本科学士", "学士"), "bachelor_degree"),
    **dict.fromkeys(("本科（无学士学位）", "本科无学位", "大学本科无学位"), "bachelor"),
    "硕士": "master",
    "博士": "doctor",
}
# 本科 alone does not say whether there is a 学士学位, and the two score differently: the row asks.
UNSAID_DEGREE = frozenset(normalise(word) for word in ("本科", "大学本科", "本科学历", "大学本科学历"))


def _choice_keys(choices: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    keys = {normalise(code): code for code in choices} | {normalise(label): code for label, code in aliases.items()}
    return keys | {normalise(label): code for code, label in choices.items()} | {"": ""}


CHOICES: Mapping[str, Mapping[str, str]] = {
    "education": labels.EDUCATION,
    "award": labels.AWARD,
    "talent": labels.TALENT,
}
CHOICE_ALIASES: Mapping[str, Mapping[str, str]] = {"education": EDUCATION_ALIASES}
CHOICE_KEYS = {name: _choice_keys(table, CHOICE_ALIASES.get(name, {})) for name, table in CHOICES.items()}


def cell_text(value: object, name: str) -> str:
    """A spreadsheet value as the text the vocabulary reads: a date as YYYY-MM for a month column
    (`birth`, `permit_expires`: Excel turns a typed 1990-05 into a date) and YYYY-MM-DD otherwise, a
    whole number without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}" if name in MONTH_COLUMNS else f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value).replace("\x00", "").strip()  # PostgreSQL stores no NUL


@dataclass(frozen=True, slots=True)
class RowInput:
    """One row as the vocabulary: the query string, the ref, and the problems the form cannot see."""

    data: QueryDict
    ref: str
    errors: tuple[tuple[str, str], ...]  # (vocabulary name, message)


CertificateNames = Callable[[str], list["Entry"]]  # an exact name or alias -> catalogue entries


def row_input(cells: Mapping[str, str], as_of: date, certificates_named: CertificateNames) -> RowInput:
    """The cells of one row ({vocabulary name: text}) as a QueryDict of the vocabulary, evaluated on
    the row's own `as_of` or else the roster's."""
    data = QueryDict(mutable=True)
    errors: list[tuple[str, str]] = []
    for name, text in cells.items():
        column = BY_NAME[name]
        if column.kind == "ref":
            if len(text) > MAX_REF:
                errors.append((name, f"工号/备注最多 {MAX_REF} 个字符。"))
        elif column.kind == "flag":
            word = normalise(text)
            if word in TRUE_WORDS:
                data[name] = "on"
            elif word not in FALSE_WORDS:
                errors.append((name, f"“{text[:20]}”无法识别：请填写“是”或“否”（也可填 1 或 0）。"))
        elif column.kind == "choice":
            code = CHOICE_KEYS[name].get(normalise(text))
            if code is None:
                errors.append((name, _unknown_choice(name, text)))
            else:
                data[name] = code
        elif column.kind == "int":
            data[name] = text.replace(",", "").replace("，", "")
        elif column.kind == "certificate":
            _certificate(text, certificates_named, data, errors)
        elif column.kind == "si":
            parsed = periods.from_cell(text)
            errors.extend((name, message) for message in parsed.errors)
            for key, value in periods.to_query(parsed.periods):
                data.appendlist(key, value)
        elif text:
            data[name] = text
    if not data.get("as_of"):
        data["as_of"] = as_of.isoformat()
    return RowInput(data, cells.get("ref", "")[:MAX_REF], tuple(errors))


def _unknown_choice(name: str, text: str) -> str:
    """What to write instead of a coded value the roster does not know: the labels of the template's list."""
    if name == "education" and normalise(text) in UNSAID_DEGREE:
        degree, plain = labels.EDUCATION["bachelor_degree"], labels.EDUCATION["bachelor"]
        return f"“{text[:20]}”没有说明是否有学士学位（两者分值不同）：请填“{degree}”或“{plain}”。"
    listed = "、".join(f"“{label}”" for label in CHOICES[name].values())
    return f"“{text[:20]}”无法识别：请填写其中之一：{listed}（也可填代码）。"


def _certificate(text: str, certificates_named: CertificateNames, data: QueryDict, errors: list) -> None:
    if not text:
        return
    if periods.digits(text) is not None:
        data["certificate"] = text
        return
    entries = certificates_named(text)
    if len(entries) == 1:
        data["certificate"] = str(entries[0].id)
    elif not entries:
        errors.append(("certificate", f"证书目录中没有名称或别名为“{text[:30]}”的证书：请填写目录中的名称或编号。"))
    else:  # the same word in two series can score very differently (技师: 卫生技术 初级, or 技能等级 二级)
        which = "、".join(f"{entry.id}（{entry.series} · {entry.level}）" for entry in entries[:5])
        errors.append(("certificate", f"“{text[:30]}”在目录中对应多个证书，请改填其中一个的证书编号：{which}。"))


def form_errors(errors_json: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """`ProfileForm.errors_json()` as (vocabulary name, message): SI problems belong to the `si` column."""
    return [(name, str(message)) for name, messages in errors_json.items() for message in messages]
