"""The path to 120 through the web: the page, the fragment and /api/advice; every suggestion's link
re-scores to the total it claims."""

from urllib.parse import parse_qsl, urlencode

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_rows")]

SHORT = "age=38&education=junior_college&si_from=2022-03&si_to=&si_base=9000&as_of=2026-11-15"
TITLE_HOLDER = "age=45&education=bachelor&si_from=2023-06&si_to=&si_base=9000&spouse_years=2&as_of=2026-11-15"


@pytest.mark.parametrize("query", [SHORT, TITLE_HOLDER, "age=52&si_from=2018-01&si_to=&si_base=7000&as_of=2026-11-15"])
def test_every_suggestion_re_scores_to_its_claimed_total(client, query) -> None:
    body = client.get("/api/advice?" + query).json()
    assert body["actions"], body["notes"]
    for action in body["actions"]:
        assert action["url"] == "/?" + action["query"]
        rescored = client.get("/api/score?" + action["query"])
        assert rescored.status_code == 200, (action["title"], rescored.json())
        assert rescored.json()["total"] == action["total"], action["title"]
        if action["month"]:
            # re-scored in the month it names, the link passes (age is given, so it does not grow here:
            # the projection's older age only ever costs points)
            pairs = [(k, v) for k, v in parse_qsl(action["query"], keep_blank_values=True) if k != "as_of"]
            at_month = client.get("/api/score?" + urlencode([*pairs, ("as_of", action["month"] + "-28")])).json()
            assert at_month["passed"], action["title"]


def test_api_advice_shape_and_projection(client) -> None:
    body = client.get("/api/advice?" + SHORT).json()
    series = body["projection"]["series"]
    assert len(series) == 121 and series[0]["month"] == "2026-11"
    assert series[0]["total"] == client.get("/api/score?" + SHORT).json()["total"]
    assert body["projection"]["earliest_month"] is None  # 92 now, age 38: SI years alone never reach 120
    months = [a["month"] for a in body["actions"]]
    assert months == sorted(months)  # ranked by earliest month reaching 120
    assert all("这是模拟" in a["conditions"][-1] for a in body["actions"])
    assert not any("年轻" in a["title"] for a in body["actions"])


def test_api_advice_errors(client) -> None:
    response = client.get("/api/advice?age=12")
    assert response.status_code == 400 and "age" in response.json()["errors"]


def test_page_without_js_shows_the_advice_and_the_fragment_loads_it_after_the_result(client) -> None:
    html = client.get("/?" + SHORT).content.decode()
    assert "如果保持现状" in html and "怎样更快达标" in html and "<svg" in html and "<polyline" in html
    fragment = client.get("/?" + SHORT, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-get="/advice?' in fragment and "怎样更快达标" not in fragment
    advice = client.get("/advice?" + SHORT, headers={"HX-Request": "true"}).content.decode()
    assert advice.lstrip().startswith('<section id="advice"') and "每年的预计积分" in advice


def test_birth_month_derives_age(client) -> None:
    by_birth = client.get("/api/score?birth=1981-12&as_of=2026-11-15").json()
    by_age = client.get("/api/score?age=44&as_of=2026-11-15").json()
    assert by_birth["total"] == by_age["total"] == 29
    after_birthday = client.get("/api/score?birth=1981-11&as_of=2026-11-15").json()
    assert after_birthday["total"] == 27  # 45 in the birthday month
    bad = client.get("/api/score?birth=1981-13").json()
    assert "birth" in bad["errors"]
    too_young = client.get("/api/score?birth=2015-01&as_of=2026-11-15").json()
    assert "16" in too_young["errors"]["birth"][0]
    projected = client.get("/api/advice?birth=1981-12&as_of=2026-11-15&education=master").json()
    assert any("出生年月" in note for note in projected["projection"]["assumptions"])


def test_the_path_to_120_validates_without_scoring_today(client, monkeypatch) -> None:
    """The advice re-scores the profile month by month its own way: its simulation is validated, not
    scored, and an invalid query still gets the form's Chinese messages."""
    from calculator import simulation
    from calculator.scoring import score

    calls = []
    monkeypatch.setattr(simulation, "score", lambda *args: calls.append(args) or score(*args))
    assert client.get("/api/advice?" + SHORT).status_code == 200
    assert client.get("/advice?" + SHORT, headers={"HX-Request": "true"}).status_code == 200
    assert not calls
    assert client.get("/api/score?" + SHORT).status_code == 200 and len(calls) == 1
    invalid = client.get("/api/advice?age=abc&si_from=2022-03&si_to=&si_base=9000")
    assert invalid.status_code == 400 and "年龄" in invalid.json()["errors"]["age"][0]
