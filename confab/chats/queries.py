"""Reading chats and their upcoming sessions.

A chat's next sessions come from two places: the `ChatSession` rows already made (planned
by a host, or materialised by `ensure_upcoming_sessions`) and the schedule itself, for
weeks not yet materialised. `upcoming` merges both by start instant, so pages and feeds
never depend on whether the worker has caught up.
"""

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats import recurrence
from confab.chats.models import (
    Chat,
    ChatFollow,
    ChatHost,
    ChatQuestion,
    ChatSession,
    HostRole,
    RoomEntry,
    SessionState,
)
from confab.chats.rooms import roles_of
from confab.core.text import normalize_hashtag
from confab.posts.models import Post
from confab.posts.queries import decorate
from confab.posts.visibility import visible_posts


def viewer_zone(viewer: Account | None) -> zoneinfo.ZoneInfo:
    """Return the zone a viewer reads times in: their profile's, or UTC when unknown."""
    name = viewer.time_zone if viewer is not None else "UTC"
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def chats_with_people() -> QuerySet[Chat]:
    """Chats with their hashtag, hosts (owner first) and interests loaded in fixed queries."""
    hosts = ChatHost.objects.select_related("account").order_by("-role", "id")
    return (
        Chat.objects.select_related("hashtag")
        .prefetch_related(Prefetch("hosts", queryset=hosts), "interests")
        .order_by("id")
    )


def get_chat(name: str) -> Chat:
    """Return the chat owning the hashtag `name` (any case, with or without '#'), or 404."""
    try:
        return chats_with_people().get(hashtag__name=normalize_hashtag(name))
    except Chat.DoesNotExist:
        raise Http404("No such chat.") from None


def role_of(account: Account | None, chat: Chat) -> str | None:
    """Return "host", "cohost" or None (one query, or none when hosts are prefetched)."""
    if account is None:
        return None
    for host in chat.hosts.all():
        if host.account_id == account.pk:
            return host.role
    return None


def is_host(account: Account | None, chat: Chat) -> bool:
    return role_of(account, chat) is not None


def owner_of(chat: Chat) -> Account:
    for host in chat.hosts.all():
        if host.role == HostRole.HOST:
            return host.account
    raise LookupError(f"Chat {chat.pk} has no owner")


def follow_of(account: Account | None, chat: Chat) -> ChatFollow | None:
    if account is None:
        return None
    return ChatFollow.objects.filter(account=account, chat=chat).first()


@dataclass
class Occurrence:
    """A chat happening at `starts_at` (UTC): a stored session, or one the schedule promises."""

    chat: Chat
    starts_at: datetime
    ends_at: datetime
    session: ChatSession | None = None

    @property
    def topic(self) -> str:
        return self.session.topic if self.session else ""

    @property
    def state(self) -> str:
        return self.session.state if self.session else SessionState.SCHEDULED

    def local(self, zone: zoneinfo.ZoneInfo) -> datetime:
        return self.starts_at.astimezone(zone)


def _sessions_by_chat(
    chats: Sequence[Chat], after: datetime, before: datetime
) -> dict[int, list[ChatSession]]:
    rows = ChatSession.objects.filter(
        chat__in=[chat.pk for chat in chats], ends_at__gt=after, starts_at__lt=before
    )
    found: dict[int, list[ChatSession]] = {chat.pk: [] for chat in chats}
    for session in rows.order_by("starts_at"):
        found[session.chat_id].append(session)
    return found


