"""Insight numbers on a small crafted community, in the reader's time zone, DST included.

ann (New York) is followed by bob (London), cat (Berlin) and dan (no city); eve follows
nobody and her activity must not count. The clock stands on Saturday 20 March 2027, a week
after the US clocks moved forward (14 March), so the 28-day window spans the change.
"""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.chats import actions as chat_actions
from confab.core import places
from confab.core.ids import id_for_time
from confab.insights import queries
from confab.posts import actions as post_actions
from tests.chats.conftest import details

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def in_city(name: str) -> dict:
    city = places.resolve_city(name)
    return {
        "city_id": city.id,
        "city_label": city.label,
        "country_code": city.country_code,
        "time_zone": city.timezone,
    }


_sequence = itertools.count(1)


def say(account, text: str, when: datetime, **kwargs):
    """Post back-dated to `when`, with an id of that time, as the demo community does."""
    return post_actions.post(
        account, text, created_at=when, post_id=id_for_time(when, next(_sequence)), **kwargs
    )


@pytest.fixture
def community(make_account):
    with time_machine.travel(datetime(2027, 1, 10, 12, tzinfo=UTC), tick=False) as clock:
        ann = make_account("ann", time_zone="America/New_York")
        bob = make_account("bob", **in_city("London, United Kingdom"))
        cat = make_account("cat", **in_city("Berlin"))
        dan = make_account("dan")
        eve = make_account("eve", **in_city("Paris, France"))
        account_actions.follow(bob, ann, origin="chat")
        clock.move_to(datetime(2027, 2, 10, 12, tzinfo=UTC))
        account_actions.follow(cat, ann, origin="search")
        account_actions.follow(ann, eve, origin="event")
        clock.move_to(datetime(2027, 3, 2, 12, tzinfo=UTC))
        account_actions.follow(dan, ann)
        # Wednesday 09:00 in New York, before and after the change: 14:00 UTC, then 13:00.
        say(bob, "Morning", datetime(2027, 3, 10, 14, 0, tzinfo=UTC))
        say(cat, "Morning too", datetime(2027, 3, 17, 13, 0, tzinfo=UTC))
        # Monday 20:30 in New York (EDT): a favourite and a boost.
        target = say(eve, "Paris post", datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
        clock.move_to(datetime(2027, 3, 16, 0, 30, tzinfo=UTC))
        post_actions.favourite(dan, target.pk)
        clock.move_to(datetime(2027, 3, 16, 0, 40, tzinfo=UTC))
        post_actions.boost(bob, target.pk)
        # Not counted: eve follows nobody of ann's; a direct post; a post from before the window.
        say(eve, "Eve is no follower", datetime(2027, 3, 17, 13, 0, tzinfo=UTC))
        say(bob, "@cat psst", datetime(2027, 3, 17, 13, 0, tzinfo=UTC), visibility="direct")
        say(bob, "Too old", datetime(2027, 2, 10, 14, 0, tzinfo=UTC))
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan, "eve": eve}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_heatmap_counts_followers_activity_in_the_readers_hours(community, clock):
    ann = community["ann"]
    heatmap = queries.activity_heatmap(ann, queries.account_zone(ann), now=NOW)
    busy = {
        (day, hour): n for day, row in enumerate(heatmap.grid) for hour, n in enumerate(row) if n
    }
    assert busy == {(2, 9): 2, (0, 20): 2}  # Wednesday 09:00 twice; Monday 20:00 twice
    assert [(s.label, s.count) for s in heatmap.top] == [
        ("Monday 20:00", 2),
        ("Wednesday 09:00", 2),
    ]
    monday = heatmap.top[0].next_at
    assert monday.isoformat() == "2027-03-22T20:00:00-04:00"
    assert heatmap.top[0].at_param == "2027-03-22T20:00"


def test_the_same_activity_in_another_zone_lands_in_other_hours(community, clock):
    ann = community["ann"]
    heatmap = queries.activity_heatmap(ann, ZoneInfo("Europe/Berlin"), now=NOW)
    busy = {(d, h): n for d, row in enumerate(heatmap.grid) for h, n in enumerate(row) if n}
    # Berlin was still on winter time (+1) on both Wednesdays.
    assert busy == {(2, 15): 1, (2, 14): 1, (1, 1): 2}


def test_followers_by_country_and_by_zone(community, clock):
    ann = community["ann"]
    countries = {share.label: share.count for share in queries.followers_by_country(ann)}
    assert countries == {"United Kingdom": 1, "Germany": 1, "No city on their profile": 1}
    zones = {share.label: share.count for share in queries.followers_by_zone(ann)}
    assert zones == {"Europe/London": 1, "Europe/Berlin": 1, "UTC": 1}


