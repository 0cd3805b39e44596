"""Two people in one chat room: the host's question appears for both, an answer lands under it."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions
from confab.chats import jobs
from confab.worker.models import Job
from tests.chats.conftest import live_session

PASSWORD = "Chalk-and-Telescopes-42"


def _log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()


def test_a_question_and_an_answer_appear_live_for_both(new_page: Callable[..., Page]) -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    account_actions.register("bob", "bob@example.org", PASSWORD)
    account_actions.register("cat", "cat@example.org", PASSWORD)
    # Started a minute ago by the real clock: the server thread shares it, so no time travel.
    session = live_session(ann, "EduMatch", questions=[("What is your favourite lab?", 0)])
    room = f"/chats/EduMatch/sessions/{session.pk}"

    answerer, reader = new_page(), new_page()
    for page, name in ((answerer, "bob"), (reader, "cat")):
        _log_in(page, name)
        page.goto(room)
        expect(page.locator(".current-question")).to_contain_text("not been asked yet")
    composer = answerer.get_by_label("What's on your mind?")
    expect(composer).to_have_value(" #EduMatch")

    # The worker's job for Q1 runs while both pages are open.
    job = Job.objects.get(key=f"question:{session.questions.get(number=1).pk}")
    jobs.post_question_on_time(job)

    for page in (answerer, reader):
        expect(page.locator("#q1 .question-heading")).to_contain_text("What is your favourite lab?")
        expect(page.locator(".current-question")).to_contain_text("Q1")
    # Nobody had typed yet: the composer now answers Q1.
    expect(composer).to_have_value("A1  #EduMatch")

    composer.click()
    composer.press("Home")
    composer.press("ArrowRight")
    composer.press("ArrowRight")
    composer.press("ArrowRight")
    composer.type("the egg drop")
    expect(composer).to_have_value("A1 the egg drop #EduMatch")
    answerer.get_by_role("button", name="Post", exact=True).click()
    expect(answerer.get_by_role("status")).to_contain_text("Posted.")

    # No reload on the reader's side: the answer arrives under Q1.
    expect(reader.locator("#q1 .question-answers")).to_contain_text("the egg drop")
    expect(reader.locator("#q1 .room-entry").first).to_contain_text("What is your favourite lab?")
