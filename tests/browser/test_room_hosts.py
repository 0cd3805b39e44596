"""A chat room live: a host's copy of a new answer carries the host's buttons, a reader's
does not; a newcomer joins the participants list with their badge; hiding works from a
live card; an answer relabelled A1 → A2 moves under Q2."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions
from confab.chats import actions
from confab.posts import actions as post_actions
from tests.chats.conftest import live_session

PASSWORD = "Chalk-and-Telescopes-42"


def _log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()


def test_hosts_moderate_live_cards_and_relabelled_answers_move(
    new_page: Callable[..., Page],
) -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    bob = account_actions.register("bob", "bob@example.org", PASSWORD)
    account_actions.register("cat", "cat@example.org", PASSWORD)
    session = live_session(ann, "EduMatch", questions=[("Favourite lab?", 0), ("What broke?", 1)])
    for number in (1, 2):
        actions.post_question(session.questions.get(number=number).pk)
    room = f"/chats/EduMatch/sessions/{session.pk}"

    host, reader = new_page(), new_page()
    for page, name in ((host, "ann"), (reader, "cat")):
        _log_in(page, name)
        page.goto(room)
        expect(page.locator("#q2 .question-heading")).to_contain_text("What broke?")

    first = post_actions.post(bob, "A1 the egg drop #EduMatch")
    second = post_actions.post(bob, "A1 the volcano #EduMatch")

    host_card = host.locator(f"#entry-{first.pk}")
    expect(host_card).to_contain_text("the egg drop")
    expect(host_card.get_by_role("button", name="Hide from the room")).to_be_visible()
    expect(host_card.get_by_role("button", name="Mute @bob in this session")).to_be_visible()
    reader_card = reader.locator(f"#entry-{first.pk}")
    expect(reader_card).to_contain_text("the egg drop")
    expect(reader_card.get_by_role("button", name="Hide from the room")).to_have_count(0)
    expect(reader.locator(".room-moderation")).to_have_count(0)
    # bob joins the participants list live, with the page's badge.
    expect(reader.locator('.participants li[data-acct="bob"]')).to_contain_text("First time")
    expect(reader.locator(f"#entry-{first.pk} .first-time-badge")).to_be_visible()

    # The button from the live card works: the host's page reloads without it, and the
    # reader's copy disappears live.
    host_card.get_by_role("button", name="Hide from the room").click()
    expect(host.get_by_role("status")).to_contain_text("hidden from the room")
    expect(host.locator(f"#entry-{first.pk}")).to_have_count(0)
    expect(reader.locator(f"#entry-{first.pk}")).to_have_count(0)

    # bob meant Q2: his edit moves the answer there on the open pages.
    expect(reader.locator(f"#q1 #entry-{second.pk}")).to_be_visible()
    post_actions.edit(bob, second.pk, "A2 the volcano #EduMatch")
    expect(reader.locator(f"#q2 #entry-{second.pk}")).to_contain_text("A2 the volcano")
    expect(reader.locator(f"#q1 #entry-{second.pk}")).to_have_count(0)
