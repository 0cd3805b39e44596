"""The header on a phone: everything in it fits the screen, the "More" menu opens inside the
screen, and Search, Messages and Events are each one tap away."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions

PASSWORD = "Chalk-and-Telescopes-42"
PHONE = {"width": 360, "height": 740}


def _inside_the_screen(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (selector, box)


def test_the_header_works_on_a_phone(new_page: Callable[..., Page]) -> None:
    account_actions.register("ann", "ann@example.org", PASSWORD)
    post_actions.post(account_actions.register("bob", "bob@example.org", PASSWORD), "Tides #STEM")

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/login")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()

    # Nothing in the header pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="More").click()
    menu = nav.locator(".nav-more > ul")
    expect(menu).to_be_visible()
    _inside_the_screen(page, ".nav-more > ul")
    menu.get_by_role("link", name="Scheduled posts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled")

    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("tides")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search")
    expect(page.locator("article.post").filter(has_text="Tides")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messages")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Events")


def test_tabs_wrap_instead_of_widening_the_page_on_a_phone(new_page: Callable[..., Page]) -> None:
    # The notification kinds are the longest row of tabs; on a phone they used to push the
    # page 12 pixels wider than the screen.
    account_actions.register("ann", "ann@example.org", PASSWORD)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/login")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/notifications")
    tabs = page.get_by_role("navigation", name="Kinds of notification")
    expect(tabs.get_by_role("link").last).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _inside_the_screen(page, "nav.tabs a:last-child")
