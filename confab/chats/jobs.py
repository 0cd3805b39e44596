"""The worker's chat jobs: reminders, questions posted on time, sessions moving on.

Both are keyed when enqueued (see `confab.chats.actions`) and safe to run twice: a reminder
is recorded as a `ChatReminder` row, unique per session and person, in the same
transaction as its notification; a state change only ever moves forward; a question is
claimed in the transaction that posts it (`confab.chats.actions.post_question`).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from confab.chats.actions import ensure_upcoming_sessions, post_question, set_session_state
from confab.chats.models import (
    Chat,
    ChatFollow,
    ChatHost,
    ChatQuestion,
    ChatReminder,
    ChatSession,
    HostRole,
    SessionState,
)
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.realtime.broker import publish_on_commit
from confab.worker.models import Job
from confab.worker.registry import handler


@handler("chats.remind")
def remind(job: Job) -> None:
    """Notify the followers who chose `minutes` that the session starts soon, once each."""
    session = (
        ChatSession.objects.select_related("chat", "chat__hashtag")
        .filter(pk=job.payload["session"])
        .first()
    )
    minutes = int(job.payload["minutes"])
    # Gone, started already, or moved: nothing to remind of (a moved session has new jobs).
    if session is None or session.state != SessionState.SCHEDULED:
        return
    if timezone.now() >= session.starts_at:
        return
    chat = session.chat
    host = ChatHost.objects.select_related("account").get(chat=chat, role=HostRole.HOST)
    already = ChatReminder.objects.filter(session=session).values("account_id")
    follows = (
        ChatFollow.objects.filter(chat=chat, remind_minutes=minutes)
        .exclude(account_id__in=already)
        .select_related("account")
    )
    for follow in follows:
        try:
            with transaction.atomic():
                ChatReminder.objects.create(session=session, account=follow.account)
        except IntegrityError:
            continue  # reminded meanwhile by another run
        notifications.notify(
            follow.account,
            Kind.CHAT_REMINDER,
            host.account,
            link=reverse("chats:room", args=[chat.hashtag.name, session.pk]),
            detail=f"#{chat.hashtag.display_name}: {session.topic or chat.title}",
        )
        publish_on_commit(
            f"notifications:{follow.account_id}",
            "chat_reminder",
            {
                "chat": chat.hashtag.display_name,
                "url": chat.get_absolute_url(),
                "session": str(session.pk),
                "starts_at": session.starts_at.isoformat(),
            },
        )


@handler("chats.session_state")
def session_state(job: Job) -> None:
    """Move the session to live at its start, or to ended at its end."""
    set_session_state(int(job.payload["session"]), job.payload["state"])


@handler("chats.extend_schedule")
def extend_schedule(job: Job) -> None:
    """Materialise the chat's sessions of the weeks ahead, and plan tomorrow's run."""
    chat = Chat.objects.filter(pk=job.payload["chat"]).first()
    if chat is not None:
        ensure_upcoming_sessions(chat)


@handler("chats.post_question")
def post_question_on_time(job: Job) -> None:
    """Post a planned question at its minute, once; never after its session ended."""
    question = (
        ChatQuestion.objects.select_related("session").filter(pk=job.payload["question"]).first()
    )
    if question is None or question.posted_at is not None:
        return  # replanned away, or posted already (early by a host, or by an earlier run)
    if timezone.now() >= question.session.ends_at:
        return  # the worker was down for the whole session: a late question helps nobody
    post_question(question.pk)
