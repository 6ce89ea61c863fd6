"""`reverse()` once per URL: the live fragments link to the same few pages on every keystroke, and
reversing a name costs more than the rest of a link (about 50 µs each, six per fragment).

The memo is keyed by the script prefix and the URLconf in use, so a site mounted under a prefix or a
test overriding ROOT_URLCONF reverses afresh; it is emptied whenever the URL caches are."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def url(name: str, *args: object) -> str:
    """The path of the named URL (with positional `args`), as `{% url %}` would write it."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())


STAND_IN = "0argument0"


def url_with(name: str, value: str) -> str:
    """The path of the named URL with one argument that needs no quoting (a slug, a token): the name is
    reversed once with a stand-in, so a new value costs a string join, not a reverse."""
    before, found, after = url(name, STAND_IN).rpartition(STAND_IN)
    assert found, f"{name} does not place its argument as it is"
    return f"{before}{value}{after}"


@lru_cache(maxsize=512)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
