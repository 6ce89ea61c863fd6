"""Shared results: a short read-only link that shows the same result forever."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from calculator import sharing
from calculator.models import AverageWage, EducationPoints, SharedResult, TierPoints
from catalogue.models import Certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]

QUERY = "age=35&education=bachelor&si_from=2021-11&si_to=&si_base=15000&as_of=2026-11-15"


def economist_query() -> str:
    cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
    return QUERY + f"&certificate={cert.pk}&cert_job_match=on&cert_in_shanghai=on"


def share(client, query: str = QUERY, **headers) -> SharedResult:
    response = client.post("/share", {"query": query}, headers=headers)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    return SharedResult.objects.latest("created_at")


def test_share_without_js_redirects_to_the_link(client) -> None:
    response = client.post("/share", {"query": QUERY})
    shared = SharedResult.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/r/{shared.slug}?new=1"
    assert len(shared.slug) >= 10 and all(c.isalnum() or c in "-_" for c in shared.slug)
    page = client.get(response["Location"]).content.decode()
    assert "分享链接已生成" in page and f"/r/{shared.slug}" in page


def test_share_with_htmx_answers_the_link_and_a_copy_button(client) -> None:
    response = client.post("/share", {"query": QUERY}, headers={"HX-Request": "true"})
    html = response.content.decode()
    shared = SharedResult.objects.get()
    assert f"http://testserver/r/{shared.slug}" in html and 'data-copy="share-url"' in html


def test_share_needs_csrf(client) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/share", {"query": QUERY}).status_code == 403
    assert SharedResult.objects.count() == 0


def test_shared_page_shows_the_same_result(client) -> None:
    shared = share(client)
    live = client.get("/api/score?" + QUERY).json()
    html = client.get(f"/r/{shared.slug}").content.decode()
    assert f'id="total" class="total">{live["total"]}<' in html
    assert shared.result["total"] == live["total"] == 30 + 60 + 15 + 50
    assert 'name="robots" content="noindex, nofollow"' in html
    assert f'property="og:title" content="上海居住证积分模拟：{live["total"]} 分（达标）"' in html
    assert 'name="twitter:card"' in html
    assert f'href="/?{shared.query}"' in html.replace("&amp;", "&")  # 在模拟器中打开并修改
    assert "2021-11 至今：15000 元" in html
    assert "按现行规则重新计算" not in html


@pytest.mark.parametrize("edit", ["certificate", "points", "average", "retire"])
def test_later_edits_never_change_what_the_link_shows(client, edit) -> None:
    shared = share(client, economist_query())
    before = client.get(f"/r/{shared.slug}").content.decode()
    assert 'id="total" class="total">195<' in before and "经济师" in before  # 30 + 100 + 15 + 50
    if edit == "certificate":
        cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
        cert.name = "经济师（改名）"
        cert.tier = "skill_3"
        cert.save()
    elif edit == "points":
        row = TierPoints.objects.get(code="intermediate")
        row.points = 90
        row.save()
        EducationPoints.objects.filter(code="bachelor").update(points=61)
    elif edit == "average":
        wage = AverageWage.objects.order_by("-start").first()
        wage.average, wage.ceiling = 20000, 60000
        wage.save()
    else:
        cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
        cert.active = False
        cert.save()
    after = client.get(f"/r/{shared.slug}").content.decode()
    assert 'id="total" class="total">195<' in after
    shared.refresh_from_db()
    assert shared.result["total"] == 195 and shared.certificate["name"] == "经济师"
    assert "按现行规则重新计算为" in after  # and today's rules give something else


def test_unknown_revoked_and_expired_links(client) -> None:
    assert client.get("/r/doesnotexist1").status_code == 404
    assert "找不到这个分享链接" in client.get("/r/doesnotexist1").content.decode()
    revoked = share(client)
    revoked.revoked = True
    revoked.save()
    assert client.get(f"/r/{revoked.slug}").status_code == 410
    expired = share(client)
    expired.expires_at = timezone.now() - timedelta(seconds=1)
    expired.save()
    response = client.get(f"/r/{expired.slug}")
    assert response.status_code == 410 and "已过期" in response.content.decode()


def test_find_reads_the_snapshot_as_the_orm_does(client) -> None:
    shared = share(client, economist_query())
    found = sharing.find(shared.slug)
    fields = [field.attname for field in SharedResult._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(shared, name) for name in fields]
    assert found.created_at.tzinfo is not None and found.result["total"] == 195
    assert sharing.find("doesnotexist1") is None and sharing.find("") is None
    assert sharing.find(shared.slug + "\x00") is None and client.get("/r/%00").status_code == 404


def test_a_warm_shared_page_costs_two_queries(client, django_assert_num_queries) -> None:
    shared = share(client, economist_query())
    assert client.get(f"/r/{shared.slug}").status_code == 200  # today's rules score it once
    with django_assert_num_queries(2):  # the snapshot and the data stamp
        response = client.get(f"/r/{shared.slug}")
    assert response.status_code == 200


def test_the_layout_around_a_link_is_the_template_rendered(client, rf) -> None:
    """The layout is rendered once per process (jifen_site/layout.py): every link's page is, byte for
    byte, what rendering shared.html around that link's parts gives, whichever link came first."""
    from django.shortcuts import render

    from calculator.views import share as views

    first, second = share(client, economist_query()), share(client, QUERY + "&spouse_years=3")
    for snapshot in (first, second, first):
        served = client.get(f"/r/{snapshot.slug}").content.decode()
        request = rf.get(f"/r/{snapshot.slug}")
        rendered = render(request, "calculator/shared.html", {"page": views.shared_page(request, snapshot)})
        assert served == rendered.content.decode()
        assert f"/r/{snapshot.slug}" in served and served.count("<!--part-") == 0


