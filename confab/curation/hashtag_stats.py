"""What a hashtag page says about a hashtag, trending hashtags and hashtag completion.

Everything counts public, original posts only (what a hashtag timeline lists), so numbers
never reveal a followers-only or direct post; the viewer's blocks apply both ways, as
everywhere. Time windows are ranges of snowflake ids, which index scans answer directly.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length, TruncDate
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats.models import Chat
from confab.core.ids import id_for_time
from confab.core.text import normalize_hashtag
from confab.curation.models import HiddenTrend
from confab.posts.models import Hashtag, Post, PostHashtag, Visibility
from confab.posts.visibility import blocked_ids, visible_posts

USAGE_DAYS = 30
TOP_PEOPLE = 5
RELATED_CHATS = 5
TRENDING = 10
TREND_BASELINE_DAYS = 6
COMPLETIONS = 8
DAY_IDS = id_for_time(datetime(2020, 1, 2, tzinfo=UTC)) - id_for_time(
    datetime(2020, 1, 1, tzinfo=UTC)
)

# The bar chart's geometry, in SVG user units.
BAR_WIDTH = 8
BAR_GAP = 2
CHART_HEIGHT = 60


def _tagged(viewer: Account | None, hashtag_id: int, since: datetime) -> QuerySet[Post]:
    return visible_posts(viewer).filter(
        posthashtag__hashtag_id=hashtag_id,
        # On the join's column, so the (hashtag, post) index answers the range too.
        posthashtag__post_id__gte=id_for_time(since),
        visibility=Visibility.PUBLIC,
        boost_of__isnull=True,
    )


@dataclass
class Day:
    day: date
    count: int
    x: int = 0
    y: int = 0
    height: int = 0


def usage_by_day(
    viewer: Account | None, hashtag: Hashtag, *, now: datetime | None = None
) -> list[Day]:
    """Posts with the hashtag per UTC day over the last 30 days, oldest first (one query)."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=USAGE_DAYS - 1)
    counts: dict[date, int] = {}
    if hashtag.pk is not None:
        since = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        rows = (
            _tagged(viewer, hashtag.pk, since)
            .annotate(day=TruncDate("created_at", tzinfo=UTC))
            .order_by()
            .values("day")
            .annotate(n=Count("id"))
        )
        counts = {row["day"]: row["n"] for row in rows}
    days = [Day(first + timedelta(days=n), 0) for n in range(USAGE_DAYS)]
    tallest = max(counts.values(), default=0) or 1
    for n, day in enumerate(days):
        day.count = counts.get(day.day, 0)
        day.height = round(day.count * CHART_HEIGHT / tallest)
        day.x = n * (BAR_WIDTH + BAR_GAP)
        day.y = CHART_HEIGHT - day.height
    return days


def chart_size() -> dict[str, int]:
    return {"width": USAGE_DAYS * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT, "bar": BAR_WIDTH}


def top_people(
    viewer: Account | None, hashtag: Hashtag, *, now: datetime | None = None
) -> list[tuple[Account, int]]:
    """Who posted most with the hashtag in the last 30 days (two queries)."""
    if hashtag.pk is None:
        return []
    since = (now or timezone.now()) - timedelta(days=USAGE_DAYS)
    rows = list(
        _tagged(viewer, hashtag.pk, since)
        .order_by()
        .values("account_id")
        .annotate(n=Count("id"))
        .order_by("-n", "account_id")[:TOP_PEOPLE]
    )
    people = Account.objects.in_bulk([row["account_id"] for row in rows])
    return [(people[row["account_id"]], row["n"]) for row in rows if row["account_id"] in people]


def related_chats(hashtag: Hashtag) -> list[Chat]:
    """Chats run under the hashtag or about it."""
    if hashtag.pk is None:
        return []
    return list(
        Chat.objects.select_related("hashtag")
        .filter(Q(hashtag_id=hashtag.pk) | Q(interests__id=hashtag.pk))
        .distinct()
        .order_by("hashtag__name")[:RELATED_CHATS]
    )


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
        .annotate(bucket=(F("post_id") - start) / DAY_IDS)
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
