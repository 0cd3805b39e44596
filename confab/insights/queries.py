"""What the Scheduled and Insights pages read, each aggregate in SQL (a few queries a page).

Insights only ever count: no page names a follower or shows what they posted. A person sees
their own insights only (the pages take no account in their address), and a chat's are for
its hosts (404 for everyone else).

Times are grouped in the reader's time zone exactly, across daylight-saving changes, without
a time-zone function per row (on SQLite, Django's Extract/Trunc with `tzinfo` call Python
for every row: a second for 100,000 rows). The heatmap reads the audience rollup
(`confab.insights.rollup`, decision 018): the followers' actions per quarter-hour since the
epoch, summed by triggers as they happen. At most 2,688 quarter-hours in 28 days come back, and each is
placed in its local weekday and hour in Python: every zone's offset is a whole number of
quarter-hours. Months are compared against their local first instants computed in Python,
in one CASE.
"""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account, Follow, FollowOrigin
from confab.chats import queries as chat_queries
from confab.chats.models import Chat, ChatFollow
from confab.core import places
from confab.core.ids import EPOCH_MS, TIME_SHIFT, id_for_time
from confab.insights.actions import MIN_LEAD, account_zone
from confab.insights.models import Audience, ChatAudience, ScheduledPost, ScheduledState
from confab.posts.models import Favourite, Post, Visibility

ACTIVITY_DAYS = 28  # four of each weekday: recent habits, not last year's
NETWORK_MONTHS = 12
TOP_SLOTS = 3
TOP_ZONES = 12
RECENT_PUBLISHED = 20
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# --- Scheduled posts --------------------------------------------------------------------


@dataclass
class Scheduled:
    pending: list[ScheduledPost]
    failed: list[ScheduledPost]
    published: list[ScheduledPost]


def scheduled(account: Account) -> Scheduled:
    """The person's waiting posts (soonest first), failed ones, and the latest published."""
    mine = ScheduledPost.objects.filter(account=account)
    # At most MAX_PENDING wait at once, so the whole list fits one page.
    pending = list(mine.filter(state=ScheduledState.PENDING).order_by("scheduled_at", "id"))
    failed = list(mine.filter(state=ScheduledState.FAILED).order_by("-scheduled_at"))
    published = list(
        mine.filter(state=ScheduledState.PUBLISHED).order_by("-published_at")[:RECENT_PUBLISHED]
    )
    return Scheduled(pending, failed, published)


def get_scheduled(account: Account, scheduled_id: int) -> ScheduledPost:
    """The person's own scheduled post, or 404 (someone else's is not there for them)."""
    row = ScheduledPost.objects.filter(pk=scheduled_id, account=account).first()
    if row is None:
        raise Http404("No such scheduled post.")
    return row


# --- When people are active ---------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    hour: int
    count: int
    next_at: datetime  # the next such hour, local, at least MIN_LEAD ahead

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00"

    @property
    def at_param(self) -> str:
        """The next slot as the scheduler's `at` parameter (local wall clock)."""
        return f"{self.next_at:%Y-%m-%dT%H:%M}"

    @property
    def next_label(self) -> str:
        return f"{self.next_at:%a %-d %b, %H:%M}"


@dataclass
class Heatmap:
    zone: zoneinfo.ZoneInfo
    grid: list[list[int]]  # [weekday][hour] → actions
    top: list[Slot] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(map(sum, self.grid))

    @property
    def peak(self) -> int:
        return max(map(max, self.grid))

    def by_hour(self) -> list[int]:
        return [sum(day[hour] for day in self.grid) for hour in range(24)]


def next_slot(weekday: int, hour: int, zone: zoneinfo.ZoneInfo, now: datetime) -> datetime:
    """The next local `weekday` `hour`:00 at least MIN_LEAD from `now` (local, aware).

    An hour the clocks skip that week moves to the same hour a week later.
    """
    local_now = now.astimezone(zone)
    day = local_now.date() + timedelta(days=(weekday - local_now.weekday()) % 7)
    for _ in range(3):
        candidate = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        real = candidate.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone)
        if real.hour == hour and candidate >= now + MIN_LEAD:
            return candidate
        day += timedelta(days=7)
    return candidate


