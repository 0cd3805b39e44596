"""People worth meeting and introductions: pages and the buttons on them (no JS needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from confab.accounts import queries as people
from confab.accounts.models import Account
from confab.connections.people import actions, queries
from confab.connections.people.forms import AnswerForm, IntroductionForm
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@account_required
def people_page(request):
    viewer = request.account
    context = {
        "suggestions": queries.recommendations(viewer),
        "pairs": queries.suggested_introductions(viewer),
        "kind": "people",
    }
    if request.htmx and request.GET.get("fragment") == "list":
        return render(request, "connections/people_list.html", context)
    return render(request, "connections/people.html", context)


@require_POST
@account_required
def dismiss(request, acct: str):
    viewer = request.account
    candidate = people.get_account(viewer, acct)
    try:
        actions.dismiss(viewer, candidate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"We won't suggest {candidate.name} again.")
    if request.htmx:
        return render(
            request,
            "connections/people_list.html",
            {"suggestions": queries.recommendations(viewer)},
        )
    return _back(request, reverse("connections:people"))


def _connection(viewer: Account, acct: str) -> Account | None:
    username, _, domain = acct.partition("@")
    return (
        queries.connections(viewer).filter(username__iexact=username, domain=domain.lower()).first()
    )


@account_required
def introduce(request):
    viewer = request.account
    initial = {key: request.GET.get(key, "") for key in ("first", "second")}
    form = IntroductionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = {}
            for field in ("first", "second"):
                person = _connection(viewer, form.cleaned_data[field])
                if person is None:
                    form.add_error(
                        field,
                        f"You're not connected to @{form.cleaned_data[field]} "
                        "(connected: you follow each other).",
                    )
                chosen[field] = person
            if chosen["first"] and chosen["second"]:
                try:
                    made = actions.introduce(
                        viewer, chosen["first"], chosen["second"], form.cleaned_data["note"]
                    )
                except ValidationError as exc:
                    add_action_errors(form, exc)
                else:
                    messages.success(
                        request,
                        f"Introduction sent. {made.first.name} and {made.second.name} "
                        "will each say yes or not now.",
                    )
                    return redirect("connections:introduction", made.pk)
        status = 422
    return render(
        request,
        "connections/introduction_form.html",
        {
            "form": form,
            "connections": queries.connections(viewer).order_by("username")[:500],
            "kind": "introductions",
        },
        status=status,
    )


@account_required
def introductions(request):
    viewer = request.account
    return render(
        request,
        "connections/introductions.html",
        {
            "waiting": queries.waiting_for(viewer),
            "made": queries.made_by(viewer),
            "received": queries.made_to(viewer),
            "kind": "introductions",
        },
    )


@account_required
def introduction(request, introduction_id: int):
    viewer = request.account
    item = queries.get_introduction(viewer, introduction_id)
    is_party = viewer.pk in (item.first_id, item.second_id)
    return render(
        request,
        "connections/introduction.html",
        {
            "introduction": item,
            "is_party": is_party,
            "other": item.other(viewer) if is_party else None,
            "my_answer": item.answer_of(viewer) if is_party else "",
            "kind": "introductions",
        },
    )


@require_POST
@account_required
def answer(request, introduction_id: int):
    viewer = request.account
    form = AnswerForm(request.POST)
    if not form.is_valid():
        # Look the introduction up first: a stranger gets 404, not a hint that it exists.
        queries.get_introduction(viewer, introduction_id)
        messages.error(request, "Choose accept or not now.")
        return redirect("connections:introduction", introduction_id)
    try:
        result = actions.answer(viewer, introduction_id, form.cleaned_data["answer"] == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.connected:
            messages.success(request, f"You and {result.other(viewer).name} are connected.")
        elif result.is_pending:
            messages.success(request, "Thanks: we'll tell you when the other side has answered.")
        else:
            messages.success(request, "Understood. Nobody is told who said not now.")
    return redirect("connections:introduction", introduction_id)
