"""Trips: only their audience sees them; the traveller sees who is around, city only.

The cast: ann travels to Austin, 18–22 March 2027. bob follows ann and ann follows him
back (a mutual); dan follows ann but ann does not follow him; cat is a stranger. Tests run
on the events clock (1 March 2027, tests/events/conftest.py).
"""

from datetime import date

import pytest

from confab.accounts import actions as account_actions
from confab.core import places
from confab.curation import actions as curation_actions
from confab.curation.actions import ListDetails
from confab.events import actions as event_actions
from confab.events.models.travel import Trip
from confab.events.travel import actions, queries
from confab.events.travel.actions import TripDetails
from tests.events.conftest import details as event_details


def lives_in(text: str) -> dict:
    city = places.resolve_city(text)
    return {
        "city_id": city.id,
        "city_label": city.label,
        "country_code": city.country_code,
        "latitude": city.latitude,
        "longitude": city.longitude,
    }


def trip_details(**changes) -> TripDetails:
    fields = {
        "city": "Austin, Texas",
        "starts_on": date(2027, 3, 18),
        "ends_on": date(2027, 3, 22),
        "audience": Trip.Audience.MUTUALS,
    }
    fields.update(changes)
    return TripDetails(**fields)


def mutual(a, b) -> None:
    account_actions.follow(a, b)
    account_actions.follow(b, a)


@pytest.fixture
def bob_mutual(clock, ann, bob):
    account_actions.follow(ann, bob)
    return bob


@pytest.fixture
def dan(clock, make_account, ann):
    dan = make_account("dan", display_name="Dan One-Way")
    account_actions.follow(dan, ann)
    return dan


@pytest.fixture
def austin(clock, ann):
    return actions.create_trip(ann, trip_details(note="Here for SXSW."))


def form(**changes) -> dict:
    data = {
        "city": "Austin, Texas",
        "starts_on": "2027-03-18",
        "ends_on": "2027-03-22",
        "audience": "mutuals",
        "audience_list": "",
        "note": "",
    }
    data.update(changes)
    return data


# --- Audiences ---------------------------------------------------------------------------


def test_a_trip_for_mutuals_is_seen_by_them_and_nobody_else(
    austin, ann, bob_mutual, dan, cat, client_for
):
    assert client_for(ann).get(f"/trips/{austin.pk}").status_code == 200
    page = client_for(bob_mutual).get(f"/trips/{austin.pk}")
    assert page.status_code == 200
    assert "Ann Author" in page.content.decode()
    assert "Here for SXSW." in page.content.decode()
    for outsider in (dan, cat):
        client = client_for(outsider)
        assert client.get(f"/trips/{austin.pk}").status_code == 404
        assert client.get(f"/trips/{austin.pk}/edit").status_code == 404
        assert client.post(f"/trips/{austin.pk}/delete").status_code == 404
        assert "Austin" not in client.get("/trips").content.decode()
    # The mutual cannot change it either.
    assert client_for(bob_mutual).get(f"/trips/{austin.pk}/edit").status_code == 404
    assert client_for(bob_mutual).post(f"/trips/{austin.pk}/delete").status_code == 404
    assert Trip.objects.filter(pk=austin.pk).exists()
    # The mutual finds it among the trips of people they know.
    assert f"/trips/{austin.pk}" in client_for(bob_mutual).get("/trips").content.decode()


