"""`confab demo` brings every feature to life: events, trips, meetups, messages,
introductions, scheduled posts, people worth meeting and where follows came from, and
ada's pages show them."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from confab.accounts.models import Account, Follow, FollowOrigin
from confab.connections.models import (
    ConversationParticipant,
    Introduction,
    IntroductionState,
    Recommendation,
)
from confab.events.models import RSVP, Event, RSVPState
from confab.events.models.travel import Meetup, Trip
from confab.insights.models import ScheduledPost, ScheduledState
from confab.worker.models import Job

SMALL = ("--people", "20", "--seed", "7")

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_every_feature_has_demo_data():
    out = run_demo(*SMALL)
    now = timezone.now()
    ada = Account.objects.get(username="ada")

    assert "5 events, 4 trips, 2 meetups, 2 introductions, 3 scheduled posts" in out

    # Events: upcoming ones in demo people's cities and online, one with a chat, one past.
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert upcoming.filter(is_virtual=False).count() >= 3
    assert upcoming.filter(is_virtual=True).exists()
    cities = set(Account.objects.values_list("city_label", flat=True))
    for event in upcoming.filter(is_virtual=False):
        assert event.city_label in cities, event.title
    assert upcoming.filter(chat__hashtag__name="sciteachchat").exists()
    past = Event.objects.get(ends_at__lt=now)
    assert past.rsvps.filter(state=RSVPState.GOING).exists()
    for event in Event.objects.all():
        assert event.rsvps.filter(listed=True).exists(), event.title
    assert RSVP.objects.filter(listed=False, state=RSVPState.GOING).exists()  # unnamed
    assert RSVP.objects.filter(account=ada, state=RSVPState.GOING).count() >= 2
    assert Job.objects.filter(kind="events.remind").count() == Event.objects.count()

    # Trips with different audiences, ada's among them; meetups, one open, one confirmed.
    audiences = set(Trip.objects.values_list("audience", flat=True))
    assert audiences == set(Trip.Audience.values)
    assert Trip.objects.filter(traveller=ada).count() == 2
    assert Trip.objects.exclude(traveller=ada).filter(city_label=ada.city_label).exists()
    assert Meetup.objects.get(organiser=ada).state == Meetup.State.PROPOSED
    confirmed = Meetup.objects.get(state=Meetup.State.CONFIRMED)
    assert confirmed.invites.filter(account=ada, response="accepted").exists()

    # Conversations: several with ada, exactly one unread.
    rows = ConversationParticipant.objects.filter(account=ada)
    assert rows.count() >= 3
    unread = [row for row in rows if row.last_post_id and row.last_post_id > row.last_read_id]
    assert len(unread) == 1

    # Introductions: one connected (ada follows and is followed back), one waiting for ada.
    done = Introduction.objects.get(state=IntroductionState.CONNECTED, first=ada)
    other = done.second
    both = Follow.objects.filter(source=ada, target=other) | Follow.objects.filter(
        source=other, target=ada
    )
    assert both.count() == 2
    assert both.filter(origin="introduction").exists()  # one may have followed already
    waiting = Introduction.objects.get(state=IntroductionState.PENDING)
    assert ada.pk in (waiting.first_id, waiting.second_id)
    assert waiting.is_open

    # Scheduled posts wait in ada's queue, each with its publishing job.
    scheduled = ScheduledPost.objects.filter(account=ada, state=ScheduledState.PENDING)
    assert scheduled.count() == 3
    assert all(row.scheduled_at > now for row in scheduled)
    assert Job.objects.filter(kind="insights.publish_scheduled").count() == 3

    # People worth meeting, computed for everyone.
    assert Recommendation.objects.filter(account=ada).exists()
    assert Recommendation.objects.values("account").distinct().count() >= 10

    # Follows say where they came from, each way for ada.
    origins_in = Counter(Follow.objects.filter(target=ada).values_list("origin", flat=True))
    origins_out = Counter(Follow.objects.filter(source=ada).values_list("origin", flat=True))
    for origins in (origins_in, origins_out):
        assert origins[FollowOrigin.CHAT] > 0
        assert sum(n for origin, n in origins.items() if origin) > 3
    assert set(Follow.objects.values_list("origin", flat=True)) == {"", *FollowOrigin.values}


def test_adas_pages_show_the_demo(client):
    run_demo(*SMALL)
    ada = Account.objects.get(username="ada")
    client.force_login(ada.user)
    recommended = (
        Recommendation.objects.filter(account=ada).order_by("-score").select_related("candidate")
    ).first()
    assert recommended is not None
    done = Introduction.objects.select_related("introducer").get(state=IntroductionState.CONNECTED)
    (unread,) = [
        row
        for row in ConversationParticipant.objects.filter(account=ada)
        if row.last_post_id > row.last_read_id
    ]
    expected = {
        "/": ["<article"],
        "/people": [recommended.candidate.username],
        "/conversations": [f"/conversations/{unread.conversation_id}"],
        "/events": ["Lab swap night", "AI in the classroom"],
        "/events/mine": ["Lab swap night", "AI in the classroom"],
        "/trips": ["San Antonio", "Dublin", "Portland"],
        "/meetups": ["Coffee in San Antonio", "Lunch in Portland"],
        "/scheduled": ["labs that failed gloriously", "five phenomena"],
        "/insights": ["A chat"],
        "/introductions": ["would like you to meet", escape(done.introducer.name)],
        "/kits": ["Science teachers: start here"],
    }
    for path, needles in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for needle in needles:
            assert needle in html, (path, needle)
    home = client.get("/").content.decode()
    assert home.count("<article") >= 5
    insights = client.get("/insights").content.decode()
    assert "No new followers in the last twelve months." not in insights
