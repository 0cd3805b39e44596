"""A session's numbers for its transcript, and the people each participant met there.

Plain data in, plain data out: the caller loads the room's posts once as RoomPost values,
so the transcript costs the same queries however busy the room was, and every rule here is
testable without a database. Hidden posts are left out of everything, as if never posted.

Definitions (the transcript page and the hosts' trend use the same ones):

- posts: visible posts in the room, the host's questions included;
- participants: distinct authors of visible posts, hosts included: a host who spoke took
  part, and it is how chat hosts have always counted ("42 people joined #EdChat");
- first_timers: participants absent from `previous_participants`, the participants of
  the chat's earlier sessions counted the same way (so in a chat's first session
  everyone, the host too, is a first-timer);
- answers_per_question: visible posts by non-hosts linked to a question, per question;
  questions nobody answered are absent (the caller has the plan);
- most_replied: the non-host posts with the most replies in the room, at most five, ties
  by the earlier id. Replies to the host's posts are left out because replying to Qn is
  how people answer it, so the questions would fill the list; replies to one's own post
  are left out because they are threads ("1/2", "2/2"), not conversation;
- links: each URL with the number of visible posts that shared it, most shared first,
  ties in the order they were first shared. URLs are compared exactly as extracted.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime

MOST_REPLIED = 5


@dataclass(frozen=True)
class RoomPost:
    id: int
    author_id: int
    question: int | None  # the Qn the post is linked to
    in_reply_to_id: int | None
    is_host: bool  # written by a host or co-host of the session
    hidden: bool  # hidden by a host
    links: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class TranscriptStats:
    posts: int
    participants: int
    first_timers: int
    answers_per_question: dict[int, int]  # question number → answers, by question number
    most_replied: list[tuple[int, int]]  # (post id, replies)
    links: list[tuple[str, int]]  # (url, times shared)


def _visible(posts: Sequence[RoomPost]) -> list[RoomPost]:
    # In the order they were posted, whatever order the caller loaded them in.
    return sorted((p for p in posts if not p.hidden), key=lambda p: (p.created_at, p.id))


def _replies(visible: list[RoomPost]) -> list[tuple[RoomPost, RoomPost]]:
    """Return (reply, replied-to post) for replies between visible posts in the room."""
    by_id = {p.id: p for p in visible}
    pairs = []
    for post in visible:
        if post.in_reply_to_id is not None and post.in_reply_to_id in by_id:
            pairs.append((post, by_id[post.in_reply_to_id]))
    return pairs


def _most_replied(visible: list[RoomPost]) -> list[tuple[int, int]]:
    counts: Counter[int] = Counter()
    for reply, target in _replies(visible):
        if not target.is_host and target.author_id != reply.author_id:
            counts[target.id] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:MOST_REPLIED]


def _links(visible: list[RoomPost]) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for post in visible:
        for url in dict.fromkeys(post.links):  # a post sharing a URL twice shares it once
            counts[url] += 1
    # Counter keeps first-shared order and sorted() is stable, so ties stay in that order.
    return sorted(counts.items(), key=lambda item: -item[1])


def transcript_stats(
    posts: Sequence[RoomPost], *, previous_participants: Set[int]
) -> TranscriptStats:
    """Count a session's posts, participants, answers, most-replied posts and links."""
    visible = _visible(posts)
    authors = {p.author_id for p in visible}
    answers = Counter(p.question for p in visible if p.question is not None and not p.is_host)
    return TranscriptStats(
        posts=len(visible),
        participants=len(authors),
        first_timers=sum(1 for author in authors if author not in previous_participants),
        answers_per_question=dict(sorted(answers.items())),
        most_replied=_most_replied(visible),
        links=_links(visible),
    )


def people_you_met(posts: Sequence[RoomPost], me: int) -> list[tuple[int, list[str]]]:
    """Return who `me` interacted with in the room, with why, the strongest ties first.

    Replies both ways come first, then more replies, then more questions answered in
    common, then the lower author id. Hosts are people you met too; `me` is not.
    """
    visible = _visible(posts)
    replied_to_me: Counter[int] = Counter()
    i_replied_to: Counter[int] = Counter()
    for reply, target in _replies(visible):
        if target.author_id == me and reply.author_id != me:
            replied_to_me[reply.author_id] += 1
        elif reply.author_id == me and target.author_id != me:
            i_replied_to[target.author_id] += 1

    # A host's post linked to Qn is usually the question itself, not an answer to it.
    answered = [
        (p.author_id, p.question) for p in visible if not p.is_host and p.question is not None
    ]
    my_questions = {question for author, question in answered if author == me}
    shared_questions: defaultdict[int, set[int]] = defaultdict(set)
    for author, question in answered:
        if author != me and question in my_questions:
            shared_questions[author].add(question)

    def strength(author: int) -> tuple[bool, int, int, int]:
        both_ways = author in replied_to_me and author in i_replied_to
        replies = replied_to_me[author] + i_replied_to[author]
        return (not both_ways, -replies, -len(shared_questions.get(author, ())), author)

    met = sorted(set(replied_to_me) | set(i_replied_to) | set(shared_questions), key=strength)
    people = []
    for author in met:
        reasons = []
        if author in replied_to_me:
            reasons.append("replied to you")
        if author in i_replied_to:
            reasons.append("you replied to them")
        reasons += [f"answered Q{n} too" for n in sorted(shared_questions.get(author, ()))]
        people.append((author, reasons))
    return people
