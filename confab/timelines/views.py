from django.shortcuts import redirect, render

from confab.core.decorators import account_required
from confab.core.paging import page_for
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.posts.forms import ComposeForm
from confab.posts.models import Hashtag
from confab.timelines import queries


def _timeline(request, rows, *, title: str, kind: str, key: str = "id", **extra):
    page = page_for(request, rows, key=key)
    context = {"page": page, "title": title, "kind": kind, **extra}
    if request.account is not None and kind in {"home", "hashtag"}:
        initial = {"text": f"#{extra['hashtag'].display_name} "} if kind == "hashtag" else {}
        context["compose_form"] = ComposeForm(initial=initial)
    if request.htmx and request.GET.get("fragment") == "page":
        return render(request, "timelines/_page.html", context)
    return render(request, "timelines/timeline.html", context)


def home(request):
    if request.account is None:
        return redirect("local")
    return _timeline(request, queries.home(request.account), title="Home", kind="home")


def local(request):
    return _timeline(request, queries.local(request.account), title="Local timeline", kind="local")


def hashtag(request, name: str):
    normalized = normalize_hashtag(name)
    tag = Hashtag.objects.filter(name=normalized).first()
    if tag is None:
        if not is_valid_hashtag(name):
            from django.http import Http404

            raise Http404("That is not a hashtag.")
        # A hashtag nobody has used yet is an empty page, not an error.
        tag = Hashtag(name=normalized, display_name=name.lstrip("#"))
    if name != tag.name:
        return redirect("hashtag", name=tag.name)
    rows = queries.hashtag(request.account, tag.pk) if tag.pk else queries.none()
    return _timeline(request, rows, title=f"#{tag.display_name}", kind="hashtag", hashtag=tag)


@account_required
def bookmarks(request):
    return _timeline(
        request,
        queries.bookmarks(request.account),
        title="Bookmarks",
        kind="bookmarks",
        key="bookmark_id",
    )
