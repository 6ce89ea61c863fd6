"""Roster columns: headers mean vocabulary names, cells become the query string ProfileForm reads."""

from datetime import date, datetime

import pytest

from calculator import labels
from calculator.certificates import Entry
from calculator.roster.cells import cell_text, row_input
from calculator.roster.columns import COLUMNS, HEADER_KEYS, column_for

AS_OF = date(2026, 11, 15)


def entry(pk: int, name: str, series: str, level: str) -> Entry:
    return Entry(pk, name, "title", series, level, "intermediate", False, "", True)


def no_certificates(text: str) -> list[Entry]:
    named = {
        "经济师": [entry(102, "经济师", "经济", "中级")],
        "技师": [entry(199, "技师", "卫生技术", "初级"), entry(326, "技能等级 二级(技师)", "技能等级", "二级")],
    }
    return named.get(text, [])


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("age", "age"),
        ("年龄（周岁）", "age"),
        ("年龄", "age"),
        (" 年龄(周岁) ", "age"),
        ("最高学历", "education"),
        ("社保缴费期间", "si"),
        ("工号/备注", "ref"),
        ("cert_job_match", "cert_job_match"),
        ("个人投资企业年均纳税（元）", "invest_tax"),
        ("评估日期*", "as_of"),
        ("姓名", None),
        ("身份证号", None),
    ],
)
def test_headers_are_names_or_labels(header: str, name: str | None) -> None:
    assert column_for(header) == name


def test_every_column_is_found_by_its_name_and_header_and_no_two_share_a_key() -> None:
    for column in COLUMNS:
        assert column_for(column.name) == column.name
        assert column_for(column.header) == column.name
    assert len(set(HEADER_KEYS.values())) == len(COLUMNS)


@pytest.mark.parametrize(
    ("value", "name", "text"),
    [
        (datetime(1990, 5, 1), "birth", "1990-05"),
        (datetime(2027, 1, 1), "permit_expires", "2027-01"),
        (date(2026, 11, 15), "as_of", "2026-11-15"),
        (35.0, "age", "35"),
        (35.5, "age", "35.5"),
        (12000, "spouse_years", "12000"),
        (True, "cert_job_match", "是"),
        (None, "age", ""),
        ("  A001 ", "ref", "A001"),
    ],
)
def test_cells_become_the_text_the_vocabulary_reads(value, name: str, text: str) -> None:
    assert cell_text(value, name) == text


@pytest.mark.parametrize(
    ("word", "on"), [("是", True), ("1", True), ("on", True), ("TRUE", True), ("否", False), ("0", False), ("", False)]
)
def test_flags_read_yes_and_no_words(word: str, on: bool) -> None:
    row = row_input({"age": "30", "cert_job_match": word}, AS_OF, no_certificates)
    assert row.errors == ()
    assert (row.data.get("cert_job_match") == "on") is on


def test_the_five_checklist_answers_are_columns_of_the_vocabulary() -> None:
    cells = {"age": "30", "foreign_degree": "是", "agent_paid": "1", "tax_mismatch": "否", "archive_outside": "",
             "permit_expires": "2027-01"}  # fmt: skip
    row = row_input(cells, AS_OF, no_certificates)
    assert row.errors == ()
    assert row.data.get("foreign_degree") == "on" and row.data.get("agent_paid") == "on"
    assert "tax_mismatch" not in row.data and row.data.get("permit_expires") == "2027-01"


def test_an_unknown_flag_word_is_an_error_not_a_silent_no() -> None:
    row = row_input({"age": "30", "fresh_graduate": "也许"}, AS_OF, no_certificates)
    assert row.errors[0][0] == "fresh_graduate" and "“也许”无法识别" in row.errors[0][1]


@pytest.mark.parametrize(("text", "code"), [("bachelor_degree", "bachelor_degree"), ("大专", "junior_college")])
def test_coded_values_are_codes_or_labels(text: str, code: str) -> None:
    assert row_input({"age": "30", "education": text}, AS_OF, no_certificates).data["education"] == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("高中", "none"), ("中专", "none"), ("本科 + 学士", "bachelor_degree"), ("学士", "bachelor_degree"),
     ("本科(无学士学位)", "bachelor"), ("硕士", "master")],
)  # fmt: skip
def test_common_words_for_an_education_read_as_its_code(text: str, code: str) -> None:
    row = row_input({"age": "30", "education": text}, AS_OF, no_certificates)
    assert (row.data["education"], row.errors) == (code, ())


@pytest.mark.parametrize("text", ["本科", "大学本科", " 本科学历 "])
def test_bachelor_without_saying_whether_there_is_a_degree_is_asked_not_guessed(text: str) -> None:
    row = row_input({"age": "30", "education": text}, AS_OF, no_certificates)
    assert "education" not in row.data
    [(name, message)] = row.errors
    assert name == "education" and "没有说明是否有学士学位" in message
    assert labels.EDUCATION["bachelor_degree"] in message and labels.EDUCATION["bachelor"] in message


def test_an_unknown_coded_value_lists_what_the_column_takes() -> None:
    row = row_input({"age": "30", "education": "研究生", "award": "劳模"}, AS_OF, no_certificates)
    messages = dict(row.errors)
    assert "education" not in row.data and "award" not in row.data
    assert all(f"“{label}”" in messages["education"] for label in labels.EDUCATION.values())
    assert messages["award"].startswith("“劳模”无法识别") and labels.AWARD["national"] in messages["award"]


def test_every_education_label_reads_as_its_code() -> None:
    for code, label in labels.EDUCATION.items():
        assert row_input({"education": label}, AS_OF, no_certificates).data["education"] == code


def test_certificate_by_id_name_or_an_ambiguous_name() -> None:
    assert row_input({"certificate": "7"}, AS_OF, no_certificates).data["certificate"] == "7"
    assert row_input({"certificate": "经济师"}, AS_OF, no_certificates).data["certificate"] == "102"
    unknown = row_input({"certificate": "宇航员"}, AS_OF, no_certificates)
    assert "certificate" not in unknown.data and "没有名称或别名为“宇航员”" in unknown.errors[0][1]
    ambiguous = row_input({"certificate": "技师"}, AS_OF, no_certificates)
    assert "certificate" not in ambiguous.data
    assert "请改填其中一个的证书编号：199（卫生技术 · 初级）、326（技能等级 · 二级）。" in ambiguous.errors[0][1]


def test_the_si_cell_becomes_the_query_triples_and_its_errors_stay_on_the_column() -> None:
    row = row_input({"age": "30", "si": "2019-07~2023-06:12000；2023-07~至今:封顶"}, AS_OF, no_certificates)
    assert row.data.getlist("si_from") == ["2019-07", "2023-07"]
    assert row.data.getlist("si_to") == ["2023-06", ""]
    assert row.data.getlist("si_base") == ["12000", "max"]
    bad = row_input({"age": "30", "si": "2019-07 to now"}, AS_OF, no_certificates)
    assert bad.errors and bad.errors[0][0] == "si" and "无法识别" in bad.errors[0][1]


def test_the_roster_date_unless_the_row_has_its_own() -> None:
    assert row_input({"age": "30"}, AS_OF, no_certificates).data["as_of"] == "2026-11-15"
    assert row_input({"age": "30", "as_of": "2025-01-31"}, AS_OF, no_certificates).data["as_of"] == "2025-01-31"
