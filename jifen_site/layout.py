"""The site's layout (base.html, through a page template that only places its parts) around parts a
view rendered itself: for a page whose layout holds nothing of the request, the layout is a string
Python already knows, so it is rendered once per process and the parts are placed between its pieces.

Only a page whose template says so may use it: no CSRF token (its `csrf` block is empty), no nav item
that is the current page, no nonce; tests/test_share.py checks that the page comes out byte for byte as
rendering its template would. With DEBUG on the layout is rendered every time, so a template edit shows
at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, fields, replace
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

_shells: dict[tuple[str, type, str], Shell] = {}


@dataclass(frozen=True, slots=True)
class Shell:
    """The layout's text around each part, in the order the template places them:
    len(pieces) == len(names) + 1."""

    pieces: tuple[str, ...]
    names: tuple[str, ...]

    def fill(self, parts: Any) -> str:
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            out += (getattr(parts, name), piece)
        return "".join(out)


def page(template: str, parts: Any, request: HttpRequest) -> str:
    """`template` rendered with `{"page": parts}`, `parts` a dataclass whose every field is HTML the
    template places as it is (once each)."""
    key = (template, type(parts), get_script_prefix())
    shell = _shells.get(key)
    if shell is None:
        shell = _render(template, parts, request)
        if not settings.DEBUG:
            _shells[key] = shell
    return shell.fill(parts)


def _render(template: str, parts: Any, request: HttpRequest) -> Shell:
    marks = {field.name: f"<!--part-{secrets.token_hex(8)}-->" for field in fields(parts)}
    stand_in = replace(parts, **{name: mark_safe(mark) for name, mark in marks.items()})
    html = render_to_string(template, {"page": stand_in}, request)
    if any(html.count(mark) != 1 for mark in marks.values()):
        raise ValueError(f"{template} must place each field of page once: {', '.join(marks)}")
    names = tuple(sorted(marks, key=lambda name: html.index(marks[name])))
    pieces = []
    for name in names:
        before, _, html = html.partition(marks[name])
        pieces.append(before)
    return Shell((*pieces, html), names)
