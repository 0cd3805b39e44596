"""List pages, and the buttons that follow and feature hashtags."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from confab.accounts import queries as people
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.core.paging import page_for
from confab.core.text import normalize_hashtag
from confab.curation import actions, queries
from confab.curation.forms import HashtagForm, ListForm, MemberForm
from confab.posts.models import Hashtag
from confab.timelines import queries as timelines


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@account_required
def lists(request):
    viewer = request.account
    return render(
        request,
        "curation/lists.html",
        {
            "owned": queries.owned_lists(viewer),
            "subscribed": queries.subscribed_lists(viewer),
            "kind": "lists",
        },
    )


@account_required
def new_list(request):
    form = ListForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.create_list(request.account, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your list is ready. Add people and hashtags to it.")
                return redirect(created)
        status = 422
    return render(
        request, "curation/list_form.html", {"form": form, "kind": "lists"}, status=status
    )


def list_timeline(request, list_id: int):
    viewer = request.account
    lst = queries.get_list_for(viewer, list_id)
    page = page_for(
        request, None, shape=queries.list_shape(viewer, lst), load=timelines.cards(viewer)
    )
    context = {
        "list": lst,
        "page": page,
        "title": lst.title,
        "kind": "list",
        "is_owner": viewer is not None and lst.owner_id == viewer.pk,
        "facts": queries.list_facts(viewer, lst),
        "hashtags": queries.list_hashtags(lst),
        "hashtag_form": HashtagForm(),
    }
    if not request.GET.get("max_id") and not request.GET.get("min_id"):
        context["live_url"] = reverse("live_list", args=[lst.pk])
    if request.htmx and request.GET.get("fragment") == "page":
        return render(request, "timelines/_page.html", context)
    return render(request, "curation/list.html", context)


@account_required
def edit_list(request, list_id: int):
    lst = queries.get_own_list(request.account, list_id)
    form = ListForm(request.POST or None, initial=ListForm.initial_for(lst))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_list(request.account, lst, form.details())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "The list is saved.")
                return redirect(lst)
        status = 422
    return render(
        request,
        "curation/list_form.html",
        {"form": form, "list": lst, "kind": "lists"},
        status=status,
    )


@require_POST
@account_required
def delete_list(request, list_id: int):
    lst = queries.get_own_list(request.account, list_id)
    actions.delete_list(request.account, lst)
    messages.success(request, f"The list “{lst.title}” is deleted.")
    return redirect("curation:lists")


def members(request, list_id: int):
    viewer = request.account
    lst = queries.get_list_for(viewer, list_id)
    return render(
        request,
        "curation/members.html",
        {
            "list": lst,
            "members": queries.list_members(viewer, lst),
            "is_owner": viewer is not None and lst.owner_id == viewer.pk,
            "form": MemberForm(),
            "kind": "lists",
        },
    )


def _change_membership(request, list_id: int | None, *, add: bool) -> HttpResponseRedirect:
    viewer = request.account
    if list_id is None:
        # The profile's "Add to list" form names the list in a field.
        raw = request.POST.get("list", "")
        if not raw.isdigit():
            messages.error(request, "Choose one of your lists.")
            return _back(request, reverse("curation:lists"))
        list_id = int(raw)
    lst = queries.get_own_list(viewer, list_id)
    fallback = reverse("curation:members", args=[lst.pk])
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whom to add: their username.")
        return _back(request, fallback)
    try:
        account = people.get_account(viewer, form.cleaned_data["acct"].strip())
    except Http404:
        messages.error(request, f"There is nobody called {form.cleaned_data['acct']} here.")
        return _back(request, fallback)
    try:
        if add:
            actions.add_member(viewer, lst, account)
        else:
            actions.remove_member(viewer, lst, account)
    except ValidationError as exc:
        _error(request, exc)
    else:
        done = "added to" if add else "removed from"
        messages.success(request, f"{account.name} is {done} “{lst.title}”.")
    return _back(request, fallback)


@require_POST
@account_required
def add_member(request, list_id: int | None = None):
    return _change_membership(request, list_id, add=True)


@require_POST
@account_required
def remove_member(request, list_id: int | None = None):
    return _change_membership(request, list_id, add=False)


@require_POST
@account_required
def add_hashtag(request, list_id: int):
    lst = queries.get_own_list(request.account, list_id)
    try:
        tag = actions.add_hashtag(request.account, lst, request.POST.get("hashtag", ""))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Public posts tagged #{tag.display_name} now join this list.")
    return redirect(lst)


@require_POST
@account_required
def remove_hashtag(request, list_id: int):
    lst = queries.get_own_list(request.account, list_id)
    tag = Hashtag.objects.filter(name=normalize_hashtag(request.POST.get("hashtag", ""))).first()
    if tag is not None:
        actions.remove_hashtag(request.account, lst, tag)
        messages.success(request, f"#{tag.display_name} is no longer part of this list.")
    return redirect(lst)


@require_POST
@account_required
def subscribe(request, list_id: int):
    lst = queries.get_list_for(request.account, list_id)
    try:
        actions.subscribe(request.account, lst)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"You subscribed to “{lst.title}”. It is under your lists.")
    return redirect(lst)


@require_POST
@account_required
def unsubscribe(request, list_id: int):
    lst = queries.get_list_for(request.account, list_id)
    actions.unsubscribe(request.account, lst)
    messages.success(request, f"You unsubscribed from “{lst.title}”.")
    return redirect(lst)


@require_POST
@account_required
def copy(request, list_id: int):
    lst = queries.get_list_for(request.account, list_id)
    try:
        made = actions.copy_list(request.account, lst)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(lst)
    messages.success(request, "This is your own private copy. Change it as you like.")
    return redirect(made)


def _existing_tag(name: str) -> Hashtag:
    tag = Hashtag.objects.filter(name=normalize_hashtag(name)).first()
    if tag is None:
        raise Http404("No such hashtag.")
    return tag


def _hashtag_action(action_name: str, done: str):
    @require_POST
    @account_required
    def view(request, name: str):
        viewer = request.account
        fallback = reverse("hashtag", args=[normalize_hashtag(name)])
        try:
            if action_name in {"follow_hashtag", "feature_hashtag"}:
                tag = getattr(actions, action_name)(viewer, name)
            else:
                tag = _existing_tag(name)
                getattr(actions, action_name)(viewer, tag)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, done.format(tag=tag.display_name))
        return _back(request, fallback)

    view.__name__ = action_name
    return view


follow_hashtag = _hashtag_action(
    "follow_hashtag", "You follow #{tag}: its public posts come to your home timeline."
)
unfollow_hashtag = _hashtag_action("unfollow_hashtag", "You no longer follow #{tag}.")
feature_hashtag = _hashtag_action("feature_hashtag", "#{tag} is featured on your profile.")
unfeature_hashtag = _hashtag_action("unfeature_hashtag", "#{tag} is no longer on your profile.")


MAX_PEOPLE_AT_ONCE = 200


@require_POST
@account_required
def add_people(request):
    """Put several people on one of the viewer's lists (the chat's "people you met")."""
    viewer = request.account
    raw = request.POST.get("list", "")
    if not raw.isdigit():
        messages.error(request, "Choose one of your lists.")
        return _back(request, reverse("curation:lists"))
    lst = queries.get_own_list(viewer, int(raw))
    names = request.POST.getlist("acct")[:MAX_PEOPLE_AT_ONCE]
    added, refused = [], []
    for name in names:
        try:
            account = people.get_account(viewer, name.strip())
            actions.add_member(viewer, lst, account)
        except (Http404, ValidationError):
            refused.append(name)
        else:
            added.append(account.name)
    if added:
        messages.success(request, f"On “{lst.title}” now: {', '.join(added)}.")
    if refused:
        messages.error(request, f"Could not add: {', '.join(refused)}.")
    if not names:
        messages.error(request, "Tick the people to add.")
    return _back(request, reverse("curation:list", args=[lst.pk]))
