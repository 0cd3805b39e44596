"""Hashtag pages beyond one hashtag: several combined, trending ones, and completion."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from confab.core.decorators import account_required
from confab.core.paging import page_for
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.curation import actions, hashtag_stats
from confab.posts.models import Hashtag, Post, PostHashtag, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import feed_posts

MAX_COMBINED = 10
FIELDS = ("any", "all", "none")


def _names(request, field: str) -> list[str]:
    names: list[str] = []
    for raw in request.GET.getlist(field):
        for part in raw.replace(",", " ").split():
            part = part.lstrip("#")
            if part and part not in names:
                names.append(part)
    return names


def combined_posts(viewer, any_of: list[int], all_of: list[int], none_of: list[int]):
    """Public posts with any of `any_of`, every one of `all_of` and none of `none_of`."""
    posts = feed_posts(viewer).filter(visibility=Visibility.PUBLIC, boost_of__isnull=True)
    if any_of:
        posts = posts.filter(
            pk__in=PostHashtag.objects.filter(hashtag_id__in=any_of).values("post_id")
        )
    for tag_id in all_of:
        posts = posts.filter(pk__in=PostHashtag.objects.filter(hashtag_id=tag_id).values("post_id"))
    if none_of:
        posts = posts.exclude(
            pk__in=PostHashtag.objects.filter(hashtag_id__in=none_of).values("post_id")
        )
    return decorate(posts, viewer)


def combined(request):
    """/tags?any=STEM,EduMatch&all=…&none=Politics — several hashtags as one timeline."""
    wanted = {field: _names(request, field) for field in FIELDS}
    errors = []
    for field, names in wanted.items():
        bad = [n for n in names if not is_valid_hashtag(n)]
        if bad:
            errors.append(f"Not hashtags: {', '.join(bad)}.")
        if len(names) > MAX_COMBINED:
            errors.append(f"Combine at most {MAX_COMBINED} hashtags in “{field}”.")
    context: dict = {"wanted": wanted, "errors": errors, "kind": "hashtags"}
    context["trending"] = hashtag_stats.trending(request.account, limit=10)
    status = 400 if errors else 200
    if not errors and (wanted["any"] or wanted["all"]):
        normalized = {f: [normalize_hashtag(n) for n in names] for f, names in wanted.items()}
        found = {
            tag.name: tag
            for tag in Hashtag.objects.filter(
                name__in=[n for names in normalized.values() for n in names]
            )
        }
        any_of = [found[n].pk for n in normalized["any"] if n in found]
        all_of = [found[n].pk for n in normalized["all"] if n in found]
        none_of = [found[n].pk for n in normalized["none"] if n in found]
        missing = (wanted["any"] and not any_of) or len(all_of) < len(normalized["all"])
        rows = (
            decorate(Post.objects.none(), request.account)
            if missing
            else combined_posts(request.account, any_of, all_of, none_of)
        )
        context["page"] = page_for(request, rows)
        context["query"] = urlencode([(f, ",".join(names)) for f, names in wanted.items() if names])
        parts = []
        if wanted["any"]:
            parts.append("any of " + ", ".join(f"#{n}" for n in wanted["any"]))
        if wanted["all"]:
            parts.append("all of " + ", ".join(f"#{n}" for n in wanted["all"]))
        if wanted["none"]:
            parts.append("none of " + ", ".join(f"#{n}" for n in wanted["none"]))
        context["title"] = "Posts with " + "; ".join(parts)
        if request.htmx and request.GET.get("fragment") == "page":
            return render(request, "curation/_combined_page.html", context)
    return render(request, "curation/combined.html", context, status=status)


def trending(request):
    viewer = request.account
    is_admin = request.user.is_authenticated and request.user.is_staff
    return render(
        request,
        "curation/trending.html",
        {
            "trends": hashtag_stats.trending(viewer, include_hidden=is_admin, limit=20),
            "is_admin": is_admin,
            "kind": "hashtags",
        },
    )


def _tag_or_404(name: str) -> Hashtag:
    tag = Hashtag.objects.filter(name=normalize_hashtag(name)).first()
    if tag is None:
        raise Http404("No such hashtag.")
    return tag


@require_POST
@account_required
def hide_trend(request, name: str):
    tag = _tag_or_404(name)
    actions.hide_trend(request.account, tag)
    messages.success(request, f"#{tag.display_name} no longer shows among trending hashtags.")
    return HttpResponseRedirect(reverse("curation:trending"))


@require_POST
@account_required
def unhide_trend(request, name: str):
    tag = _tag_or_404(name)
    actions.unhide_trend(request.account, tag)
    messages.success(request, f"#{tag.display_name} may trend again.")
    return HttpResponseRedirect(reverse("curation:trending"))


def complete(request):
    """Hashtags starting with ?q=, for the composer's suggestions (JSON)."""
    tags = hashtag_stats.complete(request.GET.get("q", "")[:100])
    return JsonResponse(
        {"hashtags": [{"name": t.name, "display_name": t.display_name} for t in tags]}
    )
