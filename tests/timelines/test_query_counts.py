"""Every timeline page costs a fixed number of queries, however many posts it shows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions
from confab.posts.models import Visibility

pytestmark = pytest.mark.django_db


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def _fill(ann, bob, cat, n: int) -> None:
    """Give the feeds `n` rounds of varied posts: tags, mentions, replies, boosts, images."""
    for i in range(n):
        original = post_actions.post(
            ann,
            f"Post {i} #Pedagogy @bob https://example.org/{i}",
            media=[post_actions.Upload(_png(), "a teal square")] if i % 3 == 0 else (),
        )
        post_actions.post(bob, f"@ann reply {i} #Pedagogy", in_reply_to_id=original.id)
        post_actions.favourite(bob, original.id)
        post_actions.bookmark(bob, original.id)
        boosted = post_actions.post(cat, f"cat says {i} #Pedagogy", visibility=Visibility.PUBLIC)
        post_actions.boost(ann, boosted.id)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("home", ()),
    ("local", ()),
    ("hashtag", ("pedagogy",)),
    ("bookmarks", ()),
    ("profile", ("ann",)),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_it_makes_the_same_number_of_queries_for_a_short_and_a_full_page(
    ann, bob, cat, client_for, name, args
):
    account_actions.follow(bob, cat)
    client = client_for(bob)
    url = reverse(name, args=args)
    _fill(ann, bob, cat, 1)
    short = _count(client, url)
    _fill(ann, bob, cat, 12)
    full = _count(client, url)
    assert full == short
    # A page is a handful of queries: session, user, account, the page, media prefetches,
    # plus the page's own extras (a hashtag lookup, profile counters…).
    assert full <= 16
