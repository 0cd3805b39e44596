"""Everything that changes chats, their hosts, followers and sessions.

Each action validates, writes in one transaction and raises ValidationError (with field
errors), PermissionDenied (someone who is not a host of a chat they can see) or Http404.
Jobs for a session are enqueued with keys, so scheduling them again is harmless:

- `chats.session_state`, key `session-state:<session>:live|ended`, at the start and end;
- `chats.remind`, key `remind:<session>:<minutes>`, `minutes` before the start, one per
  distinct reminder time among the chat's followers;
- `chats.extend_schedule`, key `extend-schedule:<chat>:<date>`, daily per recurring chat,
  to materialise the sessions of the weeks ahead;
- `chats.post_question`, key `question:<question>`, at the start plus the question's
  offset. A question is claimed (`posted_post`, `posted_at`) in the transaction that posts
  it, so however often the job runs, or a host posts it early, it is posted once.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
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
from confab.core.ids import id_for_time, next_id
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.posts import actions as posts
from confab.posts.models import Post
from confab.posts.tags import get_or_create_hashtags
from confab.realtime.broker import publish_on_commit
from confab.worker.actions import enqueue
from confab.worker.models import Job, JobState

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
    for question in session.questions.filter(posted_at__isnull=True):
        _enqueue_question(session, question)


def _question_due(session: ChatSession, question: ChatQuestion) -> datetime:
    return session.starts_at + timedelta(minutes=question.offset_minutes)


def _enqueue_question(session: ChatSession, question: ChatQuestion) -> None:
    due_at = _question_due(session, question)
    job = enqueue(
        "chats.post_question", {"question": question.pk}, due_at=due_at, key=_question_key(question)
    )
    if job.due_at != due_at:
        # Replanned: move the waiting job rather than add a second one (the key is taken).
        Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(due_at=due_at)


def _question_key(question: ChatQuestion) -> str:
    return f"question:{question.pk}"


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
    now: datetime | None = None,
) -> ChatSession:
    """Plan the session starting at `starts_at` (UTC): topic, guests, questions (hosts only).

    `questions` are (text, minutes after the start), in order; they replace any plan the
    session had. A session the schedule already made at that time is planned in place;
    any other time makes an extra session, which must not overlap another one. `now`
    stands in for the clock when replaying a chat's history (the demo's past sessions).
    """
    _host_or_403(actor, chat)
    errors: dict[str, list[str]] = {}
    now = now or timezone.now()
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


def question_text(question: ChatQuestion, hashtag_display: str) -> str:
    return f"Q{question.number} {question.text} #{hashtag_display}"


@transaction.atomic
def post_question(question_id: int, now: datetime | None = None) -> Post | None:
    """Post the question from the chat owner's account, unless it is already posted.

    The question is claimed first with a conditional UPDATE and posted in the same
    transaction under the id the claim named, so a second run (a retry, a worker that died
    before recording the job, a host pressing "post now" meanwhile) finds it claimed and
    does nothing; a rolled-back post takes its claim with it. Returns the new post or None.
    """
    now = now or timezone.now()
    question = (
        ChatQuestion.objects.select_related("session__chat__hashtag").filter(pk=question_id).first()
    )
    if question is None or question.posted_at is not None:
        return None
    post_id = id_for_time(now, next_id()) if now < timezone.now() else next_id()
    claimed = ChatQuestion.objects.filter(pk=question.pk, posted_at__isnull=True).update(
        posted_post_id=post_id, posted_at=now
    )
    if not claimed:
        return None
    session = question.session
    owner = ChatHost.objects.select_related("account").get(chat=session.chat, role=HostRole.HOST)
    return posts.post(
        owner.account,
        question_text(question, session.chat.hashtag.display_name),
        post_id=post_id,
        created_at=now,
    )


def _unposted_question(session: ChatSession, number: int) -> ChatQuestion:
    question = session.questions.filter(number=number).first()
    if question is None:
        raise Http404("No such question.")
    if question.posted_at is not None:
        raise ValidationError({"question": [f"Q{number} is posted already."]})
    return question


def _session_not_over(session: ChatSession, now: datetime) -> None:
    if session.state == SessionState.ENDED or session.ends_at <= now:
        raise ValidationError({"session": ["The session is over."]})


@transaction.atomic
def post_next_question(actor: Account, session: ChatSession) -> Post:
    """Post the lowest-numbered question not posted yet, now (hosts only)."""
    _host_or_403(actor, session.chat)
    _session_not_over(session, timezone.now())
    question = session.questions.filter(posted_at__isnull=True).order_by("number").first()
    if question is None:
        raise ValidationError({"question": ["Every planned question is posted."]})
    posted = post_question(question.pk)
    if posted is None:  # the worker got there in the same instant
        raise ValidationError({"question": [f"Q{question.number} is posted already."]})
    return posted


def _check_live_question(
    session: ChatSession, text: str, offset: int, number: int
) -> tuple[str, int]:
    questions = list(session.questions.exclude(number=number).order_by("number"))
    before = [q for q in questions if q.number < number]
    after = [q for q in questions if q.number > number]
    errors: list[str] = []
    text = text.strip()
    if not text:
        errors.append(f"Q{number} has no text.")
    elif len(text) > 400:
        errors.append(f"Keep Q{number} to 400 characters.")
    duration = int((session.ends_at - session.starts_at).total_seconds() // 60)
    if not 0 <= offset < duration:
        errors.append(f"Q{number} must come between minute 0 and minute {duration - 1}.")
    if before and offset <= before[-1].offset_minutes:
        errors.append(
            f"Q{number} at minute {offset} must come after Q{before[-1].number} "
            f"(minute {before[-1].offset_minutes})."
        )
    if after and offset >= after[0].offset_minutes:
        errors.append(
            f"Q{number} at minute {offset} must come before Q{after[0].number} "
            f"(minute {after[0].offset_minutes})."
        )
    if errors:
        raise ValidationError({"questions": errors})
    return text, offset


@transaction.atomic
def edit_question(
    actor: Account, session: ChatSession, number: int, text: str, offset_minutes: int
) -> ChatQuestion:
    """Change an unposted question's text or minute (hosts only); its job moves with it."""
    _host_or_403(actor, session.chat)
    question = _unposted_question(session, number)
    text, offset = _check_live_question(session, text, offset_minutes, number)
    question.text, question.offset_minutes = text, offset
    question.save(update_fields=["text", "offset_minutes"])
    _enqueue_question(session, question)
    return question


@transaction.atomic
def add_question(
    actor: Account, session: ChatSession, text: str, offset_minutes: int | None = None
) -> ChatQuestion:
    """Add a question after the last one (hosts only, also during the session).

    Without `offset_minutes` it is due now (or at the start, before the session).
    """
    _host_or_403(actor, session.chat)
    now = timezone.now()
    _session_not_over(session, now)
    last = session.questions.order_by("-number").first()
    number = last.number + 1 if last else 1
    if number > MAX_QUESTIONS:
        raise ValidationError({"questions": [f"Plan at most {MAX_QUESTIONS} questions."]})
    if offset_minutes is None:
        offset_minutes = max(0, int((now - session.starts_at).total_seconds() // 60))
        if last is not None:
            offset_minutes = max(offset_minutes, last.offset_minutes + 1)
    text, offset = _check_live_question(session, text, offset_minutes, number)
    question = ChatQuestion.objects.create(
        session=session, number=number, text=text, offset_minutes=offset
    )
    _enqueue_question(session, question)
    return question
