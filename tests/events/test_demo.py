"""The demo's events, trips and meetups (confab.events.demo), on a small cast."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.core import demo_chats
from confab.curation.actions import set_interests
from confab.events import actions, demo
from confab.events.models import RSVP, Event, RSVPState
from confab.events.models.travel import Meetup, Trip

pytestmark = pytest.mark.django_db

CAST = ("ada", "marcus_edtech", "leticia_reads", "niamh_ld")


@pytest.fixture
def cast(make_account):
    people = [make_account(name) for name in CAST]
    for number in range(16):
        person = make_account(f"teacher{number}")
        set_interests(person, ["STEM", "EduMatch", "Libraries"][: 1 + number % 3])
        people.append(person)
    demo_chats.create_chats(people)  # the chats the events link to
    return people


def test_the_past_event_happened_and_takes_no_more_answers(cast):
    assert demo.create_events(cast, random.Random(1)) == len(demo.EVENTS)

    now = timezone.now()
    past = Event.objects.get(ends_at__lt=now)
    assert past.rsvps.filter(state=RSVPState.GOING).exists()
    stranger = cast[-1]
    RSVP.objects.filter(event=past, account=stranger).delete()
    with pytest.raises(ValidationError, match="over"):
        actions.rsvp(stranger, past.pk, RSVPState.GOING)
    assert Event.objects.filter(starts_at__gt=now).count() == len(demo.EVENTS) - 1


def test_unlisted_attendees_are_counted_not_named(cast, client_for):
    demo.create_events(cast, random.Random(1))
    hidden = RSVP.objects.filter(listed=False, state=RSVPState.GOING).select_related(
        "event", "account"
    )
    assert hidden.exists()
    answer = hidden.first()
    assert answer is not None
    viewer = next(
        person
        for person in cast
        if person.pk != answer.account_id and not answer.event.hosts.filter(account=person).exists()
    )
    html = client_for(viewer).get(f"/events/{answer.event_id}").content.decode()
    assert "more who chose not to be listed" in html
    assert f'href="/@{answer.account.username}"' not in html


def test_ada_travels_and_meets_her_friends(cast):
    # ada, marcus and a few teachers follow each other: they may meet.
    ada, marcus = cast[0], cast[1]
    for friend in (marcus, *cast[4:7]):
        account_actions.follow(ada, friend)
        account_actions.follow(friend, ada)
    for friend in cast[4:6]:
        account_actions.follow(marcus, friend)
        account_actions.follow(friend, marcus)

    trips, meetups = demo.create_travel(cast, random.Random(1))

    assert (trips, meetups) == (4, 2)
    assert set(Trip.objects.values_list("audience", flat=True)) == {
        Trip.Audience.MUTUALS,
        Trip.Audience.ONLY_ME,  # ada has no list here, so her list-only trip is hers alone
    }
    coffee = Meetup.objects.get(organiser=ada)
    assert coffee.state == Meetup.State.PROPOSED
    assert coffee.options.count() == 3
    lunch = Meetup.objects.get(organiser=marcus)
    assert lunch.state == Meetup.State.CONFIRMED
    assert lunch.confirmed_option is not None
    assert lunch.confirmed_option.starts_at > timezone.now() + timedelta(days=6)
