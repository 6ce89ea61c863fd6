"""The simulator page, its htmx fragment and the score API, through the test client."""

import re

import pytest

from catalogue.models import Certificate
from tests.factories import TYPICAL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]


def economist() -> Certificate:
    return Certificate.objects.get(kind="title", series="经济", name="经济师")


def test_blank_page_has_the_form_and_an_empty_result(client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="sim-form"' in html and 'id="result"' in html and 'id="total"' in html
    assert "硕士研究生 · 100分" in html  # each option shows its points before it is chosen
    assert "请修正" not in html


def test_full_page_renders_the_result(client) -> None:
    html = client.get("/?" + TYPICAL).content.decode()
    # age 30 + education 90 + SI 61 months -> 15 + base >=1x for 48 months -> 50 + spouse 12
    assert 'id="total" class="total">197<' in html
    assert "已达标，超出 77 分" in html
    assert "学历与职称二选一" in html
    assert 'value="35"' in html and 'value="2021-11"' in html


def test_fragment_on_htmx_request_replaces_the_url(client) -> None:
    response = client.get("/?" + TYPICAL + "&q=jjs", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="result"')
    assert "<form" not in html.replace('<form method="post" action="/share"', "")  # only the share button
    assert 'id="si-counts" class="si-counts" aria-label="社保月数统计" data-hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    url = response["HX-Replace-Url"]
    assert url.startswith("/?age=35&education=bachelor_degree") and "&q=" not in url


def test_page_varies_on_hx_request(client) -> None:
    assert "HX-Request" in client.get("/?" + TYPICAL)["Vary"]


def test_certificate_with_conditions_counts_and_beats_education(client) -> None:
    cert = economist()
    query = f"{TYPICAL}&certificate={cert.pk}&cert_job_match=on&cert_in_shanghai=on"
    html = client.get("/?" + query).content.decode()
    # 中级 title 100 > 本科 90, and 12 months at >= 1x satisfy the 6-of-12 rule
    assert 'id="total" class="total">207<' in html
    assert "经济师" in html and "专业/工种与所聘岗位相符" in html


def test_certificate_detail_fragment_shows_conditions(client) -> None:
    reg = Certificate.objects.filter(needs_registration=True, active=True).first()
    html = client.get(f"/certificate?certificate={reg.pk}").content.decode()
    assert 'id="cert-detail"' in html and "已注册且在注册有效期内" in html
    plain = economist()
    html = client.get(f"/certificate?certificate={plain.pk}").content.decode()
    assert "已注册" not in html and "最近 12 个月中至少 6 个月" in html


def test_no_js_certificate_search_offers_a_select(client) -> None:
    html = client.get("/?age=30&q=经济&cert_search=1").content.decode()
    assert '<select id="id_certificate" name="certificate">' in html
    assert "经济师" in html


def test_no_js_add_and_remove_rows(client) -> None:
    html = client.get("/?age=30&si_from=2020-01&si_to=&si_base=9000&add_row=1").content.decode()
    assert html.count('name="si_from"') == 2 + 1  # two rows and the <template> row
    base = "age=30&si_from=2019-01&si_to=2019-12&si_base=9000&si_from=2020-01&si_to=&si_base=max&si_max=1"
    html = client.get("/?" + base + "&remove_row=0").content.decode()
    assert 'value="2019-01"' not in html and 'value="2020-01"' in html
    assert 'name="si_max" value="0" checked' in html


def test_si_max_checkbox_means_the_ceiling(client) -> None:
    with_box = client.get("/api/score?age=30&si_from=2024-12&si_to=&si_base=&si_max=0&as_of=2026-11-15").json()
    with_word = client.get("/api/score?age=30&si_from=2024-12&si_to=&si_base=max&as_of=2026-11-15").json()
    assert with_box["total"] == with_word["total"] == 30 + 6 + 120  # 24 months: 2 years


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("age=15", "age", "16"),
        ("age=abc", "age", "整数"),
        ("", "age", "请填写年龄"),
        ("age=30&education=phd", "education", "请从列表中选择学历"),
        ("age=30&certificate=99999999", "certificate", "目录中没有这个证书"),
        ("age=30&certificate=-1", "certificate", "请从目录中选择证书"),
        ("age=30&si_from=2021-13&si_base=9000", "si", "起始月“2021-13”无效：请按 YYYY-MM"),
        ("age=30&si_from=2021-05&si_to=2021-01&si_base=9000", "si", "结束月早于起始月"),
        ("age=30&si_from=2021-05&si_base=lots", "si", "月缴费基数请填写"),
        ("age=30&as_of=2017-12-31", "as_of", "没有生效的积分办法"),
        ("age=30&as_of=31/12/2026", "as_of", "YYYY-MM-DD"),
        ("age=30&spouse_years=-1", "spouse_years", "0 到 80"),
        ("age=30&award=nobel", "award", "请从列表中选择"),
        ("age=30" + "&si_from=2020-01&si_to=2020-02&si_base=9000" * 41, "si", "最多填写 40 段"),
    ],
)
def test_api_errors_are_400_with_chinese_messages(client, query, field, message) -> None:
    response = client.get("/api/score?" + query.replace("age=30&", "age=30&", 1))
    if query == "":
        response = client.get("/api/score?education=master")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert any(message in m for m in errors[field])