def test_a_trip_for_a_list_is_seen_by_its_members_only(
    clock, ann, bob_mutual, dan, cat, client_for
):
    friends = curation_actions.create_list(ann, ListDetails(title="Texas friends"))
    curation_actions.add_member(ann, friends, dan)
    trip = actions.create_trip(
        ann, trip_details(audience=Trip.Audience.LIST, audience_list_id=friends.pk)
    )
    page = client_for(dan).get(f"/trips/{trip.pk}")
    assert page.status_code == 200
    assert "Propose a meetup" not in page.content.decode()  # dan is no mutual of ann's
    assert client_for(bob_mutual).get(f"/trips/{trip.pk}").status_code == 404
    assert client_for(cat).get(f"/trips/{trip.pk}").status_code == 404

    # Another person's list naming dan does not open ann's trip to him.
    cats_list = curation_actions.create_list(cat, ListDetails(title="Cat's"))
    curation_actions.add_member(cat, cats_list, bob_mutual)
    assert client_for(bob_mutual).get(f"/trips/{trip.pk}").status_code == 404

    # A block hides it from a list member; deleting the list hides it from everyone.
    account_actions.block(ann, dan)
    assert client_for(dan).get(f"/trips/{trip.pk}").status_code == 404
    account_actions.unblock(ann, dan)
    assert client_for(dan).get(f"/trips/{trip.pk}").status_code == 200
    curation_actions.delete_list(ann, friends)
    assert client_for(dan).get(f"/trips/{trip.pk}").status_code == 404
    assert client_for(ann).get(f"/trips/{trip.pk}").status_code == 200


def test_a_trip_for_only_me_is_seen_by_the_traveller_alone(clock, ann, bob_mutual, cat, client_for):
    trip = actions.create_trip(ann, trip_details(audience=Trip.Audience.ONLY_ME))
    assert client_for(ann).get(f"/trips/{trip.pk}").status_code == 200
    assert client_for(bob_mutual).get(f"/trips/{trip.pk}").status_code == 404
    assert client_for(cat).get(f"/trips/{trip.pk}").status_code == 404
    assert list(queries.visible_trips(bob_mutual)) == []


def test_signed_out_people_are_sent_to_log_in(austin, client):
    response = client.get(f"/trips/{austin.pk}")
    assert response.status_code == 302
    assert "/login" in response["Location"]


# --- Making, editing, deleting -----------------------------------------------------------