def upcoming(
    chats: Sequence[Chat], after: datetime, before: datetime, limit: int = 50
) -> dict[int, list[Occurrence]]:
    """Return each chat's occurrences not yet over at `after` and starting before `before`.

    One query for all the chats together; the rest is expansion of their schedules.
    """
    stored = _sessions_by_chat(chats, after, before)
    result: dict[int, list[Occurrence]] = {}
    for chat in chats:
        sessions = stored[chat.pk]
        # A stored session stands for its time even once ended (a host may end one early).
        taken = {s.starts_at for s in sessions}
        occurrences = [
            Occurrence(chat, s.starts_at, s.ends_at, s)
            for s in sessions
            if s.state != SessionState.ENDED
        ]
        length = timedelta(minutes=chat.duration)
        # Ask for more than `limit`: the first may have ended already, others be stored.
        wanted = 2 * limit + 2
        for start in chat.schedule.occurrences(after - length, limit=wanted, before=before):
            if start in taken or start + length <= after:
                continue
            # A planned extra session that overlaps the scheduled time replaces it.
            if any(s.starts_at < start + length and start < s.ends_at for s in sessions):
                continue
            occurrences.append(Occurrence(chat, start, start + length))
        occurrences.sort(key=lambda o: o.starts_at)
        result[chat.pk] = occurrences[:limit]
    return result


def next_occurrence(chat: Chat, now: datetime | None = None) -> Occurrence | None:
    now = now or timezone.now()
    found = upcoming([chat], now, now + timedelta(days=400), limit=1)[chat.pk]
    return found[0] if found else None


@dataclass
class DirectoryEntry:
    chat: Chat
    next: Occurrence | None
    followed: bool = False


def directory(
    viewer: Account | None,
    *,
    interest: str = "",
    weekday: int | None = None,
    now: datetime | None = None,
) -> list[DirectoryEntry]:
    """Return the chats, soonest first, each with its next occurrence (fixed query count).

    `interest` keeps chats about that hashtag (or owning it); `weekday` (0 = Monday) keeps
    chats whose next session falls on that day in the viewer's zone.
    """
    now = now or timezone.now()
    chats = chats_with_people()
    if interest:
        name = normalize_hashtag(interest.lstrip("#"))
        chats = chats.filter(Q(interests__name=name) | Q(hashtag__name=name))
    if viewer is not None:
        chats = chats.annotate(
            followed=Exists(ChatFollow.objects.filter(chat=OuterRef("pk"), account=viewer))
        )
    chat_list = list(chats.distinct())
    nexts = upcoming(chat_list, now, now + timedelta(days=400), limit=1)
    zone = viewer_zone(viewer)
    entries = []
    for chat in chat_list:
        first = nexts[chat.pk][0] if nexts[chat.pk] else None
        if weekday is not None and (first is None or first.local(zone).weekday() != weekday):
            continue
        entries.append(DirectoryEntry(chat, first, bool(getattr(chat, "followed", False))))
    far = datetime.max.replace(tzinfo=UTC)
    entries.sort(key=lambda e: (e.next.starts_at if e.next else far, e.chat.pk))
    return entries


def followed_chats(account: Account) -> list[Chat]:
    """The chats `account` follows or hosts."""
    mine = Exists(ChatFollow.objects.filter(chat=OuterRef("pk"), account=account)) | Exists(
        ChatHost.objects.filter(chat=OuterRef("pk"), account=account)
    )
    return list(chats_with_people().filter(mine))


@dataclass
class Day:
    day: date
    occurrences: list[Occurrence] = field(default_factory=list)


def week(account: Account, start: datetime | None = None, days: int = 7) -> list[Day]:
    """Return the next `days` days in the viewer's zone with their chats' occurrences."""
    zone = viewer_zone(account)
    now = start or timezone.now()
    first_day = now.astimezone(zone).date()
    midnight = recurrence.to_utc(datetime.combine(first_day, datetime.min.time()), zone)
    end = recurrence.to_utc(
        datetime.combine(first_day + timedelta(days=days), datetime.min.time()), zone
    )
    chats = followed_chats(account)
    calendar = [Day(first_day + timedelta(days=n)) for n in range(days)]
    for occurrences in upcoming(chats, max(now, midnight), end).values():
        for occurrence in occurrences:
            index = (occurrence.local(zone).date() - first_day).days
            if 0 <= index < days:
                calendar[index].occurrences.append(occurrence)
    for day in calendar:
        day.occurrences.sort(key=lambda o: o.starts_at)
    return calendar


def sessions_of(chats: Iterable[Chat]) -> QuerySet[ChatSession]:
    return ChatSession.objects.filter(chat__in=list(chats))


