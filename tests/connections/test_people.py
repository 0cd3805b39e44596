"""People worth meeting: the reasons for a crafted small community, exclusions, the page.

The community around maya:
- carl and maya both answered Q3 in #EduMatch (a live room);
- dora is followed by five people maya follows;
- eli shares maya's interests #STEM and #FlipGrid;
- fay lives in Austin like maya;
- kim replied to, favourited and mentioned maya (three interactions);
- gus answered Q3 too but maya follows him; hal answered too but blocked maya; ida answered
  too but maya muted her; jon answered too but maya dismissed him.
"""

import pytest
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.accounts.actions import ProfileChanges
from confab.chats.models import RoomEntry
from confab.connections.models import Recommendation
from confab.connections.people import actions, queries, refresh
from confab.posts import actions as post_actions
from confab.worker.models import Job
from tests.chats.conftest import live_session


def set_profile(account, interests=(), city=""):
    account_actions.update_profile(
        account,
        ProfileChanges(
            display_name=account.display_name,
            note="",
            city=city,
            time_zone="UTC",
            interests=list(interests),
            links=[],
            locked=False,
        ),
    )


@pytest.fixture
def community(make_account):
    people = {
        name: make_account(name, display_name=name.capitalize())
        for name in [
            "maya",
            "hana",
            "carl",
            "dora",
            "eli",
            "fay",
            "gus",
            "hal",
            "ida",
            "jon",
            "kim",
        ]
    }
    session = live_session(
        people["hana"], "EduMatch", questions=[("Q1?", 0), ("Q2?", 1), ("Q3?", 2)]
    )
    for name in ["maya", "carl", "gus", "hal", "ida", "jon"]:
        post_actions.post(people[name], f"A3 labs every week #EduMatch (from {name})")
    assert RoomEntry.objects.filter(session=session, question=3).count() == 6
    for n in range(5):
        friend = make_account(f"friend{n}")
        account_actions.follow(people["maya"], friend)
        account_actions.follow(friend, people["dora"])
    set_profile(people["maya"], ["STEM", "FlipGrid"], "Austin, Texas")
    set_profile(people["eli"], ["STEM", "FlipGrid"])
    set_profile(people["fay"], [], "Austin, Texas")
    hello = post_actions.post(people["maya"], "Hello, new here")
    post_actions.post(people["kim"], "Welcome!", in_reply_to_id=hello.pk)
    post_actions.favourite(people["kim"], hello.pk)
    post_actions.post(people["kim"], "Say hi to @maya")
    account_actions.follow(people["maya"], people["gus"])
    account_actions.block(people["hal"], people["maya"])
    account_actions.mute(people["maya"], people["ida"])
    actions.dismiss(people["maya"], people["jon"])
    return people


def reasons_by_name(viewer):
    return {s.account.username: s.reasons for s in queries.recommendations(viewer)}


@pytest.mark.parametrize("how", ["everyone", "person"])
def test_reasons_for_a_crafted_community(community, how):
    maya = community["maya"]
    if how == "everyone":
        refresh.refresh_everyone()
    else:
        refresh.refresh_person(maya)
    reasons = reasons_by_name(maya)
    assert "you both answered Q3 in #EduMatch" in reasons["carl"]
    assert reasons["dora"] == ["followed by 5 people you follow"]
    # (#stem was first written in lower case by the chat's interests.)
    assert [r.lower() for r in reasons["eli"]] in (
        ["both follow #stem and #flipgrid"],
        ["both follow #flipgrid and #stem"],
    )
    assert reasons["fay"] == ["both in Austin"]
    assert reasons["kim"] == ["you've talked 3 times"]
    # Followed, blocked either way, muted, dismissed and herself: never offered.
    for name in ["gus", "hal", "ida", "jon", "maya"]:
        assert name not in reasons
    # Ranked by score: three interactions (3 x 2), five in common (5), an answer and a
    # room (3 + 1), two hashtags (2 x 1.5), a city (2).
    assert list(reasons) == ["kim", "dora", "carl", "eli", "fay"]


def test_dismissed_stays_gone_after_a_refresh(community):
    maya, carl = community["maya"], community["carl"]
    refresh.refresh_everyone()
    actions.dismiss(maya, carl)
    assert "carl" not in reasons_by_name(maya)
    refresh.refresh_everyone()
    refresh.refresh_person(maya)
    assert not Recommendation.objects.filter(account=maya, candidate=carl).exists()


def test_a_block_after_the_refresh_hides_them_at_once(community):
    maya, carl = community["maya"], community["carl"]
    refresh.refresh_everyone()
    account_actions.block(carl, maya)
    assert "carl" not in reasons_by_name(maya)


@pytest.mark.parametrize("how", ["everyone", "person"])
def test_a_newcomer_with_no_graph_gets_people_from_interests(community, make_account, how):
    nia = make_account("nia")
    set_profile(nia, ["FlipGrid"])
    if how == "everyone":
        refresh.refresh_everyone()
    else:
        refresh.refresh_person(nia)
    reasons = reasons_by_name(nia)
    assert reasons["eli"] == ["both follow #FlipGrid"]
    assert reasons["maya"] == ["both follow #FlipGrid"]


