"""Onboarding, right after sign-up: pick interests, then follow kits, chats, hashtags and
people with one click each. Every step can be skipped; leaving makes sure the home
timeline has something in it (docs/decisions/014-kits-and-onboarding.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from confab.accounts import actions as account_actions
from confab.accounts.models import Account
from confab.chats import actions as chat_actions
from confab.chats import queries as chat_queries
from confab.chats.models import Chat
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.curation import actions, suggestions
from confab.curation.forms import InterestsForm


@account_required
def welcome(request):
    """Step 1: interests (ticked from suggestions or typed) and the time zone."""
    account = request.account
    form = InterestsForm(request.POST or None, initial={"time_zone": account.time_zone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            typed = form.cleaned_data["interests"].replace(",", " ").split()
            try:
                actions.set_interests(
                    account,
                    request.POST.getlist("interest") + typed,
                    form.cleaned_data["time_zone"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return redirect("curation:welcome_follow")
        status = 422
    return render(
        request,
        "curation/welcome.html",
        {"form": form, "choices": suggestions.interest_choices(account), "kind": "welcome"},
        status=status,
    )


@account_required
def welcome_follow(request):
    """Step 2: featured kits, matching chats (next session in the newcomer's zone),
    hashtags and people, each followed with one click."""
    account = request.account
    interests = suggestions.interests_of(account)
    return render(
        request,
        "curation/welcome_follow.html",
        {
            "interests": interests,
            "kits": suggestions.featured_kits(account),
            "chats": suggestions.chats_for(account, interests),
            "hashtags": suggestions.hashtags_for(account, interests),
            "people": suggestions.people_for(account, interests),
            "zone": chat_queries.viewer_zone(account).key,
            "kind": "welcome",
        },
    )


def _follow_one(account: Account, what: str, raw: str) -> str:
    """Follow one suggested thing and say so."""
    if what == "hashtag":
        tag = actions.follow_hashtag(account, raw)
        return f"You follow #{tag.display_name}."
    if not raw.isdigit():
        raise Http404("Nothing to follow.")
    if what == "person":
        target = Account.objects.filter(pk=int(raw)).first()
        if target is None:
            raise Http404("No such account.")
        outcome = account_actions.follow(account, target)
        if outcome == "requested":
            return f"You asked to follow {target.name}."
        return f"You follow {target.name}."
    if what == "chat":
        chat = Chat.objects.select_related("hashtag").filter(pk=int(raw)).first()
        if chat is None:
            raise Http404("No such chat.")
        chat_actions.follow_chat(account, chat)
        return f"You follow the chat #{chat.hashtag.display_name}; we remind you before it starts."
    raise Http404("Nothing to follow.")


@require_POST
@account_required
def welcome_one(request, what: str):
    """One click: follow a person, a hashtag or a chat, and stay on the page."""
    try:
        said = _follow_one(request.account, what, request.POST.get("id", "").strip())
    except ValidationError as exc:
        said, ok = " ".join(exc.messages), False
    else:
        ok = True
    if request.htmx:
        return render(
            request, "curation/_followed.html", {"said": said, "ok": ok}, status=200 if ok else 422
        )
    (messages.success if ok else messages.error)(request, said)
    return redirect("curation:welcome_follow")


@require_POST
@account_required
def welcome_done(request):
    """Leave onboarding for the home timeline, never an empty one."""
    account = request.account
    followed = actions.finish_onboarding(account, suggestions.fallback_hashtags(account))
    if followed:
        names = ", ".join(f"#{tag.display_name}" for tag in followed)
        messages.success(
            request,
            f"So your home timeline is not empty, you now follow {names}. "
            "Unfollow from the hashtag's page any time.",
        )
    else:
        messages.success(request, "Welcome! This is your home timeline.")
    return redirect("home")
