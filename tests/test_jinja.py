"""The fragments' Jinja2 environment: its escaping writes what Jinja2's own would, and links reverse
like `{% url %}`."""

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
