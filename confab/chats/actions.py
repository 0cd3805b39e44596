"""Everything that changes chats, their hosts, followers and sessions.

Each action validates, writes in one transaction and raises ValidationError (with field
errors), PermissionDenied (someone who is not a host of a chat they can see) or Http404.
Jobs for a session are enqueued with keys, so scheduling them again is harmless:

- `chats.session_state`, key `session-state:<session>:live|ended`, at the start and end;
- `chats.remind`, key `remind:<session>:<minutes>`, `minutes` before the start, one per
  distinct reminder time among the chat's followers;
- `chats.extend_schedule`, key `extend-schedule:<chat>:<date>`, daily per recurring chat,
  to materialise the sessions of the weeks ahead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats import recurrence
from confab.chats.models import (
    CalendarToken,
    Chat,
    ChatFollow,
    ChatHost,
    ChatQuestion,
    ChatSession,
    HostRole,
    SessionState,
)
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.posts.tags import get_or_create_hashtags
from confab.realtime.broker import publish_on_commit
from confab.worker.actions import enqueue

MAX_INTERESTS = 10
MAX_QUESTIONS = 20
MAX_GUESTS = 10
MAX_REMIND_MINUTES = 1440
UPCOMING_WEEKS = 4
HASHTAG_TAKEN = "Another chat already uses that hashtag."
# Words in the chats' addresses (/chats/new, /chats/calendar) that cannot name a chat.
RESERVED_NAMES = frozenset({"new", "calendar"})


@dataclass
class ChatDetails:
    """What a host fills in on the chat form."""

    title: str
    time_zone: str
    starts_at_local: datetime  # naive, on the wall clock of `time_zone`
    duration: int = 60
    rrule: str = ""  # "" for a one-off chat
    description: str = ""
    code_of_conduct: str = ""
    interests: Sequence[str] = ()


def _check_details(details: ChatDetails) -> tuple[dict[str, list[str]], list[str]]:
    errors: dict[str, list[str]] = {}
    title = details.title.strip()
    if not title:
        errors["title"] = ["Give the chat a title."]
    elif len(title) > 100:
        errors["title"] = ["Keep the title to 100 characters."]
    if len(details.description) > 2000:
        errors["description"] = ["Keep the description to 2,000 characters."]
    if len(details.code_of_conduct) > 5000:
        errors["code_of_conduct"] = ["Keep the code of conduct to 5,000 characters."]
    if details.starts_at_local.tzinfo is not None:
        raise ValueError("starts_at_local must be naive (a wall-clock time)")
    schedule = recurrence.Schedule(
        details.time_zone, details.starts_at_local, details.rrule.strip(), details.duration
    )
    try:
        schedule.validate()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    interests: list[str] = []
    bad = []
    for raw in details.interests:
        tag = raw.strip().lstrip("#")
        if not tag:
            continue
        if not is_valid_hashtag(tag):
            bad.append(raw.strip())
        elif normalize_hashtag(tag) not in {normalize_hashtag(t) for t in interests}:
            interests.append(tag)
    if bad:
        errors["interests"] = [f"Not hashtags: {', '.join(bad)}."]
    elif len(interests) > MAX_INTERESTS:
        errors["interests"] = [f"Pick at most {MAX_INTERESTS} interests."]
    return errors, interests


def _apply(chat: Chat, details: ChatDetails) -> None:
    chat.title = details.title.strip()
    chat.description = details.description.strip()
    chat.code_of_conduct = details.code_of_conduct.strip()
    chat.time_zone = details.time_zone
    chat.rrule = details.rrule.strip().removeprefix("RRULE:")
    chat.starts_at_local = details.starts_at_local.replace(second=0, microsecond=0)
    chat.duration = details.duration


@transaction.atomic
def create_chat(owner: Account, hashtag: str, details: ChatDetails) -> Chat:
    """Create a chat owning `hashtag`, hosted by `owner`, and its first weeks of sessions."""
    errors, interests = _check_details(details)
    tag = hashtag.strip().removeprefix("#")
    if not is_valid_hashtag(tag):
        errors["hashtag"] = [
            f"“{hashtag}” is not a hashtag: use letters, digits and underscores, "
            "with at least one letter."
        ]
    elif normalize_hashtag(tag) in RESERVED_NAMES:
        errors["hashtag"] = [f"“{tag}” is a word Confab keeps for its own pages."]
    elif Chat.objects.filter(hashtag__name=normalize_hashtag(tag)).exists():
        errors["hashtag"] = [HASHTAG_TAKEN]
    if errors:
        raise ValidationError(errors)
    (row,) = get_or_create_hashtags([tag])
    chat = Chat(hashtag=row)
    _apply(chat, details)
    try:
        with transaction.atomic():
            chat.save()
    except IntegrityError:
        raise ValidationError({"hashtag": [HASHTAG_TAKEN]}) from None
    chat.interests.set(get_or_create_hashtags(interests))
    ChatHost.objects.create(chat=chat, account=owner, role=HostRole.HOST)
    ensure_upcoming_sessions(chat)
    return chat


def _host_or_403(actor: Account, chat: Chat, *, owner: bool = False) -> str:
    role = ChatHost.objects.filter(chat=chat, account=actor).values_list("role", flat=True).first()
    if role is None or (owner and role != HostRole.HOST):
        raise PermissionDenied("Only the chat's hosts can do that.")
    return role


@transaction.atomic
def update_chat(actor: Account, chat: Chat, details: ChatDetails) -> Chat:
    """Change a chat's details and schedule (hosts only; the hashtag stays).

    When the schedule changes, sessions still to come that nobody planned (no topic, no
    questions, no guests) are dropped and made again from the new schedule; planned ones
    stay where they are.
    """
    _host_or_403(actor, chat)
    errors, interests = _check_details(details)
    if errors:
        raise ValidationError(errors)
    before = chat.schedule
    _apply(chat, details)
    chat.save(
        update_fields=[
            "title",
            "description",
            "code_of_conduct",
            "time_zone",
            "rrule",
            "starts_at_local",
            "duration",
        ]
    )
    chat.interests.set(get_or_create_hashtags(interests))
    if chat.schedule != before:
        ChatSession.objects.filter(
            chat=chat,
            state=SessionState.SCHEDULED,
            starts_at__gt=timezone.now(),
            topic="",
            questions__isnull=True,
            guests__isnull=True,
        ).delete()
        ensure_upcoming_sessions(chat)
    return chat


@transaction.atomic
def add_cohost(actor: Account, chat: Chat, account: Account) -> ChatHost:
    """Make `account` a co-host (any host may)."""
    _host_or_403(actor, chat)
    if not account.is_local:
        raise ValidationError({"account": ["Only people on this server can co-host."]})
    found, _ = ChatHost.objects.get_or_create(
        chat=chat, account=account, defaults={"role": HostRole.COHOST}
    )
    return found


@transaction.atomic
def remove_cohost(actor: Account, chat: Chat, account: Account) -> None:
    """Remove a co-host: the owner may remove anyone but themself; a co-host, themself."""
    if actor.pk != account.pk:
        _host_or_403(actor, chat, owner=True)
    else:
        _host_or_403(actor, chat)
    ChatHost.objects.filter(chat=chat, account=account, role=HostRole.COHOST).delete()


def _check_remind(remind_minutes: int) -> None:
    if not 0 <= remind_minutes <= MAX_REMIND_MINUTES:
        raise ValidationError(
            {
                "remind_minutes": [
                    f"Choose 0 (no reminder) to {MAX_REMIND_MINUTES} minutes (a day) before."
                ]
            }
        )


@transaction.atomic
def follow_chat(account: Account, chat: Chat, remind_minutes: int = 15) -> ChatFollow:
    """Follow a chat (or change the reminder time); 0 minutes means no reminders."""
    _check_remind(remind_minutes)
    found, created = ChatFollow.objects.get_or_create(
        account=account, chat=chat, defaults={"remind_minutes": remind_minutes}
    )
    if not created and found.remind_minutes != remind_minutes:
        found.remind_minutes = remind_minutes
        found.save(update_fields=["remind_minutes"])
    if remind_minutes:
        now = timezone.now()
        for session in ChatSession.objects.filter(
            chat=chat, state=SessionState.SCHEDULED, starts_at__gt=now
        ):
            _enqueue_reminder(session, remind_minutes)
    return found


@transaction.atomic
def unfollow_chat(account: Account, chat: Chat) -> None:
    ChatFollow.objects.filter(account=account, chat=chat).delete()


@transaction.atomic
def calendar_token(account: Account) -> CalendarToken:
    """Return the secret of the account's private calendar feed, made on first use."""
    found, _ = CalendarToken.objects.get_or_create(account=account)
    return found


