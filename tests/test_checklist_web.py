"""The checklist on the page, in its fragment, without JavaScript, in /api/score, in a shared link, and the .ics."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from calculator.models import Material, PreflightCheck, SharedResult
from catalogue.models import Certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]

# 30 + 硕士 100 + SI 83 months 18 + base 50 + spouse 12 = 210: passes now
MASTER = "age=30&education=master&si_from=2020-01&si_to=&si_base=20000&spouse_years=3&as_of=2026-11-15"
# 30 + 大专 50 + SI 11 months 0: far from 120
COLLEGE = "age=30&education=junior_college&si_from=2026-01&si_to=&si_base=9000&as_of=2026-11-15"
EXTRAS = "&foreign_degree=on&agent_paid=on&tax_mismatch=on&archive_outside=on&permit_expires=2027-01"


def builder() -> Certificate:
    return Certificate.objects.get(pk=Certificate.objects.filter(needs_registration=True, tier="intermediate")[0].pk)


def test_the_page_lists_the_materials_grouped_and_the_checks_beside_the_score(client) -> None:
    html = client.get("/?" + MASTER).content.decode()
    assert "申报材料清单" in html and "申请前检查" in html
    groups = [html.index(f"<h3>{g}</h3>") for g in ("通用", "教育背景", "配偶")]
    assert groups == sorted(groups)
    assert "学位网 中国高等教育学位在线验证报告" in html and "结婚证、配偶身份证、配偶户口簿（本市户籍）" in html
    assert "职称证书、职业资格证书或职业技能等级证书" not in html
    assert html.index("申请前检查") < html.index("基础指标")  # beside the score, before the lines
    assert 'href="https://jzzjf.rsj.sh.gov.cn/jzzjf/pingfen/bszn4.jsp"' in html and "不是法规" in html
    assert 'id="m-general_id_card"' in html and 'name="m-' not in html  # ticks are never submitted
    assert html.count("怎样申请：由单位办理") == 2  # folded on screen, plain in print: once each
    # back_pay sits under the SI table, not among the checks
    assert html.count("补缴的月份不计入") == 1 and html.index("补缴的月份不计入") < html.index('id="result"')


def test_the_fragment_follows_the_answers(client) -> None:
    hx = {"HX-Request": "true"}
    before = client.get("/?" + COLLEGE, headers=hx).content.decode()
    assert "学信网《教育部学历证书电子注册备案表》" in before and "学位证书" not in before
    after = client.get("/?" + COLLEGE.replace("junior_college", "bachelor_degree"), headers=hx).content.decode()
    assert "学位证书" in after and "学位网 中国高等教育学位在线验证报告" in after


def test_without_javascript_the_submitted_form_shows_the_checklist(client) -> None:
    html = client.get("/?" + COLLEGE + EXTRAS).content.decode()
    assert "教育部留学服务中心 国(境)外学历学位认证书" in html
    assert "你的居住证 2027年1月 到期" in html
    described = 'aria-describedby="foreign_degree-help err-foreign_degree"'
    assert f'name="foreign_degree" value="on" {described} id="id_foreign_degree" checked' in html
    assert 'value="2027-01"' in html
    assert "<details open>" in html  # the folded answers open when one is given


def test_the_five_answers_never_change_the_score(client) -> None:
    for query in (MASTER, COLLEGE):
        plain = client.get("/api/score?" + query).json()
        extra = client.get("/api/score?" + query + EXTRAS).json()
        assert extra["total"] == plain["total"]
        assert extra["lines"] == plain["lines"]
        assert len(extra["checks"]) > len(plain["checks"])


def test_the_api_gives_materials_and_checks(client) -> None:
    data = client.get("/api/score?" + COLLEGE + EXTRAS).json()
    assert {c["code"] for c in data["checks"]} == {
        "back_pay", "employer_registered", "agent_paid", "tax_mismatch", "archive_outside", "foreign_degree",
        "permit_expiry",
    }  # fmt: skip
    first = data["materials"][0]
    assert set(first) == {"key", "group", "item", "form", "provider", "provider_label", "confirmed"}
    assert {m["provider"] for m in data["materials"]} == {"applicant", "employer", "system"}
    foreign = next(m for m in data["materials"] if m["key"] == "education_foreign_certification")
    assert (foreign["group"], foreign["confirmed"]) == ("教育背景", False)
    assert all(set(c) == {"code", "message", "confirmed"} for c in data["checks"])
    assert "steps" not in data


@pytest.mark.parametrize("value", ["2027/01", "2027-13", "soon", "12345678"])
def test_a_bad_expiry_month_is_a_chinese_message_next_to_the_field(client, value) -> None:
    response = client.get("/api/score?" + COLLEGE + "&permit_expires=" + value)
    assert response.status_code == 400
    assert response.json()["errors"]["permit_expires"] == ["居住证到期月份请按 YYYY-MM 填写，例如 2027-05。"]
    html = client.get("/?" + COLLEGE + "&permit_expires=" + value, headers={"HX-Request": "true"}).content.decode()
    assert '<p class="error" id="err-permit_expires" data-hx-swap-oob="true">居住证到期月份请按 YYYY-MM 填写' in html


def test_the_url_keeps_the_new_answers(client) -> None:
    response = client.get("/?" + COLLEGE + EXTRAS, headers={"HX-Request": "true"})
    url = response["HX-Replace-Url"]
    for pair in EXTRAS.lstrip("&").split("&"):
        assert pair in url


def test_a_registration_title_failing_the_base_test_gets_both_checks(client) -> None:
    cert = builder()
    query = COLLEGE + f"&certificate={cert.pk}&cert_job_match=on&cert_in_shanghai=on"
    checks = {c["code"]: c["message"] for c in client.get("/api/score?" + query).json()["checks"]}
    assert "registration" in checks
    # 9000 a month is under 1x the average: continuing it never passes the six-month test
    assert checks["base_test"].endswith("按目前基数继续缴纳也不会满足：须提高缴费基数。")
    raised = query.replace("si_to=&si_base=9000", "si_to=2026-08&si_base=9000&si_from=2026-09&si_to=&si_base=20000")
    message = {c["code"]: c["message"] for c in client.get("/api/score?" + raised).json()["checks"]}["base_test"]
    assert message.endswith("预计 2027年2月 起满足。")  # the sixth month at 1x from 2026-09


def test_staff_edits_show_at_once(client) -> None:
    assert "本人身份证" in client.get("/?" + MASTER, headers={"HX-Request": "true"}).content.decode()
    row = Material.objects.get(key="general_id_card")
    row.item = "本人居民身份证（正反面）"
    row.save()
    check = PreflightCheck.objects.get(code="employer_registered")
    check.message = "先确认单位已注册为积分申请单位。"
    check.save()
    html = client.get("/?" + MASTER, headers={"HX-Request": "true"}).content.decode()
    assert "本人居民身份证（正反面）" in html and "先确认单位已注册为积分申请单位。" in html
    api = client.get("/api/score?" + MASTER).json()
    assert "本人居民身份证（正反面）" in [m["item"] for m in api["materials"]]


def test_a_shared_link_keeps_its_checklist_after_staff_edits(client) -> None:
    client.post("/share", {"query": MASTER + EXTRAS})
    shared = SharedResult.objects.get()
    assert {m["key"] for m in shared.result["materials"]} >= {"spouse_marriage", "education_foreign_certification"}
    assert shared.result["steps"][0].startswith("只有用人单位")
    Material.objects.filter(key="spouse_marriage").update(item="（改过的）结婚证")
    html = client.get(f"/r/{shared.slug}").content.decode()
    assert "申报材料清单" in html and "结婚证、配偶身份证、配偶户口簿（本市户籍）" in html
    assert "（改过的）结婚证" not in html
    assert "补缴的月份不计入" in html  # no SI table here: back_pay is among the checks
    assert "居住证到期月份" in html and "2027-01" in html  # the answers, in words


def test_an_old_snapshot_without_a_checklist_still_renders(client) -> None:
    client.post("/share", {"query": MASTER})
    shared = SharedResult.objects.get()
    for key in ("materials", "checks", "steps"):
        shared.result.pop(key)
    shared.save()
    response = client.get(f"/r/{shared.slug}")
    assert response.status_code == 200 and "申报材料清单" not in response.content.decode()


def test_the_calendar_holds_the_earliest_month_and_the_permit_reminder(client) -> None:
    # 30 + 大专 50 + SI 3 = 83 now; at the ceiling from 2025-11 the 3x tier (24 of 36 months) adds 120 in 2027-10
    query = "age=30&education=junior_college&si_from=2025-11&si_to=&si_base=max&as_of=2026-11-15"
    query += "&permit_expires=2027-06"
    advice = client.get("/api/advice?" + query).json()
    earliest = advice["projection"]["earliest_month"]
    assert earliest == "2027-10"
    response = client.get("/calendar.ics?" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jifen.ics"'
    events = {str(e["uid"]).split("-")[1]: e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    year, month = map(int, earliest.split("-"))
    assert events["reach"].decoded("dtstart") == date(year, month, 1)
    assert events["permit"].decoded("dtstart") == date(2027, 6, 1) - timedelta(days=30)
    page = client.get("/advice?" + query).content.decode()
    assert '<a href="/calendar.ics?' in page and "居住证到期前 30 天的提醒" in page


def test_the_calendar_refuses_bad_input_and_an_empty_calendar(client) -> None:
    bad = client.get("/calendar.ics?age=abc")
    assert bad.status_code == 400 and "age" in bad.json()["errors"]
    empty = client.get("/calendar.ics?age=59&education=none&as_of=2026-11-15")
    assert empty.status_code == 400 and "没有可以加入日历的日期" in empty.json()["errors"]["calendar"][0]
    assert '<a href="/calendar.ics' not in client.get("/advice?age=59&education=none&as_of=2026-11-15").content.decode()
