"""The activity rollup stays equal to the posts and favourites it counts (decision 018).

Every change goes through the real actions (or the cascades they cause), and after each one
the whole rollup is compared with a count made in Python from the rows themselves; the
heatmap read from the rollup is compared with one placed row by row in the reader's zone.
"""

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow
from confab.chats import actions as chat_actions
from confab.chats.models import ChatFollow
from confab.core.ids import id_for_time, time_of
from confab.insights import jobs, queries, rollup
from confab.insights.models import Activity, Audience, ChatAudience
from confab.posts import actions as post_actions
from confab.posts.models import Favourite, Post, Visibility
from confab.worker.actions import enqueue
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)  # a week after the US clocks moved forward
_sequence = itertools.count(1)


def say(account, text: str, when: datetime, **kwargs) -> Post:
    return post_actions.post(
        account, text, created_at=when, post_id=id_for_time(when, next(_sequence)), **kwargs
    )


def raw_counts() -> dict[tuple[int, int], int]:
    """(account, quarter-hour) → posts, boosts and favourites, counted from the rows."""
    counts: Counter = Counter()
    for account_id, row_id in Post.objects.exclude(visibility=Visibility.DIRECT).values_list(
        "account_id", "id"
    ):
        counts[(account_id, int(time_of(row_id).timestamp()) // queries.QUARTER_HOUR)] += 1
    for account_id, row_id in Favourite.objects.values_list("account_id", "id"):
        counts[(account_id, int(time_of(row_id).timestamp()) // queries.QUARTER_HOUR)] += 1
    return dict(counts)


def rollup_counts() -> dict[tuple[int, int], int]:
    return {
        (account_id, quarter): actions
        for account_id, quarter, actions in Activity.objects.values_list(
            "account_id", "quarter", "actions"
        )
    }


def audience_counts(model, key: str) -> dict[tuple[int, int], int]:
    return {
        (followed, quarter): actions
        for followed, quarter, actions in model.objects.filter(actions__gt=0).values_list(
            key, "quarter", "actions"
        )
    }


def expected_audiences(follows) -> dict[tuple[int, int], int]:
    """(followed, quarter-hour) → their followers' actions, from the rows and follows."""
    per_person = raw_counts()
    counts: Counter = Counter()
    for follower, followed in follows:
        for (account_id, quarter), n in per_person.items():
            if account_id == follower:
                counts[(followed, quarter)] += n
    return dict(counts)


def assert_exact() -> None:
    """Both levels of the rollup equal a recount from the posts, favourites and follows."""
    assert rollup_counts() == raw_counts()
    follows = Follow.objects.values_list("source_id", "target_id")
    assert audience_counts(Audience, "account_id") == expected_audiences(follows)
    chat_follows = ChatFollow.objects.values_list("account_id", "chat_id")
    assert audience_counts(ChatAudience, "chat_id") == expected_audiences(chat_follows)


def reference_grid(people: list, zone: ZoneInfo, now: datetime) -> list[list[int]]:
    """The heatmap placed row by row in the zone, from each row's own instant."""
    since = now - timedelta(days=queries.ACTIVITY_DAYS)
    start = datetime.fromtimestamp(
        int(since.timestamp()) // queries.QUARTER_HOUR * queries.QUARTER_HOUR, tz=UTC
    )
    grid = [[0] * 24 for _ in range(7)]
    ids = [
        *Post.objects.filter(account__in=people)
        .exclude(visibility=Visibility.DIRECT)
        .values_list("id", flat=True),
        *Favourite.objects.filter(account__in=people).values_list("id", flat=True),
    ]
    for row_id in ids:
        at = time_of(row_id)
        if at >= start:
            local = at.astimezone(zone)
            grid[local.weekday()][local.hour] += 1
    return grid


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_triggers_are_in_place_after_migrating():
    assert rollup.installed(connection) == set(rollup.trigger_names(connection))


def test_a_new_post_counts_in_its_quarter_hour_and_a_direct_one_does_not(ann, bob, clock):
    say(bob, "Hello", datetime(2027, 3, 19, 9, 14, tzinfo=UTC))
    say(bob, "Again", datetime(2027, 3, 19, 9, 1, tzinfo=UTC))
    say(bob, "Later", datetime(2027, 3, 19, 9, 15, tzinfo=UTC))
    say(bob, "@ann psst", datetime(2027, 3, 19, 9, 5, tzinfo=UTC), visibility="direct")
    quarter = int(datetime(2027, 3, 19, 9, 0, tzinfo=UTC).timestamp()) // 900
    assert rollup_counts() == {(bob.pk, quarter): 2, (bob.pk, quarter + 1): 1}
    assert_exact()


def test_a_deleted_post_takes_its_boosts_and_favourites_out(ann, bob, cat, clock):
    original = say(ann, "Worth sharing", datetime(2027, 3, 18, 10, tzinfo=UTC))
    post_actions.boost(bob, original.pk)
    post_actions.favourite(bob, original.pk)
    post_actions.favourite(cat, original.pk)
    kept = say(bob, "Mine", datetime(2027, 3, 18, 11, tzinfo=UTC))
    assert sum(rollup_counts().values()) == 5
    assert_exact()
    post_actions.delete(ann, original.pk)  # the boost and both favourites cascade
    assert_exact()
    assert sum(rollup_counts().values()) == 1
    post_actions.delete(bob, kept.pk)
    assert rollup_counts() == {}  # emptied quarter-hours leave no rows behind


def test_favourite_unfavourite_boost_unboost(ann, bob, clock):
    target = say(ann, "A post", datetime(2027, 3, 18, 10, tzinfo=UTC))
    post_actions.favourite(bob, target.pk)
    post_actions.favourite(bob, target.pk)  # a second click changes nothing
    post_actions.boost(bob, target.pk)
    quarter = int(NOW.timestamp()) // 900
    assert rollup_counts()[(bob.pk, quarter)] == 2
    assert_exact()
    post_actions.unfavourite(bob, target.pk)
    assert rollup_counts()[(bob.pk, quarter)] == 1
    post_actions.unboost(bob, target.pk)
    assert (bob.pk, quarter) not in rollup_counts()
    assert_exact()


def test_a_post_made_direct_leaves_the_counts_and_comes_back(ann, bob, clock):
    post = say(bob, "Open", datetime(2027, 3, 18, 10, tzinfo=UTC))
    Post.objects.filter(pk=post.pk).update(visibility=Visibility.DIRECT)
    assert rollup_counts() == {}
    Post.objects.filter(pk=post.pk).update(visibility=Visibility.UNLISTED)
    assert_exact()
    assert sum(rollup_counts().values()) == 1


def test_the_window_moves_with_the_clock(ann, bob, clock):
    # 27 days and 23 hours before NOW: in the window today, out of it tomorrow.
    say(bob, "Nearly a month ago", NOW - timedelta(days=27, hours=23))
    say(bob, "Yesterday", NOW - timedelta(days=1))
    zone = ZoneInfo("UTC")
    assert queries.activity_heatmap(ann, zone, now=NOW).total == 2
    later = NOW + timedelta(days=1)
    clock.move_to(later)
    assert queries.activity_heatmap(ann, zone, now=later).total == 1
    say(bob, "Today", later - timedelta(minutes=5))
    assert queries.activity_heatmap(ann, zone, now=later).total == 2
    assert_exact()


@pytest.mark.parametrize(
    "zone",
    ["America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide"],
)
def test_the_heatmap_equals_row_by_row_placement_across_a_dst_change(ann, bob, cat, zone, clock):
    """Quarter-hour buckets keep 5:30 and 5:45 zones exact; New York changed on 14 March,
    Adelaide's summer time ends on 4 April (not in the window), London's on 28 March."""
    account_actions.follow(cat, ann)
    start = datetime(2027, 2, 21, 0, 7, tzinfo=UTC)
    targets = []
    for n in range(55):  # every 11 h 23 min: every quarter of the hour, every weekday
        at = start + n * timedelta(hours=11, minutes=23)
        targets.append(say(bob if n % 2 else cat, f"Post {n}", at))
    for n, target in enumerate(targets[::3]):
        at = start + timedelta(hours=5 * n, minutes=41)
        with time_machine.travel(at, tick=False):
            post_actions.favourite(cat if n % 2 else bob, target.pk)
    say(bob, "@cat psst", datetime(2027, 3, 15, 3, tzinfo=UTC), visibility="direct")
    assert_exact()
    heatmap = queries.activity_heatmap(ann, ZoneInfo(zone), now=NOW)
    assert heatmap.grid == reference_grid([bob, cat], ZoneInfo(zone), NOW)
    assert heatmap.total > 60


def test_rebuild_counts_the_same_as_the_triggers(ann, bob, cat, clock):
    target = say(ann, "A post", datetime(2027, 3, 18, 10, tzinfo=UTC))
    say(bob, "Reply", datetime(2027, 3, 18, 10, 3, tzinfo=UTC), in_reply_to_id=target.pk)
    post_actions.favourite(cat, target.pk)
    before = rollup_counts()
    rollup.rebuild(connection)
    assert rollup_counts() == before
    assert_exact()


def test_a_follow_brings_the_followers_history_and_an_unfollow_takes_it(ann, bob, cat, clock):
    say(cat, "Before following", datetime(2027, 3, 10, 8, tzinfo=UTC))
    say(bob, "Bob follows already", datetime(2027, 3, 10, 8, 5, tzinfo=UTC))
    zone = ZoneInfo("UTC")
    assert queries.activity_heatmap(ann, zone, now=NOW).grid[2][8] == 1  # Wednesday 08:00
    account_actions.follow(cat, ann)
    assert queries.activity_heatmap(ann, zone, now=NOW).grid[2][8] == 2
    assert_exact()
    account_actions.unfollow(cat, ann)
    assert queries.activity_heatmap(ann, zone, now=NOW).grid[2][8] == 1
    assert_exact()
    account_actions.unfollow(bob, ann)
    assert queries.activity_heatmap(ann, zone, now=NOW).total == 0
    assert_exact()


def test_a_chats_audience_follows_its_followers(ann, bob, cat, clock):
    from tests.chats.conftest import details

    chat = chat_actions.create_chat(ann, "RollupChat", details())
    say(bob, "Hello", datetime(2027, 3, 18, 21, 10, tzinfo=UTC))
    chat_actions.follow_chat(bob, chat)
    say(cat, "Not yet", datetime(2027, 3, 18, 21, 20, tzinfo=UTC))
    chat_actions.follow_chat(cat, chat)
    target = say(ann, "Host post", datetime(2027, 3, 18, 9, tzinfo=UTC))
    post_actions.favourite(cat, target.pk)
    assert_exact()
    heatmap = queries.activity_heatmap(chat, ZoneInfo("UTC"), now=NOW)
    assert heatmap.grid[3][21] == 2  # Thursday 21:00: bob's and cat's posts
    assert heatmap.total == 3  # and cat's favourite, now
    chat_actions.unfollow_chat(bob, chat)
    assert queries.activity_heatmap(chat, ZoneInfo("UTC"), now=NOW).total == 2
    assert_exact()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL flushes with TRUNCATE")
@pytest.mark.parametrize(
    "first",
    [
        ["insights_audience", "insights_chataudience"],
        ["insights_audience", "insights_chataudience", "insights_activity"],
    ],
)
def test_tables_emptied_in_any_order_leave_no_audience_behind(ann, bob, cat, clock, first):
    """Emptying the tables one by one (Django flushing a test database, in an order that
    changes from run to run) never leaves an audience row pointing at a deleted person:
    taking counts away lowers rows and adds none."""
    from django.db import transaction

    from tests.chats.conftest import details

    chat = chat_actions.create_chat(ann, "FlushChat", details())
    chat_actions.follow_chat(cat, chat)
    target = say(ann, "A post", datetime(2027, 3, 18, 10, tzinfo=UTC))
    say(bob, "Reply", datetime(2027, 3, 18, 10, 3, tzinfo=UTC), in_reply_to_id=target.pk)
    post_actions.favourite(cat, target.pk)
    assert Audience.objects.exists() and ChatAudience.objects.exists()
    then = ["posts_favourite", "posts_post", "accounts_follow", "chats_chatfollow"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in first + [t for t in then if t not in first]:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute("SELECT COUNT(*) FROM insights_audience")
            audience = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM insights_chataudience")
            chat_audience = cursor.fetchone()[0]
        transaction.set_rollback(True)
    assert (audience, chat_audience) == (0, 0)


def _since(counts: dict, cutoff: int) -> dict:
    return {key: n for key, n in counts.items() if key[1] >= cutoff}


def _oldest_quarter() -> int | None:
    quarters = [
        model.objects.order_by("quarter").values_list("quarter", flat=True).first()
        for model in (Activity, Audience, ChatAudience)
    ]
    return min((q for q in quarters if q is not None), default=None)


@pytest.fixture
def history(ann, bob, cat, clock):
    """Posts and favourites from before the heatmap's window and inside it, by people who
    follow each other and a chat."""
    from tests.chats.conftest import details

    account_actions.follow(cat, ann)
    account_actions.follow(ann, cat)
    chat = chat_actions.create_chat(ann, "PruneChat", details())
    chat_actions.follow_chat(bob, chat)
    for days in (45, 31, 20, 2):
        when = NOW - timedelta(days=days)
        by_bob = say(bob, f"Bob, {days} days ago", when)
        say(cat, f"Cat, {days} days ago", when + timedelta(minutes=20))
        post_actions.favourite(ann, by_bob.pk, created_at=when + timedelta(hours=1))
    return [ann, bob, cat]


def test_prune_drops_what_the_heatmap_no_longer_reads(history, clock):
    ann = history[0]
    zone = ZoneInfo("Europe/Berlin")
    heatmap = queries.activity_heatmap(ann, zone, now=NOW)
    cutoff = int((NOW - timedelta(days=rollup.REBUILD_DAYS)).timestamp()) // 900
    assert _oldest_quarter() < cutoff  # there is something to prune

    assert rollup.prune(connection, now=NOW) is False

    assert _oldest_quarter() >= cutoff
    assert rollup_counts() == _since(raw_counts(), cutoff)
    follows = Follow.objects.values_list("source_id", "target_id")
    assert audience_counts(Audience, "account_id") == _since(expected_audiences(follows), cutoff)
    chat_follows = ChatFollow.objects.values_list("account_id", "chat_id")
    expected = _since(expected_audiences(chat_follows), cutoff)
    assert audience_counts(ChatAudience, "chat_id") == expected
    assert queries.activity_heatmap(ann, zone, now=NOW) == heatmap
    assert rollup.prune(connection, now=NOW) is False  # nothing left to do


def test_after_a_prune_follows_and_deletes_keep_the_rest_exact(history, clock):
    ann, bob, cat = history
    rollup.prune(connection, now=NOW)
    cutoff = int((NOW - timedelta(days=rollup.REBUILD_DAYS)).timestamp()) // 900

    post_actions.delete(bob, Post.objects.get(text="Bob, 45 days ago").pk)  # a pruned one
    post_actions.delete(cat, Post.objects.get(text="Cat, 20 days ago").pk)
    account_actions.unfollow(bob, ann)
    account_actions.follow(bob, cat)

    assert rollup_counts() == _since(raw_counts(), cutoff)
    follows = Follow.objects.values_list("source_id", "target_id")
    assert audience_counts(Audience, "account_id") == _since(expected_audiences(follows), cutoff)
    assert not Audience.objects.filter(quarter__lt=cutoff, actions__gt=0).exists()


def test_a_prune_in_small_batches_ends_where_one_big_one_does(history, clock):
    rounds = 1
    while rollup.prune(connection, now=NOW, limit=1):
        rounds += 1
    assert rounds > 3
    cutoff = int((NOW - timedelta(days=rollup.REBUILD_DAYS)).timestamp()) // 900
    assert _oldest_quarter() >= cutoff
    assert rollup_counts() == _since(raw_counts(), cutoff)


def test_the_daily_job_prunes_in_short_jobs_until_done(history, clock, monkeypatch):
    monkeypatch.setattr(jobs, "PRUNE_BATCH", 2)
    enqueue(jobs.PRUNE_KIND)

    assert Worker().drain() > 2  # the first job, and the ones it queued after it

    cutoff = int((NOW - timedelta(days=rollup.REBUILD_DAYS)).timestamp()) // 900
    assert _oldest_quarter() >= cutoff
    assert rollup_counts() == _since(raw_counts(), cutoff)
    assert Job.objects.filter(kind=jobs.PRUNE_KIND, state=JobState.QUEUED).count() == 1  # tomorrow


def test_activity_older_than_the_horizon_moves_no_audience(history, clock):
    bob, cat = history[1:]
    rollup.prune(connection, now=NOW)
    cutoff = int((NOW - timedelta(days=rollup.REBUILD_DAYS)).timestamp()) // 900

    say(bob, "Back-dated, as an import would", NOW - timedelta(days=40))
    account_actions.follow(bob, cat)  # bob's old activity is not copied to cat's audience

    assert Activity.objects.filter(account=bob, quarter__lt=cutoff).exists()
    assert not Audience.objects.filter(quarter__lt=cutoff).exists()
    rollup.prune(connection, now=NOW)
    assert _oldest_quarter() >= cutoff
