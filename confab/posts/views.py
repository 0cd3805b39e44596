from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from confab.accounts.queries import get_account
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.posts import actions, queries
from confab.posts.forms import ComposeForm, EditForm
from confab.posts.models import Post


def _same_author(post: Post, acct: str) -> None:
    if post.account.acct.lower() != acct.lstrip("@").lower():
        raise Http404("No such post.")


def thread(request, acct: str, post_id: int):
    viewer = request.account
    found = queries.get_thread(viewer, post_id)
    _same_author(found.post, acct)
    reply_form = None
    if viewer is not None:
        reply_form = ComposeForm(
            initial={
                "in_reply_to_id": found.post.id,
                "visibility": found.post.visibility,
                "text": queries.reply_prefix(viewer, found.post),
            }
        )
    return render(request, "posts/thread.html", {"thread": found, "reply_form": reply_form})


@require_POST
@account_required
def compose(request):
    if request.POST.get("scheduled_for", "").strip():
        # A "Schedule for" time makes it a scheduled post (confab.insights).
        from confab.insights.views import schedule_from_composer

        return schedule_from_composer(request)
    form = ComposeForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        uploads = [
            actions.Upload(file=request.FILES[f"image_{n}"], description=data[f"alt_{n}"])
            for n in range(1, settings.POST_MAX_MEDIA + 1)
            if f"image_{n}" in request.FILES
        ]
        try:
            new = actions.post(
                request.account,
                data["text"],
                spoiler_text=data["spoiler_text"],
                visibility=data["visibility"],
                in_reply_to_id=data["in_reply_to_id"],
                media=uploads,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Posted.")
            if new.in_reply_to_id:
                return redirect(new.in_reply_to.get_absolute_url() + f"#post-{new.id}")
            return HttpResponseRedirect(_safe_next(request) or new.get_absolute_url())
    # Show the form again with everything the person typed (and where to go after), and
    # what to fix.
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "posts/compose.html", context, status=422)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else ""


@account_required
def edit(request, acct: str, post_id: int):
    found = queries.get_visible_post(request.account, post_id)
    _same_author(found, acct)
    if found.account_id != request.account.pk or found.boost_of_id:
        raise Http404("No such post.")
    form = EditForm(
        request.POST or None, initial={"text": found.text, "spoiler_text": found.spoiler_text}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.edit(
                    request.account,
                    found.id,
                    form.cleaned_data["text"],
                    spoiler_text=form.cleaned_data["spoiler_text"],
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "Your post is updated.")
                return redirect(found.get_absolute_url())
        status = 422
    return render(request, "posts/edit.html", {"form": form, "post": found}, status=status)


def history(request, acct: str, post_id: int):
    found = queries.get_visible_post(request.account, post_id)
    _same_author(found, acct)
    if found.boost_of_id:
        raise Http404("No such post.")  # a boost has no text, so no history
    return render(request, "posts/history.html", {"post": found, "edits": found.edits.all()})


@require_POST
@account_required
def delete(request, acct: str, post_id: int):
    # The address names the author: /@bob/<ann's post>/delete is not ann's post.
    if acct.lstrip("@").lower() != request.account.acct.lower():
        raise Http404("No such post.")
    actions.delete(request.account, post_id)
    messages.success(request, "Your post is deleted.")
    return redirect("profile", acct=request.account.username)


def _interaction(action_name: str):
    @require_POST
    @account_required
    def view(request, post_id: int):
        viewer = request.account
        try:
            getattr(actions, action_name)(viewer, post_id)
        except ValidationError as exc:
            if not request.htmx:
                messages.error(request, " ".join(exc.messages))
                return HttpResponseRedirect(_safe_next(request) or "/")
            shown = queries.get_visible_post(viewer, post_id)
            return render(
                request,
                "posts/_actions.html",
                {"post": shown, "shown": shown, "error": " ".join(exc.messages)},
                status=422,
            )
        if request.htmx:
            # Swap in the post's action bar, reflecting what the viewer just did.
            shown = queries.get_visible_post(viewer, post_id)
            return render(request, "posts/_actions.html", {"post": shown, "shown": shown})
        return HttpResponseRedirect(_safe_next(request) or "/")

    view.__name__ = action_name
    return view


favourite = _interaction("favourite")
unfavourite = _interaction("unfavourite")
boost = _interaction("boost")
unboost = _interaction("unboost")
bookmark = _interaction("bookmark")
unbookmark = _interaction("unbookmark")


def profile_redirect(request, acct: str):
    account = get_account(request.account, acct)
    return redirect(account.get_absolute_url())