def test_a_trip_is_made_edited_and_deleted_through_its_pages(clock, ann, client_for):
    client = client_for(ann)
    response = client.post("/trips/new", form(city="austin, tx", note="Conference"))
    trip = Trip.objects.get(traveller=ann)
    assert response.status_code == 302
    assert response["Location"] == f"/trips/{trip.pk}"
    assert trip.city_label == "Austin, Texas, United States"
    assert (trip.starts_on, trip.ends_on) == (date(2027, 3, 18), date(2027, 3, 22))

    assert client.get(f"/trips/{trip.pk}/edit").status_code == 200
    response = client.post(f"/trips/{trip.pk}/edit", form(city="Zurich", ends_on="2027-03-25"))
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.city_label == "Zürich, Switzerland"
    assert trip.ends_on == date(2027, 3, 25)
    assert "Zürich" in client.get("/trips").content.decode()

    assert client.post(f"/trips/{trip.pk}/delete").status_code == 302
    assert not Trip.objects.filter(pk=trip.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"starts_on": "2027-02-27"}, "starts_on", "passed"),
        ({"starts_on": "2027-03-22", "ends_on": "2027-03-18"}, "ends_on", "before"),
        ({"city": "Xyzzyville"}, "city", "know a city"),
        ({"city": "Springfield"}, "city", "Several places"),
        ({"city": ""}, "city", "required"),
        ({"audience": "list"}, "audience_list", "one of your lists"),
        ({"audience": "everyone"}, "audience", "valid choice"),
        ({"ends_on": "2028-06-01"}, "ends_on", "at most a year"),
        ({"starts_on": "tomorrow"}, "starts_on", "valid date"),
    ],
)
def test_bad_trips_get_a_field_error_and_keep_what_was_typed(
    clock, ann, client_for, changes, field, words
):
    data = form(note="Keep me", **changes)
    response = client_for(ann).post("/trips/new", data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert "Keep me" in response.content.decode()
    assert not Trip.objects.exists()


def test_another_persons_list_cannot_be_the_audience(clock, ann, cat, client_for):
    cats = curation_actions.create_list(cat, ListDetails(title="Cat's"))
    response = client_for(ann).post("/trips/new", form(audience="list", audience_list=cats.pk))
    assert response.status_code == 422
    assert "audience_list" in response.context["form"].errors


def test_a_trip_under_way_can_be_edited_without_moving_its_first_day(clock, ann):
    trip = actions.create_trip(ann, trip_details(starts_on=date(2027, 3, 1)))
    clock.move_to("2027-03-03 12:00Z")
    actions.update_trip(ann, trip, trip_details(starts_on=date(2027, 3, 1), note="Extended"))
    trip.refresh_from_db()
    assert trip.note == "Extended"


# --- Who is around -----------------------------------------------------------------------


@pytest.fixture
def around_austin(clock, ann, make_account):
    """Connections at various distances, and trips to Austin that do or do not count."""
    cast = {}
    for name, city in (
        ("bea", "Round Rock, Texas"),  # ~27 km north of Austin
        ("eve", "San Antonio, Texas"),  # ~120 km
        ("gil", "Zurich"),  # far away
        ("hal", ""),  # no city on the profile
    ):
        cast[name] = make_account(name, **(lives_in(city) if city else {}))
        mutual(ann, cast[name])
    cast["cat"] = make_account("cat", **lives_in("Austin, Texas"))  # lives there, a stranger
    cast["fol"] = make_account("fol", **lives_in("Austin, Texas"))
    account_actions.follow(cast["fol"], ann)  # follows ann, not followed back
    # Visitors: one overlapping and visible, one too early, one hidden from ann.
    for name in ("ivy", "jon", "kim"):
        cast[name] = make_account(name, **lives_in("Zurich"))
        mutual(ann, cast[name])
    actions.create_trip(
        cast["ivy"], trip_details(starts_on=date(2027, 3, 21), ends_on=date(2027, 3, 24))
    )
    actions.create_trip(
        cast["jon"], trip_details(starts_on=date(2027, 3, 10), ends_on=date(2027, 3, 17))
    )
    actions.create_trip(cast["kim"], trip_details(audience=Trip.Audience.ONLY_ME))
    # gil visits Round Rock, near enough to count at 50 km.
    actions.create_trip(cast["gil"], trip_details(city="Round Rock, Texas"))
    return cast


def names(found) -> list[str]:
    return [n.account.username for n in found]


def test_around_lists_connections_living_near_and_visible_overlapping_trips(around_austin, ann):
    trip = actions.create_trip(ann, trip_details())
    near = queries.around(trip, 50)
    # Nearest first: ivy visits Austin itself; bea lives and gil stays in Round Rock.
    assert names(near) == ["ivy", "bea", "gil"]
    by_name = {n.account.username: n for n in near}
    assert by_name["bea"].lives_there and by_name["bea"].trips == []
    assert not by_name["ivy"].lives_there and len(by_name["ivy"].trips) == 1
    assert by_name["gil"].trips[0].city_label.startswith("Round Rock")
    assert by_name["bea"].km < 50 and by_name["ivy"].km == 0

    wider = names(queries.around(trip, 250))
    assert "eve" in wider
    for never in ("cat", "fol", "hal", "jon", "kim"):
        assert never not in wider


def test_the_trip_page_shows_cities_only_and_a_chosen_distance(
    around_austin, ann, client_for, django_assert_max_num_queries
):
    trip = actions.create_trip(ann, trip_details())
    client = client_for(ann)
    client.get(f"/trips/{trip.pk}")  # warm the gazetteer and the session
    with django_assert_max_num_queries(12):
        page = client.get(f"/trips/{trip.pk}?within=250").content.decode()
    assert "San Antonio, Texas, United States" in page
    assert "Round Rock, Texas, United States" in page
    near = client.get(f"/trips/{trip.pk}?within=50").content.decode()
    assert "San Antonio" not in near
    # Nobody's coordinates are ever on the page.
    bea = around_austin["bea"]
    for text in (page, near):
        assert f"{bea.latitude:.3f}" not in text
        assert f"{trip.latitude:.3f}" not in text
    # The propose-a-meetup link carries the city and the people around.
    assert "/meetups/new?city=Austin" in near and "invite=bea" in near


def test_audience_members_see_the_trip_but_not_who_is_around(around_austin, ann, client_for):
    trip = actions.create_trip(ann, trip_details())
    page = client_for(around_austin["bea"]).get(f"/trips/{trip.pk}").content.decode()
    assert "Propose a meetup to Ann Author" in page
    assert "San Antonio" not in page and "Round Rock" not in page


def test_the_trip_page_lists_events_there_with_who_is_going(
    clock, ann, bob_mutual, cat, make_account, client_for
):
    pydata = event_actions.create_event(cat, event_details())  # 20 March in Austin
    event_actions.create_event(
        cat,
        event_details(
            title="Too late",
            hashtag="Later",
            starts_local=_dt(2027, 3, 25),
            ends_local=_dt(2027, 3, 25, 21),
        ),
    )
    event_actions.create_event(cat, event_details(title="Elsewhere", hashtag="Zed", city="Zurich"))
    event_actions.rsvp(bob_mutual, pydata.pk, "going")
    quiet = make_account("quiet", display_name="Quiet Person")
    event_actions.rsvp(quiet, pydata.pk, "going", listed=False)
    trip = actions.create_trip(ann, trip_details())
    page = client_for(ann).get(f"/trips/{trip.pk}").content.decode()
    assert "PyData Austin meetup" in page
    assert "Bob Follower" in page
    assert "Quiet Person" not in page
    assert "and 1 more" in page
    assert "Too late" not in page and "Elsewhere" not in page
    # A block hides the blocked person among attendees.
    account_actions.block(ann, bob_mutual)
    page = client_for(ann).get(f"/trips/{trip.pk}").content.decode()
    assert "Bob Follower" not in page


def _dt(year, month, day, hour=19):
    from datetime import datetime

    return datetime(year, month, day, hour, 0)


def test_the_trips_page_makes_a_fixed_number_of_queries(
    around_austin, ann, client_for, django_assert_max_num_queries
):
    for day in range(2, 12):
        actions.create_trip(
            ann, trip_details(starts_on=date(2027, 4, day), ends_on=date(2027, 4, day))
        )
    client = client_for(ann)
    client.get("/trips")
    with django_assert_max_num_queries(8):
        page = client.get("/trips").content.decode()
    assert page.count("Austin, Texas, United States") >= 10
    assert "ivy" in page or "/@ivy" in page


def test_a_visitor_who_is_not_a_mutual_is_shown_but_not_invited(
    around_austin, ann, make_account, client_for
):
    stranger = make_account("zed", display_name="Zed Visitor")
    theirs = curation_actions.create_list(stranger, ListDetails(title="Told"))
    curation_actions.add_member(stranger, theirs, ann)
    actions.create_trip(
        stranger, trip_details(audience=Trip.Audience.LIST, audience_list_id=theirs.pk)
    )
    trip = actions.create_trip(ann, trip_details())
    near = {n.account.username: n for n in queries.around(trip, 50)}
    assert not near["zed"].acquaintance and near["ivy"].acquaintance
    page = client_for(ann).get(f"/trips/{trip.pk}?within=50").content.decode()
    assert "Zed Visitor" in page
    assert "invite=zed" not in page and "invite=ivy" in page


def test_the_new_trip_page_offers_the_travellers_own_lists(clock, ann, cat, client_for):
    curation_actions.create_list(ann, ListDetails(title="Conference friends"))
    curation_actions.create_list(cat, ListDetails(title="Not yours"))
    page = client_for(ann).get("/trips/new").content.decode()
    assert "Conference friends" in page and "Not yours" not in page