def test_network_growth_by_month_and_origin(community, clock):
    growth = queries.network_growth(community["ann"], now=NOW)
    labels = [f"{m:%Y-%m}" for m in growth.months]
    assert labels[-3:] == ["2027-01", "2027-02", "2027-03"]
    assert growth.total("in")[-3:] == [1, 1, 1]
    assert growth.total("out")[-3:] == [0, 1, 0]
    assert {s.key: s.count for s in growth.by_origin("in")} == {
        "chat": 1,
        "introduction": 0,
        "event": 0,
        "list": 0,
        "search": 1,
        "": 1,
    }
    assert {s.key: s.count for s in growth.by_origin("out") if s.count} == {"event": 1}


def test_the_insights_page_draws_accessible_charts_in_few_queries(
    community, clock, client_for, make_account, django_assert_max_num_queries
):
    ann = community["ann"]
    client = client_for(ann)
    client.get(reverse("insights:insights"))  # warm the gazetteer and the session
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("insights:insights"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('role="img"') == 5
    assert html.count("<desc") == 5 and html.count("<details>") >= 5
    assert "Busiest: Monday 20:00 (2), Wednesday 09:00 (2)." in html
    assert f"{reverse('insights:new')}?at=2027-03-22T20:00" in html
    assert "United Kingdom" in html and "Europe/Berlin" in html
    # Twenty more followers, each active: the same number of queries.
    for n in range(20):
        person = make_account(f"fan{n}")
        account_actions.follow(person, ann, origin="list")
        say(person, f"hello {n}", NOW - timedelta(days=1, minutes=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("insights:insights")).status_code == 200


def test_the_scheduler_link_fills_in_the_time(community, clock, client_for):
    page = client_for(community["ann"]).get(reverse("insights:new") + "?at=2027-03-22T20:00")
    assert 'value="2027-03-22T20:00"' in page.content.decode()


def test_insights_are_for_signed_in_people_only(client):
    page = client.get(reverse("insights:insights"))
    assert page.status_code == 302 and "/login" in page["Location"]


# --- A chat, for its hosts ------------------------------------------------------------------


@pytest.fixture
def edumatch(make_account):
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=UTC), tick=False):
        host = make_account("host", time_zone="America/New_York")
        return chat_actions.create_chat(host, "EduMatch", details())


def run_session(chat, host, starts: datetime, people) -> None:
    with time_machine.travel(starts - timedelta(days=1), tick=False) as clock:
        session = chat_actions.plan_session(chat, host, starts, questions=[("Hi?", 0)])
        clock.move_to(starts)
        chat_actions.set_session_state(session.pk, "live")
        chat_actions.post_question(session.questions.get().pk)
        for person in people:
            clock.shift(timedelta(minutes=1))
            post_actions.post(person, "A1 hello #EduMatch")
        clock.move_to(session.ends_at + timedelta(minutes=1))
        chat_actions.set_session_state(session.pk, "ended")


def test_chat_insights_count_sessions_and_the_best_hour_for_hosts_only(
    edumatch, make_account, client_for, django_assert_max_num_queries
):
    host = edumatch.hosts.get().account
    bob, cat, dan = (make_account(n) for n in ("bob", "cat", "dan"))
    run_session(edumatch, host, datetime(2027, 3, 3, 1, 0, tzinfo=UTC), [bob, cat])
    run_session(edumatch, host, datetime(2027, 3, 10, 1, 0, tzinfo=UTC), [bob, dan])
    with time_machine.travel(datetime(2027, 3, 12, 12, tzinfo=UTC), tick=False):
        chat_actions.follow_chat(dan, edumatch)
        say(dan, "Thursday lunch", datetime(2027, 3, 11, 17, 0, tzinfo=UTC))  # 12:00 NY (EST)
        say(dan, "Thursday lunch 2", datetime(2027, 3, 11, 17, 10, tzinfo=UTC))
        url = reverse("insights:chat", args=["edumatch"])
        assert client_for(bob).get(url).status_code == 404
        chat_page = reverse("chats:chat", args=["edumatch"])
        assert url in client_for(host).get(chat_page).content.decode()
        assert url not in client_for(bob).get(chat_page).content.decode()
        client = client_for(host)
        client.get(url)
        with django_assert_max_num_queries(14):
            page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    # Session 1: host, bob, cat (all first-timers); session 2: host, bob, dan (dan is new).
    assert "<td>3</td><td>3</td>" in html
    assert "<td>3</td><td>1</td>" in html
    assert "<strong>12:00</strong> (2 actions across the week)" in html
    assert 'role="img"' in html
