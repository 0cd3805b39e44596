"""What a hashtag page says about a hashtag, trending hashtags and hashtag completion.

Everything counts public, original posts only (what a hashtag timeline lists), so numbers
never reveal a followers-only or direct post; the viewer's blocks apply both ways, as
everywhere. Time windows are ranges of snowflake ids, which index scans answer directly.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, TruncDate
from django.utils import timezone

from confab.accounts.models import Account, Block
from confab.chats.models import Chat
from confab.core.ids import id_for_time
from confab.core.prepared import prepared, sentinels
from confab.core.text import normalize_hashtag
from confab.curation.models import HiddenTrend
from confab.posts.models import Hashtag, Post, PostHashtag, Visibility
from confab.posts.visibility import blocked_ids

USAGE_DAYS = 30
TOP_PEOPLE = 5
RELATED_CHATS = 5
TRENDING = 10
TREND_BASELINE_DAYS = 6
COMPLETIONS = 8
WINDOW_CACHE_SECONDS = 600
DAY_IDS = id_for_time(datetime(2020, 1, 2, tzinfo=UTC)) - id_for_time(
    datetime(2020, 1, 1, tzinfo=UTC)
)

# The bar chart's geometry, in SVG user units.
BAR_WIDTH = 8
BAR_GAP = 2
CHART_HEIGHT = 60


@dataclass(frozen=True)
class _Tally:
    """A hashtag's 30-day window counted once for every reader: posts per day, authors
    ranked by posts, and each author's posts per day (to take a blocked one out)."""

    by_day: dict[date, int]
    ranked: list[tuple[int, int]]  # (author, posts), most first
    by_author: dict[int, list[tuple[date, int]]]


def _window_tally(hashtag_id: int, since: datetime) -> _Tally:
    """The window's counts: the same for every reader, so kept until a post enters or
    leaves the window (its count and newest id are the key: one index-only look).

    A busy hashtag has thousands of posts in 30 days; grouping them on every page view
    was most of the hashtag page's time (docs/performance.md). The grouped rows are shared
    through the cache; the tally made from them is kept in this process too, so a page
    view neither groups nor unpickles them.
    """
    since_id = id_for_time(since)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(post_id), MAX(post_id) FROM {PostHashtag._meta.db_table} "  # noqa: S608
            "WHERE hashtag_id = %s AND post_id >= %s",
            [hashtag_id, since_id],
        )
        count, last = cursor.fetchone()
    return _tally(hashtag_id, since_id, count, last)


@lru_cache(maxsize=256)
def _tally(hashtag_id: int, since_id: int, count: int, last: int | None) -> _Tally:
    key = f"hashtag-window:{hashtag_id}:{since_id}:{count}:{last}"
    rows = cache.get(key)
    if rows is None:
        rows = list(
            Post.objects.filter(
                posthashtag__hashtag_id=hashtag_id,
                # On the join's column, so the (hashtag, post) index answers the range too.
                posthashtag__post_id__gte=since_id,
                visibility=Visibility.PUBLIC,
                boost_of__isnull=True,
            )
            .annotate(day=TruncDate("created_at", tzinfo=UTC))
            .order_by()
            .values_list("day", "account_id")
            .annotate(n=Count("id"))
        )
        cache.set(key, rows, WINDOW_CACHE_SECONDS)
    by_day: dict[date, int] = {}
    totals: dict[int, int] = {}
    by_author: dict[int, list[tuple[date, int]]] = {}
    for when, author, posts in rows:
        by_day[when] = by_day.get(when, 0) + posts
        totals[author] = totals.get(author, 0) + posts
        by_author.setdefault(author, []).append((when, posts))
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return _Tally(by_day, ranked, by_author)


def _blocked(viewer: Account | None) -> set[int]:
    """Everyone the viewer blocks or is blocked by (one query; none when signed out)."""
    if viewer is None:
        return set()

    def build():
        stand_ins = sentinels(["viewer"])
        me = stand_ins["viewer"]
        pairs = Block.objects.filter(Q(source_id=me) | Q(target_id=me))
        return [pairs.values_list("source_id", "target_id")], stand_ins

    (query,) = prepared.get(("blocks both ways", connection.vendor), build)
    pairs = query.fetch({"viewer": viewer.pk})
    return {other for pair in pairs for other in pair if other != viewer.pk}


def _first_day(now: datetime | None) -> date:
    today = (now or timezone.now()).astimezone(UTC).date()
    return today - timedelta(days=USAGE_DAYS - 1)


def _since(first: date) -> datetime:
    return datetime.combine(first, datetime.min.time(), tzinfo=UTC)


@dataclass
class Day:
    day: date
    count: int
    x: int = 0
    y: int = 0
    height: int = 0


@dataclass
class Window:
    """A hashtag's last 30 days as one reader may see them."""

    days: list[Day]
    top: list[tuple[Account, int]]


def window(viewer: Account | None, hashtag: Hashtag, *, now: datetime | None = None) -> Window:
    """Posts per UTC day over the last 30 days (oldest first) and the people who posted most
    in them: public original posts only, people blocked either way left out."""
    first = _first_day(now)
    counts: dict[date, int] = {}
    ranked: list[tuple[int, int]] = []
    if hashtag.pk is not None:
        tally = _window_tally(hashtag.pk, _since(first))
        blocked = _blocked(viewer) & tally.by_author.keys()
        counts = dict(tally.by_day)
        for author in blocked:
            for when, posts in tally.by_author[author]:
                counts[when] -= posts
        ranked = [(a, n) for a, n in tally.ranked if a not in blocked][:TOP_PEOPLE]
    days = [Day(first + timedelta(days=n), 0) for n in range(USAGE_DAYS)]
    tallest = max(counts.values(), default=0) or 1
    for n, day in enumerate(days):
        day.count = counts.get(day.day, 0)
        day.height = round(day.count * CHART_HEIGHT / tallest)
        day.x = n * (BAR_WIDTH + BAR_GAP)
        day.y = CHART_HEIGHT - day.height
    people = _accounts([author for author, _n in ranked])
    top = [(people[author], n) for author, n in ranked if author in people]
    return Window(days=days, top=top)


