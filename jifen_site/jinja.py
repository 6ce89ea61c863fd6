"""The Jinja2 environment of the simulator's hot fragments (the result, its breakdown and the advice).

They are re-rendered on every keystroke; Jinja2 compiles them to Python once and renders them several
times faster than the Django template language. Every other template stays on the Django engine.
Autoescaping is on (Django's backend default); `reverse()` reverses like `{% url %}`."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from jinja2 import Environment


def reverse_url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def decimal(value: Decimal) -> str:
    """Exact, without trailing zeros or an exponent: Decimal('2.0') -> '2'."""
    return f"{value.normalize():f}"


def environment(**options: object) -> Environment:
    env = Environment(**options)  # type: ignore[arg-type]
    env.globals["reverse"] = reverse_url
    env.filters["decimal"] = decimal
    return env
