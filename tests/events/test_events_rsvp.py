"""Answering events, who is named on the attendee list, and the pages' query counts."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from confab.accounts import actions as account_actions
from confab.events import actions, queries
from confab.events.models import RSVP, RSVPState
from confab.notifications.models import Notification
from tests.events.conftest import details


def test_rsvp_going_interested_and_not_going(pydata, ann, bob, client_for):
    client = client_for(bob)
    response = client.post(f"/events/{pydata.pk}/rsvp", {"state": "going", "listed": "on"})
    assert response.status_code == 302
    answer = RSVP.objects.get(event=pydata, account=bob)
    assert (answer.state, answer.listed) == ("going", True)
    # The host hears someone new is going, once.
    assert Notification.objects.filter(recipient=ann, kind="event").count() == 1

    client.post(f"/events/{pydata.pk}/rsvp", {"state": "interested", "listed": "on"})
    client.post(f"/events/{pydata.pk}/rsvp", {"state": "not_going"})
    answer.refresh_from_db()
    assert (answer.state, answer.listed) == ("not_going", False)
    assert RSVP.objects.filter(event=pydata).count() == 1
    client.post(f"/events/{pydata.pk}/rsvp", {"state": "going", "listed": "on"})
    assert Notification.objects.filter(recipient=ann, kind="event").count() == 2

    page = client.get(f"/events/{pydata.pk}").content.decode()
    assert "Your answer: <strong>Going</strong>" in page


def test_a_bad_answer_is_a_field_error(pydata, bob, client_for):
    response = client_for(bob).post(f"/events/{pydata.pk}/rsvp", {"state": "maybe"})
    assert response.status_code == 422
    assert "state" in response.context["rsvp_form"].errors
    assert not RSVP.objects.exists()


def test_a_finished_event_takes_no_answers(pydata, bob, clock):
    clock.move_to(pydata.ends_at + timedelta(minutes=1))
    with pytest.raises(ValidationError):
        actions.rsvp(bob, pydata.pk, RSVPState.GOING)


def test_someone_who_cannot_see_the_event_cannot_answer_it(pydata, ann, cat):
    account_actions.block(ann, cat)
    with pytest.raises(Http404):
        actions.rsvp(cat, pydata.pk, RSVPState.GOING)
    assert not RSVP.objects.exists()


def test_hidden_attendees_count_but_are_not_named(pydata, ann, bob, cat, make_account, client_for):
    dan = make_account("dan", display_name="Dan Hidden")
    eve = make_account("eve", display_name="Eve Listed")
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(dan, pydata.pk, RSVPState.GOING, listed=False)
    actions.rsvp(eve, pydata.pk, RSVPState.INTERESTED)

    page = client_for(cat).get(f"/events/{pydata.pk}").content.decode()
    assert "2 going · 1 interested" in page
    assert "Bob Follower" in page and "Eve Listed" in page
    assert "Dan Hidden" not in page and "/@dan" not in page
    assert "1 more who chose not to be listed" in page

    # Dan sees himself, marked; the host sees everyone.
    own = client_for(dan).get(f"/events/{pydata.pk}").content.decode()
    assert "Dan Hidden" in own and "(not listed publicly)" in own
    hosts = client_for(ann).get(f"/events/{pydata.pk}").content.decode()
    assert "Dan Hidden" in hosts


def test_blocked_attendees_are_counted_not_named(pydata, bob, cat, client_for):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    account_actions.block(bob, cat)
    page = client_for(cat).get(f"/events/{pydata.pk}").content.decode()
    assert "1 going" in page
    assert "Bob Follower" not in page


def test_my_events_lists_what_i_host_and_answered(clock, ann, bob, client_for):
    hosted = actions.create_event(bob, details(title="Bob's own", hashtag="BobsOwn"))
    going = actions.create_event(ann, details(title="Going one", hashtag="GoingOne"))
    declined = actions.create_event(ann, details(title="Declined one", hashtag="DeclinedOne"))
    actions.rsvp(bob, going.pk, RSVPState.GOING)
    actions.rsvp(bob, declined.pk, RSVPState.NOT_GOING)
    response = client_for(bob).get("/events/mine")
    assert [e.pk for e in response.context["events"]] == [hosted.pk, going.pk]
    page = response.content.decode()
    assert "Hosting" in page and "Going" in page


def _crowd(make_account, event, n, make_post):
    for i in range(n):
        person = make_account()
        actions.rsvp(person, event.pk, RSVPState.GOING, listed=i % 2 == 0)
        make_post(person, f"Post {i} #PyDataAustin")


def test_the_event_page_makes_a_fixed_number_of_queries(
    pydata, cat, make_account, make_post, client_for, django_assert_max_num_queries
):
    client = client_for(cat)
    _crowd(make_account, pydata, 3, make_post)
    with django_assert_max_num_queries(30) as few:
        assert client.get(f"/events/{pydata.pk}").status_code == 200
    _crowd(make_account, pydata, 12, make_post)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/events/{pydata.pk}").status_code == 200


def test_the_directory_makes_a_fixed_number_of_queries(
    clock, ann, cat, make_account, client_for, django_assert_max_num_queries
):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            event = actions.create_event(
                ann,
                details(
                    title=f"Event {i}",
                    hashtag=f"Tag{i}",
                    starts_local=datetime(2027, 4, 1 + i, 19, 0),
                    ends_local=datetime(2027, 4, 1 + i, 21, 0),
                ),
            )
            actions.rsvp(make_account(), event.pk, RSVPState.GOING)

    client = client_for(cat)
    add(2, 0)
    with django_assert_max_num_queries(20) as few:
        assert len(client.get("/events").context["events"]) == 2
    add(10, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/events")
    assert len(response.context["events"]) == 12
    assert response.context["events"][0].going_count == 1
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/events/mine")


def test_attendees_query_names_and_counts(pydata, bob, cat, make_account):
    dan = make_account("dan")
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(dan, pydata.pk, RSVPState.GOING, listed=False)
    seen = queries.attendees(cat, pydata)
    assert seen.going_count == 2
    assert [r.account for r in seen.going] == [bob]
    assert seen.going_unnamed == 1
    signed_out = queries.attendees(None, pydata)
    assert [r.account for r in signed_out.going] == [bob]
