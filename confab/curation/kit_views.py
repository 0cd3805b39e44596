"""Starter kit pages: make one, fill it, share its link, and follow what is in it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from confab.accounts import queries as people
from confab.chats import queries as chat_queries
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.curation import actions, queries
from confab.curation.forms import KitForm


def _safe_next(raw: str, fallback: str) -> str:
    if raw.startswith("/") and not raw.startswith("//"):
        return raw
    return fallback


def _is_admin(request) -> bool:
    return request.user.is_authenticated and request.user.is_staff


def kits(request):
    """Featured kits for everyone; one's own kits and a way to make one when signed in."""
    viewer = request.account
    return render(
        request,
        "curation/kits.html",
        {
            "featured": queries.featured_kits(viewer, limit=50),
            "own": queries.own_kits(viewer) if viewer is not None else [],
            "kind": "kits",
        },
    )


@account_required
def new_kit(request):
    form = KitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kit = actions.create_kit(
                    request.account, form.cleaned_data["title"], form.cleaned_data["description"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your kit is ready. Add people, hashtags, chats, lists.")
                return redirect("curation:edit_kit", kit.pk)
        status = 422
    return render(request, "curation/kit_form.html", {"form": form, "kind": "kits"}, status=status)


def kit(request, kit_id: int):
    viewer = request.account
    found = queries.get_kit_for(viewer, kit_id)
    return render(
        request,
        "curation/kit.html",
        {
            "kit": found,
            "contents": queries.kit_contents(viewer, found),
            "is_owner": viewer is not None and found.owner_id == viewer.pk,
            "is_admin": _is_admin(request),
            "share_url": request.build_absolute_uri(found.get_absolute_url()),
            "kind": "kits",
        },
    )


def _edit_context(request, found, form=None, errors=None) -> dict:
    return {
        "kit": found,
        "form": form or KitForm(initial={"title": found.title, "description": found.description}),
        "contents": queries.kit_contents(request.account, found),
        "lists": queries.bundlable_lists(request.account),
        "errors": errors or {},
        "limits": {
            "people": actions.MAX_KIT_PEOPLE,
            "hashtags": actions.MAX_KIT_HASHTAGS,
            "chats": actions.MAX_KIT_CHATS,
        },
        "kind": "kits",
    }


@account_required
def edit_kit(request, kit_id: int):
    found = queries.get_own_kit(request.account, kit_id)
    if request.method == "POST":
        form = KitForm(request.POST)
        if form.is_valid():
            try:
                actions.update_kit(
                    request.account,
                    found,
                    form.cleaned_data["title"],
                    form.cleaned_data["description"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "The kit is saved.")
                return redirect("curation:edit_kit", found.pk)
        return render(
            request, "curation/kit_edit.html", _edit_context(request, found, form), status=422
        )
    return render(request, "curation/kit_edit.html", _edit_context(request, found))


def _add(request, found, what: str) -> None:
    """Run the add action for one kind of item; raise ValidationError with a field."""
    viewer = request.account
    value = request.POST.get(what, "").strip()
    if what == "acct":
        if not value:
            raise ValidationError({"acct": ["Say whom to add: their username."]})
        try:
            account = people.get_account(viewer, value.lstrip("@"))
        except Http404:
            raise ValidationError({"acct": [f"There is nobody called {value} here."]}) from None
        actions.add_kit_person(viewer, found, account)
        messages.success(request, f"{account.name} is in the kit.")
    elif what == "hashtag":
        tag = actions.add_kit_hashtag(viewer, found, value)
        messages.success(request, f"#{tag.display_name} is in the kit.")
    elif what == "chat":
        try:
            chat = chat_queries.get_chat(value)
        except Http404:
            raise ValidationError({"chat": [f"There is no chat #{value.lstrip('#')}."]}) from None
        actions.add_kit_chat(viewer, found, chat)
        messages.success(request, f"The chat #{chat.hashtag.display_name} is in the kit.")
    elif what == "list":
        if not value.isdigit():
            raise ValidationError({"list": ["Choose a public list."]})
        lst = queries.get_list_for(viewer, int(value))
        actions.add_kit_list(viewer, found, lst)
        messages.success(request, f"The list “{lst.title}” is in the kit.")


@require_POST
@account_required
def add_to_kit(request, kit_id: int, what: str):
    if what not in {"acct", "hashtag", "chat", "list"}:
        raise Http404("Nothing to add.")
    found = queries.get_own_kit(request.account, kit_id)
    try:
        _add(request, found, what)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {what: exc.messages}
        return render(
            request,
            "curation/kit_edit.html",
            _edit_context(request, found, errors=errors),
            status=422,
        )
    return redirect("curation:edit_kit", found.pk)


REMOVERS = {
    "person": actions.remove_kit_person,
    "hashtag": actions.remove_kit_hashtag,
    "chat": actions.remove_kit_chat,
    "list": actions.remove_kit_list,
}


@require_POST
@account_required
def remove_from_kit(request, kit_id: int, what: str):
    remover = REMOVERS.get(what)
    raw = request.POST.get("id", "")
    if remover is None or not raw.isdigit():
        raise Http404("Nothing to remove.")
    found = queries.get_own_kit(request.account, kit_id)
    remover(request.account, found, int(raw))
    messages.success(request, "Removed from the kit.")
    return redirect("curation:edit_kit", found.pk)


@require_POST
@account_required
def delete_kit(request, kit_id: int):
    found = queries.get_own_kit(request.account, kit_id)
    actions.delete_kit(request.account, found)
    messages.success(request, f"The kit “{found.title}” is deleted.")
    return redirect("curation:kits")


@require_POST
@account_required
def feature_kit(request, kit_id: int):
    found = queries.get_kit_for(request.account, kit_id)
    featured = request.POST.get("featured") == "1"
    actions.set_kit_featured(request.account, found, featured)
    messages.success(
        request,
        "Newcomers are offered this kit." if featured else "The kit is no longer featured.",
    )
    return redirect(found)


def _ids(request, name: str) -> set[int]:
    return {int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) < 20}


@account_required
def follow_kit(request, kit_id: int):
    """GET: a preview with every item ticked; POST: follow what stayed ticked, in one step."""
    viewer = request.account
    found = queries.get_kit_for(viewer, kit_id)
    next_url = _safe_next(request.POST.get("next") or request.GET.get("next", ""), "")
    status = 200
    if request.method == "POST":
        choice = actions.KitChoice(
            people=_ids(request, "person"),
            hashtags=_ids(request, "hashtag"),
            chats=_ids(request, "chat"),
            lists=_ids(request, "list"),
            exclusive_list_title=(
                request.POST.get("list_title", "") or found.title
                if request.POST.get("exclusive") == "on"
                else ""
            ),
        )
        try:
            result = actions.follow_kit(viewer, found, choice)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 422
        else:
            text = f"From “{found.title}”: {result.summary()}."
            if result.exclusive_list is not None:
                text += f" The people are on your exclusive list “{result.exclusive_list.title}”."
            messages.success(request, text)
            return HttpResponseRedirect(next_url or reverse("home"))
    return render(
        request,
        "curation/kit_follow.html",
        {
            "kit": found,
            "contents": queries.kit_contents(viewer, found),
            "next": next_url,
            "kind": "kits",
        },
        status=status,
    )
