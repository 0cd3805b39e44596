from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from confab.core.decorators import account_required
from confab.core.paging import page_for
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.posts.models import Hashtag
from confab.timelines import queries


def _timeline(
    request,
    rows,
    *,
    title: str,
    kind: str,
    key: str = "id",
    live_url: str = "",
    shape=None,
    **extra,
):
    loaded_key = "id" if key == queries.TAGGED_KEY else None
    load = queries.cards(request.account) if key == "id" or loaded_key else None
    page = page_for(request, rows, key=key, load=load, shape=shape, loaded_key=loaded_key)
    context = {"page": page, "title": title, "kind": kind, **extra}
    # Only the newest page updates live; an older page stays as it was asked for.
    if live_url and not request.GET.get("max_id") and not request.GET.get("min_id"):
        context["live_url"] = live_url
    if request.account is not None and kind in {"home", "hashtag"}:
        # The composer's initial values: `blank_composer` makes the form only to draw it.
        tagged = kind == "hashtag"
        context["compose_form"] = {"text": f"#{extra['hashtag'].display_name} "} if tagged else {}
    if request.htmx and request.GET.get("fragment") == "page":
        return render(request, "timelines/_page.html", context)
    return render(request, "timelines/timeline.html", context)


def home(request):
    if request.account is None:
        return redirect("local")
    return _timeline(
        request,
        None,  # the arms below choose the page; `cards` loads it
        shape=queries.home_shape(request.account),
        title="Home",
        kind="home",
        live_url=reverse("live_home"),
    )


def local(request):
    return _timeline(
        request,
        None,
        shape=queries.local_shape(request.account),
        title="Local timeline",
        kind="local",
        live_url=reverse("live_local"),
    )


def hashtag(request, name: str):
    normalized = normalize_hashtag(name)
    tag = Hashtag.objects.filter(name=normalized).first()
    if tag is None:
        if not is_valid_hashtag(name):
            raise Http404("That is not a hashtag.")
        # A hashtag nobody has used yet is an empty page, not an error.
        tag = Hashtag(name=normalized, display_name=name.lstrip("#"))
    if name != tag.name:
        return redirect("hashtag", name=tag.name)
    if tag.pk:
        rows, key = None, queries.TAGGED_KEY
        shape = queries.hashtag_shape(request.account, tag.pk)
    else:
        rows, key, shape = queries.none(), "id", None
    return _timeline(
        request,
        rows,
        key=key,
        shape=shape,
        title=f"#{tag.display_name}",
        kind="hashtag",
        hashtag=tag,
        live_url=reverse("live_hashtag", args=[tag.name]),
    )


@account_required
def bookmarks(request):
    return _timeline(
        request,
        queries.bookmarks(request.account),
        title="Bookmarks",
        kind="bookmarks",
        key="bookmark_id",
    )
