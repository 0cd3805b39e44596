"""The small cast most tests use.

ann writes; bob follows ann; cat is an outsider who must be refused what is not hers to see.
People are made through the same actions the product uses, never by saving models directly.
"""

import itertools

import pytest
from django.test import Client

from confab.accounts import actions as account_actions
from confab.accounts.models import Account
from confab.posts import actions as post_actions

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(settings, tmp_path):
    # Argon2 is deliberately slow; tests that are not about passwords use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _ids_start_from_the_clock():
    # next_id never goes backwards, so an id made while a test travelled into the future
    # would make every later test's ids future-dated too. Each test starts from the clock.
    from confab.core import ids

    with ids._lock:
        ids._last_ms = 0
        ids._sequence = 0


@pytest.fixture
def make_account(db):
    def make(username: str | None = None, **profile) -> Account:
        username = username or f"person{next(_numbers)}"
        account = account_actions.register(username, f"{username}@example.org", PASSWORD)
        if profile:
            for key, value in profile.items():
                setattr(account, key, value)
            account.save()
        return account

    return make


@pytest.fixture
def ann(make_account):
    return make_account("ann", display_name="Ann Author")


@pytest.fixture
def bob(make_account, ann):
    bob = make_account("bob", display_name="Bob Follower")
    account_actions.follow(bob, ann)
    return bob


@pytest.fixture
def cat(make_account):
    return make_account("cat", display_name="Cat Outsider")


@pytest.fixture
def client_for():
    """Return a test client signed in as the given account."""

    def make(account: Account) -> Client:
        client = Client()
        client.force_login(account.user)
        return client

    return make


@pytest.fixture
def make_post():
    def make(account: Account, text: str = "Hello #EduMatch", **kwargs):
        return post_actions.post(account, text, **kwargs)

    return make
