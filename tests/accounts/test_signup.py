"""Signing up, logging in and out, changing a password, and the CSRF wall in front of it all.

The cast: ann already has an account; dee is a newcomer who signs up through the form.
Sign-up follows the instance's policy: open, approval or closed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from confab.accounts import actions
from confab.accounts.models import Account, Follow, User
from confab.core.models import InstanceSettings
from confab.posts.models import Post
from tests.accounts import page_text
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USERNAME_RULE = "Use 1 to 30 letters (A–Z), digits or underscores, with no spaces."
NEW_PASSWORD = "lantern-orchard-tide-42"


def sign_up(client: Client, **fields):
    data = {"username": "dee", "email": "dee@example.org", "password": PASSWORD, **fields}
    return client.post(reverse("signup"), data)


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def set_signup_policy(policy: str) -> None:
    InstanceSettings.objects.update_or_create(pk=1, defaults={"signup_policy": policy})


def signed_in_user_id(client: Client) -> int | None:
    raw = client.session.get("_auth_user_id")
    return int(raw) if raw is not None else None


# Sign-up


def test_it_signs_up_and_logs_in_when_sign_ups_are_open(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("curation:welcome")  # onboarding comes first
    account = Account.objects.get(username="dee")
    assert account.user.email == "dee@example.org"
    assert account.user.approved
    assert account.is_local
    assert account.uri.endswith("/users/dee")
    assert signed_in_user_id(client) == account.user.pk
    welcome = client.get(response.url)
    assert welcome.status_code == 200
    assert "Welcome to testserver, dee!" in page_text(welcome)


def test_it_takes_a_username_of_exactly_30_characters(client):
    response = sign_up(client, username="d" * 30)

    assert response.status_code == 302
    assert Account.objects.filter(username="d" * 30).exists()


@pytest.mark.parametrize(
    "username, message",
    [
        ("dee smith", USERNAME_RULE),
        ("dee-smith", USERNAME_RULE),
        ("dée", USERNAME_RULE),
        ("d" * 31, "Ensure this value has at most 30 characters (it has 31)."),
        ("", "This field is required."),
    ],
)
def test_it_refuses_a_username_that_breaks_the_rules(client, username, message):
    response = sign_up(client, username=username)

    assert response.status_code == 422
    assert response.context["form"].errors["username"] == [message]
    assert message in page_text(response)
    assert not User.objects.exists()


def test_it_says_a_username_is_taken_whatever_its_case(client, ann):
    response = sign_up(client, username="Ann")

    assert response.status_code == 422
    assert response.context["form"].errors["username"] == ["That username is taken."]
    assert "That username is taken." in page_text(response)
    assert User.objects.filter(username__iexact="ann").count() == 1
    assert signed_in_user_id(client) is None


def test_it_says_a_name_held_by_a_login_without_a_profile_is_taken(client):
    # As `manage.py createsuperuser` leaves it: a User with no Account.
    User.objects.create_user("admin", "admin@example.org", PASSWORD)

    response = sign_up(client, username="Admin")

    assert response.status_code == 422
    assert response.context["form"].errors["username"] == ["That username is taken."]


def test_it_says_a_username_is_taken_when_another_sign_up_wins_the_race(ann, monkeypatch):
    # As if "ANN" were free when checked and taken by the time it is written.
    monkeypatch.setattr(actions, "_username_errors", lambda username: [])

    with pytest.raises(ValidationError) as caught:
        actions.register("ANN", "ann2@example.org", PASSWORD)

    assert caught.value.message_dict == {"username": ["That username is taken."]}
    assert User.objects.filter(username__iexact="ann").count() == 1


def test_it_keeps_usernames_unique_ignoring_case_in_the_database(ann):
    # Bypass the action on purpose: the constraint is the last line of defence in a race.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ANN", email="other@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(username="Ann", uri="https://elsewhere.example/ann")
    # Someone called ann on another server is a different person.
    remote = Account.objects.create(
        username="ann", domain="elsewhere.example", uri="https://elsewhere.example/users/ann"
    )
    assert remote.acct == "ann@elsewhere.example"


@pytest.mark.parametrize(
    "password, message",
    [
        ("password", "This password is too common."),
        ("48151623", "This password is entirely numeric."),
        ("k3y!", "This password is too short. It must contain at least 8 characters."),
    ],
)
def test_it_refuses_a_weak_password(client, password, message):
    response = sign_up(client, password=password)

    assert response.status_code == 422
    assert message in response.context["form"].errors["password"]
    assert message in page_text(response)
    assert not User.objects.exists()


def test_it_refuses_an_invalid_email_address(client):
    response = sign_up(client, email="dee-at-example")

    assert response.status_code == 422
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert "Enter a valid email address." in page_text(response)
    assert not User.objects.exists()


def test_it_sends_a_signed_in_person_home_from_the_sign_up_page(client_for, ann):
    response = client_for(ann).get(reverse("signup"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_holds_a_sign_up_until_an_admin_approves_it(client):
    set_signup_policy(InstanceSettings.SignupPolicy.APPROVAL)
    assert "An admin reviews each sign-up" in page_text(client.get(reverse("signup")))

    response = sign_up(client, reason="I host #EduMatch")

    assert response.status_code == 200
    assert "An admin will review your sign-up" in page_text(response)
    user = User.objects.get(username="dee")
    assert not user.approved
    assert user.signup_reason == "I host #EduMatch"
    assert signed_in_user_id(client) is None

    refused = log_in(client, "dee")
    assert refused.status_code == 422
    assert "Your sign-up is waiting for an admin's approval." in page_text(refused)
    assert signed_in_user_id(client) is None

    actions.approve_signup(user)

    assert log_in(client, "dee").status_code == 302
    assert signed_in_user_id(client) == user.pk


def test_it_refuses_sign_ups_when_they_are_closed(client):
    set_signup_policy(InstanceSettings.SignupPolicy.CLOSED)
    page = client.get(reverse("signup"))
    assert "Sign-ups are closed on this server" in page_text(page)
    assert 'name="username"' not in page_text(page)

    response = sign_up(client)

    assert response.status_code == 422
    assert "Sign-ups are closed on this server" in page_text(response)
    assert not User.objects.exists()
    assert not Account.objects.exists()


def test_it_stores_passwords_with_argon2(client, settings):
    # The suite swaps in a fast hasher; this one test puts the real one back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    assert sign_up(client).status_code == 302

    user = User.objects.get(username="dee")
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


# Logging in and out


def test_it_logs_in_with_the_right_password(client, ann):
    response = client.post(
        reverse("login"), {"username": "ann", "password": PASSWORD, "next": "/@ann"}
    )

    assert response.status_code == 302
    assert response.url == "/@ann"
    assert signed_in_user_id(client) == ann.user.pk


def test_it_refuses_a_wrong_password(client, ann):
    response = log_in(client, "ann", "not-" + PASSWORD)

    assert "Please enter a correct username and password." in page_text(response)
    assert signed_in_user_id(client) is None


def test_it_logs_out_only_by_post(client_for, ann):
    client = client_for(ann)

    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_user_id(client) == ann.user.pk

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("local")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("edit_profile")).status_code == 302


# Changing the password


def change_password(client: Client, old: str, new: str = NEW_PASSWORD):
    return client.post(
        reverse("change_password"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_it_refuses_to_change_a_password_without_the_old_one(client_for, ann):
    response = change_password(client_for(ann), old="a-guess-at-it")

    assert response.status_code == 422
    assert "Your old password was entered incorrectly." in page_text(response)
    ann.user.refresh_from_db()
    assert ann.user.check_password(PASSWORD)


def test_it_refuses_a_weak_new_password(client_for, ann):
    response = change_password(client_for(ann), old=PASSWORD, new="password")

    assert response.status_code == 422
    assert "This password is too common." in page_text(response)
    ann.user.refresh_from_db()
    assert ann.user.check_password(PASSWORD)


def test_it_changes_the_password_and_keeps_this_session(client_for, ann):
    here, elsewhere = client_for(ann), client_for(ann)

    response = change_password(here, old=PASSWORD)

    assert response.status_code == 302
    ann.user.refresh_from_db()
    assert ann.user.check_password(NEW_PASSWORD)
    assert here.get(reverse("edit_profile")).status_code == 200
    # Other sessions were opened with the old password: they end.
    assert elsewhere.get(reverse("edit_profile")).status_code == 302
    assert log_in(Client(), "ann", NEW_PASSWORD).status_code == 302


# CSRF


def test_it_refuses_sign_up_and_log_in_posted_without_a_csrf_token(ann):
    client = Client(enforce_csrf_checks=True)

    assert sign_up(client).status_code == 403
    assert log_in(client, "ann").status_code == 403
    assert not User.objects.filter(username="dee").exists()
    assert signed_in_user_id(client) is None


def test_it_refuses_follow_and_compose_posted_without_a_csrf_token(ann, cat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cat.user)

    assert client.post(reverse("follow", args=["ann"])).status_code == 403
    assert client.post(reverse("compose"), {"text": "Hello"}).status_code == 403
    assert not Follow.objects.filter(source=cat).exists()
    assert not Post.objects.filter(account=cat).exists()


def test_it_logs_in_with_the_username_in_any_case(client, ann):
    response = client.post(reverse("login"), {"username": "ANN", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["viewer"] == ann


def test_it_answers_a_wrong_password_with_422(client, ann):
    response = client.post(reverse("login"), {"username": "ann", "password": "nope"})
    assert response.status_code == 422
