"""Reading an ended session back: its transcript, the people you met there, the hosts' trend.

Two views of the same room, on purpose:

- The numbers (confab.chats.stats) count every entry that is not hidden and whose post is
  public or unlisted, the same for everyone: a transcript's "42 people took part" must not
  change with who is reading it, and counting followers-only posts would let the numbers
  hint at posts a reader may not see. The hosts' trend counts the same way.
- The posts shown (and exported) go through `visible_posts(viewer)`, like every other
  surface: a post that became followers-only, or whose author blocked the reader (or was
  blocked), is left out for that reader. Lists derived from the numbers (most-replied
  answers, links) show only what the reader can see.

Every function here costs a fixed number of queries whatever the size of the room.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse

from confab.accounts.models import Account, Follow, FollowRequest
from confab.accounts.queries import visible_accounts
from confab.chats import stats
from confab.chats.models import Chat, ChatQuestion, ChatSession, RoomEntry, SessionState
from confab.core.text import parse
from confab.posts.visibility import OPEN_VISIBILITIES, visible_posts


def get_session(chat: Chat, session_id: int) -> ChatSession:
    """Return the chat's session `session_id`, or raise Http404 (also for another chat's)."""
    try:
        return ChatSession.objects.get(pk=session_id, chat=chat)
    except ChatSession.DoesNotExist:
        raise Http404("No such session.") from None


def is_over(session: ChatSession) -> bool:
    return session.state == SessionState.ENDED


def _counted_entries(chat: Chat) -> QuerySet[RoomEntry]:
    """The entries the numbers count: not hidden, public or unlisted (see the module doc)."""
    return RoomEntry.objects.filter(
        session__chat=chat, hidden=False, post__visibility__in=OPEN_VISIBILITIES
    )


def _host_ids(chat: Chat) -> set[int]:
    return {host.account_id for host in chat.hosts.all()}


def _links(text: str) -> tuple[str, ...]:
    # Most answers share no link; parsing every one of 5,000 posts to find that out was
    # a quarter of the page's time.
    return parse(text).links if "://" in text else ()


def _room_posts(rows, host_ids: set[int], *, with_links: bool) -> list[stats.RoomPost]:
    return [
        stats.RoomPost(
            id=row["post_id"],
            author_id=row["post__account_id"],
            question=row["question"],
            in_reply_to_id=row["post__in_reply_to_id"],
            is_host=row["post__account_id"] in host_ids,
            hidden=False,
            links=_links(row["post__text"]) if with_links else (),
            created_at=row["post__created_at"],
        )
        for row in rows
    ]


_ROOM_POST_FIELDS = (
    "post_id",
    "post__account_id",
    "question",
    "post__in_reply_to_id",
    "post__created_at",
)


def _previous_participants(chat: Chat, session: ChatSession) -> set[int]:
    """Who took part in the chat's earlier sessions, counted as the numbers count."""
    earlier = _counted_entries(chat).filter(session__starts_at__lt=session.starts_at)
    return set(earlier.values_list("post__account_id", flat=True).distinct())


def session_stats(chat: Chat, session: ChatSession) -> stats.TranscriptStats:
    """Return the session's numbers, counted the same for every reader (two queries)."""
    rows = _counted_entries(chat).filter(session=session).values(*_ROOM_POST_FIELDS, "post__text")
    posts = _room_posts(rows, _host_ids(chat), with_links=True)
    return stats.transcript_stats(
        posts, previous_participants=_previous_participants(chat, session)
    )


@dataclass(slots=True)
class Author:
    id: int
    username: str
    domain: str
    display_name: str

    @property
    def acct(self) -> str:
        return f"{self.username}@{self.domain}" if self.domain else self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(slots=True)
class ShownPost:
    """What a transcript shows of a post: plain values, not a model.

    A 5,000-post transcript spent more time building Post and Account instances than
    running its queries; these cost a fraction of that and read the same in templates.
    """

    id: int
    account: Author
    text: str
    content_html: str
    spoiler_text: str
    created_at: datetime
    in_reply_to_id: int | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def account_id(self) -> int:
        return self.account.id

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.account.acct, self.id])


@dataclass
class Answer:
    post: ShownPost
    is_host: bool
    replies: list[ShownPost] = field(default_factory=list)