def test_purge_deletes_only_expired(client, settings) -> None:
    keep = share(client)
    gone = share(client)
    gone.expires_at = timezone.now() - timedelta(days=1)
    gone.save()
    call_command("purge_expired_shares", verbosity=0)
    assert list(SharedResult.objects.values_list("slug", flat=True)) == [keep.slug]
    settings.JIFEN_SHARE_DAYS = 7
    fresh = share(client)
    assert timedelta(days=6) < fresh.expires_at - timezone.now() <= timedelta(days=7)


def test_rate_limit_per_client(client, settings) -> None:
    settings.JIFEN_SHARE_RATE = 3
    for _ in range(3):
        share(client)
    response = client.post("/share", {"query": QUERY})
    assert response.status_code == 429 and "每小时最多生成 3 个" in response.content.decode()
    other = client.post("/share", {"query": QUERY}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert SharedResult.objects.count() == 4


def test_bad_or_oversized_input_is_refused_and_nothing_stored(client) -> None:
    response = client.post("/share", {"query": "age=12"})
    assert response.status_code == 400 and "年龄须满 16 周岁" in response.content.decode()
    too_many = "age=30" + "&si_from=2020-01&si_to=2020-02&si_base=9000" * 41
    assert client.post("/share", {"query": too_many}).status_code == 400
    assert client.post("/share", {"query": "age=30&q=" + "x" * 9000}).status_code == 400
    htmx = client.post("/share", {"query": "age=12"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "年龄须满 16 周岁" in htmx.content.decode()
    assert SharedResult.objects.count() == 0


def test_admin_is_read_only_with_counts_and_can_revoke(client, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough-1")
    client.force_login(admin)
    shared = share(client)
    listing = client.get("/admin/calculator/sharedresult/")
    assert listing.status_code == 200 and "最近 14 天每天生成的分享链接" in listing.content.decode()
    assert client.get("/admin/calculator/sharedresult/add/").status_code == 403
    client.post(
        "/admin/calculator/sharedresult/",
        {"action": "revoke", "_selected_action": [shared.pk]},
    )
    shared.refresh_from_db()
    assert shared.revoked
    assert client.get(f"/r/{shared.slug}").status_code == 410


def test_no_personal_fields_anywhere(client) -> None:
    for url in ("/?" + QUERY, "/", "/catalogue/", "/rules/"):
        html = client.get(url).content.decode()
        fields = html.split("<form")[1:]  # only the forms: the footer says what is never asked
        for word in ('name="name"', "姓名", "身份证", "手机", "邮箱", 'type="email"', 'type="tel"'):
            assert not any(word in form.split("</form>")[0] for form in fields), (url, word)


def test_a_shared_page_sets_no_cookie(client) -> None:
    """Opening a link someone sent posts nothing: the page carries no CSRF token and sets no cookie."""
    from calculator import sharing

    shared = sharing.create("age=35&education=master&si_from=2020-01&si_to=&si_base=12000", "test")
    response = client.get(shared.get_absolute_url())
    assert response.status_code == 200
    assert not response.cookies and "X-CSRFToken" not in response.content.decode()
    assert "X-CSRFToken" in client.get("/").content.decode()  # the simulator's share button posts


def test_only_pages_that_use_htmx_load_it(client) -> None:
    """A shared link and the rules page are read-only: they load no script, so whoever opens a link on a
    slow phone downloads the page and its stylesheet only. The pages that swap fragments load htmx."""
    from calculator import sharing

    shared = sharing.create("age=35&education=master&si_from=2020-01&si_to=&si_base=12000", "test")
    for url in (shared.get_absolute_url(), "/rules/", "/r/nosuchlink00"):
        assert "<script" not in client.get(url).content.decode(), url
    for url in ("/", "/catalogue/"):
        assert "htmx" in client.get(url).content.decode().split("</head>")[0], url
