"""The Jinja2 environment of the hot fragments (the result, its breakdown and the advice; the catalogue's
entry tables and the picker's suggestions).

They are re-rendered on every keystroke; Jinja2 compiles them to Python once and renders them several
times faster than the Django template language. Every other template stays on the Django engine.
Autoescaping is on (Django's backend default); `reverse()` reverses like `{% url %}`, once per URL
(jifen_site/links.py).

Each `{{ value }}` is escaped by `html_text`: markupsafe's escaping, as Jinja2's own `escape` does, but
written out as the plain text that the template's output is joined into. Jinja2 builds a `Markup` object
per value only to join it away, and with some 300 values in a result fragment that was a third of its
rendering.

The code generator also writes `{{ value }}` and `a.b` so that the common case is one C call, not a
Python function: a `str` value is escaped by markupsafe's C function directly (anything else goes
through `html_text`), and `a.b` is `getattr(a, "b", missing)`, falling back to Jinja's own lookup (the
item `a["b"]`, then undefined) only when `a` has no such attribute. A fragment makes some 400 lookups and
300 outputs per render.

`{% include "name" %}` with a literal name is pasted in when a template is loaded (`InliningLoader`): the
partials stay one file each, and rendering one no longer copies every variable into a new context per
include, which was a quarter of rendering the result fragment. What an include sees is what the pasted
text sees (the variables at that point), so the output is the same."""

from __future__ import annotations

import re
from collections.abc import Callable

import markupsafe
from jinja2 import BaseLoader, Environment
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.nodes import Getattr

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


INCLUDE = re.compile(r'{%\s*include\s+"([^"]+)"\s*%}')


class InliningLoader(BaseLoader):
    """Another loader's templates, with each `{% include "literal name" %}` replaced by that template's
    source (recursively). A template is stale when any file pasted into it is."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        return self._source(environment, template, ())

    def _source(self, environment: Environment, template: str, within: tuple[str, ...]):  # type: ignore[no-untyped-def]
        if template in within:
            raise RuntimeError(f"{template} includes itself: {' -> '.join((*within, template))}")
        source, filename, uptodate = self.loader.get_source(environment, template)
        checks = [uptodate]

        def pasted(match: re.Match) -> str:
            text, _, fresh = self._source(environment, match.group(1), (*within, template))
            checks.append(fresh)
            return text

        source = INCLUDE.sub(pasted, source)
        return source, filename, lambda: all(check is None or check() for check in checks)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class _Generator(CodeGenerator):
    """Writes `{{ value }}` (with autoescaping on, as in every fragment) as markupsafe's C escaping of a
    `str` and `environment.html_text(value)` of anything else, and `a.b` as `getattr` with a default.

    The generated expressions bind `j_s`, `j_o` and `j_v` (walrus): Jinja's own names are `l_…`, `t_…`
    and the like, every template body, block, macro and loop filter is a function of its own, and each
    name is read right after it is bound, before the next expression that binds it runs."""

    def _fast_output(self, frame, finalize) -> bool:  # type: ignore[no-untyped-def]
        return not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None

    def _output_child_pre(self, node, frame, finalize) -> None:  # type: ignore[no-untyped-def]
        if self._fast_output(frame, finalize):
            self.write("(environment.escape_text(j_s) if type(j_s := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:  # type: ignore[no-untyped-def]
        if self._fast_output(frame, finalize):
            self.write(") is str else environment.html_text(j_s))")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Getattr(self, node: Getattr, frame) -> None:  # type: ignore[no-untyped-def]
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(j_v if (j_v := getattr((j_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(j_o, {node.attr!r}))")


class FragmentEnvironment(Environment):
    code_generator_class = _Generator
    html_text = staticmethod(html_text)
    escape_text = staticmethod(_escape_text)


def environment(**options: object) -> Environment:
    if "loader" in options:
        options["loader"] = InliningLoader(options["loader"])  # type: ignore[arg-type]
    env = FragmentEnvironment(**options)  # type: ignore[arg-type]
    env.globals["reverse"] = url
    env.filters["decimal"] = decimal_text
    env.filters["points_label"] = points_label
    env.filters["points_value"] = points_value
    return env
