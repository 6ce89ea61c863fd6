"""The query-string vocabulary's names, in one place: the canonical query of a set of inputs, the
parameters that express a change of the `Profile`, a link's query with such a change applied, and the
inputs in words. Pure (no Django): calculator/forms.py validates the same names, calculator/periods.py
owns the SI periods' encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl, quote_plus

from calculator import labels, periods
from calculator.scoring import CertificateClaim

if TYPE_CHECKING:  # the catalogue entry type lives beside the (Django) lookup; only its fields are read here
    from calculator.certificates import Entry

# Every parameter of the vocabulary except the SI periods, in the canonical order.
FIELDS = (
    "age", "birth", "education", "certificate", "cert_job_match", "cert_in_shanghai", "cert_registered", "as_of",
    "shortage_major", "fresh_graduate", "invest_tax", "invest_hires", "public_service_years", "remote_years",
    "lingang_years", "spouse_years", "award", "talent", "false_material", "detention", "crime",
    "veto_family_planning", "veto_serious_crime", *labels.EXTRAS,
)  # fmt: skip
_ORDER = {key: index for index, key in enumerate(FIELDS)}
SI_FIELDS = (*periods.FIELDS, "si_max")
ON = "on"
TRUE_WORDS = frozenset({"on", "1", "true"})  # a flag's values that mean yes
# Profile fields that are plain parameters of the same name.
PLAIN = frozenset({"education", "award", "talent"})
FLAGS = frozenset({"shortage_major", "fresh_graduate", "veto_family_planning", "veto_serious_crime"})
CERTIFICATE_FLAGS = (
    ("cert_job_match", "job_match"),
    ("cert_in_shanghai", "in_shanghai"),
    ("cert_registered", "registered"),
)


def canonical(data: Mapping) -> str:
    """The vocabulary's parameters of `data` (a QueryDict or a dict of lists), in a stable order,
    without empty values; the SI rows last, as periods.py writes them."""
    present = sorted((key for key in data if key in _ORDER), key=_ORDER.__getitem__)  # a query names few
    pairs = [(key, text) for key in present for value in periods.values(data, key) if (text := value.strip())]
    pairs += periods.query_pairs(periods.query_triples(data))
    return query_string(pairs)


def query_string(pairs: list[tuple[str, str]]) -> str:
    """`urllib.parse.urlencode(pairs)`, with each name and value quoted once per process: a query's
    values ("on", "2021-11", "15000", the names) recur in every link of every page, and quoting each
    again was a fifth of the path to 120's links."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in pairs)


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote_plus(text)


def profile_params(changes: Mapping[str, object]) -> dict[str, list[str]]:
    """The parameters that express replacing these `Profile` fields: every key given replaces that
    parameter (an empty list removes it). A certificate's catalogue id is not part of a claim: the
    caller adds `certificate`."""
    params: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name in PLAIN:
            params[name] = [str(value)]
        elif name in FLAGS:
            params[name] = [ON] if value else []
        elif name == "si_periods":
            params.update({key: [] for key in periods.FIELDS})
            for key, text in periods.to_query(value):  # type: ignore[arg-type]
                params[key].append(text)
        elif name == "certificate" and isinstance(value, CertificateClaim):
            params.update({key: [ON] if getattr(value, attr) else [] for key, attr in CERTIFICATE_FLAGS})
        else:
            params[name] = [str(value)]
    return params


def with_params(query: str, params: Mapping[str, list[str]]) -> str:
    """`query` with the given parameters replaced (SI rows replace all of the SI rows)."""
    replaced = set(params)
    if replaced & set(periods.FIELDS):
        replaced |= set(SI_FIELDS)
    pairs = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key not in replaced]
    rows = zip(*(params.get(key, []) for key in periods.FIELDS), strict=False)
    pairs += periods.query_pairs(rows)
    pairs += [(key, value) for key, values in params.items() if key not in periods.FIELDS for value in values]
    return query_string(pairs)


def _first_text(data: Mapping, key: str) -> str:
    """The first value of `key` that is not blank, stripped, as the canonical query keeps it ("" if none)."""
    return next((text for value in periods.values(data, key) if (text := value.strip())), "")


NUMBERS = (
    ("invest_tax", "年均纳税", "元"),
    ("invest_hires", "年均聘用本市户籍", "人"),
    ("public_service_years", "公共服务领域", "年"),
    ("remote_years", "远郊重点区域", "年"),
    ("lingang_years", "临港新片区", "年"),
    ("spouse_years", "与本市户籍配偶结婚", "年"),
    ("false_material", "虚假材料", "次"),
    ("detention", "行政拘留", "次"),
    ("crime", "一般刑事犯罪", "次"),
)


def summary(
    data: Mapping | str, certificate: Entry | None, si_rows: tuple[periods.PeriodRow, ...] | None = None
) -> list[tuple[str, str]]:
    """What the applicant entered, in words, for the shared and printed page: from a query string, or
    from the query as given (a QueryDict or a dict of lists) with the SI rows its form already read. Each
    parameter reads as in the canonical query: its first value that is not blank."""
    if isinstance(data, str):
        data = parse_qs(data, keep_blank_values=True)
    first = {key: _first_text(data, key) for key in data if key in _ORDER}  # a query names few

    def get(key: str, default: str = "") -> str:
        return first.get(key) or default

    rows: list[tuple[str, str]] = []
    if get("birth"):
        rows.append(("出生年月", get("birth")))
    if get("age"):
        rows.append(("年龄", f"{get('age')} 周岁"))
    rows.append(("最高学历", labels.EDUCATION.get(get("education", "none"), labels.EDUCATION["none"])))
    if certificate:
        rows.append(("证书", f"{certificate.name}（{certificate.series} · {certificate.level}）"))
    entered = [
        (f"{row.si_from} 至 {row.si_to}" if row.si_to else f"{row.si_from} 至今")
        + f"：{'封顶' if row.at_ceiling else row.si_base + ' 元'}"
        for row in (periods.from_query(data).rows if si_rows is None else si_rows)
    ]
    rows.append(("社保缴费", "；".join(entered) if entered else "未填写"))
    rows += [(label, f"{get(key)} {unit}") for key, label, unit in NUMBERS if get(key, "0") not in ("", "0")]
    rows += [(labels.INDICATOR[key], "是") for key in ("shortage_major", "fresh_graduate") if get(key)]
    # The answers that never change the score, under their own labels.
    permit = get("permit_expires")
    rows += [(label, "是") for key, label in labels.EXTRAS.items() if get(key).lower() in TRUE_WORDS]
    if permit:
        rows.append((labels.EXTRAS["permit_expires"], permit))
    if get("award", "none") != "none":
        rows.append((labels.INDICATOR["award"], labels.AWARD.get(get("award"), get("award"))))
    if get("talent", "none") != "none":
        rows.append(("人才类别", labels.TALENT.get(get("talent"), get("talent"))))
    if get("as_of"):
        rows.append(("评估日期", get("as_of")))
    return rows