@dataclass
class QuestionBlock:
    number: int | None  # None: posts linked to no question
    text: str
    post: ShownPost | None = None  # the host's Qn post, when the reader can see it
    answers: list[Answer] = field(default_factory=list)
    answer_count: int = 0  # from the numbers, for every reader the same

    @property
    def label(self) -> str:
        return f"Q{self.number}" if self.number is not None else "Other posts"


@dataclass
class Transcript:
    chat: Chat
    session: ChatSession
    stats: stats.TranscriptStats
    questions: list[QuestionBlock]
    participants: list[Author]  # authors of the posts the reader sees, first to speak first
    most_replied: list[tuple[ShownPost, int]]
    links: list[tuple[str, int]]
    host_ids: set[int]

    @property
    def posts(self) -> list[ShownPost]:
        """Every post the reader sees, questions included, grouped as on the page."""
        found: list[ShownPost] = []
        for block in self.questions:
            if block.post is not None:
                found.append(block.post)
            for answer in block.answers:
                found.append(answer.post)
                found.extend(answer.replies)
        return found


_SHOWN_FIELDS = (
    "question",
    "is_question",
    "post_id",
    "post__text",
    "post__content_html",
    "post__spoiler_text",
    "post__created_at",
    "post__in_reply_to_id",
    "post__account_id",
    "post__account__username",
    "post__account__domain",
    "post__account__display_name",
)


@dataclass(slots=True)
class _Entry:
    question: int | None
    is_question: bool
    post: ShownPost
    counted: bool  # in the numbers: public or unlisted
    shown: bool  # the reader may see it


def _entries(viewer: Account | None, session: ChatSession) -> list[_Entry]:
    """The session's entries not hidden, in time order, with their posts (one query).

    One query serves the numbers and the page: each row says whether it is counted and
    whether the reader may see it.
    """
    posts = visible_posts(viewer).filter(pk=OuterRef("post_id"))
    rows = (
        RoomEntry.objects.filter(session=session, hidden=False)
        .annotate(shown=Exists(posts))
        .order_by("post__created_at", "post_id")
        .values_list(*_SHOWN_FIELDS, "post__visibility", "shown")
    )
    authors: dict[int, Author] = {}
    entries = []
    for row in rows:
        question, is_question, pk, text, html, spoiler, at, reply_to, author_id = row[:9]
        username, domain, display_name, visibility, shown = row[9:]
        author = authors.get(author_id)
        if author is None:
            author = authors[author_id] = Author(author_id, username, domain, display_name)
        post = ShownPost(pk, author, text, html, spoiler, at, reply_to)
        counted = visibility in OPEN_VISIBILITIES
        entries.append(_Entry(question, is_question, post, counted, shown))
    return entries


def transcript(viewer: Account | None, chat: Chat, session: ChatSession) -> Transcript:
    """Return an ended session's transcript as `viewer` may read it (fixed query count)."""
    host_ids = _host_ids(chat)
    entries = _entries(viewer, session)
    counted = [
        stats.RoomPost(
            id=entry.post.id,
            author_id=entry.post.account_id,
            question=entry.question,
            in_reply_to_id=entry.post.in_reply_to_id,
            is_host=entry.post.account_id in host_ids,
            hidden=False,
            links=_links(entry.post.text),
            created_at=entry.post.created_at,
        )
        for entry in entries
        if entry.counted
    ]
    previous = _previous_participants(chat, session)
    numbers = stats.transcript_stats(counted, previous_participants=previous)
    links_of = {post.id: post.links for post in counted}
    plan: Sequence[ChatQuestion] = list(session.questions.all())
    blocks: dict[int | None, QuestionBlock] = {
        q.number: QuestionBlock(
            q.number, q.text, answer_count=numbers.answers_per_question.get(q.number, 0)
        )
        for q in plan
    }
    shown = [entry for entry in entries if entry.shown]
    by_id = {entry.post.id: entry.post for entry in shown}
    question_posts = {entry.post.id for entry in shown if entry.is_question}

    def root_of(post: ShownPost) -> ShownPost:
        # Replies nest one level: a reply to a reply sits under the answer that began it.
        seen = {post.pk}
        while post.in_reply_to_id in by_id and post.in_reply_to_id not in question_posts:
            post = by_id[post.in_reply_to_id]
            if post.pk in seen:  # an edited thread should never loop, but never hang on one
                break
            seen.add(post.pk)
        return post

    def block_for(number: int | None) -> QuestionBlock:
        if number not in blocks:
            # A question added live without a plan row, or posts linked to none.
            text = f"Question {number}" if number is not None else ""
            count = numbers.answers_per_question.get(number, 0) if number is not None else 0
            blocks[number] = QuestionBlock(number, text, answer_count=count)
        return blocks[number]

    answers: dict[int, Answer] = {}
    participants: dict[int, Author] = {}
    for entry in shown:
        post = entry.post
        participants.setdefault(post.account_id, post.account)
        if entry.is_question:
            block = block_for(entry.question)
            if block.post is None:
                block.post = post
            continue
        root = root_of(post)
        # (A parent dated after its reply, as a remote server may send, leaves it on top.)
        if root.pk != post.pk and root.pk in answers:
            answers[root.pk].replies.append(post)
            continue
        answer = Answer(post, is_host=post.account_id in host_ids)
        answers[post.pk] = answer
        block_for(entry.question).answers.append(answer)

    ordered = sorted(blocks.values(), key=lambda b: (b.number is None, b.number or 0))
    # A post the reader sees is counted too (public or unlisted), or has no link to show:
    # a followers-only post's link stays out of a list everyone reads the same way.
    visible_urls = {url for pk in by_id for url in links_of.get(pk, ())}
    return Transcript(
        chat=chat,
        session=session,
        stats=numbers,
        questions=[b for b in ordered if b.number is not None or b.answers],
        participants=list(participants.values()),
        most_replied=[(by_id[pk], n) for pk, n in numbers.most_replied if pk in by_id],
        links=[(url, n) for url, n in numbers.links if url in visible_urls],
        host_ids=host_ids,
    )


