"""Chromium starts, reaches the live server, and two people keep separate cookies."""

from collections.abc import Callable

from playwright.sync_api import Page


def test_it_gets_a_404_for_a_missing_static_file(page: Page) -> None:
    response = page.goto("/static/does-not-exist")

    assert response is not None
    assert response.status == 404


def test_it_keeps_two_people_apart(new_page: Callable[..., Page]) -> None:
    alice, bob = new_page(), new_page()
    alice.goto("/static/does-not-exist")
    bob.goto("/static/does-not-exist")

    alice.context.add_cookies([{"name": "who", "value": "alice", "url": alice.url}])

    assert [c["value"] for c in alice.context.cookies()] == ["alice"]
    assert bob.context.cookies() == []