def test_bad_input_on_the_page_keeps_values_and_says_what_to_fix(client) -> None:
    response = client.get("/?age=15&education=master&spouse_years=4")
    html = response.content.decode()
    assert response.status_code == 200
    assert "年龄须满 16 周岁" in html and 'aria-invalid="true"' in html
    assert 'value="15"' in html and '<option value="master" selected>' in html and 'value="4"' in html
    assert "还不能计算，请先修正" in html
    fragment = client.get("/?age=15", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "年龄须满 16 周岁" in fragment.content.decode()
    assert "HX-Replace-Url" not in fragment


def test_a_bad_si_row_marks_the_input_that_is_wrong_and_says_so_once(client) -> None:
    html = client.get("/?age=30&si_from=2019-03&si_to=&si_base=-5&si_from=2020-01&si_to=2019-01&si_base=9000").content
    html = html.decode()
    base = re.search(r'<input[^>]*id="si_base_0"[^>]*>', html)[0]
    start = re.search(r'<input[^>]*id="si_from_0"[^>]*>', html)[0]
    end_of_second = re.search(r'<input[^>]*id="si_to_1"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in base and 'aria-describedby="err-si"' in base
    assert "aria-invalid" not in start  # 2019-03 is a good month
    assert 'aria-invalid="true"' in end_of_second  # ends before it starts
    assert html.count("月缴费基数请填写以元为单位的整数") == 2  # in the SI list and in the result's fix list
    assert 'class="form-errors"' not in html  # the SI list beside the table is the one that stays current
    assert '<div class="error" id="err-si"><ul><li>第 1 段：月缴费基数' in html


def test_overlong_query_is_refused_politely(client) -> None:
    response = client.get("/api/score?age=30&q=" + "x" * 9000)
    assert response.status_code == 400 and "过长" in str(response.json())
    assert client.get("/?age=30&q=" + "x" * 9000).status_code == 200


def test_api_score_shape(client) -> None:
    body = client.get("/api/score?" + TYPICAL).json()
    assert set(body) >= {"total", "threshold", "margin", "eligible", "passed", "reasons", "as_of", "policy",
                         "lines", "warnings", "notes"}  # fmt: skip
    assert [line["code"] for line in body["lines"]] == [
        "age", "education", "certificate", "si_years", "si_base", "shortage_major", "investment",
        "public_service", "key_area", "fresh_graduate", "spouse", "award", "talent",
        "false_material", "detention", "crime",
    ]  # fmt: skip
    assert body["total"] == sum(line["points"] for line in body["lines"] if line["counted"]) == 197
    assert body["policy"] == {"edition": body["policy"]["edition"], "effective_from": "2018-01-01"}
    assert body["as_of"] == "2026-11-15" and body["passed"] is True and body["margin"] == 77


def test_checkbox_values(client) -> None:
    on = [client.get(f"/api/score?age=30&fresh_graduate={v}").json()["total"] for v in ("on", "1", "true")]
    off = [client.get(f"/api/score?age=30&fresh_graduate={v}").json()["total"] for v in ("off", "0", "no", "")]
    assert on == [40, 40, 40] and off == [30, 30, 30, 30]


def test_admin_changes_change_the_next_score(client) -> None:
    from calculator.models import AverageWage, EducationPoints, PolicyEdition

    before = client.get("/api/score?" + TYPICAL).json()["total"]
    edition = PolicyEdition.objects.get()
    EducationPoints.objects.filter(edition=edition, code="bachelor_degree").update(points=95)
    # QuerySet.update sends no signal: save() a row the way the admin does
    row = EducationPoints.objects.get(edition=edition, code="bachelor_degree")
    row.save()
    assert client.get("/api/score?" + TYPICAL).json()["total"] == before + 5
    edition.age_cap = 25
    edition.save()
    assert client.get("/api/score?" + TYPICAL).json()["total"] == before + 5 - 5
    # a higher average for the current year makes 15000 fall short of 2x... and of nothing else;
    # raise it above 15000 instead so 1x fails for the last 17 months: 31 of 48 months left -> 0.8x tier
    wage = AverageWage.objects.order_by("-start").first()
    wage.average, wage.ceiling = 16000, 48000
    wage.save()
    body = client.get("/api/score?" + TYPICAL).json()
    assert next(line for line in body["lines"] if line["code"] == "si_base")["points"] == 25


def test_fragment_is_rendered_once_per_input_and_follows_staff_edits(client, django_assert_max_num_queries) -> None:
    from calculator.models import EducationPoints

    hx = {"HX-Request": "true"}
    first = client.get("/?" + TYPICAL, headers=hx)
    assert "csrfmiddlewaretoken" not in first.content.decode()  # nothing per user in a shared render
    with django_assert_max_num_queries(1):
        again = client.get("/?" + TYPICAL, headers=hx)
    assert again.content == first.content and again["HX-Replace-Url"] == first["HX-Replace-Url"]
    row = EducationPoints.objects.get(code="bachelor_degree")
    row.points = 95
    row.save()
    assert 'id="total" class="total">202<' in client.get("/?" + TYPICAL, headers=hx).content.decode()
