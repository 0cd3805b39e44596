"""`{% post_card post %}`, `{% post_cards posts %}` and `{% post_actions shown %}`: the
Python-rendered post card (confab/posts/cards.py)."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from confab.posts.cards import CardContext, render_actions, render_card, render_cards
from confab.posts.forms import ComposeForm

register = template.Library()


def _card_context(context) -> CardContext:
    # One page renders many cards: work out the page's part once per render.
    cache = context.render_context
    card = cache.get(CardContext)
    if card is None:
        card = cache[CardContext] = CardContext.from_template(context)
    return card


@register.simple_tag(takes_context=True)
def post_card(context, post, focused=False, depth=0):
    return render_card(post, _card_context(context), focused=bool(focused), depth=depth or 0)


@register.simple_tag(takes_context=True)
def post_cards(context, posts):
    """A page's cards in one go (a `{% for %}` around `post_card` costs a node per card)."""
    return render_cards(posts, _card_context(context))


@register.simple_tag(takes_context=True)
def post_actions(context, shown, error=""):
    return render_actions(shown, _card_context(context), error=error or "")


@dataclass(frozen=True)
class _Unmade:
    """A blank composer not made yet: its initial values."""

    initial: Mapping


# A stand-in for the reader's CSRF token in the cached composer, replaced on the way out.
_TOKEN_MARK = "confab-composer-csrf-token-mark"  # noqa: S105 — a placeholder, not a secret


@register.simple_tag(takes_context=True)
def blank_composer(context, form, next_url=""):
    """The composer of a timeline page: the same markup for every reader in a time zone
    but for the CSRF token, so it is drawn once (a dozen form widgets through the template
    engine) and kept in the cache. A form with data or errors is drawn each time.

    `form` is a ComposeForm, or just its initial values (a dict): making the form itself
    costs as much as the rest of the header, and a cached composer never needs it."""
    if isinstance(form, Mapping):
        form = _Unmade(form)
    elif form.is_bound:
        return render_to_string(
            "posts/_composer.html", context.flatten() | {"form": form, "next": next_url}
        )
    viewer = context.get("viewer")
    zone = getattr(viewer, "time_zone", "") if viewer is not None else ""
    initial = repr(sorted(form.initial.items()))
    key = "composer:" + hashlib.sha256(f"{initial}|{next_url}|{zone}".encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "posts/_composer.html",
            {
                "form": ComposeForm(initial=form.initial) if isinstance(form, _Unmade) else form,
                "next": next_url,
                "viewer": viewer,
                "csrf_token": _TOKEN_MARK,
                "post_max_chars": settings.POST_MAX_CHARS,
                "post_url_chars": settings.POST_URL_CHARS,
            },
        )
        cache.set(key, html, 3600)
    token = str(context.get("csrf_token") or "")
    return mark_safe(html.replace(_TOKEN_MARK, escape(token)))  # noqa: S308 — escaped above
