"""Two people, two browsers: one posts, the other sees it arrive without reloading."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions

PASSWORD = "Chalk-and-Telescopes-42"


def _log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()


def test_it_shows_a_followed_persons_post_live(new_page: Callable[..., Page]) -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    bob = account_actions.register("bob", "bob@example.org", PASSWORD)
    account_actions.follow(bob, ann)

    reader = new_page()
    _log_in(reader, "bob")
    writer = new_page()
    _log_in(writer, "ann")

    writer.get_by_label("What's on your mind?").fill("Live on #EduMatch tonight!")
    writer.get_by_role("button", name="Post", exact=True).click()
    expect(writer.get_by_role("status")).to_contain_text("Posted.")

    # No reload: the post arrives over server-sent events and lands at the top.
    live_post = reader.locator("article.post").filter(has_text="Live on #EduMatch tonight!")
    expect(live_post).to_be_visible()
    # It arrived with working buttons: favouriting it goes through htmx.
    live_post.get_by_role("button", name="Favourite").click()
    expect(live_post.get_by_role("button", name="Favourited")).to_be_visible()
