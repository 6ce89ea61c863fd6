"""`{% link 'name' %}`: `{% url %}` for the links every page carries (the header's), reversed once per
URL by jifen_site/links.py. A builtin of the Django engine (settings.TEMPLATES)."""

from django import template

from jifen_site.links import url

register = template.Library()


@register.simple_tag
def link(name: str, *args: object) -> str:
    return url(name, *args)
