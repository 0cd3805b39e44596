"""A newcomer signs up and posts; a follower sees the post on their home timeline."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions

PASSWORD = "Chalk-and-Telescopes-42"


def _log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_it_shows_a_newcomers_post_on_a_followers_home(
    new_page: Callable[..., Page], settings
) -> None:
    # Argon2 for real in the browser test: it is what a person signing up gets.
    account_actions.register("bob", "bob@example.org", PASSWORD)

    newcomer = new_page()
    newcomer.goto("/signup")
    newcomer.get_by_label("Username").fill("maria_teaches")
    newcomer.get_by_label("Email").fill("maria@example.org")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Sign up").click()
    expect(newcomer.get_by_role("heading", name="Welcome! What are you into?")).to_be_visible()

    follower = new_page()
    _log_in(follower, "bob", PASSWORD)
    follower.goto("/@maria_teaches")
    follower.get_by_role("button", name="Follow", exact=True).click()
    expect(follower.get_by_role("status")).to_contain_text("You now follow")

    newcomer.goto("/")
    composer = newcomer.get_by_label("What's on your mind?")
    composer.fill("First day on #EduMatch! Notes at https://example.org/a/rather/long/link")
    # The live counter counts the link as 23 characters, as the server does.
    expect(newcomer.locator(".counter")).to_have_text("444 characters left")
    newcomer.get_by_role("button", name="Post", exact=True).click()
    expect(newcomer.get_by_role("status")).to_contain_text("Posted.")

    follower.goto("/")
    post = follower.locator("article.post").filter(has_text="First day on")
    expect(post).to_be_visible()
    expect(post.get_by_role("link", name="#EduMatch")).to_have_attribute("href", "/tags/edumatch")
    # Favouriting with htmx swaps the action bar in place.
    post.get_by_role("button", name="Favourite").click()
    expect(post.get_by_role("button", name="Favourited")).to_be_visible()