# --- People you met ---------------------------------------------------------------------


@dataclass
class Met:
    account: Account
    reasons: list[str]
    following: bool
    requested: bool


def took_part(account: Account, session: ChatSession) -> bool:
    return RoomEntry.objects.filter(session=session, hidden=False, post__account=account).exists()


def people_met(viewer: Account, chat: Chat, session: ChatSession) -> list[Met]:
    """Return who `viewer` met in the session, strongest ties first (fixed query count).

    The ties are read from the posts the viewer may see, so someone blocked either way is
    never listed, and the accounts go through `visible_accounts` as well.
    """
    posts = visible_posts(viewer).filter(pk=OuterRef("post_id"))
    rows = (
        RoomEntry.objects.filter(session=session, hidden=False)
        .filter(Exists(posts))
        .values(*_ROOM_POST_FIELDS)
    )
    met = stats.people_you_met(_room_posts(rows, _host_ids(chat), with_links=False), viewer.pk)
    accounts = visible_accounts(viewer).filter(pk__in=[pk for pk, _ in met])
    accounts = accounts.annotate(
        following=Exists(Follow.objects.filter(source=viewer, target=OuterRef("pk"))),
        requested=Exists(FollowRequest.objects.filter(source=viewer, target=OuterRef("pk"))),
    )
    found = {account.pk: account for account in accounts}
    return [
        Met(found[pk], reasons, found[pk].following, found[pk].requested)
        for pk, reasons in met
        if pk in found
    ]


# --- The hosts' trend ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCount:
    session: ChatSession
    participants: int
    first_timers: int


def trend(chat: Chat) -> list[SessionCount]:
    """Return participants and first-timers of each ended session, oldest first (2 queries)."""
    sessions = list(chat.sessions.filter(state=SessionState.ENDED).order_by("starts_at"))
    rows = _counted_entries(chat).values("session_id", *_ROOM_POST_FIELDS)
    by_session: dict[int, list[dict]] = {}
    for row in rows:
        by_session.setdefault(row["session_id"], []).append(row)
    host_ids = _host_ids(chat)
    seen: set[int] = set()
    counts = []
    for session in sessions:
        posts = _room_posts(by_session.get(session.pk, []), host_ids, with_links=False)
        numbers = stats.transcript_stats(posts, previous_participants=seen)
        counts.append(SessionCount(session, numbers.participants, numbers.first_timers))
        seen |= {post.author_id for post in posts}
    return counts


def past_sessions(chat: Chat) -> list[ChatSession]:
    return list(chat.sessions.filter(state=SessionState.ENDED).order_by("-starts_at"))


def local_start(chat: Chat, session: ChatSession) -> datetime:
    """The session's start on the chat's own wall clock (it names the export files)."""
    return session.starts_at.astimezone(chat.schedule.zone)
