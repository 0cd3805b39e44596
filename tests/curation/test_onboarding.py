"""Onboarding: a newcomer picks interests, follows with one click, and leaves for a home
timeline that has posts in it, whatever they skipped."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow
from confab.chats.models import ChatFollow
from confab.curation import actions
from confab.curation.models import FollowedHashtag
from confab.posts import actions as post_actions
from confab.timelines import queries as timelines

pytestmark = pytest.mark.django_db


def test_sign_up_leads_to_onboarding(client):
    response = client.post(
        reverse("signup"),
        {"username": "maria", "email": "maria@example.org", "password": "Chalk-and-Telescopes-42"},
    )
    assert response.status_code == 302
    assert response.url == reverse("curation:welcome")
    assert client.get(response.url).status_code == 200


def test_onboarding_needs_an_account(client):
    assert client.get(reverse("curation:welcome")).status_code == 302
    assert client.post(reverse("curation:welcome_done")).status_code == 302


def test_picking_interests_and_a_time_zone(make_account, ann, client_for):
    post_actions.post(ann, "Hello #STEM")
    newcomer = make_account("newcomer")
    client = client_for(newcomer)
    page = client.get(reverse("curation:welcome")).content.decode()
    assert 'value="STEM"' in page  # used lately: offered as an interest
    response = client.post(
        reverse("curation:welcome"),
        {"interest": ["STEM"], "interests": "#EduMatch, Art", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302
    assert response.url == reverse("curation:welcome_follow")
    newcomer.refresh_from_db()
    assert newcomer.time_zone == "Europe/Paris"
    assert sorted(newcomer.interests.values_list("name", flat=True)) == ["art", "edumatch", "stem"]


def test_bad_interests_and_zones_are_refused_with_422(make_account, client_for):
    client = client_for(make_account("newcomer"))
    response = client.post(
        reverse("curation:welcome"), {"interests": "not-one", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not hashtags: not-one" in page
    assert "not a time zone we know" in page


@pytest.fixture
def community(ann, bob, cat, make_account, make_chat, make_kit):
    """ann shares #STEM and hosts a chat about it; cat posts #Art; a featured kit."""
    actions.set_interests(ann, ["STEM"])
    actions.set_interests(cat, ["Art"])
    post_actions.post(ann, "Pendulums today #STEM")
    post_actions.post(cat, "Watercolours #Art")
    chat = make_chat(ann, "SciChat", interests=["STEM"], time_zone="America/Los_Angeles")
    kit = make_kit(ann, "Science starters")
    actions.add_kit_person(ann, kit, ann)
    actions.add_kit_hashtag(ann, kit, "STEM")
    admin = make_account("admin")
    account_actions.make_admin(admin)
    actions.set_kit_featured(admin, kit, True)
    return {"chat": chat, "kit": kit}


def test_suggestions_follow_the_interests_and_show_the_next_session_in_my_zone(
    community, make_account, client_for
):
    newcomer = make_account("newcomer")
    actions.set_interests(newcomer, ["STEM"], "Europe/Paris")
    with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        page = client_for(newcomer).get(reverse("curation:welcome_follow")).content.decode()
    assert "Science starters" in page
    assert "#SciChat" in page
    # Tuesday 8 pm in Los Angeles is Wednesday 5 am in Paris (before the clocks change).
    assert "Wednesday 3 March 2027, 05:00" in page
    assert "Europe/Paris" in page
    assert "Follow Ann Author" in page
    assert "Follow Cat Outsider" not in page  # no shared interest
    assert "Follow #STEM" in page


def test_blocked_people_are_not_suggested(community, make_account, client_for, ann):
    newcomer = make_account("newcomer")
    actions.set_interests(newcomer, ["STEM"])
    account_actions.block(ann, newcomer)
    page = client_for(newcomer).get(reverse("curation:welcome_follow")).content.decode()
    assert "Follow Ann Author" not in page


def test_one_click_follows_a_person_a_hashtag_and_a_chat(community, make_account, client_for, ann):
    newcomer = make_account("newcomer")
    client = client_for(newcomer)
    url = reverse("curation:welcome_one", args=["person"])
    response = client.post(url, {"id": ann.pk})
    assert response.status_code == 302
    assert Follow.objects.filter(source=newcomer, target=ann).exists()
    response = client.post(
        reverse("curation:welcome_one", args=["hashtag"]), {"id": "Art"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "You follow #Art" in response.content.decode()
    assert FollowedHashtag.objects.filter(account=newcomer, hashtag__name="art").exists()
    client.post(reverse("curation:welcome_one", args=["chat"]), {"id": community["chat"].pk})
    assert ChatFollow.objects.filter(account=newcomer, chat=community["chat"]).exists()
    assert (
        client.post(reverse("curation:welcome_one", args=["nonsense"]), {"id": "1"}).status_code
        == 404
    )


def test_leaving_after_skipping_everything_still_gives_a_home_with_posts(
    community, make_account, client_for
):
    newcomer = make_account("newcomer")
    client = client_for(newcomer)
    assert not timelines.home(newcomer).exists()
    response = client.post(reverse("curation:welcome_done"), follow=True)
    assert response.status_code == 200
    assert response.context["page"].items, "the home timeline is empty"
    assert "So your home timeline is not empty" in response.content.decode()


def test_leaving_with_interests_follows_them_when_nothing_else_fills_home(
    community, make_account, client_for
):
    newcomer = make_account("newcomer")
    actions.set_interests(newcomer, ["Art"])
    client_for(newcomer).post(reverse("curation:welcome_done"))
    assert list(
        FollowedHashtag.objects.filter(account=newcomer).values_list("hashtag__name", flat=True)
    ) == ["art"]
    assert [p.text for p in timelines.home(newcomer)] == ["Watercolours #Art"]


def test_leaving_after_following_someone_adds_nothing(community, make_account, client_for, ann):
    newcomer = make_account("newcomer")
    account_actions.follow(newcomer, ann)
    client_for(newcomer).post(reverse("curation:welcome_done"))
    assert not FollowedHashtag.objects.filter(account=newcomer).exists()


def test_following_a_featured_kit_from_onboarding_returns_there(
    community, make_account, client_for, ann
):
    newcomer = make_account("newcomer")
    client = client_for(newcomer)
    page = client.get(reverse("curation:welcome_follow")).content.decode()
    follow_url = reverse("curation:follow_kit", args=[community["kit"].pk])
    assert f"{follow_url}?next=/welcome/follow" in page
    response = client.post(
        follow_url,
        {"person": [ann.pk], "next": "/welcome/follow"},
    )
    assert response.status_code == 302 and response.url == "/welcome/follow"
    assert Follow.objects.filter(source=newcomer, target=ann).exists()


def test_the_suggestions_page_costs_the_same_queries_however_many_suggestions(
    community, make_account, make_chat, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    newcomer = make_account("newcomer")
    actions.set_interests(newcomer, ["STEM"])
    client = client_for(newcomer)
    url = reverse("curation:welcome_follow")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    few = len(queries)
    for n in range(6):
        person = make_account(f"teacher{n}")
        actions.set_interests(person, ["STEM"])
        post_actions.post(person, f"Lab {n} #STEM")
        make_chat(person, f"Chat{n}", interests=["STEM"])
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
