"""Paging by time-ordered ids (max_id / since_id / min_id), as Mastodon's API does."""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from confab.core.prepared import prepared, sentinels


@dataclass
class Page:
    items: list
    # Query strings for the next (older) and previous (newer) pages, empty when there are none.
    older: dict = field(default_factory=dict)
    newer: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """A feed's arms as a function of a few numbers, so that its page query is compiled to
    SQL once and run with each reader's numbers after (confab/core/prepared.py).

    `build(values)` returns the arms (querysets whose union is the feed) for `values`,
    called with stand-ins; `name` holds everything else that changes the SQL's form.
    """

    name: Hashable
    values: Mapping[str, int]
    build: Callable[[Mapping[str, int]], Sequence[QuerySet]]


def parse_id(raw: str | None) -> int | None:
    """Read a paging id from a query string; anything that is not one is ignored."""
    if raw is None or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if value < 2**63 else None


def paginate(
    rows: QuerySet | None,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int | None = None,
    key: str = "id",
    load: Callable[[list], Iterable] | None = None,
    parts: Sequence[QuerySet] = (),
    loaded_key: str | None = None,
    shape: Shape | None = None,
) -> Page:
    """Page newest-first by a time-ordered id, the way Mastodon's API does.

    max_id: older than this; since_id: newer than this (newest first); min_id: the page just
    newer than this (oldest first, then shown newest first).

    `load(keys)` fetches the rows of the chosen keys for display. Without it they are read
    through `rows` again, repeating its whole filter; a caller whose filter is costly to
    build (a timeline's visibility rules) passes a plain lookup by key instead: the first
    step already decided which rows the reader may see.

    `parts` splits the choice of keys into arms whose union is `rows` (a query with an OR
    the database plans badly): each arm picks a page of keys on its own, and the page is
    the newest of them all.

    `loaded_key` names the attribute of the loaded rows that holds the key, when `key` is
    an annotation the loaded rows lack (a join's column the database can walk in order).

    `shape` gives the arms as a Shape instead, whose key query is compiled once per form.
    """
    limit = limit or settings.PAGE_SIZE
    paging = {
        name: value
        for name, value in (("max_id", max_id), ("since_id", since_id), ("min_id", min_id))
        if value is not None
    }
    # Two steps: pick the page's keys with a narrow query the planner can answer from an
    # index and stop after `limit + 1` rows, then load just those rows with everything a
    # page shows (joins, annotations, prefetches).
    found_keys: set = set()
    if shape is not None:

        def build():
            stand_ins = sentinels([*shape.values, *paging])
            arms = shape.build(stand_ins)
            return [
                _keys_query(arm, key, limit, **{n: stand_ins[n] for n in paging}) for arm in arms
            ], stand_ins

        values = {**shape.values, **paging}
        for compiled in prepared.get((shape.name, tuple(paging), key, limit), build):
            found_keys.update(compiled.flat(values))
    else:
        arms = list(parts) or ([rows] if rows is not None else [])
        for arm in arms:
            found_keys.update(_keys_query(arm, key, limit, **paging))
    if min_id is not None:
        keys = sorted(found_keys)[: limit + 1]
        has_more_newer = len(keys) > limit
        keys = keys[:limit][::-1]
        has_more_older = True
    else:
        keys = sorted(found_keys, reverse=True)[: limit + 1]
        has_more_older = len(keys) > limit
        keys = keys[:limit]
        has_more_newer = max_id is not None
    if not keys:
        chosen: Iterable = ()
    elif load is not None:
        chosen = load(keys)
    elif rows is not None:
        chosen = rows.filter(**{f"{key}__in": keys})
    else:
        raise ValueError("paginate needs `rows` or `load` to read the page's rows")
    ident = loaded_key or key
    found = {getattr(row, ident): row for row in chosen}
    items = [found[k] for k in keys if k in found]
    page = Page(items=items)
    if items:
        if has_more_older:
            page.older = {"max_id": getattr(items[-1], ident)}
        if has_more_newer:
            page.newer = {"min_id": getattr(items[0], ident)}
    return page


def _keys_query(
    arm: QuerySet,
    key: str,
    limit: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> QuerySet:
    """One arm's candidate keys for a page (at most `limit + 1`, in paging order)."""
    if max_id is not None:
        arm = arm.filter(**{f"{key}__lt": max_id})
    if since_id is not None:
        arm = arm.filter(**{f"{key}__gt": since_id})
    if min_id is not None:
        return (
            arm.filter(**{f"{key}__gt": min_id})
            .order_by(key)
            .values_list(key, flat=True)[: limit + 1]
        )
    return arm.order_by(f"-{key}").values_list(key, flat=True)[: limit + 1]


def page_for(
    request: HttpRequest,
    rows: QuerySet | None,
    *,
    key: str = "id",
    load: Callable[[list], Iterable] | None = None,
    parts: Sequence[QuerySet] = (),
    loaded_key: str | None = None,
    shape: Shape | None = None,
) -> Page:
    """Page `rows` by the max_id / since_id / min_id in the request's query string."""
    return paginate(
        rows,
        max_id=parse_id(request.GET.get("max_id")),
        since_id=parse_id(request.GET.get("since_id")),
        min_id=parse_id(request.GET.get("min_id")),
        key=key,
        load=load,
        parts=parts,
        loaded_key=loaded_key,
        shape=shape,
    )
