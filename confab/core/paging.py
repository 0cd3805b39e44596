"""Paging by time-ordered ids (max_id / since_id / min_id), as Mastodon's API does."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass
class Page:
    items: list
    # Query strings for the next (older) and previous (newer) pages, empty when there are none.
    older: dict = field(default_factory=dict)
    newer: dict = field(default_factory=dict)


def parse_id(raw: str | None) -> int | None:
    """Read a paging id from a query string; anything that is not one is ignored."""
    if raw is None or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if value < 2**63 else None


def paginate(
    rows: QuerySet,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
    key: str = "id",
) -> Page:
    """Page newest-first by a time-ordered id, the way Mastodon's API does.

    max_id: older than this; since_id: newer than this (newest first); min_id: the page just
    newer than this (oldest first, then shown newest first).
    """
    limit = limit or settings.PAGE_SIZE
    if max_id is not None:
        rows = rows.filter(**{f"{key}__lt": max_id})
    if since_id is not None:
        rows = rows.filter(**{f"{key}__gt": since_id})
    # Two steps: pick the page's keys with a narrow query the planner can answer from an
    # index and stop after `limit + 1` rows, then load just those rows with everything a
    # page shows (joins, annotations, prefetches).
    if min_id is not None:
        keys = list(
            rows.filter(**{f"{key}__gt": min_id})
            .order_by(key)
            .values_list(key, flat=True)[: limit + 1]
        )
        has_more_newer = len(keys) > limit
        keys = keys[:limit][::-1]
        has_more_older = True
    else:
        keys = list(rows.order_by(f"-{key}").values_list(key, flat=True)[: limit + 1])
        has_more_older = len(keys) > limit
        keys = keys[:limit]
        has_more_newer = max_id is not None
    found = {getattr(row, key): row for row in rows.filter(**{f"{key}__in": keys})} if keys else {}
    items = [found[k] for k in keys if k in found]
    page = Page(items=items)
    if items:
        if has_more_older:
            page.older = {"max_id": getattr(items[-1], key)}
        if has_more_newer:
            page.newer = {"min_id": getattr(items[0], key)}
    return page


def page_for(request: HttpRequest, rows: QuerySet, *, key: str = "id") -> Page:
    """Page `rows` by the max_id / since_id / min_id in the request's query string."""
    return paginate(
        rows,
        max_id=parse_id(request.GET.get("max_id")),
        since_id=parse_id(request.GET.get("since_id")),
        min_id=parse_id(request.GET.get("min_id")),
        key=key,
    )
