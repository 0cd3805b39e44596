"""A planner opens Insights, sees when her followers are awake, and schedules a post for the
best slot in one click."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from confab.accounts import actions as account_actions
from confab.insights.models import ScheduledPost
from confab.posts import actions as post_actions

PASSWORD = "Chalk-and-Telescopes-42"


def test_a_planner_schedules_a_post_for_her_best_slot_from_the_heatmap(
    new_page: Callable[..., Page],
) -> None:
    ann = account_actions.register("ann", "ann@example.org", PASSWORD)
    ann.time_zone = "America/New_York"
    ann.save()
    bob = account_actions.register("bob", "bob@example.org", PASSWORD)
    account_actions.follow(bob, ann)
    post_actions.post(bob, "Morning, #EduMatch")

    page = new_page()
    page.goto("/login")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/insights")
    heatmap = page.get_by_role("img", name="When your followers are active")
    expect(heatmap).to_be_visible()
    expect(heatmap.locator("rect.cell")).to_have_count(7 * 24)
    expect(heatmap.locator("rect.cell.top")).to_have_count(1)
    page.get_by_text("The numbers as a table").first.click()
    expect(page.get_by_role("table").first).to_be_visible()

    page.get_by_role("link", name="schedule a post for").first.click()
    expect(page.get_by_role("heading", name="Schedule a post")).to_be_visible()
    when = page.get_by_label("Schedule for")
    slot = when.input_value()
    assert slot, "the slot's time is filled in"
    page.get_by_label("What's on your mind?").fill("Posted when you are awake #EduMatch")
    # With a time filled in, the button says what it does.
    expect(page.get_by_role("button", name="Post", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Schedule", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Scheduled for")
    expect(page.get_by_role("heading", name="Scheduled posts")).to_be_visible()
    expect(page.get_by_text("Posted when you are awake #EduMatch")).to_be_visible()
    # The slot was read in ann's zone, New York, whatever the browser's zone.
    row = ScheduledPost.objects.get()
    assert f"{row.scheduled_at.astimezone(ZoneInfo('America/New_York')):%Y-%m-%dT%H:%M}" == slot
