"""The visibility matrix: who sees which post, on every surface built so far.

ann posts at each visibility level. bob follows her, dan is mentioned, cat is an outsider,
eve is blocked by ann, and the anonymous reader is signed out.
"""

import pytest
from django.test import Client
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions
from confab.posts.models import Visibility
from confab.posts.visibility import can_see

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(ann, bob, cat, make_account):
    dan = make_account("dan")
    eve = make_account("eve")
    account_actions.follow(eve, ann)
    account_actions.block(ann, eve)
    posts = {
        level: post_actions.post(ann, f"{level} thoughts about #Pedagogy @dan", visibility=level)
        for level in Visibility.values
    }
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan, "eve": eve, "posts": posts}


# Which readers may open each post: thread page, profile, and the can_see check agree.
MAY_SEE = {
    Visibility.PUBLIC: {"anon", "ann", "bob", "cat", "dan"},
    Visibility.UNLISTED: {"anon", "ann", "bob", "cat", "dan"},
    Visibility.PRIVATE: {"ann", "bob", "dan"},
    Visibility.DIRECT: {"ann", "dan"},
}
READERS = ["anon", "ann", "bob", "cat", "dan", "eve"]


def _client(cast, reader, client_for):
    return Client() if reader == "anon" else client_for(cast[reader])


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("level", Visibility.values)
def test_it_shows_a_post_page_only_to_those_who_may_see_it(cast, client_for, reader, level):
    post = cast["posts"][level]
    response = _client(cast, reader, client_for).get(post.get_absolute_url())
    allowed = reader in MAY_SEE[level]
    assert response.status_code == (200 if allowed else 404)
    viewer = None if reader == "anon" else cast[reader]
    assert can_see(viewer, post) is allowed


@pytest.mark.parametrize("reader", READERS)
def test_it_lists_on_the_profile_only_what_the_reader_may_see(cast, client_for, reader):
    response = _client(cast, reader, client_for).get(reverse("profile", args=["ann"]))
    if reader == "eve":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    for level, post in cast["posts"].items():
        assert (f'id="post-{post.id}"' in body) is (reader in MAY_SEE[level]), level


@pytest.mark.parametrize("reader", READERS)
def test_it_lists_only_public_posts_on_local_and_hashtag_timelines(cast, client_for, reader):
    client = _client(cast, reader, client_for)
    for url in (reverse("local"), reverse("hashtag", args=["pedagogy"])):
        body = client.get(url).content.decode()
        for level, post in cast["posts"].items():
            expected = level == Visibility.PUBLIC and reader != "eve"
            assert (f'id="post-{post.id}"' in body) is expected, (url, level)


def test_it_shows_home_posts_by_visibility(cast, client_for):
    expected = {
        "ann": set(Visibility.values),
        "bob": {Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE},
    }
    for reader, levels in expected.items():
        body = client_for(cast[reader]).get(reverse("home")).content.decode()
        for level, post in cast["posts"].items():
            assert (f'id="post-{post.id}"' in body) is (level in levels), (reader, level)


def test_it_refuses_interactions_with_posts_the_reader_cannot_see(cast, client_for):
    client = client_for(cast["cat"])
    private = cast["posts"][Visibility.PRIVATE]
    for name in ("favourite", "boost", "bookmark"):
        response = client.post(reverse(name, args=[private.id]))
        assert response.status_code == 404
    assert not private.favourites.exists()
    assert not private.bookmarks.exists()


def test_it_hides_bookmarks_the_reader_can_no_longer_see(cast, client_for):
    bob = cast["bob"]
    private = cast["posts"][Visibility.PRIVATE]
    post_actions.bookmark(bob, private.id)
    client = client_for(bob)
    assert f'id="post-{private.id}"' in client.get(reverse("bookmarks")).content.decode()
    account_actions.unfollow(bob, cast["ann"])
    assert f'id="post-{private.id}"' not in client.get(reverse("bookmarks")).content.decode()


def test_it_keeps_a_blocked_persons_boosts_out_of_feeds(cast, client_for, make_account):
    # cat boosts ann's public post; eve follows cat but ann blocked eve: eve must not see it.
    cat, eve = cast["cat"], cast["eve"]
    account_actions.follow(eve, cat)
    public = cast["posts"][Visibility.PUBLIC]
    boost = post_actions.boost(cat, public.id)
    body = client_for(eve).get(reverse("home")).content.decode()
    assert f'id="post-{boost.id}"' not in body
    body = client_for(eve).get(reverse("profile", args=["cat"])).content.decode()
    assert f'id="post-{boost.id}"' not in body


def test_it_keeps_muted_people_out_of_feeds_but_not_off_their_profile(cast, client_for):
    bob, ann = cast["bob"], cast["ann"]
    public = cast["posts"][Visibility.PUBLIC]
    account_actions.mute(bob, ann)
    client = client_for(bob)
    for url in (reverse("home"), reverse("local"), reverse("hashtag", args=["pedagogy"])):
        assert f'id="post-{public.id}"' not in client.get(url).content.decode(), url
    assert f'id="post-{public.id}"' in client.get(reverse("profile", args=["ann"])).content.decode()
    assert client.get(public.get_absolute_url()).status_code == 200


def test_it_hides_replies_the_reader_cannot_see_inside_a_visible_thread(cast, client_for):
    ann, bob, cat = cast["ann"], cast["bob"], cast["cat"]
    public = cast["posts"][Visibility.PUBLIC]
    secret_reply = post_actions.post(
        bob, "@ann just for my followers", visibility=Visibility.PRIVATE, in_reply_to_id=public.id
    )
    body = client_for(cat).get(public.get_absolute_url()).content.decode()
    assert f'id="post-{secret_reply.id}"' not in body
    body = client_for(ann).get(public.get_absolute_url()).content.decode()
    assert f'id="post-{secret_reply.id}"' in body


def test_it_does_not_let_a_blocked_person_reply(cast):
    from django.http import Http404

    with pytest.raises(Http404):
        post_actions.post(cast["eve"], "hi", in_reply_to_id=cast["posts"][Visibility.PUBLIC].id)
