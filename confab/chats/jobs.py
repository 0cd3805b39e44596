"""The worker's chat jobs: reminders before sessions and sessions moving on by themselves.

Both are keyed when enqueued (see `confab.chats.actions`) and safe to run twice: a reminder
is recorded as a `ChatReminder` row, unique per session and person, in the same
transaction as its notification; a state change only ever moves forward.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from confab.chats.actions import ensure_upcoming_sessions, set_session_state
from confab.chats.models import (
    Chat,
    ChatFollow,
    ChatHost,
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
        notifications.notify(follow.account, Kind.CHAT_REMINDER, host.account)
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
