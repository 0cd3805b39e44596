"""Favourites, boosts and bookmarks: what people do to a post, with and without htmx.

ann writes, bob follows ann and reacts to her posts, cat is an outsider who gets a 404 for
what she may not see, and dan follows only bob, so he sees ann's post when bob boosts it.
"""

import re

import pytest
from django.core.exceptions import ValidationError

from confab.accounts import actions as account_actions
from confab.posts import actions
from confab.posts.models import Bookmark, Favourite, Post, Visibility

HTMX = {"HX-Request": "true"}


def press(client, post: Post, action: str, *, htmx: bool = False, next: str = ""):
    data = {"next": next or post.get_absolute_url()}
    return client.post(f"/posts/{post.id}/{action}", data, headers=HTMX if htmx else {})


def buttons(html: str) -> dict[str, bool]:
    """Map each action button's words ("Favourited 1") to whether it shows as pressed."""
    found = re.findall(r'<button[^>]*aria-pressed="(true|false)"[^>]*>(.*?)</button>', html, re.S)
    return {
        " ".join(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", label))): pressed == "true"
        for pressed, label in found
    }


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


@pytest.fixture
def dan(make_account, bob):
    dan = make_account("dan", display_name="Dan Reader")
    account_actions.follow(dan, bob)
    return dan


# --- Favourites ---------------------------------------------------------------------------


def test_it_favourites_and_goes_back(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")

    response = press(client_for(bob), post, "favourite", next="/local")

    assert response.status_code == 302
    assert response["Location"] == "/local"
    assert fresh(post).favourites_count == 1
    assert Favourite.objects.filter(account=bob, post=post).exists()


def test_it_counts_a_favourite_once(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)

    press(client, post, "favourite")
    press(client, post, "favourite")

    assert fresh(post).favourites_count == 1
    assert Favourite.objects.filter(post=post).count() == 1


def test_it_unfavourites_without_going_below_zero(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)
    press(client, post, "favourite")

    press(client, post, "unfavourite")
    press(client, post, "unfavourite")

    assert fresh(post).favourites_count == 0
    assert not Favourite.objects.exists()


def test_it_swaps_in_the_action_bar_for_htmx(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)

    response = press(client, post, "favourite", htmx=True)

    assert response.status_code == 200
    assert response.text.startswith(f'<div class="post-actions" id="actions-{post.id}">')
    assert "<html" not in response.text
    # The button now undoes it.
    assert f'action="/posts/{post.id}/unfavourite"' in response.text
    assert buttons(response.text)["Favourited 1"] is True

    undone = press(client, post, "unfavourite", htmx=True)
    assert buttons(undone.text)["Favourite 0"] is False
    assert f'action="/posts/{post.id}/favourite"' in undone.text


def test_it_ignores_a_next_that_leaves_the_site(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")

    response = press(client_for(bob), post, "favourite", next="//evil.example/")

    assert response["Location"] == "/"


def test_it_sends_signed_out_people_to_log_in(ann, make_post, client):
    post = make_post(ann, "Q1 is up")

    response = press(client, post, "favourite")

    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert fresh(post).favourites_count == 0


# --- Boosts -------------------------------------------------------------------------------


def test_it_boosts_once_and_unboosts(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)

    assert press(client, post, "boost").status_code == 302
    press(client, post, "boost")
    assert fresh(post).boosts_count == 1
    assert Post.objects.filter(account=bob, boost_of=post).count() == 1

    press(client, post, "unboost")
    press(client, post, "unboost")
    assert fresh(post).boosts_count == 0
    assert not Post.objects.filter(boost_of=post).exists()


def test_it_shows_a_boost_in_the_action_bar(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")

    response = press(client_for(bob), post, "boost", htmx=True)

    assert response.status_code == 200
    assert buttons(response.text)["Boosted 1"] is True
    assert f'action="/posts/{post.id}/unboost"' in response.text


def test_it_refuses_to_boost_someone_elses_followers_only_post(ann, bob, make_post, client_for):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)
    client = client_for(bob)

    plain = press(client, secret, "boost", next="/local")
    assert plain.status_code == 302
    shown = client.get(plain["Location"])
    assert "Only public and unlisted posts can be boosted." in shown.text

    htmx = press(client, secret, "boost", htmx=True)
    assert htmx.status_code == 422
    assert "Only public and unlisted posts can be boosted." in htmx.text

    assert not Post.objects.filter(boost_of=secret).exists()
    assert fresh(secret).boosts_count == 0


def test_it_lets_an_author_boost_her_own_followers_only_post(ann, make_post):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)

    boosted = actions.boost(ann, secret.id)

    assert boosted.boost_of == secret
    assert boosted.visibility == Visibility.PRIVATE


def test_it_refuses_to_boost_a_direct_post(ann, bob, make_post):
    direct = make_post(ann, "Just for @bob", visibility=Visibility.DIRECT)

    with pytest.raises(ValidationError):
        actions.boost(bob, direct.id)
    assert not Post.objects.filter(boost_of=direct).exists()


@pytest.mark.parametrize("action", ["favourite", "boost", "bookmark", "unfavourite", "unboost"])
def test_it_hides_a_followers_only_post_from_the_outsider(
    ann, bob, cat, make_post, client_for, action
):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)
    client = client_for(cat)

    assert press(client, secret, action).status_code == 404
    assert press(client, secret, action, htmx=True).status_code == 404
    assert not Favourite.objects.exists()
    assert not Bookmark.objects.exists()
    assert not Post.objects.filter(boost_of=secret).exists()
    assert fresh(secret).favourites_count == 0


def test_it_shows_a_boost_on_the_boosters_profile(ann, bob, make_post, client_for, client):
    post = make_post(ann, "Q1 is up")
    press(client_for(bob), post, "boost")

    page = client.get("/@bob")

    assert "Q1 is up" in page.text
    assert "boosted" in page.text


def test_it_puts_a_boost_in_the_followers_home_timeline_once(ann, bob, dan, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    bobs = client_for(bob)
    press(bobs, post, "boost")
    press(bobs, post, "boost")

    items = client_for(dan).get("/").context["page"].items

    assert [(item.face.booster, item.face.shown_id) for item in items] == [
        (("bob", bob.name), post.id)
    ]


def test_it_resolves_a_boost_of_a_boost_to_the_original(ann, bob, dan, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    bobs_boost = actions.boost(bob, post.id)

    press(client_for(dan), bobs_boost, "boost")
    press(client_for(dan), bobs_boost, "favourite")

    dans_boost = Post.objects.get(account=dan)
    assert dans_boost.boost_of == post
    assert fresh(post).boosts_count == 2
    assert fresh(post).favourites_count == 1
    assert fresh(bobs_boost).boosts_count == 0


def test_it_removes_the_boost_when_unboosting_through_a_boost(ann, bob, make_post):
    post = make_post(ann, "Q1 is up")
    boosted = actions.boost(bob, post.id)

    actions.unboost(bob, boosted.id)

    assert not Post.objects.filter(pk=boosted.pk).exists()
    assert fresh(post).boosts_count == 0


# --- Bookmarks ----------------------------------------------------------------------------


def test_it_bookmarks_and_unbookmarks(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)

    press(client, post, "bookmark")
    press(client, post, "bookmark")
    assert Bookmark.objects.filter(account=bob, post=post).count() == 1
    assert "Q1 is up" in client.get("/bookmarks").text

    press(client, post, "unbookmark")
    press(client, post, "unbookmark")
    assert not Bookmark.objects.exists()


def test_it_shows_a_bookmark_in_the_action_bar(ann, bob, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    client = client_for(bob)

    done = press(client, post, "bookmark", htmx=True)
    assert buttons(done.text)["Bookmarked"] is True
    assert f'action="/posts/{post.id}/unbookmark"' in done.text

    undone = press(client, post, "unbookmark", htmx=True)
    assert buttons(undone.text)["Bookmark"] is False


def test_it_keeps_bookmarks_private(ann, bob, cat, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    press(client_for(bob), post, "bookmark")

    assert "Q1 is up" not in client_for(cat).get("/bookmarks").text
