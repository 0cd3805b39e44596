"""Followed hashtags fill the home timeline; featured hashtags show on a profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from confab.curation import actions
from confab.curation.models import FeaturedHashtag, FollowedHashtag
from confab.posts.models import Hashtag, Visibility
from confab.timelines import queries as feeds

pytestmark = pytest.mark.django_db


def _ids(rows) -> list[int]:
    return [post.id for post in rows.order_by("-id")]


def test_a_followed_hashtags_public_posts_enter_home(ann, bob, cat, make_post):
    actions.follow_hashtag(bob, "#ScienceLab")
    tagged = make_post(cat, "Titration day #sciencelab")
    make_post(cat, "Quiet one #ScienceLab", visibility=Visibility.UNLISTED)
    make_post(cat, "No tag here")
    from_ann = make_post(ann, "From a followed person")
    assert _ids(feeds.home(bob)) == [from_ann.id, tagged.id]

    actions.unfollow_hashtag(bob, Hashtag.objects.get(name="sciencelab"))
    assert _ids(feeds.home(bob)) == [from_ann.id]


def test_a_post_matching_a_followed_person_and_a_followed_hashtag_shows_once(ann, bob, make_post):
    actions.follow_hashtag(bob, "EduMatch")
    actions.follow_hashtag(bob, "STEM")
    both = make_post(ann, "Tonight #EduMatch #STEM")
    assert _ids(feeds.home(bob)) == [both.id]


def test_followed_hashtags_respect_blocks_and_mutes(ann, bob, cat, make_account, make_post):
    from confab.accounts import actions as account_actions

    dan = make_account("dan")
    actions.follow_hashtag(bob, "EduMatch")
    make_post(cat, "blocked #EduMatch")
    make_post(dan, "muted #EduMatch")
    account_actions.block(cat, bob)
    account_actions.mute(bob, dan)
    assert _ids(feeds.home(bob)) == []


def test_it_follows_a_hashtag_from_its_page(bob, client_for):
    client = client_for(bob)
    page = client.get(reverse("hashtag", args=["edumatch"])).content.decode()
    assert "Follow #edumatch" in page
    response = client.post(reverse("curation:follow_hashtag", args=["EduMatch"]))
    assert response.headers["Location"] == reverse("hashtag", args=["edumatch"])
    assert FollowedHashtag.objects.filter(account=bob, hashtag__name="edumatch").exists()
    assert "Unfollow #" in client.get(reverse("hashtag", args=["edumatch"])).content.decode()
    client.post(reverse("curation:unfollow_hashtag", args=["edumatch"]))
    assert not FollowedHashtag.objects.exists()


def test_it_refuses_to_follow_what_is_not_a_hashtag(bob):
    with pytest.raises(ValidationError):
        actions.follow_hashtag(bob, "not a tag!")


def test_it_features_up_to_ten_hashtags_on_a_profile(ann, cat, client_for):
    for n in range(actions.MAX_FEATURED_HASHTAGS):
        actions.feature_hashtag(ann, f"Topic{n}")
    with pytest.raises(ValidationError, match="at most 10 hashtags"):
        actions.feature_hashtag(ann, "OneTooMany")
    actions.feature_hashtag(ann, "Topic3")  # already featured: no error, no change
    assert FeaturedHashtag.objects.filter(account=ann).count() == 10
    profile = client_for(cat).get(reverse("profile", args=["ann"])).content.decode()
    assert "#Topic0" in profile and "#Topic9" in profile


def test_it_features_from_the_hashtag_page_and_says_when_there_is_no_room(ann, client_for):
    client = client_for(ann)
    client.post(reverse("curation:feature_hashtag", args=["EduMatch"]))
    assert FeaturedHashtag.objects.filter(account=ann, hashtag__name="edumatch").exists()
    for n in range(actions.MAX_FEATURED_HASHTAGS - 1):
        actions.feature_hashtag(ann, f"Topic{n}")
    response = client.post(reverse("curation:feature_hashtag", args=["More"]), follow=True)
    assert "at most 10 hashtags" in response.content.decode()
    client.post(reverse("curation:unfeature_hashtag", args=["edumatch"]))
    assert not FeaturedHashtag.objects.filter(hashtag__name="edumatch").exists()
