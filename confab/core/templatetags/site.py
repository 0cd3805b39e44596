"""Template tags every page's frame uses."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def link(name: str) -> str:
    """`{% url name %}` for a URL that takes no arguments, reversed once per process.

    The header links to twenty-odd pages on every page view; reversing each costs more
    than the rest of the header's text.
    """
    return _reversed(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=512)
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)
