"""A newcomer signs up, picks interests, follows a featured kit and lands on a home timeline
with posts; the composer then completes a hashtag as she types."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions
from confab.curation import actions
from confab.posts import actions as post_actions

PASSWORD = "Chalk-and-Telescopes-42"


def _community() -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    admin = account_actions.register("admin", "admin@example.org", PASSWORD)
    account_actions.make_admin(admin)
    actions.set_interests(ann, ["STEM"])
    post_actions.post(ann, "Pendulum lab went well today #STEM")
    kit = actions.create_kit(ann, "Science teachers", "People and hashtags for science class.")
    actions.add_kit_person(ann, kit, ann)
    actions.add_kit_hashtag(ann, kit, "STEM")
    actions.set_kit_featured(admin, kit, True)


def test_a_newcomer_follows_a_kit_during_onboarding_and_finds_posts_at_home(
    new_page: Callable[..., Page],
) -> None:
    _community()
    newcomer = new_page(timezone_id="Europe/Paris")
    newcomer.goto("/signup")
    newcomer.get_by_label("Username").fill("maria_teaches")
    newcomer.get_by_label("Email").fill("maria@example.org")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Sign up").click()

    expect(newcomer.get_by_role("heading", name="Welcome! What are you into?")).to_be_visible()
    # The page guessed the time zone from the browser.
    expect(newcomer.get_by_label("Your time zone")).to_have_value("Europe/Paris")
    newcomer.get_by_label("#STEM").check()
    newcomer.get_by_role("button", name="Next: what to follow").click()

    expect(newcomer.get_by_role("heading", name="Follow a few to start")).to_be_visible()
    newcomer.get_by_role("link", name="Follow all…").click()
    expect(newcomer.get_by_role("heading", name="Follow “Science teachers”")).to_be_visible()
    expect(newcomer.get_by_label("#STEM")).to_be_checked()
    newcomer.get_by_role("button", name="Follow the ticked ones").click()

    expect(newcomer.get_by_role("status")).to_contain_text("1 person followed")
    newcomer.get_by_role("button", name="Done: go to my home timeline").first.click()

    expect(newcomer.get_by_role("heading", name="Home")).to_be_visible()
    expect(newcomer.locator("article.post").filter(has_text="Pendulum lab")).to_be_visible()

    # The composer offers #STEM after "#st"; Enter takes it.
    composer = newcomer.get_by_label("What's on your mind?")
    composer.click()
    composer.press_sequentially("Loving #st")
    expect(newcomer.get_by_role("option", name="#STEM")).to_be_visible()
    composer.press("ArrowDown")
    composer.press("Enter")
    expect(composer).to_have_value("Loving #STEM ")