def test_following_enqueues_a_refresh_that_the_worker_runs(community, make_account):
    maya, dora = community["maya"], community["dora"]
    Job.objects.all().delete()
    account_actions.follow(maya, dora)
    job = Job.objects.get(kind="connections.refresh_person")
    assert job.payload == {"account": maya.pk}
    from confab.connections import jobs

    jobs.refresh_person(job)
    assert "dora" not in reasons_by_name(maya)
    assert "carl" in reasons_by_name(maya)
    # The first refresh plans the nightly full one.
    assert Job.objects.filter(kind="connections.refresh_all").count() == 1


def test_interests_and_room_posts_enqueue_refreshes(community, django_capture_on_commit_callbacks):
    Job.objects.all().delete()
    set_profile(community["eli"], ["STEM"])
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.post(community["fay"], "A1 hello #EduMatch")
        post_actions.post(community["gus"], "Not in any room")
    payloads = {j.payload["account"] for j in Job.objects.filter(kind="connections.refresh_person")}
    assert payloads == {community["eli"].pk, community["fay"].pk}


def test_the_page_lists_reasons_in_few_queries(
    community, client_for, django_assert_max_num_queries
):
    maya = community["maya"]
    refresh.refresh_everyone()
    client = client_for(maya)
    client.get(reverse("connections:people"))  # the session settles on the first request
    with django_assert_max_num_queries(12):
        response = client.get(reverse("connections:people"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You both answered Q3 in #EduMatch" in page
    assert "Followed by 5 people you follow" in page
    assert "Jon" not in page


def test_dismiss_and_follow_from_the_page_without_javascript(community, client_for):
    maya, carl, dora = community["maya"], community["carl"], community["dora"]
    refresh.refresh_everyone()
    client = client_for(maya)
    response = client.post(
        reverse("connections:dismiss", args=["carl"]), {"next": reverse("connections:people")}
    )
    assert response.status_code == 302
    response = client.post(reverse("follow", args=["dora"]), {"next": "/people"})
    assert response.status_code == 302
    page = client.get(reverse("connections:people")).content.decode()
    assert "@carl" not in page and "@dora" not in page
    assert maya.following_set.filter(target=dora).exists()
    assert not maya.following_set.filter(target=carl).exists()


def test_dismiss_with_htmx_returns_the_list(community, client_for):
    refresh.refresh_everyone()
    client = client_for(community["maya"])
    response = client.post(reverse("connections:dismiss", args=["carl"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="people-list"' in response.content.decode()


def test_people_page_needs_a_login_and_dismissing_a_blocker_is_404(community, client):
    assert client.get(reverse("connections:people")).status_code == 302
    from django.test import Client

    maya_client = Client()
    maya_client.force_login(community["maya"].user)
    # hal blocked maya: to her he does not exist.
    response = maya_client.post(reverse("connections:dismiss", args=["hal"]))
    assert response.status_code == 404


def test_suggested_introductions_pair_connections_who_should_meet(community, make_account):
    maya, carl = community["maya"], community["carl"]
    olga = make_account("olga", display_name="Olga")
    for person in (maya, carl):
        account_actions.follow(olga, person)
        account_actions.follow(person, olga)
    refresh.refresh_everyone()
    pairs = queries.suggested_introductions(olga)
    assert [(p.first.username, p.second.username) for p in pairs][:1] in (
        [("maya", "carl")],
        [("carl", "maya")],
    )
    assert "both answered Q3 in #EduMatch" in pairs[0].reasons


def test_the_full_refresh_command_and_nightly_job(community):
    from io import StringIO

    from django.core.management import call_command

    from confab.connections import jobs

    out = StringIO()
    call_command("recommendations", stdout=out)
    assert "Stored" in out.getvalue()
    assert "carl" in reasons_by_name(community["maya"])
    call_command("recommendations", "--person", "maya", stdout=out)
    job = jobs.schedule_nightly()
    assert jobs.schedule_nightly() == job  # one per night
    Recommendation.objects.all().delete()
    jobs.refresh_all(job)
    assert "carl" in reasons_by_name(community["maya"])


def test_deactivated_people_drop_out_at_once(community):
    maya, carl = community["maya"], community["carl"]
    refresh.refresh_everyone()
    carl.user.is_active = False
    carl.user.save()
    assert "carl" not in reasons_by_name(maya)


def test_page_queries_do_not_grow_with_suggestions(
    community, make_account, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    maya = community["maya"]
    refresh.refresh_everyone()
    client = client_for(maya)
    client.get(reverse("connections:people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("connections:people"))
    for n in range(12):
        person = make_account(f"stem{n}")
        set_profile(person, ["STEM"], "Austin, Texas")
    refresh.refresh_everyone()
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("connections:people")).content.decode()
    assert page.count('class="suggestion"') == 17
