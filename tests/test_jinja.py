"""The fragments' Jinja2 environment: its escaping writes what Jinja2's own would, and links reverse
like `{% url %}`."""

import re
from datetime import date
from decimal import Decimal

import jinja2
import markupsafe
import pytest
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe

from jifen_site import links
from jifen_site.jinja import html_text

CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
HOSTILE = [
    "<script>alert('x')</script>",
    'a "quoted" & <b>bold</b>',
    "累计缴纳 62 个月（重叠月份只计一次）",
    "",
    0,
    -150,
    True,
    None,
    Decimal("1.50"),
    date(2026, 12, 1),
    3.5,
    markupsafe.Markup("<em>safe</em>"),
    mark_safe("<strong>django safe</strong>"),  # noqa: S308
]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_html_text_is_markupsafes_escape(value) -> None:
    assert html_text(value) == str(markupsafe.escape(value))


def test_fragment_output_matches_plain_jinja2() -> None:
    """The same template in the project's environment and in a stock autoescaping one writes the same HTML,
    loops, conditionals, filters and `Markup` included."""
    source = (
        "{% for x in items %}<li title=\"{{ x }}\">{{ x }}{% if x %} · {{ x ~ '!' }}{% endif %}</li>{% endfor %}"
        "{% set block %}<i>{{ items[0] }}</i>{% endset %}{{ block }}{{ items | length }}{{ items[0] | e }}"
    )
    ours = engines["jinja2"].env.from_string(source)
    stock = jinja2.Environment(autoescape=True).from_string(source)
    context = {"items": HOSTILE}
    assert "&lt;script&gt;" in ours.render(context)
    assert ours.render(context) == stock.render(context)


class Slots:
    __slots__ = ("label",)

    def __init__(self, label: object) -> None:
        self.label = label


def test_attribute_lookups_fall_back_as_jinja2s_do() -> None:
    """`a.b` is an attribute when there is one, else the item, else undefined; an expression is evaluated
    once; nested lookups and outputs inside loops, blocks, macros and loop filters keep their values."""
    source = (
        "{% macro show(x) %}[{{ x.label }}|{{ x.items }}]{% endmacro %}"
        "{% for row in rows if row.label %}{{ show(row) }}{{ row.label.label }}{% else %}none{% endfor %}"
        "{% set joined %}{% for row in rows %}{{ row.label }},{% endfor %}{% endset %}{{ joined }}"
        "{{ counter.next().label }}{{ counter.calls }}{{ (rows | first).missing is undefined }}"
        "{{ plain.label ~ plain.nothing }}{{ {'label': rows[0].label}.label }}"
    )

    class Counter:
        calls = 0

        def next(self) -> Slots:
            self.calls += 1
            return Slots(self.calls)

    context = {
        "rows": [Slots("<b>"), {"label": Slots("in a dict")}, Slots(""), {"label": 0}, Slots(Slots(7))],
        "counter": Counter(),
        "plain": {"label": "&"},
    }
    ours = engines["jinja2"].env.from_string(source).render(context)
    context["counter"] = Counter()
    stock = jinja2.Environment(autoescape=True).from_string(source).render(context)
    assert ours == stock and "&lt;b&gt;" in ours and "11True" in ours


def test_links_reverse_like_url_tag_and_follow_the_script_prefix() -> None:
    from django.urls import set_script_prefix

    plain = links.url("calculator:rules")
    assert plain == reverse("calculator:rules")
    set_script_prefix("/jifen/")
    try:
        assert links.url("calculator:rules") == reverse("calculator:rules") == "/jifen" + plain
    finally:
        set_script_prefix("/")
    assert links.url("calculator:rules") == plain


@pytest.mark.parametrize("slug", ["AbC-12_xyz09", "0argument0", "r"])
def test_a_link_with_an_argument_is_its_reverse(slug) -> None:
    from django.urls import set_script_prefix

    assert links.url_with("calculator:shared", slug) == reverse("calculator:shared", args=[slug]) == f"/r/{slug}"
    set_script_prefix("/r/")
    try:
        assert links.url_with("calculator:shared", slug) == reverse("calculator:shared", args=[slug])
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_rows")
@pytest.mark.parametrize("htmx", [True, False], ids=["fragment", "page"])
def test_pasted_includes_render_what_included_templates_render(client, monkeypatch, settings, htmx) -> None:
    """The result fragment and the shared page, from templates with their includes pasted in at load
    time, are byte for byte what Jinja2's own `{% include %}` of the same files writes."""
    from catalogue.models import Certificate

    settings.JIFEN_FRAGMENT_CACHE = False
    backend = engines["jinja2"]
    source = backend.env.loader.get_source(backend.env, "calculator/_result.jinja")[0]
    assert "{% include" not in source and 'id="materials"' in source and 'id="si-counts"' in source

    cert = Certificate.objects.get(kind="title", series="经济", name="经济师")
    query = f"age=35&education=bachelor&certificate={cert.pk}&cert_job_match=on&si_from=2021-11&si_to=&si_base=15000"
    headers = {"HX-Request": "true"} if htmx else {}
    shared = client.post("/share", {"query": query}).url

    def pages() -> tuple[str, ...]:
        answers = client.get(f"/?{query}&as_of=2026-11-15", headers=headers), client.get(shared)
        return tuple(CSRF_TOKEN.sub(r"\1", answer.content.decode()) for answer in answers)  # masked anew each time

    pasted = pages()
    monkeypatch.setattr(backend, "env", backend.env.overlay(loader=backend.env.loader.loader))
    included = pages()
    assert "经济师" in pasted[0] and "申报材料清单" in pasted[1]
    assert pasted == included