def get_session(name: str, session_id: int) -> ChatSession:
    """Return the session of the chat owning `name`, with its chat and hosts, or 404."""
    chat = get_chat(name)
    session = ChatSession.objects.filter(pk=session_id, chat=chat).first()
    if session is None:
        raise Http404("No such session.")
    session.chat = chat
    return session


@dataclass
class RoomItem:
    """One post in the room as a page shows it: its role, badge and the replies under it."""

    post: Post
    question: int | None
    role: str
    first_timer: bool = False
    replies: list["RoomItem"] = field(default_factory=list)


@dataclass
class QuestionGroup:
    number: int | None  # None: posts before the first question, or answering none
    question: ChatQuestion | None
    post: RoomItem | None  # the host's Qn post, once posted and visible
    answers: list[RoomItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.answers) + sum(len(a.replies) for a in self.answers)


@dataclass
class Participant:
    account: Account
    role: str
    first_timer: bool
    posts: int


@dataclass
class Room:
    session: ChatSession
    questions: list[ChatQuestion]
    groups: list[QuestionGroup]
    participants: list[Participant]
    current: ChatQuestion | None  # the highest-numbered posted question

    @property
    def unposted(self) -> list[ChatQuestion]:
        return [q for q in self.questions if q.posted_at is None]


def room(viewer: Account | None, session: ChatSession) -> Room:
    """Return what the room page shows `viewer`: visible, unhidden posts grouped by question.

    A fixed number of queries however full the room is.
    """
    questions = list(session.questions.all())
    entries = {
        e.post_id: e
        for e in RoomEntry.objects.filter(session=session, hidden=False).only(
            "post_id", "question", "is_question"
        )
    }
    shown = RoomEntry.objects.filter(session=session, hidden=False).values("post_id")
    posts = list(decorate(visible_posts(viewer).filter(pk__in=shown), viewer).order_by("id"))
    roles = roles_of(session)
    authors = {p.account_id for p in posts if not entries[p.pk].is_question}
    earlier = set(
        RoomEntry.objects.filter(
            session__chat_id=session.chat_id,
            session__starts_at__lt=session.starts_at,
            hidden=False,
            post__account_id__in=authors,
        )
        .values_list("post__account_id", flat=True)
        .distinct()
    )
    items = {
        p.pk: RoomItem(
            post=p,
            question=entries[p.pk].question,
            role=roles.of(p.account_id),
            first_timer=p.account_id not in earlier and not roles.of(p.account_id),
        )
        for p in posts
    }
    planned = {q.number: q for q in questions}
    groups = {q.number: QuestionGroup(q.number, q, None) for q in questions if q.posted_at}
    loose = QuestionGroup(None, None, None)

    def group_of(number: int | None) -> QuestionGroup:
        if number is None:
            return loose
        if number not in groups:
            groups[number] = QuestionGroup(number, planned.get(number), None)
        return groups[number]

    for item in items.values():  # in id (time) order
        if entries[item.post.pk].is_question:
            group_of(item.question).post = item
            continue
        # Replies within the room sit under the top post of their branch (one level).
        parent_id = item.post.in_reply_to_id
        top = None
        while parent_id in items and not entries[parent_id].is_question:
            top = items[parent_id]
            parent_id = top.post.in_reply_to_id
        if top is not None:
            top.replies.append(item)
        else:
            group_of(item.question).answers.append(item)
    ordered = [groups[n] for n in sorted(groups)]
    if loose.answers:
        ordered.insert(0, loose)
    counts: dict[int, int] = {}
    for item in items.values():
        if not entries[item.post.pk].is_question:
            counts[item.post.account_id] = counts.get(item.post.account_id, 0) + 1
    seen: dict[int, Participant] = {}
    for item in items.values():
        account_id = item.post.account_id
        if account_id not in seen:
            seen[account_id] = Participant(
                item.post.account, item.role, item.first_timer, counts.get(account_id, 0)
            )
    posted = [q for q in questions if q.posted_at is not None]
    return Room(
        session=session,
        questions=questions,
        groups=ordered,
        participants=list(seen.values()),
        current=posted[-1] if posted else None,
    )
