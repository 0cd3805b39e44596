"""The search page: one box, four tabs, and post filters; works with or without htmx."""

from urllib.parse import urlencode

from django.shortcuts import render

from confab.connections.search import queries
from confab.connections.search.forms import TABS, SearchForm


def _offset(raw: str | None) -> int:
    if raw is None or not raw.isdigit() or len(raw) > 7:
        return 0
    return queries.clamp_offset(int(raw))


def search(request):
    """Search people, posts, hashtags or chats; signed-out readers see public content."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "tabs": TABS, "tab": "posts", "results": None}
    status = 200
    if form.is_bound:
        if form.is_valid():
            tab = form.cleaned_data["type"]
            query = form.search_query()
            offset = _offset(request.GET.get("offset"))
            context.update(
                tab=tab,
                query=query,
                results=queries.SEARCHES[tab](request.account, query, offset=offset),
            )
        else:
            tab = request.GET.get("type") if request.GET.get("type") in dict(TABS) else "posts"
            context["tab"] = tab
            status = 400
        # Links to the other tabs and pages keep everything but the tab and the offset.
        kept = {
            k: v for k, v in request.GET.items() if k not in {"type", "offset", "fragment"} and v
        }
        context["base_query"] = urlencode(kept)
        context["filters_open"] = any(
            request.GET.get(k) for k in ("author", "hashtag", "since", "until")
        )
    if request.htmx and request.GET.get("fragment") == "results":
        return render(request, "connections/search_results.html", context, status=status)
    return render(request, "connections/search.html", context, status=status)
