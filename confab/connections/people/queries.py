"""Reading recommendations and introductions, with blocks, mutes and dismissals applied."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account, Block, Follow, FollowRequest, Mute
from confab.chats.models import ChatSession
from confab.connections.models import Dismissal, Introduction, IntroductionState, Recommendation
from confab.connections.people.refresh import active_accounts
from confab.posts.models import Hashtag

SHOWN = 20
SUGGESTED_INTRODUCTIONS = 10
MAX_CONNECTIONS_READ = 2000  # pairs are looked for among this many latest connections


@dataclass
class Suggestion:
    """A recommended person and why, in words."""

    account: Account
    reasons: list[str]
    recommendation: Recommendation


@dataclass
class PairSuggestion:
    """Two of the viewer's connections who should know each other."""

    first: Account
    second: Account
    reasons: list[str]


@dataclass
class _Names:
    tags: dict[int, str] = field(default_factory=dict)
    chats: dict[int, str] = field(default_factory=dict)


def _names(recommendations: list[Recommendation]) -> _Names:
    """Hashtag and chat names the reasons mention: two queries for the whole page."""
    tag_ids = {t for r in recommendations for t in (r.tag_a_id, r.tag_b_id) if t is not None}
    session_ids = {r.session_id for r in recommendations if r.session_id}
    names = _Names()
    if tag_ids:
        names.tags = dict(Hashtag.objects.filter(pk__in=tag_ids).values_list("id", "display_name"))
    if session_ids:
        names.chats = dict(
            ChatSession.objects.filter(pk__in=session_ids).values_list(
                "id", "chat__hashtag__display_name"
            )
        )
    return names


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def describe(
    rec: Recommendation, names: _Names, city: str, *, of: Account | None = None
) -> list[str]:
    """The reasons for `rec`, strongest first, said to its person or, with `of`, about them.

    Said to the person: "you both answered Q3 in #EduMatch", "followed by 5 people you
    follow". About them (suggested introductions): "both answered Q3 in #EduMatch",
    "followed by 5 people Ann follows".
    """
    you = "you " if of is None else ""
    reasons = []
    chat = names.chats.get(rec.session_id or 0)
    if rec.shared_answers and chat and rec.question:
        reasons.append(f"{you}both answered Q{rec.question} in #{chat}")
    elif rec.shared_sessions and chat:
        reasons.append(f"{you}were both in #{chat}" if of is None else f"both took part in #{chat}")
    if rec.interactions:
        who = "you've" if of is None else "they've"
        reasons.append(f"{who} talked {_plural(rec.interactions, 'time', 'times')}")
    if rec.mutual_follows:
        follower = "you follow" if of is None else f"{of.name} follows"
        reasons.append(f"followed by {_plural(rec.mutual_follows, 'person', 'people')} {follower}")
    tags = [f"#{names.tags[t]}" for t in (rec.tag_a_id, rec.tag_b_id) if t in names.tags]
    if tags:
        more = rec.shared_tags - len(tags)
        listed = " and ".join(tags) if more <= 0 else f"{', '.join(tags)} and {more} more"
        reasons.append(f"both follow {listed}")
    if rec.same_city and city:
        reasons.append(f"both in {city.split(',')[0]}")
    return reasons


def _table(model) -> str:
    return model._meta.db_table


# The page's one big read, written out: the ORM spent more time building these six
# subqueries than the database spent answering them. Plain SQL for SQLite and PostgreSQL.
# Table names come from the models; values go as parameters.
_SHOWN_SQL = f"""
SELECT r.* FROM {_table(Recommendation)} r
JOIN {_table(Account)} a ON a.id = r.candidate_id
LEFT JOIN {_table(Account.user.field.related_model)} u ON u.id = a.user_id
WHERE r.account_id = %(viewer)s
  AND (u.id IS NULL OR (u.is_active AND u.approved))
  AND NOT EXISTS (SELECT 1 FROM {_table(Follow)} x
                  WHERE x.source_id = %(viewer)s AND x.target_id = r.candidate_id)
  AND NOT EXISTS (SELECT 1 FROM {_table(FollowRequest)} x
                  WHERE x.source_id = %(viewer)s AND x.target_id = r.candidate_id)
  AND NOT EXISTS (SELECT 1 FROM {_table(Block)} x
                  WHERE x.source_id = %(viewer)s AND x.target_id = r.candidate_id)
  AND NOT EXISTS (SELECT 1 FROM {_table(Block)} x
                  WHERE x.source_id = r.candidate_id AND x.target_id = %(viewer)s)
  AND NOT EXISTS (SELECT 1 FROM {_table(Mute)} x
                  WHERE x.source_id = %(viewer)s AND x.target_id = r.candidate_id)
  AND NOT EXISTS (SELECT 1 FROM {_table(Dismissal)} x
                  WHERE x.account_id = %(viewer)s AND x.candidate_id = r.candidate_id)
ORDER BY r.score DESC, r.candidate_id
LIMIT %(limit)s
"""  # noqa: S608


