"""A list's page costs a fixed number of queries, however many posts it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from confab.curation import actions
from confab.curation.models import List
from confab.posts import actions as post_actions

pytestmark = pytest.mark.django_db


def _fill(ann, bob, cat, n: int) -> None:
    for i in range(n):
        original = post_actions.post(ann, f"Post {i} #Pedagogy @bob")
        post_actions.post(bob, f"@ann reply {i}", in_reply_to_id=original.id)
        post_actions.favourite(bob, original.id)
        tagged = post_actions.post(cat, f"cat says {i} #STEM")
        post_actions.boost(ann, tagged.id)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "members"])
@pytest.mark.parametrize("reader", ["owner", "outsider"])
def test_a_list_page_makes_the_same_number_of_queries_for_3_and_20_posts(
    ann, bob, cat, make_list, client_for, page, reader
):
    lst = make_list(bob, visibility=List.Visibility.PUBLIC)
    actions.add_member(bob, lst, ann)
    actions.add_hashtag(bob, lst, "STEM")
    client = client_for(bob if reader == "owner" else cat)
    url = reverse(f"curation:{page}", args=[lst.pk])
    _fill(ann, bob, cat, 1)  # ann's post, her boost of cat's tagged post, and that post
    three = _count(client, url)
    _fill(ann, bob, cat, 7)
    twenty = _count(client, url)
    assert three == twenty
    assert twenty <= 14


def test_home_and_hashtag_pages_stay_constant_with_followed_hashtags_and_exclusive_lists(
    ann, bob, cat, make_list, client_for
):
    actions.follow_hashtag(bob, "STEM")
    lst = make_list(bob, exclusive=True)
    actions.add_member(bob, lst, cat)
    client = client_for(bob)
    for url in (reverse("home"), reverse("hashtag", args=["stem"])):
        _fill(ann, bob, cat, 1)
        short = _count(client, url)
        _fill(ann, bob, cat, 10)
        assert _count(client, url) == short
