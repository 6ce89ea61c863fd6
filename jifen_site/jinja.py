"""The Jinja2 environment of the hot fragments (the result, its breakdown and the advice; the catalogue's
entry tables and the picker's suggestions).

They are re-rendered on every keystroke; Jinja2 compiles them to Python once and renders them several
times faster than the Django template language. Every other template stays on the Django engine.
Autoescaping is on (Django's backend default); `reverse()` reverses like `{% url %}`, once per URL
(jifen_site/links.py).

Each `{{ value }}` is escaped by `html_text`: markupsafe's escaping, as Jinja2's own `escape` does, but
written out as the plain text that the template's output is joined into. Jinja2 builds a `Markup` object
per value only to join it away, and with some 300 values in a result fragment that was a third of its
rendering."""

from __future__ import annotations

import markupsafe
from jinja2 import Environment
from jinja2.compiler import CodeGenerator

from calculator.scoring import decimal_text
from catalogue.templatetags.catalogue import points_label, points_value
from jifen_site.links import url

# markupsafe's C escaping of a str (what markupsafe.escape runs before wrapping the result in Markup).
_escape_text = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(markupsafe.escape(text)))


def html_text(value: object) -> str:
    """`value` as escaped HTML text: exactly `str(markupsafe.escape(value))`."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)
    if kind is int:
        return str(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else _escape_text(str(value))


class _Generator(CodeGenerator):
    """Writes `{{ value }}` (with autoescaping on, as in every fragment) as `environment.html_text(value)`."""

    def _output_child_pre(self, node, frame, finalize) -> None:  # type: ignore[no-untyped-def]
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.html_text(")
        if finalize.src is not None:
            self.write(finalize.src)


class FragmentEnvironment(Environment):
    code_generator_class = _Generator
    html_text = staticmethod(html_text)


def environment(**options: object) -> Environment:
    env = FragmentEnvironment(**options)  # type: ignore[arg-type]
    env.globals["reverse"] = url
    env.filters["decimal"] = decimal_text
    env.filters["points_label"] = points_label
    env.filters["points_value"] = points_value
    return env
