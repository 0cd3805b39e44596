"""Following, follow requests, blocks and mutes, through the buttons on a profile.

The cast: ann writes; bob follows ann; cat is an outsider who asks to follow, is refused
what is not hers to answer, and gets a 404 once blocked.
"""

import pytest
from django.urls import reverse

from confab.accounts import actions
from confab.accounts.models import Account, Block, Follow, FollowRequest, Mute
from tests.accounts import page_text
from tests.pages import post_texts

pytestmark = pytest.mark.django_db


def press(client, button: str, acct: str, follow_redirect: bool = True, **data):
    """Press a button on a profile (follow, unfollow, block, …) and land where it leads."""
    return client.post(reverse(button, args=[acct]), data, follow=follow_redirect)


def counts(account: Account) -> tuple[int, int]:
    """Return (followers, following) as stored on the account."""
    account.refresh_from_db()
    return account.followers_count, account.following_count


def lock(account: Account, locked: bool = True) -> None:
    actions.update_profile(
        account,
        actions.ProfileChanges(
            display_name=account.display_name,
            note=account.note,
            city="",
            time_zone=account.time_zone,
            interests=[],
            links=[],
            locked=locked,
        ),
    )


def home_texts(client) -> list[str]:
    return post_texts(client.get(reverse("home")).context["page"].items)


# Following


def test_it_follows_and_unfollows(client_for, ann, bob, cat):
    client = client_for(cat)

    response = press(client, "follow", "ann")

    assert response.redirect_chain == [(reverse("profile", args=["ann"]), 302)]
    assert "You now follow Ann Author." in page_text(response)
    assert Follow.objects.filter(source=cat, target=ann).exists()
    assert counts(ann) == (2, 0)
    assert counts(cat) == (0, 1)
    assert response.context["relationship"].following

    response = press(client, "unfollow", "ann")

    assert "You no longer follow Ann Author." in page_text(response)
    assert not Follow.objects.filter(source=cat, target=ann).exists()
    assert counts(ann) == (1, 0)
    assert counts(cat) == (0, 0)


def test_it_follows_only_once(client_for, ann, bob):
    press(client_for(bob), "follow", "ann")

    assert Follow.objects.filter(source=bob, target=ann).count() == 1
    assert counts(ann) == (1, 0)
    assert counts(bob) == (0, 1)


def test_it_goes_back_to_a_local_page_only(client_for, ann, cat):
    client = client_for(cat)

    response = press(client, "follow", "ann", follow_redirect=False, next="/local")
    assert response.url == "/local"
    response = press(client, "unfollow", "ann", follow_redirect=False, next="//evil.example/")
    assert response.url == reverse("profile", args=["ann"])


def test_it_refuses_to_follow_yourself(client_for, ann):
    response = press(client_for(ann), "follow", "ann")

    assert response.status_code == 200
    assert "You cannot follow yourself." in page_text(response)
    assert not Follow.objects.filter(source=ann, target=ann).exists()
    assert counts(ann) == (0, 0)


