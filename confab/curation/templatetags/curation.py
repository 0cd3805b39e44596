"""Pieces of curation shown on other apps' pages (profiles, hashtag pages)."""

from django import template

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


@register.inclusion_tag("curation/_hashtag_insights.html", takes_context=True)
def hashtag_insights(context, hashtag):
    """Uses per day over 30 days, top people and related chats, for a hashtag page."""
    viewer = context.get("viewer")
    days = hashtag_stats.usage_by_day(viewer, hashtag)
    return {
        "hashtag": hashtag,
        "days": days,
        "total": sum(day.count for day in days),
        "chart": hashtag_stats.chart_size(),
        "top": hashtag_stats.top_people(viewer, hashtag),
        "chats": hashtag_stats.related_chats(hashtag),
    }
