"""`confab demo`: a believable community, and the same one again for the same seed."""

import io
import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from confab.accounts.models import Account, Follow, FollowRequest, User
from confab.chats.models import Chat
from confab.connections.models import Introduction, Recommendation
from confab.core import demo_data, places
from confab.core.management.commands.demo import _Plan
from confab.events.models import RSVP
from confab.events.models.travel import MeetupInvite, Trip
from confab.insights.models import ScheduledPost
from confab.posts.models import Favourite, Hashtag, Post, Visibility

SMALL = ("--people", "20", "--seed", "7")


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list, ...]:
    return (
        sorted(Account.objects.values_list("username", flat=True)),
        sorted(Post.objects.filter(boost_of__isnull=True).values_list("text", flat=True)),
        sorted(Follow.objects.values_list("source__username", "target__username", "origin")),
        sorted(RSVP.objects.values_list("event__title", "account__username", "state", "listed")),
        sorted(Trip.objects.values_list("traveller__username", "city_label", "audience")),
        sorted(MeetupInvite.objects.values_list("meetup__title", "account__username", "response")),
        sorted(
            Introduction.objects.values_list(
                "introducer__username", "first__username", "second__username", "state"
            )
        ),
        sorted(ScheduledPost.objects.values_list("account__username", "text")),
        sorted(Recommendation.objects.values_list("account__username", "candidate__username")),
    )


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people_follows_and_posts():
    run_demo(*SMALL)
    first = snapshot()
    # Start again from an empty database: deleting the logins takes everything with them.
    User.objects.all().delete()
    Chat.objects.all().delete()
    Hashtag.objects.all().delete()
    assert not Post.objects.exists()

    run_demo(*SMALL)

    assert snapshot() == first
    usernames, texts, follows, rsvps, trips, invites, introductions, scheduled, suggested = first
    assert len(usernames) == 20
    assert rsvps and trips and invites and introductions and scheduled and suggested
    assert len(texts) > 100
    assert len(follows) > 100


def test_another_seed_gives_another_community():
    # The plan is made in memory before anything is written, so this needs no database.
    seven, eight = _Plan(7, 20), _Plan(8, 20)

    assert [p.username for p in seven.people] != [p.username for p in eight.people]
    assert [p.text for p in seven.posts] != [p.text for p in eight.posts]
    assert [p.text for p in _Plan(7, 20).posts] == [p.text for p in seven.posts]


@pytest.mark.django_db
def test_a_second_run_leaves_the_community_alone():
    run_demo(*SMALL)
    before = (Account.objects.count(), Post.objects.count(), Follow.objects.count())

    out = run_demo("--if-empty", *SMALL)

    assert "Demo community already there" in out
    assert "ada / confab-demo" in out
    with pytest.raises(CommandError, match="already has people"):
        run_demo(*SMALL)
    assert (Account.objects.count(), Post.objects.count(), Follow.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_fewer_people_than_the_fixed_cast():
    with pytest.raises(CommandError, match="at least"):
        run_demo("--people", "3")
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_the_people_can_log_in_and_have_places_interests_and_followers():
    out = run_demo(*SMALL)

    assert "Log in as ada / confab-demo (or any of: misaki_sato, leticia_reads" in out
    assert "admin: admin / confab-demo" in out
    assert "20 people" in out
    assert authenticate(username="ada", password="confab-demo") is not None
    # Everyone got the real (default) hasher's hash, not the cheap one used while creating.
    for user in User.objects.all():
        assert identify_hasher(user.password).algorithm == get_hasher().algorithm
        assert user.check_password("confab-demo")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser

    zones = zoneinfo.available_timezones()
    for account in Account.objects.prefetch_related("interests"):
        city = places.get_city(account.city_id)
        assert city is not None, account.username
        assert account.city_label == city.label
        assert account.time_zone == city.timezone
        assert account.time_zone in zones
        assert account.note
        assert account.interests.exists()
        if account.username != "admin":
            assert account.following_count >= 5, account.username
    assert Account.objects.values("country_code").distinct().count() >= 5

    ada = Account.objects.get(username="ada")
    assert ada.locked
    assert FollowRequest.objects.filter(target=ada).exists()
    for hub in ("ada", "leticia_reads", "marcus_edtech", "niamh_ld"):
        assert Follow.objects.filter(target__username=hub).count() >= 10


@pytest.mark.django_db
def test_the_posts_are_a_month_of_threads_hashtags_mentions_and_favourites():
    now = timezone.now()
    run_demo(*SMALL)

    posts = Post.objects.filter(boost_of__isnull=True)
    replies = posts.filter(in_reply_to__isnull=False).select_related("in_reply_to__account")
    assert replies.count() >= posts.count() // 6
    for reply in replies:
        if reply.in_reply_to.account_id != reply.account_id:
            assert reply.text.startswith(f"@{reply.in_reply_to.account.username} ")
    # A reply to a reply: threads go deeper than one answer.
    assert replies.filter(in_reply_to__in_reply_to__isnull=False).exists()
    tags = set(Hashtag.objects.filter(posts__isnull=False).values_list("name", flat=True))
    assert {"edumatch", "教育"} <= tags
    assert posts.filter(mentions__isnull=False, in_reply_to__isnull=True).exists()
    assert posts.exclude(spoiler_text="").exists()
    assert set(posts.values_list("visibility", flat=True)) == set(Visibility.values)
    # Chat sessions add their own posts; the everyday posts are favourited more than once each.
    assert Favourite.objects.count() > posts.filter(room_entries__isnull=True).count()
    assert Post.objects.filter(boost_of__isnull=False).exists()

    times = list(posts.order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert now - timedelta(days=32) < times[0] < now - timedelta(days=25)
    assert times[-1] <= timezone.now()


def test_every_city_in_the_data_names_exactly_that_city():
    labels = [label for c in demo_data.COUNTRIES.values() for label in c.cities]
    labels += [anchor.city for anchor in demo_data.ANCHORS]
    for label in labels:
        assert places.resolve_city(label).label == label


def test_the_demo_password_passes_the_password_validators():
    validate_password(demo_data.DEMO_PASSWORD, User(username="ada", email="ada@example.org"))


def test_every_follow_up_answers_a_reply_someone_can_write():
    replies = {text for pool in demo_data.REPLIES.values() for text in pool}
    assert set(demo_data.FOLLOW_UPS) <= replies


@pytest.mark.django_db
def test_it_makes_chats_and_one_that_goes_live_soon():
    from confab.chats.models import ChatQuestion, SessionState

    run_demo(*SMALL)

    assert Chat.objects.count() == 5
    soon = Chat.objects.get(hashtag__name="newcomerschat")
    session = soon.sessions.get()
    assert session.state == SessionState.SCHEDULED
    assert ChatQuestion.objects.filter(session=session).count() == 3
    assert soon.follows.exists()
    weekly = Chat.objects.get(hashtag__name="edumatch")
    assert weekly.sessions.filter(state=SessionState.SCHEDULED).count() >= 4