def recommendations(viewer: Account) -> list[Suggestion]:
    """The viewer's people worth meeting, best first, with reasons (four small queries).

    The stored rows are filtered again as they are read: someone followed, asked, blocked
    either way, muted, dismissed or deactivated since the last refresh is gone at once.
    """
    rows = list(Recommendation.objects.raw(_SHOWN_SQL, {"viewer": viewer.pk, "limit": SHOWN}))
    people = Account.objects.in_bulk([r.candidate_id for r in rows])
    names = _names(rows)
    return [
        Suggestion(people[r.candidate_id], describe(r, names, viewer.city_label), r)
        for r in rows
        if r.candidate_id in people
    ]


def connections(viewer: Account) -> QuerySet[Account]:
    """People the viewer is connected to: each follows the other."""
    return active_accounts().filter(following_set__target=viewer, follower_set__source=viewer)


def connection_ids(viewer: Account, limit: int = MAX_CONNECTIONS_READ) -> list[int]:
    """Ids of the viewer's latest connections, from the follow indexes alone."""
    return list(
        Follow.objects.filter(
            source=viewer,
            target_id__in=Follow.objects.filter(target=viewer).values("source_id"),
        )
        .order_by("-id")
        .values_list("target_id", flat=True)[:limit]
    )


def suggested_introductions(viewer: Account) -> list[PairSuggestion]:
    """Pairs among the viewer's connections whom the recommendations say should meet."""
    mine = connection_ids(viewer)
    if len(mine) < 2:
        return []
    first, second = OuterRef("account_id"), OuterRef("candidate_id")
    rows = list(
        Recommendation.objects.filter(account__in=mine, candidate__in=mine)
        .exclude(
            Exists(Block.objects.filter(source=first, target=second))
            | Exists(Block.objects.filter(source=second, target=first))
            | Exists(Dismissal.objects.filter(account=first, candidate=second))
            | Exists(
                Introduction.objects.filter(
                    Q(first=first, second=second) | Q(first=second, second=first),
                    state=IntroductionState.PENDING,
                )
            )
        )
        .select_related("account", "candidate")
        .order_by("-score", "id")[: SUGGESTED_INTRODUCTIONS * 2]
    )
    names = _names(rows)
    pairs: list[PairSuggestion] = []
    seen: set[frozenset] = set()
    for r in rows:
        pair = frozenset((r.account_id, r.candidate_id))
        if pair in seen:
            continue
        seen.add(pair)
        reasons = describe(r, names, r.account.city_label, of=r.account)
        pairs.append(PairSuggestion(r.account, r.candidate, reasons))
    return pairs[:SUGGESTED_INTRODUCTIONS]


def get_introduction(viewer: Account, introduction_id: int) -> Introduction:
    """An introduction its introducer or either person introduced may open; 404 for others."""
    try:
        return Introduction.objects.select_related(
            "introducer", "first", "second", "conversation"
        ).get(
            Q(introducer=viewer) | Q(first=viewer) | Q(second=viewer),
            pk=introduction_id,
        )
    except Introduction.DoesNotExist:
        raise Http404("No such introduction.") from None


def _introductions() -> QuerySet[Introduction]:
    return Introduction.objects.select_related("introducer", "first", "second").order_by("-id")


def waiting_for(viewer: Account) -> list[Introduction]:
    """Introductions to the viewer that still need their answer."""
    now = timezone.now()
    return list(
        _introductions().filter(
            Q(first=viewer, first_answer="") | Q(second=viewer, second_answer=""),
            state=IntroductionState.PENDING,
            expires_at__gt=now,
        )
    )


def made_by(viewer: Account, limit: int = 50) -> list[Introduction]:
    return list(_introductions().filter(introducer=viewer)[:limit])


def made_to(viewer: Account, limit: int = 50) -> list[Introduction]:
    return list(_introductions().filter(Q(first=viewer) | Q(second=viewer))[:limit])
