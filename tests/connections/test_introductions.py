"""Introductions: the flows (both accept, decline, expiry, a block in the middle) and what
nobody may do (forge one, answer for someone else, introduce people you aren't connected to).

olga is connected to (follows and is followed by) maya and carl; stan follows olga only.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow
from confab.connections import jobs
from confab.connections.models import Introduction, IntroductionState
from confab.connections.people import actions, queries
from confab.notifications.models import Notification
from confab.posts.models import Post
from confab.worker.models import Job


def connect(a, b):
    account_actions.follow(a, b)
    account_actions.follow(b, a)


@pytest.fixture
def cast(make_account):
    olga = make_account("olga", display_name="Olga")
    maya = make_account("maya", display_name="Maya")
    carl = make_account("carl", display_name="Carl")
    stan = make_account("stan", display_name="Stan")
    connect(olga, maya)
    connect(olga, carl)
    account_actions.follow(stan, olga)
    return olga, maya, carl, stan


NOTE = "You both run maker spaces."


def test_both_accept_they_follow_each_other_and_a_conversation_opens(cast):
    olga, maya, carl, _ = cast
    made = actions.introduce(olga, maya, carl, NOTE)
    notified = Notification.objects.filter(kind="introduction", actor=olga)
    assert {n.recipient_id for n in notified} == {maya.pk, carl.pk}
    actions.answer(maya, made.pk, accept=True)
    made.refresh_from_db()
    assert made.state == IntroductionState.PENDING
    assert made.outcome == "Waiting for answers"
    actions.answer(carl, made.pk, accept=True)
    made.refresh_from_db()
    assert made.state == IntroductionState.CONNECTED
    assert made.outcome == "They're connected"
    assert Follow.objects.filter(source=maya, target=carl).exists()
    assert Follow.objects.filter(source=carl, target=maya).exists()
    post = Post.objects.get(pk=made.conversation_id)
    assert post.account == olga and post.visibility == "direct"
    assert {m.account_id for m in post.mentions.all()} == {maya.pk, carl.pk}
    assert NOTE in post.text
    assert Notification.objects.filter(recipient=olga, kind="introduction").exists()


def test_locked_accounts_are_followed_past_approval_once_both_accept(cast):
    olga, maya, carl, _ = cast
    carl.locked = True
    carl.save()
    made = actions.introduce(olga, maya, carl, NOTE)
    actions.answer(carl, made.pk, accept=True)
    actions.answer(maya, made.pk, accept=True)
    assert Follow.objects.filter(source=maya, target=carl).exists()


def test_decline_closes_it_and_nobody_learns_who(cast, client_for):
    olga, maya, carl, _ = cast
    made = actions.introduce(olga, maya, carl, NOTE)
    actions.answer(maya, made.pk, accept=True)
    actions.answer(carl, made.pk, accept=False)
    made.refresh_from_db()
    assert made.state == IntroductionState.DECLINED
    assert not Follow.objects.filter(source=maya, target=carl).exists()
    for person in (olga, maya):
        page = client_for(person).get(reverse("connections:introduction", args=[made.pk]))
        text = page.content.decode()
        assert "It didn&#x27;t happen" in text or "It didn't happen" in text
        assert "declined" not in text.lower() and "not now" not in text.lower().replace(
            "said not now", ""
        )
    # Answering a closed introduction is refused with words, not an error page.
    with pytest.raises(ValidationError):
        actions.answer(maya, made.pk, accept=True)


def test_expiry_after_30_days_by_the_worker(cast):
    olga, maya, carl, _ = cast
    made = actions.introduce(olga, maya, carl, NOTE)
    job = Job.objects.get(kind="connections.expire_introduction")
    assert job.due_at == made.expires_at == made.created_at + timedelta(days=30)
    jobs.expire_introduction(job)  # too early: nothing happens
    made.refresh_from_db()
    assert made.state == IntroductionState.PENDING
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        jobs.expire_introduction(job)
        made.refresh_from_db()
        assert made.state == IntroductionState.EXPIRED
        assert made.outcome == "It didn't happen"
        with pytest.raises(ValidationError):
            actions.answer(maya, made.pk, accept=True)


def test_a_late_answer_before_the_job_runs_is_refused(cast):
    olga, maya, carl, _ = cast
    made = actions.introduce(olga, maya, carl, NOTE)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert made.outcome == "It didn't happen"
        with pytest.raises(ValidationError):
            actions.answer(maya, made.pk, accept=True)
    made.refresh_from_db()
    assert made.first_answer == made.second_answer == ""


@pytest.mark.parametrize("blocker,blocked", [("maya", "carl"), ("carl", "olga")])
def test_a_block_in_the_middle_cancels_it(cast, blocker, blocked):
    people = dict(zip(["olga", "maya", "carl"], cast[:3], strict=False))
    olga, maya, carl = people["olga"], people["maya"], people["carl"]
    made = actions.introduce(olga, maya, carl, NOTE)
    actions.answer(maya, made.pk, accept=True)
    account_actions.block(people[blocker], people[blocked])
    made.refresh_from_db()
    assert made.state == IntroductionState.CANCELLED
    with pytest.raises(ValidationError):
        actions.answer(carl, made.pk, accept=True)
    assert not Follow.objects.filter(source=carl, target=maya).exists()


def test_blocked_people_can_never_be_introduced(cast):
    olga, maya, carl, _ = cast
    account_actions.block(maya, carl)
    with pytest.raises(ValidationError):
        actions.introduce(olga, maya, carl, NOTE)


def test_only_between_your_connections(cast, make_account):
    olga, maya, carl, stan = cast
    with pytest.raises(ValidationError) as error:
        actions.introduce(olga, maya, stan, NOTE)  # stan follows olga, she not him
    assert "not connected" in str(error.value)
    with pytest.raises(ValidationError):
        actions.introduce(stan, olga, maya, NOTE)
    with pytest.raises(ValidationError):
        actions.introduce(olga, olga, maya, NOTE)
    with pytest.raises(ValidationError):
        actions.introduce(olga, maya, maya, NOTE)
    with pytest.raises(ValidationError):
        actions.introduce(olga, maya, carl, "   ")
    connect(maya, carl)
    with pytest.raises(ValidationError) as error:
        actions.introduce(olga, maya, carl, NOTE)
    assert "connected already" in str(error.value)


def test_no_duplicate_pending_pair_and_at_most_20_pending(cast, make_account):
    olga, maya, carl, _ = cast
    actions.introduce(olga, maya, carl, NOTE)
    with pytest.raises(ValidationError) as error:
        actions.introduce(olga, carl, maya, NOTE)
    assert "waiting already" in str(error.value)
    others = [make_account(f"friend{n}") for n in range(20)]
    for person in others:
        connect(olga, person)
    for person in others[:19]:
        actions.introduce(olga, maya, person, NOTE)
    with pytest.raises(ValidationError) as error:
        actions.introduce(olga, carl, others[19], NOTE)
    assert "20 introductions waiting" in str(error.value)


def test_nobody_else_can_answer_or_see_it(cast, make_account, client_for):
    olga, maya, carl, stan = cast
    made = actions.introduce(olga, maya, carl, NOTE)
    for outsider in (olga, stan):  # the introducer cannot answer for them either
        with pytest.raises(Http404):
            actions.answer(outsider, made.pk, accept=True)
        response = client_for(outsider).post(
            reverse("connections:answer_introduction", args=[made.pk]), {"answer": "accept"}
        )
        assert response.status_code == 404
    assert (
        client_for(stan).get(reverse("connections:introduction", args=[made.pk])).status_code == 404
    )
    assert (
        client_for(olga).get(reverse("connections:introduction", args=[made.pk])).status_code == 200
    )
    made.refresh_from_db()
    assert made.first_answer == made.second_answer == ""


def test_forged_introduction_form_is_refused(cast, client_for):
    _olga, _maya, _carl, stan = cast
    client = client_for(stan)
    response = client.post(
        reverse("connections:introduce"), {"first": "maya", "second": "carl", "note": NOTE}
    )
    assert response.status_code == 422
    assert "not connected" in response.content.decode()
    assert not Introduction.objects.exists()


def test_the_whole_flow_through_the_pages(cast, client_for, django_assert_max_num_queries):
    olga, maya, carl, _ = cast
    profile = client_for(olga).get(reverse("profile", args=["maya"])).content.decode()
    assert reverse("connections:introduce") + "?first=maya" in profile
    # stan follows olga but she does not follow him: not connected, no link.
    profile = client_for(olga).get(reverse("profile", args=["stan"])).content.decode()
    assert reverse("connections:introduce") + "?first=stan" not in profile
    form = client_for(olga).get(reverse("connections:introduce") + "?first=maya")
    assert form.status_code == 200
    response = client_for(olga).post(
        reverse("connections:introduce"), {"first": "@maya", "second": "carl", "note": NOTE}
    )
    assert response.status_code == 302
    made = Introduction.objects.get()
    maya_client = client_for(maya)
    with django_assert_max_num_queries(12):
        listing = maya_client.get(reverse("connections:introductions"))
    assert "Olga would like you to meet Carl" in listing.content.decode()
    for person in (maya, carl):
        response = client_for(person).post(
            reverse("connections:answer_introduction", args=[made.pk]), {"answer": "accept"}
        )
        assert response.status_code == 302
    page = client_for(olga).get(reverse("connections:introductions")).content.decode()
    assert "They&#x27;re connected" in page or "They're connected" in page
    bad = client_for(maya).post(
        reverse("connections:answer_introduction", args=[made.pk]), {"answer": "maybe"}
    )
    assert bad.status_code == 302


def test_introductions_list_query_count_does_not_grow(
    cast, make_account, client_for, django_assert_max_num_queries
):
    olga, maya, _carl, _ = cast
    for n in range(8):
        person = make_account(f"pal{n}")
        connect(olga, person)
        actions.introduce(olga, maya, person, NOTE)
    client = client_for(olga)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("connections:introductions"))
    assert response.content.decode().count("Waiting for answers") == 8
    assert len(queries.made_by(olga)) == 8
