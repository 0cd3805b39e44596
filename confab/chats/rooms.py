"""The live room of a session: which posts join it, with which question, and its moderation.

A public or unlisted post joins a session's room when it carries the chat's hashtag between
the start and ROOM_GRACE_MINUTES after the end (by the clock, not by the session's state,
which the worker moves on a little later), or when it replies to a post in the room; the
host's Qn post joins as the question itself. Nothing joins a locked room, and nothing from
someone the hosts muted for the session. Followers-only and direct posts never join: a room
is a public place.

Every change is published after commit on `room:<session>`: "entry" (a post joined),
"question" (a Qn post joined), "move" (an edited answer now names another question),
"hide" (a host hid an entry), "lock" (locked or unlocked);
"state" comes from `confab.chats.actions.set_session_state`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.template.loader import render_to_string

from confab.accounts.models import Account
from confab.chats.answers import assign_question
from confab.chats.models import (
    ROOM_GRACE_MINUTES,
    ChatHost,
    ChatQuestion,
    ChatSession,
    RoomEntry,
    RoomMute,
)
from confab.posts.models import Post, PostHashtag
from confab.posts.queries import get_visible_post
from confab.posts.visibility import OPEN_VISIBILITIES, post_facts
from confab.realtime.broker import get_broker, publish_on_commit


def room_stream(session_id: int) -> str:
    return f"room:{session_id}"


def _candidate_sessions(post: Post) -> list[ChatSession]:
    grace = timedelta(minutes=ROOM_GRACE_MINUTES)
    at = post.created_at
    tags = PostHashtag.objects.filter(post_id=post.pk).values("hashtag_id")
    joins = Q(chat__hashtag_id__in=tags, starts_at__lte=at, ends_at__gte=at - grace)
    if post.in_reply_to_id:
        joins |= Q(
            Exists(
                RoomEntry.objects.filter(
                    session=OuterRef("pk"), post_id=post.in_reply_to_id, hidden=False
                )
            )
        )
    muted = RoomMute.objects.filter(session=OuterRef("pk"), account_id=post.account_id)
    # The host's question joins even when posted early, or into a locked room.
    asked = Exists(ChatQuestion.objects.filter(session=OuterRef("pk"), posted_post_id=post.pk))
    return list(ChatSession.objects.filter((joins & Q(locked=False) & ~Exists(muted)) | asked))


def record_post(post: Post) -> list[RoomEntry]:
    """Add a new post to the rooms it belongs in; return the entries made.

    Called by `confab.posts.actions.post` inside its transaction (a few queries per post),
    which hands the entries to `confab.timelines.live.publish_post` after commit: one load
    of the new post then serves its timelines and its rooms (`publish_entries`).
    """
    if post.boost_of_id or post.visibility not in OPEN_VISIBILITIES:
        return []
    sessions = _candidate_sessions(post)
    if not sessions:
        return []
    questions: dict[int, list[ChatQuestion]] = {s.pk: [] for s in sessions}
    for question in ChatQuestion.objects.filter(session__in=sessions).order_by("number"):
        questions[question.session_id].append(question)
    parents: dict[int, RoomEntry] = {}
    if post.in_reply_to_id:
        parents = {
            e.session_id: e
            for e in RoomEntry.objects.filter(session__in=sessions, post_id=post.in_reply_to_id)
        }
    entries = []
    for session in sessions:
        plan = questions[session.pk]
        own = next((q for q in plan if q.posted_post_id == post.pk), None)
        if own is not None:
            entries.append(
                RoomEntry(session=session, post=post, question=own.number, is_question=True)
            )
            continue
        posted = [q.number for q in plan if q.posted_at is not None]
        current = max(posted) if posted else None
        parent = parents.get(session.pk)
        replied_question = next(
            (
                q.number
                for q in plan
                if post.in_reply_to_id and q.posted_post_id == post.in_reply_to_id
            ),
            None,
        )
        if parent is not None and not parent.is_question and parent.question is not None:
            # An unlabelled reply to an answer continues that answer's question.
            current = parent.question
        number = assign_question(
            text=post.text,
            reply_to_question=replied_question,
            current_question=current,
            max_question=len(plan) or None,
        )
        entries.append(RoomEntry(session=session, post=post, question=number))
    RoomEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return entries


def record_edit(post: Post) -> list[RoomEntry]:
    """Move an edited answer to the question its new label names; return the entries moved.

    The label is the author's own word for which question they answer, so "A1 …" corrected
    to "A2 …" moves to Q2, as it would have been filed had it been posted so. An edit
    without a label keeps the link the post got first (a bare answer stays with the question
    that was current when it was posted, not the one current now), and a reply to the Qn
    post stays with Qn, as when posting. Questions themselves never move. An edit does not
    make a post join a room it was not in (docs/decisions/015-edited-answers-and-live-host-
    buttons.md).

    Runs inside the edit's transaction; each move is published as "move" after commit.
    """
    entries = list(RoomEntry.objects.filter(post_id=post.pk, is_question=False))
    if not entries:
        return []
    plans: dict[int, list[ChatQuestion]] = {e.session_id: [] for e in entries}
    for question in ChatQuestion.objects.filter(session_id__in=plans):
        plans[question.session_id].append(question)
    moved = []
    for entry in entries:
        plan = plans[entry.session_id]
        replied_question = next(
            (
                q.number
                for q in plan
                if post.in_reply_to_id and q.posted_post_id == post.in_reply_to_id
            ),
            None,
        )
        number = assign_question(
            text=post.text,
            reply_to_question=replied_question,
            current_question=entry.question,
            max_question=len(plan) or None,
        )
        if number == entry.question:
            continue
        entry.question = number
        entry.save(update_fields=["question"])
        moved.append(entry)
        if not entry.hidden:
            publish_on_commit(
                room_stream(entry.session_id), "move", {"post_id": post.pk, "question": number}
            )
    return moved


@dataclass(frozen=True)
class Roles:
    """Who is set apart in a session's room: its chat's hosts and the session's guests."""

    hosts: frozenset[int]
    guests: frozenset[int]

    def of(self, account_id: int) -> str:
        if account_id in self.hosts:
            return "host"
        if account_id in self.guests:
            return "guest"
        return ""


