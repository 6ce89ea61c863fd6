"""The site's layout (base.html, through a page template that only places its parts) around parts a
view rendered itself: for a page whose layout holds nothing of the request, the layout is a string
Python already knows, so it is rendered once per process and the parts are placed between its pieces.

Only a page whose template says so may use it: no CSRF token (its `csrf` block is empty), no nav item
that is the current page, no nonce; tests/test_share.py checks that the page comes out byte for byte as
rendering its template would. With DEBUG on the layout is rendered every time, so a template edit shows
at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

_shells: dict[tuple[str, tuple[str, ...], str], Shell] = {}


@dataclass(frozen=True, slots=True)
class Shell:
    """The layout's text around each part, in order: len(pieces) == parts + 1."""

    pieces: tuple[str, ...]

    def fill(self, parts: tuple[str, ...]) -> str:
        out = [self.pieces[0]]
        for part, piece in zip(parts, self.pieces[1:], strict=True):
            out += (part, piece)
        return "".join(out)


def page(template: str, names: tuple[str, ...], parts: tuple[str, ...], request: HttpRequest) -> str:
    """`template` rendered with `{"page": {name: part}}`: each part (already HTML) placed as it is."""
    key = (template, names, get_script_prefix())
    shell = _shells.get(key)
    if shell is None:
        shell = _render(template, names, request)
        if not settings.DEBUG:
            _shells[key] = shell
    return shell.fill(parts)


def _render(template: str, names: tuple[str, ...], request: HttpRequest) -> Shell:
    marks = {name: f"<!--part-{secrets.token_hex(8)}-->" for name in names}
    html = render_to_string(template, {"page": {name: mark_safe(mark) for name, mark in marks.items()}}, request)
    pieces = []
    for name, mark in marks.items():
        before, found, html = html.partition(mark)
        if not found or mark in html:
            raise ValueError(f"{template} must place page.{name} once, in the order given")
        pieces.append(before)
    return Shell((*pieces, html))