QUARTER_HOUR = 900  # seconds


def first_quarter(now: datetime) -> int:
    """The window's first quarter-hour (since the Unix epoch): ACTIVITY_DAYS back, whole."""
    return int((now - timedelta(days=ACTIVITY_DAYS)).timestamp()) // QUARTER_HOUR


def audience_buckets(of: Account | Chat, since: int) -> QuerySet:
    """What the followers of `of` (a person or a chat) did per quarter-hour from `since`.

    One query on the audience rollup, at most 2,688 rows a window, read through its
    (followed, quarter) unique index: the followers' own rows are summed by the triggers as
    they are written (confab.insights.rollup). Equal to `raw_buckets` of the followers
    (tests/insights/test_rollup.py).
    """
    rows = (
        ChatAudience.objects.filter(chat=of)
        if isinstance(of, Chat)
        else Audience.objects.filter(account=of)
    )
    return rows.filter(quarter__gte=since, actions__gt=0).values_list("quarter", "actions")


def _bucketed(rows: QuerySet) -> QuerySet:
    """Count rows per quarter-hour since the Unix epoch, read from their time-ordered ids.

    The id says when the row was made (confab.core.ids), so the bucket is integer arithmetic
    on the key: no date parsing, no time-zone function per row, and the same SQL on SQLite
    and PostgreSQL.
    """
    since_epoch_ms = F("id").bitrightshift(TIME_SHIFT) + EPOCH_MS
    quarter = ExpressionWrapper(
        since_epoch_ms / (QUARTER_HOUR * 1000), output_field=BigIntegerField()
    )
    return (
        rows.annotate(q=quarter).values("q").annotate(n=Count("*")).values_list("q", "n").order_by()
    )


def raw_buckets(people: QuerySet, since: int) -> list[QuerySet]:
    """The same counts from the posts and favourites themselves (two aggregate queries).

    What the heatmap would read without the rollup: the tests' reference and the
    benchmark's baseline. Direct posts are left out: their times are between their author
    and the people they mention.
    """
    first_id = id_for_time(datetime.fromtimestamp(since * QUARTER_HOUR, tz=UTC))
    posts = Post.objects.filter(account_id__in=people, id__gte=first_id).exclude(
        visibility=Visibility.DIRECT
    )
    favourites = Favourite.objects.filter(account_id__in=people, id__gte=first_id)
    return [_bucketed(posts), _bucketed(favourites)]


def activity_heatmap(
    of: Account | Chat, zone: zoneinfo.ZoneInfo, *, now: datetime | None = None
) -> Heatmap:
    """When the followers of `of` (a person or a chat) posted, boosted and favourited lately.

    One query on the audience rollup, at most 2,688 quarter-hour rows whatever the number
    of followers, each placed in its local weekday and hour here.
    """
    now = now or timezone.now()
    grid = [[0] * 24 for _ in range(7)]
    for quarter, n in audience_buckets(of, first_quarter(now)):
        local = datetime.fromtimestamp(quarter * QUARTER_HOUR, tz=zone)
        grid[local.weekday()][local.hour] += n
    heatmap = Heatmap(zone=zone, grid=grid)
    cells = [(grid[d][h], d, h) for d in range(7) for h in range(24) if grid[d][h]]
    cells.sort(key=lambda cell: (-cell[0], cell[1], cell[2]))
    heatmap.top = [
        Slot(weekday=d, hour=h, count=n, next_at=next_slot(d, h, zone, now))
        for n, d, h in cells[:TOP_SLOTS]
    ]
    return heatmap


def followers_of(account: Account) -> QuerySet:
    return Follow.objects.filter(target=account).values("source_id")