def roles_of(session: ChatSession) -> Roles:
    return Roles(
        hosts=frozenset(
            ChatHost.objects.filter(chat_id=session.chat_id).values_list("account_id", flat=True)
        ),
        guests=frozenset(session.guests.values_list("id", flat=True)),
    )


class _AnyReader:
    """Stands in for 'a signed-in reader' when a card is rendered once for everyone."""

    id = 0
    pk = 0


def render_entry(
    post: Post, role: str, viewer, entry_question: int | None, first_timer: bool = False
) -> str:
    return render_to_string(
        "chats/_entry.html",
        {
            "post": post,
            "role": role,
            "viewer": viewer,
            "entry_question": entry_question,
            "first_timer": first_timer,
        },
    )


def is_first_timer(session: ChatSession, account_id: int) -> bool:
    """Whether this is someone's first session of the chat (as the room page counts it)."""
    return not RoomEntry.objects.filter(
        session__chat_id=session.chat_id,
        session__starts_at__lt=session.starts_at,
        hidden=False,
        post__account_id=account_id,
    ).exists()


def _badges(post: Post, sessions: list[ChatSession]) -> dict[int, tuple[str, bool]]:
    """Return, per session, the author's role there and whether it is their first session.

    The same badges as the room page (`roles_of`, `is_first_timer`), for one author in one
    query rather than four per room.
    """
    author = post.account_id
    Guest = ChatSession.guests.through
    rows = ChatSession.objects.filter(pk__in=[s.pk for s in sessions]).values_list(
        "pk",
        Exists(ChatHost.objects.filter(chat_id=OuterRef("chat_id"), account_id=author)),
        Exists(Guest.objects.filter(chatsession_id=OuterRef("pk"), account_id=author)),
        Exists(
            RoomEntry.objects.filter(
                session__chat_id=OuterRef("chat_id"),
                session__starts_at__lt=OuterRef("starts_at"),
                hidden=False,
                post__account_id=author,
            )
        ),
    )
    badges = {}
    for session_id, is_host, is_guest, came_before in rows:
        role = "host" if is_host else "guest" if is_guest else ""
        badges[session_id] = (role, not role and not came_before)
    return badges


