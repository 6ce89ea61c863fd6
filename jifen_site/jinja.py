"""The Jinja2 environment of the hot fragments (the result, its breakdown and the advice; the catalogue's
entry tables).

They are re-rendered on every keystroke; Jinja2 compiles them to Python once and renders them several
times faster than the Django template language. Every other template stays on the Django engine.
Autoescaping is on (Django's backend default); `reverse()` reverses like `{% url %}`, once per URL
(jifen_site/links.py)."""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment

from catalogue.templatetags.catalogue import points_label
from jifen_site.links import url


def decimal(value: Decimal) -> str:
    """Exact, without trailing zeros or an exponent: Decimal('2.0') -> '2'."""
    return f"{value.normalize():f}"


def environment(**options: object) -> Environment:
    env = Environment(**options)  # type: ignore[arg-type]
    env.globals["reverse"] = url
    env.filters["decimal"] = decimal
    env.filters["points_label"] = points_label
    return env
