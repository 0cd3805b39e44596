"""The page frame's template tags, and the header drawn once per reader and kind of page."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse, set_script_prefix

from confab.posts import actions as post_actions


def render(source: str) -> str:
    return Template("{% load site %}" + source).render(Context())


def test_link_reverses_like_the_url_tag():
    assert render("{% link 'local' %}") == reverse("local")
    assert render("{% link 'curation:kits' %}") == reverse("curation:kits")


def test_link_follows_the_script_prefix():
    set_script_prefix("/confab/")
    try:
        assert render("{% link 'local' %}") == reverse("local") == "/confab/local"
    finally:
        set_script_prefix("/")
    assert render("{% link 'local' %}") == "/local"


@pytest.mark.django_db
def test_each_reader_gets_their_own_header(ann, bob, client_for):
    for_ann = client_for(ann).get("/local").content.decode()
    for_bob = client_for(bob).get("/local").content.decode()
    signed_out = Client().get("/local").content.decode()

    assert "Your profile (@ann)" in for_ann and "@bob)" not in for_ann
    assert "Your profile (@bob)" in for_bob and "@ann)" not in for_bob
    assert f'data-stream="notifications:{bob.id}"' in for_bob
    assert "Log in</a>" in signed_out and "Your profile" not in signed_out


@pytest.mark.django_db
def test_the_header_marks_the_page_it_is_on(bob, client_for):
    client = client_for(bob)
    home = client.get("/").content.decode()
    local = client.get("/local").content.decode()

    assert f'<a href="{reverse("home")}" aria-current="page">Home</a>' in home
    assert f'<a href="{reverse("local")}" aria-current="page">Local</a>' in local
    assert f'<a href="{reverse("home")}" aria-current="page">' not in local


@pytest.mark.django_db
def test_the_header_counts_on_every_page(ann, bob, client_for):
    client = client_for(bob)
    assert '<span id="notification-count" ' in client.get("/").content.decode()
    before = client.get("/").content.decode()
    assert f'data-stream="notifications:{bob.id}">0</span>' in before

    written = post_actions.post(bob, "Counting")
    post_actions.favourite(ann, written.id)

    after = client.get("/").content.decode()
    assert f'data-stream="notifications:{bob.id}">1</span>' in after


@pytest.mark.django_db
def test_the_header_s_logout_form_carries_the_reader_s_own_token(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob.user)
    html = client.get("/local").content.decode()
    logout = html[html.index(f'action="{reverse("logout")}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout).group(1)

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "Your profile" not in client.get("/local").content.decode()