def publish_entries(post: Post, entries: Sequence[RoomEntry]) -> None:
    """Publish a post that joined rooms, rendered once per room for every reader.

    After commit, with the post as `confab.timelines.live` loaded it (decorated for cards).
    """
    facts = post_facts(post)
    badges = _badges(post, [e.session for e in entries])
    broker = get_broker()
    for entry in entries:
        if entry.session_id not in badges:
            continue  # the session is gone
        role, first = badges[entry.session_id]
        # Hosts and guests are never first-timers, nor is the question itself.
        first = first and not entry.is_question
        question = entry.question
        data = {
            **facts,
            "question": question,
            "in_reply_to_id": post.in_reply_to_id,
            "role": role,
            "first_timer": first,
            "html": render_entry(post, role, _AnyReader(), question, first),
            "html_anon": render_entry(post, role, None, question, first),
        }
        if entry.is_question:
            data["text"] = post.text
            broker.publish(room_stream(entry.session_id), "question", data)
        else:
            broker.publish(room_stream(entry.session_id), "entry", data)


# --- Replying in the room -------------------------------------------------------------


def reply_target(viewer: Account, session: ChatSession, post_id: int) -> Post:
    """Return the post `viewer` replies to from the room, or 404.

    It must be in this session's room, not hidden by the hosts, and visible to the viewer
    (a block either way, or a post they may not see, is "no such post" as everywhere).
    """
    if not RoomEntry.objects.filter(session=session, post_id=post_id, hidden=False).exists():
        raise Http404("No such post in this room.")
    post = get_visible_post(viewer, post_id)
    if post.boost_of_id:
        raise Http404("No such post in this room.")
    return post


def in_room(session: ChatSession, post_id: int) -> bool:
    return RoomEntry.objects.filter(session=session, post_id=post_id).exists()


# --- Moderation (hosts of the session's chat; anyone else is told there is no such room) ---


def _host_or_404(actor: Account | None, session: ChatSession) -> None:
    if (
        actor is None
        or not ChatHost.objects.filter(chat_id=session.chat_id, account=actor).exists()
    ):
        raise Http404("No such room.")


def _entry_or_404(session: ChatSession, post_id: int) -> RoomEntry:
    entry = RoomEntry.objects.filter(session=session, post_id=post_id).first()
    if entry is None:
        raise Http404("No such post in this room.")
    return entry


@transaction.atomic
def hide_entry(actor: Account, session: ChatSession, post_id: int) -> RoomEntry:
    """Hide a post from the room and its transcript (the post itself stays)."""
    _host_or_404(actor, session)
    entry = _entry_or_404(session, post_id)
    if not entry.hidden:
        entry.hidden, entry.hidden_by = True, actor
        entry.save(update_fields=["hidden", "hidden_by"])
        publish_on_commit(room_stream(session.pk), "hide", {"post_id": post_id})
    return entry


@transaction.atomic
def unhide_entry(actor: Account, session: ChatSession, post_id: int) -> RoomEntry:
    """Show a hidden post in the room again (readers see it on their next load)."""
    _host_or_404(actor, session)
    entry = _entry_or_404(session, post_id)
    if entry.hidden:
        entry.hidden, entry.hidden_by = False, None
        entry.save(update_fields=["hidden", "hidden_by"])
    return entry


@transaction.atomic
def mute_participant(
    actor: Account, session: ChatSession, account: Account, *, hide_existing: bool = False
) -> RoomMute:
    """Keep someone's later posts out of this session's room; optionally hide earlier ones."""
    _host_or_404(actor, session)
    if ChatHost.objects.filter(chat_id=session.chat_id, account=account).exists():
        raise Http404("Hosts cannot be muted in their own room.")
    mute, _ = RoomMute.objects.get_or_create(
        session=session, account=account, defaults={"muted_by": actor}
    )
    if hide_existing:
        shown = RoomEntry.objects.filter(session=session, post__account=account, hidden=False)
        post_ids = list(shown.values_list("post_id", flat=True))
        shown.update(hidden=True, hidden_by=actor)
        for post_id in post_ids:
            publish_on_commit(room_stream(session.pk), "hide", {"post_id": post_id})
    return mute


@transaction.atomic
def unmute_participant(actor: Account, session: ChatSession, account: Account) -> None:
    _host_or_404(actor, session)
    RoomMute.objects.filter(session=session, account=account).delete()


@transaction.atomic
def set_locked(actor: Account, session: ChatSession, locked: bool) -> ChatSession:
    """Lock the room (posts with the hashtag stop joining it) or open it again."""
    _host_or_404(actor, session)
    if session.locked != locked:
        session.locked = locked
        session.save(update_fields=["locked"])
        publish_on_commit(room_stream(session.pk), "lock", {"locked": locked})
    return session
