"""Reading the signals out of the database into a `Community`, and storing what it yields.

`refresh_everyone()` recomputes every person (the nightly job and `confab recommendations`);
`refresh_person(account)` recomputes one person from their neighbourhood only, for the
jobs enqueued when they follow someone, post in a chat room or change their interests.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from confab.accounts.models import Account, Block, Follow, FollowRequest, Mute
from confab.chats.models import RoomEntry
from confab.connections.models import Dismissal, Recommendation
from confab.connections.people import compute
from confab.curation.models import FollowedHashtag
from confab.posts.models import Favourite, Mention, Post

TWO_HOP_CANDIDATES = 500  # a person's best two-hop candidates read for their own refresh
RECENT_ANSWERS = 500  # a person's latest room entries whose rooms are searched for company
STORE_BATCH = 2000


def active_accounts() -> QuerySet[Account]:
    """People who may be recommended at all: not deactivated, not waiting for approval."""
    return Account.objects.exclude(user__is_active=False).exclude(user__approved=False)


@dataclass
class Index:
    """Row numbers to account ids and column numbers to sessions, questions and hashtags."""

    accounts: np.ndarray  # sorted account ids
    item_session: np.ndarray
    item_question: np.ndarray
    session_ids: np.ndarray
    tag_ids: np.ndarray

    def rows(self, ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers of `ids`, and which of them are known people."""
        ids = np.fromiter(ids, dtype=np.int64)
        pos = np.searchsorted(self.accounts, ids).clip(0, max(len(self.accounts) - 1, 0))
        known = self.accounts[pos] == ids if len(self.accounts) else np.zeros(len(ids), dtype=bool)
        return pos, known


