"""Two people in two browsers: a message arrives in the open conversation and the inbox live.

The Playwright fixtures come from tests/browser; the browser itself is opened per module
here, so the event loop Playwright keeps in the test thread is gone again before this
package's other tests (which run their own asyncio loops) start.
"""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions
from confab.posts.models import Visibility
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    _async_unsafe_allowed,
    asgi_server,
    new_page,
)

pytestmark = pytest.mark.browser
PASSWORD = "Chalk-and-Telescopes-42"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh test")
    with _async_unsafe_allowed(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_messages_arrive_live_in_the_conversation_and_the_inbox(
    new_page: Callable[..., Page],  # noqa: F811
) -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    account_actions.register("bob", "bob@example.org", PASSWORD)
    cat = account_actions.register("cat", "cat@example.org", PASSWORD)

    # Bob messages Ann from her profile's Message button.
    bob = new_page()
    _log_in(bob, "bob")
    bob.goto("/@ann")
    bob.get_by_role("link", name="Message", exact=True).click()
    expect(bob.get_by_role("textbox", name="Message")).to_have_value("@ann ")
    bob.get_by_role("textbox", name="Message").fill("@ann are you at #EduMatch tonight?")
    bob.get_by_role("button", name="Send").click()
    expect(bob.locator("article.post")).to_contain_text("are you at #EduMatch tonight?")

    # Ann reads her inbox: Bob's message is unread there.
    inbox = new_page()
    _log_in(inbox, "ann")
    inbox.goto("/conversations")
    row = inbox.locator(".conversation-row").first
    expect(row).to_contain_text("bob")
    expect(row.locator(".unread-count")).to_have_text("1")

    # Ann answers in the conversation; Bob's open page shows it without a reload.
    conversation_url = bob.url.split("#")[0]
    bob.goto(conversation_url)
    ann_page = inbox.context.new_page()
    ann_page.goto(conversation_url)
    ann_page.get_by_role("textbox", name="Message").fill("@bob yes, see you there")
    ann_page.get_by_role("button", name="Send").click()
    expect(bob.locator("article.post").last).to_contain_text("yes, see you there")

    # A message from Cat moves a new conversation to the top of Ann's open inbox, live.
    post_actions.post(cat, f"@{ann.username} hello from cat", visibility=Visibility.DIRECT)
    expect(inbox.locator(".conversation-row").first).to_contain_text("hello from cat")
    expect(inbox.locator(".conversation-row").first.locator(".unread-count")).to_have_text("1")
