"""Timelines page newest first by id, 20 a page, the way Mastodon's API does."""

import pytest
from django.urls import reverse

from confab.posts import actions as post_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_posts(ann):
    return [post_actions.post(ann, f"Post number {n} #Paging") for n in range(30)]


def _ids(response) -> list[int]:
    return [post.id for post in response.context["page"].items]


def test_it_pages_newest_first_with_max_id(client, thirty_posts):
    newest_first = [p.id for p in reversed(thirty_posts)]
    first = client.get(reverse("local"))
    assert _ids(first) == newest_first[:20]
    older = first.context["page"].older["max_id"]
    second = client.get(reverse("local"), {"max_id": older})
    assert _ids(second) == newest_first[20:]
    assert second.context["page"].older == {}
    assert second.context["page"].newer == {"min_id": newest_first[20]}


def test_it_pages_newer_posts_with_min_id_and_since_id(client, thirty_posts):
    ids = [p.id for p in thirty_posts]
    just_newer = client.get(reverse("local"), {"min_id": ids[4]})
    assert _ids(just_newer) == list(reversed(ids[5:25]))
    newest = client.get(reverse("local"), {"since_id": ids[24]})
    assert _ids(newest) == list(reversed(ids[25:]))


@pytest.mark.parametrize("value", ["abc", "-1", "1e9", "9" * 40, "", "'; DROP TABLE"])
def test_it_ignores_paging_ids_that_are_not_ids(client, thirty_posts, value):
    response = client.get(reverse("local"), {"max_id": value, "since_id": value})
    assert response.status_code == 200
    assert len(_ids(response)) == 20


def test_it_answers_a_hashtag_that_is_not_one_with_404(client):
    assert client.get("/tags/not-a-tag").status_code == 404
    assert client.get(reverse("hashtag", args=["NeverUsedYet"])).status_code == 302
    assert client.get(reverse("hashtag", args=["neverusedyet"])).status_code == 200


def test_it_refuses_a_request_body_over_the_limit(ann, client_for):
    client = client_for(ann)
    response = client.post(reverse("compose"), {"text": "x" * 2_700_000, "visibility": "public"})
    assert response.status_code == 400
    assert not ann.posts.exists()
