"""Display helpers for the catalogue templates: points of a tier in the policy table, or its label."""

from django import template

from catalogue.models import Tier

register = template.Library()


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
