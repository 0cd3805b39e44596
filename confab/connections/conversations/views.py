"""The inbox, one conversation, and writing a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from confab.accounts.queries import get_account
from confab.connections.conversations import actions, queries
from confab.connections.conversations.forms import MessageForm
from confab.core.decorators import account_required
from confab.core.forms import add_action_errors
from confab.core.paging import paginate, parse_id
from confab.posts import actions as post_actions
from confab.posts.models import Visibility

MESSAGES_PER_PAGE = 50


@account_required
def inbox(request):
    viewer = request.account
    page = queries.inbox(
        viewer,
        max_id=parse_id(request.GET.get("max_id")),
        min_id=parse_id(request.GET.get("min_id")),
    )
    context = {"page": page, "kind": "conversations"}
    if request.htmx and request.GET.get("fragment") == "list":
        return render(request, "connections/inbox_list.html", context)
    return render(request, "connections/inbox.html", context)


def _addressed(people) -> str:
    return "".join(f"@{person.acct} " for person in people)


def _conversation_page(request, conversation_id: int, form: MessageForm | None, status=200):
    viewer = request.account
    participation = queries.get_participation(viewer, conversation_id)
    page = paginate(
        queries.conversation_posts(viewer, conversation_id),
        max_id=parse_id(request.GET.get("max_id")),
        limit=MESSAGES_PER_PAGE,
    )
    page.items.reverse()  # oldest first, like a conversation is read
    people = queries.reply_addressees(viewer, conversation_id)
    if form is None:
        last = page.items[-1].id if page.items and not page.newer else None
        form = MessageForm(initial={"text": _addressed(people), "in_reply_to_id": last})
    if status == 200 and not page.newer:
        actions.mark_read(viewer, conversation_id)
    return render(
        request,
        "connections/conversation.html",
        {
            "conversation_id": conversation_id,
            "participation": participation,
            "page": page,
            "people": people,
            "form": form,
            "kind": "conversations",
        },
        status=status,
    )


@account_required
def conversation(request, conversation_id: int):
    return _conversation_page(request, conversation_id, None)


def _send(request, form: MessageForm):
    """Post the form's message as a direct post; return it, or None with the form's errors."""
    if not form.is_valid():
        return None
    try:
        return post_actions.post(
            request.account,
            form.cleaned_data["text"],
            visibility=Visibility.DIRECT,
            in_reply_to_id=form.cleaned_data["in_reply_to_id"],
        )
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None
    except Http404:
        form.add_error(None, "The message you answered is gone; write a new one.")
        return None


def _to_conversation(request, new):
    conversation_id = queries.conversation_for_post(request.account, new.pk)
    if conversation_id is None:
        # Nobody mentioned: a direct post only its author sees, which is not a conversation.
        messages.info(request, "Sent to nobody: mention someone with @name to message them.")
        return redirect(new.get_absolute_url())
    return redirect(reverse("connections:conversation", args=[conversation_id]) + f"#post-{new.pk}")


@require_POST
@account_required
def reply(request, conversation_id: int):
    queries.get_participation(request.account, conversation_id)
    form = MessageForm(request.POST)
    new = _send(request, form)
    if new is None:
        return _conversation_page(request, conversation_id, form, status=422)
    return _to_conversation(request, new)


@account_required
def new_message(request):
    """A blank message, addressed to `?to=<acct>` (the Message button on a profile)."""
    viewer = request.account
    if request.method == "POST":
        form = MessageForm(request.POST)
        new = _send(request, form)
        if new is not None:
            return _to_conversation(request, new)
        return render(request, "connections/conversation_new.html", {"form": form}, status=422)
    initial = ""
    to = request.GET.get("to", "")[:300]
    if to:
        person = get_account(viewer, to)
        if person.pk != viewer.pk:
            initial = _addressed([person])
    form = MessageForm(initial={"text": initial})
    return render(request, "connections/conversation_new.html", {"form": form})


@require_POST
@account_required
def mark_read(request, conversation_id: int):
    actions.mark_read(request.account, conversation_id)
    if request.htmx:
        return render(request, "connections/conversation_read.html", {})
    return redirect("connections:conversation", conversation_id=conversation_id)


def _muting(muted: bool):
    @require_POST
    @account_required
    def view(request, conversation_id: int):
        actions.set_muted(request.account, conversation_id, muted)
        messages.success(
            request,
            "Conversation muted: no unread count or notifications from it."
            if muted
            else "Conversation unmuted.",
        )
        return redirect("connections:conversation", conversation_id=conversation_id)

    return view


mute = _muting(True)
unmute = _muting(False)