# --- Where the audience is ----------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    key: str = ""


def followers_by_country(account: Account) -> list[Share]:
    """Followers per country of their profile city, most first; no city counts as unknown."""
    rows = (
        Follow.objects.filter(target=account)
        .values("source__country_code")
        .annotate(n=Count("id"), city=Min("source__city_id"))
        .order_by("-n", "source__country_code")
    )
    shares = []
    unknown = 0
    for row in rows:
        code = row["source__country_code"]
        city = places.get_city(row["city"]) if row["city"] is not None else None
        if not code or city is None:
            unknown += row["n"]
            continue
        shares.append(Share(city.country, row["n"], code))
    if unknown:
        shares.append(Share("No city on their profile", unknown))
    return shares


def followers_by_zone(account: Account) -> list[Share]:
    """Followers per profile time zone, the largest TOP_ZONES and the rest together."""
    rows = (
        Follow.objects.filter(target=account)
        .values("source__time_zone")
        .annotate(n=Count("id"))
        .order_by("-n", "source__time_zone")
    )
    shares = [Share(row["source__time_zone"] or "UTC", row["n"]) for row in rows]
    if len(shares) > TOP_ZONES:
        rest = sum(share.count for share in shares[TOP_ZONES - 1 :])
        shares = [*shares[: TOP_ZONES - 1], Share("Other time zones", rest)]
    return shares


# --- The network --------------------------------------------------------------------------

ORIGINS: list[tuple[str, str]] = [
    *((value, str(label)) for value, label in FollowOrigin.choices),
    ("", "A profile or elsewhere"),
]


@dataclass
class Growth:
    months: list[datetime]  # first instant of each month, local, oldest first
    # (direction, origin) → counts per month; direction "in" = followed you, "out" = you followed
    counts: dict[tuple[str, str], list[int]]

    def total(self, direction: str) -> list[int]:
        return [
            sum(
                self.counts.get((direction, origin), [0] * len(self.months))[i]
                for origin, _ in ORIGINS
            )
            for i in range(len(self.months))
        ]

    def by_origin(self, direction: str) -> list[Share]:
        return [
            Share(label, sum(self.counts.get((direction, origin), [])), origin)
            for origin, label in ORIGINS
        ]


def _month_starts(zone: zoneinfo.ZoneInfo, now: datetime, months: int) -> list[datetime]:
    local = now.astimezone(zone)
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=zone))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def network_growth(account: Account, *, now: datetime | None = None) -> Growth:
    """New follows each way per month, by where they came from (two aggregate queries)."""
    now = now or timezone.now()
    zone = account_zone(account)
    months = _month_starts(zone, now, NETWORK_MONTHS)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(months))
    # Month n holds follows from its first instant to the next month's (local midnight).
    which = Case(
        *(
            When(created_at__lt=start, then=Value(position - 1))
            for position, start in enumerate(months[1:], start=1)
        ),
        default=Value(len(months) - 1),
        output_field=IntegerField(),
    )
    for direction, rows in (
        ("in", Follow.objects.filter(target=account)),
        ("out", Follow.objects.filter(source=account)),
    ):
        grouped = (
            rows.filter(created_at__gte=months[0])
            .annotate(month=which)
            .values("month", "origin")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in grouped:
            counts[(direction, row["origin"])][row["month"]] += row["n"]
    return Growth(months=months, counts=dict(counts))


# --- A chat, for its hosts ----------------------------------------------------------------


def get_hosted_chat(viewer: Account, name: str) -> Chat:
    """The chat named by its hashtag if `viewer` hosts it; 404 for anyone else."""
    chat = chat_queries.get_chat(name)
    if not chat_queries.is_host(viewer, chat):
        raise Http404("No such chat.")
    return chat


def chat_followers(chat: Chat) -> QuerySet:
    return ChatFollow.objects.filter(chat=chat).values("account_id")


def chat_zone(chat: Chat) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(chat.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
