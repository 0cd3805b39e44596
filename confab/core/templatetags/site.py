"""Template tags every page's frame uses."""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


# Stand-ins for the values of one request, put in after the header is drawn. Each has a
# "<", which escaping turns into "&lt;", so nothing a person typed can be mistaken for one.
_MARKS = {
    "csrf_token": "<confab:csrf-token>",
    "unread_messages": "<confab:unread-messages>",
    "unread_notifications": "<confab:unread-notifications>",
}


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The site's header (`_header.html`): its navigation for one reader on one kind of
    page is the same every time but for the CSRF token and two counts, so it is drawn
    once per reader and page kind and kept; those three go in each time."""
    viewer = context.get("viewer")
    html = _header(
        (viewer.id, viewer.username) if viewer is not None else None,
        str(context.get("kind") or ""),
        str(context.get("instance_name") or ""),
        str(context.get("search_query") or ""),
        (get_script_prefix(), get_urlconf()),  # its links, like `link`'s
    )
    for name, mark in _MARKS.items():
        if mark in html:
            html = html.replace(mark, conditional_escape(context.get(name, "")))
    return mark_safe(html)  # noqa: S308 — drawn by the template engine, values escaped


@dataclass(frozen=True)
class _Reader:
    id: int
    username: str


@lru_cache(maxsize=2048)
def _header(
    reader: tuple[int, str] | None,
    kind: str,
    instance_name: str,
    search_query: str,
    urls: tuple[str, str | None],
) -> str:
    return render_to_string(
        "_header.html",
        {
            "viewer": _Reader(*reader) if reader is not None else None,
            "kind": kind,
            "instance_name": instance_name,
            "search_query": search_query,
            **{name: mark_safe(mark) for name, mark in _MARKS.items()},  # noqa: S308
        },
    )
