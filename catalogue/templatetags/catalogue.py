"""Display helpers for the catalogue templates: points of a tier in the policy table, or its label."""

from collections.abc import Iterable

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from catalogue.models import Kind, Tier

register = template.Library()
KIND_LABELS = dict(Kind.choices)


@register.filter
def points_label(tier: str, table: dict[str, int] | None) -> str:
    """ "100 分" once the policy tables exist, the tier's label ("中级档") until then."""
    if table is not None and tier in table:
        return f"{table[tier]} 分"
    return Tier(tier).label if tier in Tier.values else tier


@register.filter
def points_value(tier: str, table: dict[str, int] | None) -> int | str:
    """The points as a bare number for data attributes, "" while unknown."""
    if table is not None and tier in table:
        return table[tier]
    return ""


@register.simple_tag(takes_context=True)
def entry_table(context: template.Context, entries: Iterable[object], labelledby: str, show_series: bool) -> SafeString:
    """A table of catalogue entries, rendered by Jinja2 (autoescaped): a search for a broad word lists
    dozens of rows, and the Django engine spent more time on them than the search itself."""
    rules = context["rules"]
    values = {
        "entries": entries,
        "labelledby": labelledby,
        "show_series": show_series,
        "points": context["points"],
        "base_test_tiers": rules.base_test_tiers,
        "kind_labels": KIND_LABELS,  # get_kind_display() for each row, without its per-call lookup table
    }
    return mark_safe(render_to_string("catalogue/_entry_table.jinja", values, using="jinja2"))  # noqa: S308