def _accounts(ids: list[int]) -> dict[int, Account]:
    """The accounts with these ids, by id (SQL compiled once per count)."""
    if not ids:
        return {}
    names = [f"account{n}" for n in range(len(ids))]

    def build():
        stand_ins = sentinels(names)
        return Account.objects.filter(pk__in=[stand_ins[n] for n in names]), stand_ins

    key = ("accounts by id", connection.vendor, len(ids))
    found = prepared.rows(key, build, dict(zip(names, ids, strict=True)))
    return {account.pk: account for account in found}


def usage_by_day(
    viewer: Account | None, hashtag: Hashtag, *, now: datetime | None = None
) -> list[Day]:
    return window(viewer, hashtag, now=now).days


def top_people(
    viewer: Account | None, hashtag: Hashtag, *, now: datetime | None = None
) -> list[tuple[Account, int]]:
    return window(viewer, hashtag, now=now).top


def chart_size() -> dict[str, int]:
    return {"width": USAGE_DAYS * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT, "bar": BAR_WIDTH}


def related_chats(hashtag: Hashtag) -> list[Chat]:
    """Chats run under the hashtag or about it."""
    if hashtag.pk is None:
        return []

    def build():
        stand_ins = sentinels(["hashtag"])
        tag = stand_ins["hashtag"]
        chats = (
            Chat.objects.select_related("hashtag")
            .filter(Q(hashtag_id=tag) | Q(interests__id=tag))
            .distinct()
            .order_by("hashtag__name")[:RELATED_CHATS]
        )
        return chats, stand_ins

    return prepared.rows(("related chats", connection.vendor), build, {"hashtag": hashtag.pk})


@dataclass
class Trend:
    hashtag: Hashtag
    recent: int  # distinct people in the last 24 hours
    baseline: float  # distinct people per day over the days before
    hidden: bool = False

    @property
    def growth(self) -> float:
        return self.recent - self.baseline


def trending(
    viewer: Account | None = None,
    *,
    now: datetime | None = None,
    limit: int = TRENDING,
    include_hidden: bool = False,
) -> list[Trend]:
    """Hashtags gaining people: distinct authors in the last 24 hours against their daily
    average over the six days before. Two people at least, so one voice is not a trend.

    Hidden trends are left out unless `include_hidden` (for the admins' view). Counting is
    instance-wide; only the viewer's blocks are applied, to people they never want to see.
    """
    now = now or timezone.now()
    day_ago = id_for_time(now - timedelta(days=1))
    start = id_for_time(now - timedelta(days=1 + TREND_BASELINE_DAYS))
    rows = PostHashtag.objects.filter(
        post_id__gte=start,
        post__visibility=Visibility.PUBLIC,
        post__boost_of__isnull=True,
    )
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        rows = rows.exclude(post__account_id__in=blocking).exclude(post__account_id__in=blocked_by)
    recent = dict(
        rows.filter(post_id__gte=day_ago)
        .order_by()
        .values("hashtag_id")
        .annotate(n=Count("post__account_id", distinct=True))
        .filter(n__gte=2)
        .values_list("hashtag_id", "n")
    )
    # The baseline counts people per day (the same three people every day are three a
    # day, not three a week): bucket the earlier posts by whole days since `start`.
    daily = (
        rows.filter(post_id__lt=day_ago, hashtag_id__in=list(recent))
        # Numbers written into the SQL (two ints we computed): with server-side binding
        # PostgreSQL cannot match a GROUP BY expression that carries parameters.
        .annotate(
            bucket=RawSQL(  # noqa: S611
                f'("posts_posthashtag"."post_id" - {int(start)}) / {int(DAY_IDS)}',
                (),
                output_field=BigIntegerField(),
            )
        )
        .order_by()
        .values("hashtag_id", "bucket")
        .annotate(n=Count("post__account_id", distinct=True))
        .values_list("hashtag_id", "n")
    )
    before: dict[int, int] = {}
    for hashtag_id, n in daily:
        before[hashtag_id] = before.get(hashtag_id, 0) + n
    counted = [
        {"hashtag_id": pk, "recent": n, "before": before.get(pk, 0)} for pk, n in recent.items()
    ]
    hidden = set(HiddenTrend.objects.values_list("hashtag_id", flat=True))
    found = []
    for row in counted:
        is_hidden = row["hashtag_id"] in hidden
        if is_hidden and not include_hidden:
            continue
        baseline = row["before"] / TREND_BASELINE_DAYS
        if row["recent"] > baseline:
            found.append((row["hashtag_id"], row["recent"], baseline, is_hidden))
    found.sort(key=lambda t: (-(t[1] - t[2]), -t[1], t[0]))
    found = found[:limit]
    tags = Hashtag.objects.in_bulk([t[0] for t in found])
    return [Trend(tags[pk], recent, base, is_hidden) for pk, recent, base, is_hidden in found]


def complete(prefix: str) -> list[Hashtag]:
    """Hashtags starting with `prefix` (any case), shortest first: the composer's suggestions.

    A range on the normalised name (not LIKE) keeps this on the unique index everywhere.
    """
    name = normalize_hashtag(prefix.strip().lstrip("#"))
    if not name:
        return []
    return list(
        Hashtag.objects.filter(name__gte=name, name__lt=name + "\U0010ffff").order_by(
            Length("name"), "name"
        )[:COMPLETIONS]
    )
