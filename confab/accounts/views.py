from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from confab.accounts import actions, queries
from confab.accounts.forms import ImageForm, LoginForm, ProfileForm, SignupForm
from confab.core import places
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.core.models import InstanceSettings
from confab.core.paging import page_for
from confab.timelines import queries as feeds


def signup(request):
    policy = InstanceSettings.get().signup_policy
    if request.account is not None:
        return redirect("home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = actions.register(
                    form.cleaned_data["username"],
                    form.cleaned_data["email"],
                    form.cleaned_data["password"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                if account.user.approved:
                    login(request, account.user)
                    messages.success(
                        request, f"Welcome to {request.get_host()}, {account.username}!"
                    )
                    # Onboarding: interests, then kits, chats, hashtags and people to follow.
                    return redirect("curation:welcome")
                return render(request, "accounts/signup_pending.html", {"account": account})
        status = 422
    return render(request, "accounts/signup.html", {"form": form, "policy": policy}, status=status)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


def profile(request, acct: str):
    viewer = request.account
    account = queries.get_account(viewer, acct)
    with_replies = request.GET.get("tab") == "replies"
    page = page_for(
        request,
        None,
        shape=feeds.profile_shape(viewer, account, with_replies=with_replies),
        load=feeds.cards(viewer),
    )
    mutual, mutual_total = queries.followed_by_people_you_follow(viewer, account)
    return render(
        request,
        "accounts/profile.html",
        {
            "account": account,
            "page": page,
            "relationship": queries.relationship(viewer, account),
            "mutual": mutual,
            "mutual_more": max(mutual_total - len(mutual), 0),
            "with_replies": with_replies,
            "interests": account.interests.all(),
            "time_zone_label": account.time_zone.replace("_", " "),
        },
    )


def _account_list(request, acct: str, which: str):
    viewer = request.account
    account = queries.get_account(viewer, acct)
    rows = (
        queries.followers(viewer, account)
        if which == "followers"
        else queries.following(viewer, account)
    )
    if which == "followers" and request.GET.get("known"):
        # "… and 3 others you follow" on a profile: only the followers the viewer follows.
        rows = queries.followers_you_know(viewer, account)
    page = page_for(request, rows, key="page_id")
    return render(
        request, "accounts/account_list.html", {"account": account, "page": page, "which": which}
    )


def followers(request, acct: str):
    return _account_list(request, acct, "followers")


def following(request, acct: str):
    return _account_list(request, acct, "following")


def _profile_initial(account) -> dict:
    initial = {
        "display_name": account.display_name,
        "note": account.note,
        "city": account.city_label,
        "time_zone": account.time_zone,
        "interests": " ".join(f"#{tag.display_name}" for tag in account.interests.all()),
        "locked": account.locked,
    }
    for n, link in enumerate(account.links, start=1):
        initial[f"link_label_{n}"] = link["label"]
        initial[f"link_url_{n}"] = link["url"]
    return initial


@account_required
def edit_profile(request):
    account = request.account
    form = ProfileForm(request.POST or None, initial=_profile_initial(account))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = actions.ProfileChanges(
                display_name=data["display_name"],
                note=data["note"],
                city=data["city"],
                time_zone=data["time_zone"],
                interests=data["interests"].replace(",", " ").split(),
                links=[
                    (data[f"link_label_{n}"], data[f"link_url_{n}"])
                    for n in range(1, actions.MAX_PROFILE_LINKS + 1)
                ],
                locked=data["locked"],
            )
            try:
                actions.update_profile(account, changes)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("profile", acct=account.username)
        status = 422
    return render(
        request,
        "accounts/edit_profile.html",
        {"form": form, "avatar_form": ImageForm(), "header_form": ImageForm()},
        status=status,
    )


@require_POST
@account_required
def profile_image(request, kind: str):
    if kind not in {"avatar", "header"}:
        raise Http404("No such picture.")
    account = request.account
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        upload = request.FILES.get("image")
        try:
            if form.cleaned_data["remove"]:
                actions.set_profile_image(account, kind, None)
            elif upload is not None:
                actions.set_profile_image(account, kind, upload)
            else:
                raise ValidationError({kind: ["Choose an image file to upload."]})
        except ValidationError as exc:
            form.add_error("image", exc.message_dict.get(kind, exc.messages))
        else:
            messages.success(request, "Your picture is saved.")
            return redirect("edit_profile")
    forms_ = {"avatar_form": ImageForm(), "header_form": ImageForm()}
    forms_[f"{kind}_form"] = form
    return render(
        request,
        "accounts/edit_profile.html",
        {"form": ProfileForm(initial=_profile_initial(account)), **forms_},
        status=422,
    )


@require_GET
def city_search(request):
    """Suggest cities for the profile's city field (used by its datalist)."""
    cities = places.search_cities(
        (request.GET.get("q") or request.GET.get("city") or "")[:100], limit=10
    )
    if request.htmx:
        return render(request, "accounts/_city_options.html", {"cities": cities})
    return JsonResponse({"cities": [{"id": c.id, "label": c.label} for c in cities]})


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


# Pages a follow can come from, by the start of their path, for FollowOrigin.
_ORIGIN_PATHS = {
    "/chats": "chat",
    "/introductions": "introduction",
    "/events": "event",
    "/lists": "list",
    "/search": "search",
}


def _follow_origin(request) -> str:
    """Say where a follow came from: the form's hidden `origin`, else the page it was on."""
    if origin := request.POST.get("origin", ""):
        return origin
    for candidate in (request.POST.get("next", ""), request.META.get("HTTP_REFERER", "")):
        path = urlsplit(candidate).path if candidate else ""
        for prefix, origin in _ORIGIN_PATHS.items():
            if path == prefix or path.startswith(prefix + "/"):
                return origin
    return ""


def _relation_action(action_name: str, done: str):
    @require_POST
    @account_required
    def view(request, acct: str):
        viewer = request.account
        target = queries.get_account(viewer, acct)
        extra = {"origin": _follow_origin(request)} if action_name == "follow" else {}
        try:
            outcome = getattr(actions, action_name)(viewer, target, **extra)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if outcome == "requested":
                messages.info(request, f"You asked to follow {target.name}; they will decide.")
            else:
                messages.success(request, done.format(name=target.name))
        return _back(request, reverse("profile", args=[target.acct]))

    view.__name__ = action_name
    return view


follow = _relation_action("follow", "You now follow {name}.")
unfollow = _relation_action("unfollow", "You no longer follow {name}.")
block = _relation_action("block", "You blocked {name}. Neither of you sees the other now.")
unblock = _relation_action("unblock", "You unblocked {name}.")
mute = _relation_action("mute", "You muted {name}. Their posts stay out of your timelines.")
unmute = _relation_action("unmute", "You unmuted {name}.")


@account_required
def follow_requests(request):
    requests = queries.incoming_follow_requests(request.account)
    return render(request, "accounts/follow_requests.html", {"requests": requests})


@require_POST
@account_required
def answer_follow_request(request, request_id: int, answer: str):
    if answer == "accept":
        follow_ = actions.accept_follow_request(request.account, request_id)
        messages.success(request, f"{follow_.source.name} now follows you.")
    elif answer == "reject":
        actions.reject_follow_request(request.account, request_id)
        messages.info(request, "Request declined.")
    else:
        raise Http404("No such answer.")
    return redirect("follow_requests")


@account_required
def change_password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)
            messages.success(request, "Your password is changed.")
            return redirect("edit_profile")
        status = 422
    return render(request, "accounts/change_password.html", {"form": form}, status=status)