def _pairs(rows: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(list(rows), dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _people_matrix(index: Index, left, right, n: int) -> sp.csr_matrix:
    a, a_ok = index.rows(left)
    b, b_ok = index.rows(right)
    ok = a_ok & b_ok
    return compute._csr(a[ok], b[ok], (n, n))


def _build(
    accounts: list[tuple[int, int | None, int]],
    follows: list[tuple[int, int]],
    entries: list[tuple[int, int, int | None]],
    interactions: list[tuple[int, int]],
    tags: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
    two_hop: dict[int, Counter] | None = None,
) -> tuple[compute.Community, Index]:
    accounts = sorted(accounts)
    ids = np.array([row[0] for row in accounts], dtype=np.int64)
    n = len(ids)
    cities = [row[1] for row in accounts]
    city_numbers: dict[int, int] = {}
    city = np.array(
        [-1 if c is None else city_numbers.setdefault(c, len(city_numbers)) for c in cities],
        dtype=np.int64,
    )
    popularity = np.array([row[2] for row in accounts], dtype=np.float64)
    session_ids = np.array(sorted({e[1] for e in entries}), dtype=np.int64)
    items = sorted({(e[1], e[2]) for e in entries if e[2] is not None})
    tag_ids = np.array(sorted({t for _, t in tags}), dtype=np.int64)
    index = Index(
        accounts=ids,
        item_session=np.array([i[0] for i in items], dtype=np.int64),
        item_question=np.array([i[1] for i in items], dtype=np.int64),
        session_ids=session_ids,
        tag_ids=tag_ids,
    )
    follow_a, follow_b = _pairs(follows)
    follows_m = compute.binary(_people_matrix(index, follow_a, follow_b, n))
    inter_a, inter_b = _pairs(interactions)
    inter = _people_matrix(index, inter_a, inter_b, n)
    inter = (inter + inter.T).tocsr()
    inter.setdiag(0)
    inter.eliminate_zeros()
    excl_a, excl_b = _pairs(excluded)
    excl = compute.binary(_people_matrix(index, excl_a, excl_b, n))

    entry_rows, entry_ok = index.rows(e[0] for e in entries)
    entry_sessions = np.searchsorted(session_ids, [e[1] for e in entries]).astype(np.int64)
    sessions_m = compute.binary(
        compute._csr(entry_rows[entry_ok], entry_sessions[entry_ok], (n, len(session_ids)))
    )
    item_number = {item: k for k, item in enumerate(items)}
    answered = [(k, item_number[(e[1], e[2])]) for k, e in enumerate(entries) if e[2] is not None]
    answer_entries = np.array([a for a, _ in answered], dtype=np.int64)
    answer_cols = np.array([b for _, b in answered], dtype=np.int64)
    keep = entry_ok[answer_entries] if len(answer_entries) else np.zeros(0, dtype=bool)
    answers_m = compute.binary(
        compute._csr(entry_rows[answer_entries][keep], answer_cols[keep], (n, len(items)))
    )
    tag_rows, tag_ok = index.rows(a for a, _ in tags)
    tag_cols = np.searchsorted(tag_ids, [t for _, t in tags]).astype(np.int64)
    tags_m = compute.binary(compute._csr(tag_rows[tag_ok], tag_cols[tag_ok], (n, len(tag_ids))))

    two_hop_m = None
    if two_hop is not None:
        rows, cols, values = [], [], []
        for person, counts in two_hop.items():
            people, known = index.rows(counts)
            for row, ok, count in zip(people, known, counts.values(), strict=True):
                if ok:
                    rows.append(index.rows([person])[0][0])
                    cols.append(row)
                    values.append(count)
        two_hop_m = compute._csr(rows, cols, (n, n), values)
    community = compute.Community(
        follows=follows_m,
        answers=answers_m,
        sessions=sessions_m,
        interactions=inter,
        tags=tags_m,
        city=city,
        excluded=excl,
        popularity=popularity,
        two_hop=two_hop_m,
    )
    return community, index


def _interaction_pairs(person: int | None = None) -> list[tuple[int, int]]:
    """(actor, other) for replies, favourites, boosts and mentions; one person's if given."""
    sources = [
        (
            Post.objects.filter(in_reply_to_account__isnull=False),
            "account_id",
            "in_reply_to_account_id",
        ),
        (Favourite.objects.all(), "account_id", "post__account_id"),
        (Post.objects.filter(boost_of__isnull=False), "account_id", "boost_of__account_id"),
        (Mention.objects.filter(account__isnull=False), "post__account_id", "account_id"),
    ]
    pairs: list[tuple[int, int]] = []
    for rows, actor, other in sources:
        if person is None:
            pairs.extend(rows.values_list(actor, other).iterator(chunk_size=20000))
        else:
            pairs.extend(rows.filter(**{actor: person}).values_list(actor, other))
            pairs.extend(rows.filter(**{other: person}).values_list(actor, other))
    return [(a, b) for a, b in pairs if a is not None and b is not None and a != b]


def _excluded_pairs(person: int | None = None) -> list[tuple[int, int]]:
    """(person, someone they must not be offered): blocks both ways, mutes, dismissals, asks."""
    pairs: list[tuple[int, int]] = []
    for model in (Block, Mute, FollowRequest):
        rows = model.objects.all()
        if person is not None:
            rows = rows.filter(source_id=person)
        pairs.extend(rows.values_list("source_id", "target_id"))
    blocked_by = Block.objects.all() if person is None else Block.objects.filter(target_id=person)
    pairs.extend(blocked_by.values_list("target_id", "source_id"))
    dismissed = (
        Dismissal.objects.all() if person is None else Dismissal.objects.filter(account_id=person)
    )
    pairs.extend(dismissed.values_list("account_id", "candidate_id"))
    return pairs


def _tag_pairs(accounts: Iterable[int] | None = None) -> list[tuple[int, int]]:
    interests = Account.interests.through.objects.all()
    followed = FollowedHashtag.objects.all()
    if accounts is not None:
        accounts = list(accounts)
        interests = interests.filter(account_id__in=accounts)
        followed = followed.filter(account_id__in=accounts)
    return [
        *interests.values_list("account_id", "hashtag_id"),
        *followed.values_list("account_id", "hashtag_id"),
    ]


def _entries():
    return RoomEntry.objects.filter(hidden=False, is_question=False)


def load_everyone() -> tuple[compute.Community, Index]:
    """The whole instance, for the full refresh."""
    return _build(
        accounts=list(active_accounts().values_list("id", "city_id", "followers_count")),
        follows=list(
            Follow.objects.values_list("source_id", "target_id").iterator(chunk_size=20000)
        ),
        entries=list(_entries().values_list("post__account_id", "session_id", "question")),
        interactions=_interaction_pairs(),
        tags=_tag_pairs(),
        excluded=_excluded_pairs(),
    )


def load_neighbourhood(account: Account) -> tuple[compute.Community, Index]:
    """Just what one person's recommendations depend on: a small community around them."""
    me = account.pk
    following = Follow.objects.filter(source_id=me).values("target_id")
    two_hop = Counter(
        dict(
            Follow.objects.filter(source_id__in=following)
            .exclude(target_id=me)
            .exclude(target_id__in=following)
            .values("target_id")
            .annotate(n=Count("id"))
            .order_by("-n", "target_id")
            .values_list("target_id", "n")[:TWO_HOP_CANDIDATES]
        )
    )
    mine = list(
        _entries()
        .filter(post__account_id=me)
        .order_by("-id")
        .values_list("session_id", flat=True)[:RECENT_ANSWERS]
    )
    entries = list(
        _entries()
        .filter(session_id__in=set(mine))
        .values_list("post__account_id", "session_id", "question")
    )
    interactions = _interaction_pairs(me)
    my_tags = {tag for _, tag in _tag_pairs([me])}
    holders: set[int] = set()
    for tag in my_tags:
        # Two subqueries rather than joins: no duplicate rows, so no DISTINCT to sort past.
        holding = Q(
            pk__in=Account.interests.through.objects.filter(hashtag_id=tag).values("account_id")
        ) | Q(pk__in=FollowedHashtag.objects.filter(hashtag_id=tag).values("account_id"))
        holders.update(
            active_accounts()
            .filter(holding)
            .exclude(pk=me)
            .order_by("-followers_count", "id")
            .values_list("id", flat=True)[: compute.TOP_PER_TAG]
        )
    if account.city_id is not None:
        holders.update(
            active_accounts()
            .filter(city_id=account.city_id)
            .exclude(pk=me)
            .order_by("-followers_count", "id")
            .values_list("id", flat=True)[: compute.TOP_PER_CITY]
        )
    universe = {me, *two_hop, *(e[0] for e in entries), *holders}
    universe.update(b if a == me else a for a, b in interactions)
    people = list(
        active_accounts().filter(pk__in=universe).values_list("id", "city_id", "followers_count")
    )
    present = {row[0] for row in people}
    follows = [
        (me, target)
        for target in following.filter(target_id__in=present).values_list("target_id", flat=True)
    ]
    return _build(
        accounts=people,
        follows=follows,
        entries=entries,
        interactions=interactions,
        tags=_tag_pairs(present),
        excluded=_excluded_pairs(me),
        two_hop={me: two_hop},
    )


def _records(result: compute.Recommendations, index: Index) -> list[Recommendation]:
    now = timezone.now()
    records = []
    for row in result.rows():
        answer = row["answer"]
        tag_a, tag_b = row["tag_a"], row["tag_b"]
        records.append(
            Recommendation(
                account_id=int(index.accounts[row["person"]]),
                candidate_id=int(index.accounts[row["candidate"]]),
                score=float(row["score"]),
                mutual_follows=row["mutual_follows"],
                shared_answers=row["shared_answers"],
                shared_sessions=row["shared_sessions"],
                interactions=row["interactions"],
                shared_tags=row["shared_tags"],
                same_city=bool(row["same_city"]),
                session_id=int(index.item_session[answer])
                if answer >= 0
                else (int(index.session_ids[row["session"]]) if row["session"] >= 0 else None),
                question=int(index.item_question[answer]) if answer >= 0 else None,
                tag_a_id=int(index.tag_ids[tag_a]) if tag_a >= 0 else None,
                tag_b_id=int(index.tag_ids[tag_b]) if tag_b >= 0 else None,
                computed_at=now,
            )
        )
    return records


@transaction.atomic
def _replace(people: list[int], records: list[Recommendation]) -> None:
    Recommendation.objects.filter(account_id__in=people).delete()
    Recommendation.objects.bulk_create(records, batch_size=STORE_BATCH)


def refresh_person(account: Account) -> int:
    """Recompute one person's recommendations; return how many they have now."""
    community, index = load_neighbourhood(account)
    rows, known = index.rows([account.pk])
    records: list[Recommendation] = []
    if known[0]:
        row = int(rows[0])
        for result in compute.compute(community, range(row, row + 1)):
            records.extend(_records(result, index))
    _replace([account.pk], records)
    return len(records)


def refresh_everyone(chunk: int = compute.CHUNK) -> int:
    """Recompute everyone's recommendations, a chunk of people per transaction."""
    community, index = load_everyone()
    stored = 0
    start = 0
    for result in compute.compute(community, chunk=chunk):
        end = min(start + chunk, community.size)
        records = _records(result, index)
        _replace([int(i) for i in index.accounts[start:end]], records)
        stored += len(records)
        start = end
    # People gone or deactivated since keep nothing.
    Recommendation.objects.exclude(account_id__in=active_accounts().values("id")).delete()
    return stored
