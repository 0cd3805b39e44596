"""Mutual connections on a profile: "Followed by Ann, Bob and 3 others you follow"."""

import pytest
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.accounts.queries import followed_by_people_you_follow, followers_you_know


@pytest.fixture
def circle(make_account):
    """Viv follows six people; five of them (and two strangers) follow Tom."""
    viv = make_account("viv", display_name="Viv Viewer")
    tom = make_account("tom", display_name="Tom Target")
    friends = [make_account(f"friend{n}", display_name=f"Friend {n}") for n in range(6)]
    for friend in friends:
        account_actions.follow(viv, friend)
    for friend in friends[:5]:
        account_actions.follow(friend, tom)
    for n in range(2):
        account_actions.follow(make_account(f"stranger{n}"), tom)
    # Friend 2 is the best known, so named first.
    for n in range(3):
        account_actions.follow(make_account(f"fan{n}"), friends[2])
    return viv, tom, friends


def test_names_a_few_people_you_follow_and_counts_the_rest(circle):
    viv, tom, friends = circle
    named, total = followed_by_people_you_follow(viv, tom)
    assert total == 5
    assert named[0] == friends[2]
    assert len(named) == 3 and set(named) <= set(friends[:5])
    assert set(followers_you_know(viv, tom)) == set(friends[:5])


def test_blocks_either_way_leave_people_out(circle):
    viv, tom, friends = circle
    account_actions.block(viv, friends[0])
    account_actions.block(friends[1], viv)
    named, total = followed_by_people_you_follow(viv, tom)
    assert total == 3
    assert friends[0] not in named and friends[1] not in named
    assert set(followers_you_know(viv, tom)) == set(friends[2:5])


def test_only_a_signed_in_viewer_sees_them_and_never_on_their_own_profile(circle):
    viv, tom, _ = circle
    assert followed_by_people_you_follow(None, tom) == ([], 0)
    assert followed_by_people_you_follow(tom, tom) == ([], 0)
    assert followed_by_people_you_follow(viv, viv)[1] == 0


def test_the_profile_says_it_and_links_the_full_list(circle, client_for, client):
    viv, _, _ = circle
    page = client_for(viv).get(reverse("profile", args=["tom"]))
    text = page.content.decode()
    assert "Followed by" in text and "Friend 2" in text
    assert "and 2 others you follow." in text
    full = reverse("followers", args=["tom"]) + "?known=1"
    assert full in text
    listed = client_for(viv).get(full).content.decode()
    assert all(f"@friend{n}" in listed for n in range(5))
    assert "@stranger0" not in listed
    assert "Followed by" not in client.get(reverse("profile", args=["tom"])).content.decode()


def test_a_short_list_reads_naturally(make_account, client_for):
    viv, tom = make_account("viv"), make_account("tom")
    one, two = make_account("one", display_name="One"), make_account("two", display_name="Two")
    for friend in (one, two):
        account_actions.follow(viv, friend)
        account_actions.follow(friend, tom)
    text = client_for(viv).get(reverse("profile", args=["tom"])).content.decode()
    assert "Followed by" in text and "others you follow" not in text
    assert '">One</a> and <a' in text or '">Two</a> and <a' in text


def test_it_costs_one_query_however_many_there_are(circle, django_assert_num_queries):
    viv, tom, _ = circle
    with django_assert_num_queries(1):
        followed_by_people_you_follow(viv, tom)


def test_the_profile_page_query_count_does_not_grow_with_mutuals(
    circle, make_account, client_for, django_assert_max_num_queries
):
    viv, tom, _ = circle
    client = client_for(viv)
    client.get(reverse("profile", args=["tom"]))
    for n in range(10):
        more = make_account(f"more{n}")
        account_actions.follow(viv, more)
        account_actions.follow(more, tom)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("profile", args=["tom"]))
    assert "and 12 others you follow." in response.content.decode()