def _enqueue_reminder(session: ChatSession, minutes: int) -> None:
    enqueue(
        "chats.remind",
        {"session": session.pk, "minutes": minutes},
        due_at=session.starts_at - timedelta(minutes=minutes),
        key=f"remind:{session.pk}:{minutes}",
    )


def schedule_jobs(session: ChatSession) -> None:
    """Enqueue the session's state changes and its followers' reminders (idempotent)."""
    for state, due_at in (
        (SessionState.LIVE, session.starts_at),
        (SessionState.ENDED, session.ends_at),
    ):
        enqueue(
            "chats.session_state",
            {"session": session.pk, "state": state},
            due_at=due_at,
            key=f"session-state:{session.pk}:{state}",
        )
    minutes = (
        ChatFollow.objects.filter(chat_id=session.chat_id, remind_minutes__gt=0)
        .values_list("remind_minutes", flat=True)
        .distinct()
    )
    for value in minutes:
        _enqueue_reminder(session, value)


@transaction.atomic
def ensure_upcoming_sessions(
    chat: Chat, weeks: int = UPCOMING_WEEKS, now: datetime | None = None
) -> list[ChatSession]:
    """Make the session rows (and their jobs) for the next `weeks` weeks of the schedule.

    Idempotent: occurrences that already have a row, or overlap a planned session, are
    left alone. Returns the scheduled sessions in the window, old and new.
    """
    now = now or timezone.now()
    until = now + timedelta(weeks=weeks)
    length = timedelta(minutes=chat.duration)
    existing = list(ChatSession.objects.filter(chat=chat, ends_at__gt=now, starts_at__lt=until))
    missing = [
        ChatSession(chat=chat, starts_at=start, ends_at=start + length)
        for start in chat.schedule.occurrences(now, limit=500, before=until)
        if not any(s.overlaps(start, start + length) for s in existing)
    ]
    ChatSession.objects.bulk_create(missing, ignore_conflicts=True)
    sessions = list(
        ChatSession.objects.filter(
            chat=chat, state=SessionState.SCHEDULED, starts_at__gt=now, starts_at__lt=until
        )
    )
    for session in sessions:
        schedule_jobs(session)
    if chat.rrule and chat.schedule.occurrences(until, limit=1):
        # Keep the window moving: the handler calls this again tomorrow, which enqueues
        # the day after's (one job per chat per day, by its key).
        tomorrow = now + timedelta(days=1)
        enqueue(
            "chats.extend_schedule",
            {"chat": chat.pk},
            due_at=tomorrow,
            key=f"extend-schedule:{chat.pk}:{tomorrow.date().isoformat()}",
        )
    return sessions


