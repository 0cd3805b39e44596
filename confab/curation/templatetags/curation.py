"""Pieces of curation shown on other apps' pages (profiles, hashtag pages)."""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from confab.curation import hashtag_stats, queries

register = template.Library()


@register.inclusion_tag("curation/_add_to_list.html", takes_context=True)
def add_to_list(context, account):
    """A small form putting `account` on one of the viewer's lists."""
    viewer = context.get("viewer")
    lists = list(queries.lists_with_flag(viewer, account)) if viewer is not None else []
    return {
        "account": account,
        "lists": lists,
        "csrf_token": context.get("csrf_token"),
        "next": context["request"].get_full_path(),
    }


@register.inclusion_tag("curation/_featured_hashtags.html")
def featured_hashtags(account):
    return {"tags": queries.featured_hashtags(account)}


@register.inclusion_tag("curation/_hashtag_buttons.html", takes_context=True)
def hashtag_buttons(context, hashtag):
    """Follow and feature buttons for a hashtag page."""
    viewer = context.get("viewer")
    state = queries.hashtag_state(viewer, hashtag) if viewer is not None else {}
    return {
        "hashtag": hashtag,
        "viewer": viewer,
        "state": state,
        "csrf_token": context.get("csrf_token"),
        "next": context["request"].get_full_path(),
    }


@register.simple_tag(takes_context=True)
def hashtag_insights(context, hashtag):
    """Uses per day over 30 days, top people and related chats, for a hashtag page.

    The aside is the same for everyone who sees the same figures, and drawing 30 bars
    and a 30-row table through the template engine costs more than the figures: the
    markup is kept in the cache under what it shows.
    """
    stats = hashtag_stats.window(context.get("viewer"), hashtag)
    chats = hashtag_stats.related_chats(hashtag)
    shown = (
        hashtag.pk,
        hashtag.display_name,
        tuple((day.day, day.count) for day in stats.days),
        tuple((account.pk, account.name, account.acct, n) for account, n in stats.top),
        tuple(
            (chat.pk, chat.hashtag.name, chat.hashtag.display_name, chat.title) for chat in chats
        ),
    )
    key = "hashtag-insights:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "curation/_hashtag_insights.html",
            {
                "hashtag": hashtag,
                "days": stats.days,
                "total": sum(day.count for day in stats.days),
                "chart": hashtag_stats.chart_size(),
                "top": stats.top,
                "chats": chats,
            },
        )
        cache.set(key, html, hashtag_stats.WINDOW_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 — rendered by the template engine, escaped there