def test_it_takes_following_by_post_from_signed_in_people_only(client, client_for, ann, cat):
    assert client_for(cat).get(reverse("follow", args=["ann"])).status_code == 405

    response = client.post(reverse("follow", args=["ann"]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert counts(ann) == (0, 0)


def test_it_does_not_follow_someone_who_does_not_exist(client_for, cat):
    assert press(client_for(cat), "follow", "nobody").status_code == 404


# Follow requests


def test_it_asks_a_locked_account_and_lets_the_owner_accept(client_for, ann, bob, cat):
    lock(ann)

    response = press(client_for(cat), "follow", "ann")

    assert "You asked to follow Ann Author; they will decide." in page_text(response)
    assert response.context["relationship"].requested
    assert "Withdraw follow request" in page_text(response)
    request = FollowRequest.objects.get(source=cat, target=ann)
    assert not Follow.objects.filter(source=cat, target=ann).exists()
    assert counts(ann) == (1, 0)

    owner = client_for(ann)
    waiting = owner.get(reverse("follow_requests"))
    assert list(waiting.context["requests"]) == [request]
    assert "Cat Outsider" in page_text(waiting)

    response = owner.post(
        reverse("answer_follow_request", args=[request.id, "accept"]), follow=True
    )

    assert "Cat Outsider now follows you." in page_text(response)
    assert "No one is waiting." in page_text(response)
    assert Follow.objects.filter(source=cat, target=ann).exists()
    assert not FollowRequest.objects.exists()
    assert counts(ann) == (2, 0)
    assert counts(cat) == (0, 1)


def test_it_lets_the_owner_reject_a_request(client_for, ann, cat):
    lock(ann)
    press(client_for(cat), "follow", "ann")
    request = FollowRequest.objects.get(source=cat, target=ann)

    response = client_for(ann).post(
        reverse("answer_follow_request", args=[request.id, "reject"]), follow=True
    )

    assert "Request declined." in page_text(response)
    assert not FollowRequest.objects.exists()
    assert not Follow.objects.filter(source=cat, target=ann).exists()
    assert counts(ann) == (0, 0)


@pytest.mark.parametrize("answer", ["accept", "reject"])
def test_it_lets_no_one_else_answer_a_request(client_for, ann, bob, cat, answer):
    lock(ann)
    press(client_for(cat), "follow", "ann")
    request = FollowRequest.objects.get(source=cat, target=ann)

    for intruder in (cat, bob):
        url = reverse("answer_follow_request", args=[request.id, answer])
        assert client_for(intruder).post(url).status_code == 404

    assert FollowRequest.objects.filter(pk=request.pk).exists()
    assert not Follow.objects.filter(source=cat, target=ann).exists()


def test_it_does_not_take_an_unknown_answer_as_a_no(client_for, ann, cat):
    lock(ann)
    press(client_for(cat), "follow", "ann")
    request = FollowRequest.objects.get(source=cat, target=ann)

    url = reverse("answer_follow_request", args=[request.id, "maybe"])
    assert client_for(ann).post(url).status_code == 404

    assert FollowRequest.objects.filter(pk=request.pk).exists()


def test_it_withdraws_a_request(client_for, ann, cat):
    lock(ann)
    client = client_for(cat)
    press(client, "follow", "ann")

    press(client, "unfollow", "ann")

    assert not FollowRequest.objects.exists()
    assert counts(ann) == (0, 0)


def test_it_lets_everyone_waiting_in_when_the_account_is_unlocked(client_for, ann, bob, cat):
    lock(ann)
    press(client_for(cat), "follow", "ann")

    response = client_for(ann).post(
        reverse("edit_profile"),
        {"display_name": "Ann Author", "time_zone": "UTC"},  # "locked" unticked
    )

    assert response.status_code == 302
    ann.refresh_from_db()
    assert not ann.locked
    assert Follow.objects.filter(source=cat, target=ann).exists()
    assert not FollowRequest.objects.exists()
    assert counts(ann) == (2, 0)
    assert counts(cat) == (0, 1)


# Blocks


def test_it_ends_follows_both_ways_when_blocking(client_for, ann, bob, cat):
    actions.follow(ann, bob)
    actions.follow(cat, ann)

    response = press(client_for(ann), "block", "bob", follow_redirect=False)

    assert response.status_code == 302
    assert Block.objects.filter(source=ann, target=bob).exists()
    assert not Follow.objects.filter(source=ann, target=bob).exists()
    assert not Follow.objects.filter(source=bob, target=ann).exists()
    assert counts(ann) == (1, 0)  # cat still follows her
    assert counts(bob) == (0, 0)
    assert client_for(bob).get(reverse("profile", args=["ann"])).status_code == 404
    # Neither can follow the other while the block stands.
    assert press(client_for(bob), "follow", "ann").status_code == 404
    assert not Follow.objects.filter(source=bob, target=ann).exists()


def test_it_drops_pending_requests_when_blocking(client_for, ann, cat):
    lock(ann)
    press(client_for(cat), "follow", "ann")
    lock(cat)
    press(client_for(ann), "follow", "cat")
    assert FollowRequest.objects.count() == 2

    press(client_for(ann), "block", "cat")

    assert not FollowRequest.objects.exists()
    assert client_for(ann).get(reverse("follow_requests")).context["requests"].count() == 0


def test_it_unblocks(client_for, ann, bob):
    actions.block(ann, bob)

    response = press(client_for(ann), "unblock", "bob", follow_redirect=False)

    assert response.status_code == 302
    assert not Block.objects.exists()
    assert client_for(bob).get(reverse("profile", args=["ann"])).status_code == 200
    # The follow that the block ended does not come back by itself.
    assert not Follow.objects.filter(source=bob, target=ann).exists()
    press(client_for(bob), "follow", "ann")
    assert counts(ann) == (1, 0)


def test_it_refuses_to_block_yourself(client_for, ann):
    response = press(client_for(ann), "block", "ann")

    assert "You cannot block yourself." in page_text(response)
    assert not Block.objects.exists()


# Mutes


def test_it_keeps_a_muted_person_out_of_the_home_timeline_only(client_for, ann, bob, make_post):
    make_post(ann, "Q1 is up #EduMatch")
    client = client_for(bob)
    assert home_texts(client) == ["Q1 is up #EduMatch"]

    response = press(client, "mute", "ann")

    assert "You muted Ann Author." in page_text(response)
    assert Mute.objects.filter(source=bob, target=ann).exists()
    assert Follow.objects.filter(source=bob, target=ann).exists()
    assert counts(ann) == (1, 0)
    assert home_texts(client) == []
    profile = client.get(reverse("profile", args=["ann"]))
    assert post_texts(profile.context["page"].items) == ["Q1 is up #EduMatch"]
    assert "Unmute" in page_text(profile)

    response = press(client, "unmute", "ann")

    assert "You unmuted Ann Author." in page_text(response)
    assert not Mute.objects.exists()
    assert home_texts(client) == ["Q1 is up #EduMatch"]


def test_it_refuses_to_mute_yourself(client_for, ann):
    response = press(client_for(ann), "mute", "ann")

    assert "You cannot mute yourself." in page_text(response)
    assert not Mute.objects.exists()