def _check_questions(
    questions: Sequence[tuple[str, int]], duration: int
) -> tuple[list[tuple[str, int]], list[str]]:
    errors: list[str] = []
    cleaned: list[tuple[str, int]] = []
    previous = -1
    if len(questions) > MAX_QUESTIONS:
        errors.append(f"Plan at most {MAX_QUESTIONS} questions.")
    for number, (text, offset) in enumerate(questions, start=1):
        text = text.strip()
        if not text:
            errors.append(f"Q{number} has no text.")
        elif len(text) > 400:
            errors.append(f"Keep Q{number} to 400 characters.")
        if offset < 0:
            errors.append(f"Q{number} cannot come before the start (minute {offset}).")
        elif offset >= duration:
            errors.append(
                f"Q{number} at minute {offset} is after the chat ends ({duration} minutes)."
            )
        if offset <= previous:
            errors.append(
                f"Q{number} at minute {offset} must come after Q{number - 1} (minute {previous})."
            )
        previous = max(previous, offset)
        cleaned.append((text, offset))
    return cleaned, errors


@transaction.atomic
def plan_session(
    chat: Chat,
    actor: Account,
    starts_at: datetime,
    topic: str = "",
    guests: Sequence[Account] = (),
    questions: Sequence[tuple[str, int]] = (),
) -> ChatSession:
    """Plan the session starting at `starts_at` (UTC): topic, guests, questions (hosts only).

    `questions` are (text, minutes after the start), in order; they replace any plan the
    session had. A session the schedule already made at that time is planned in place;
    any other time makes an extra session, which must not overlap another one.
    """
    _host_or_403(actor, chat)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be aware")
    starts_at = starts_at.replace(second=0, microsecond=0)
    ends_at = starts_at + timedelta(minutes=chat.duration)
    if starts_at <= now:
        errors["starts_at"] = ["That time has passed: plan a session that is still to come."]
    topic = topic.strip()
    if len(topic) > 200:
        errors["topic"] = ["Keep the topic to 200 characters."]
    if len(guests) > MAX_GUESTS:
        errors["guests"] = [f"Invite at most {MAX_GUESTS} guests."]
    cleaned, question_errors = _check_questions(questions, chat.duration)
    if question_errors:
        errors["questions"] = question_errors
    session = ChatSession.objects.filter(chat=chat, starts_at=starts_at).first()
    if session is not None and session.state != SessionState.SCHEDULED:
        errors.setdefault("starts_at", []).append("That session has already started.")
    others = ChatSession.objects.filter(chat=chat, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if session is not None:
        others = others.exclude(pk=session.pk)
    clash = others.first()
    if clash is not None:
        errors.setdefault("starts_at", []).append(
            f"It would overlap the session at {clash.starts_at:%Y-%m-%d %H:%M} UTC."
        )
    if errors:
        raise ValidationError(errors)
    if session is None:
        session = ChatSession.objects.create(
            chat=chat, starts_at=starts_at, ends_at=ends_at, topic=topic
        )
    else:
        session.topic = topic
        session.save(update_fields=["topic"])
    session.guests.set(guests)
    session.questions.filter(posted_at__isnull=True).delete()
    ChatQuestion.objects.bulk_create(
        ChatQuestion(session=session, number=number, text=text, offset_minutes=offset)
        for number, (text, offset) in enumerate(cleaned, start=1)
    )
    schedule_jobs(session)
    return session


def set_session_state(session_id: int, state: str, now: datetime | None = None) -> bool:
    """Move a session on to `state` if it is due and not there yet; return whether it moved.

    Only forward (scheduled → live → ended), so running this twice, or late, is harmless.
    """
    now = now or timezone.now()
    rows = ChatSession.objects.filter(pk=session_id)
    if state == SessionState.LIVE:
        rows = rows.filter(state=SessionState.SCHEDULED, starts_at__lte=now, ends_at__gt=now)
    elif state == SessionState.ENDED:
        rows = rows.exclude(state=SessionState.ENDED).filter(ends_at__lte=now)
    else:
        raise ValueError(state)
    moved = rows.update(state=state) == 1
    if moved:
        publish_on_commit(f"room:{session_id}", "state", {"state": state})
    return moved
