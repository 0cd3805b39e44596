"""The Scheduled page and the composer's "Schedule for" field, through real requests."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from confab.insights import actions
from confab.insights.models import ScheduledPost, ScheduledState
from confab.posts.models import Post
from confab.worker.models import Job

pytestmark = pytest.mark.django_db


def compose(client, **data):
    fields = {"text": "", "spoiler_text": "", "visibility": "public", **data}
    return client.post(reverse("compose"), fields)


def test_the_composer_schedules_in_the_authors_zone(clock, berliner, client_for):
    client = client_for(berliner)
    home = client.get(reverse("home")).content.decode()
    assert 'name="scheduled_for"' in home and "Europe/Berlin" in home
    response = compose(client, text="Later #EduMatch", scheduled_for="2027-03-02T09:00")
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:scheduled")
    row = ScheduledPost.objects.get()
    assert row.scheduled_at == datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    assert not Post.objects.exists()
    page = client.get(reverse("insights:scheduled")).content.decode()
    assert "Later #EduMatch" in page
    assert "Tue 2 Mar 2027, 09:00" in page  # shown in Berlin time


def test_an_empty_schedule_field_posts_now(clock, ann, client_for):
    response = compose(client_for(ann), text="Now", scheduled_for="")
    assert response.status_code == 302
    assert Post.objects.get().text == "Now"
    assert not ScheduledPost.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "x", "scheduled_for": "2027-03-01T12:03"}, "scheduled_for", "at least 5 minutes"),
        ({"text": "x", "scheduled_for": "next tuesday"}, "scheduled_for", "Enter a date and time"),
        ({"text": "", "scheduled_for": "2027-03-02T09:00"}, "text", "Write something"),
        ({"text": "x" * 501, "scheduled_for": "2027-03-02T09:00"}, "text", "this one is 501"),
    ],
)
def test_the_composer_shows_field_errors(clock, ann, client_for, data, field, message):
    response = compose(client_for(ann), **data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not ScheduledPost.objects.exists() and not Post.objects.exists()


def test_images_cannot_be_scheduled_yet(clock, ann, client_for):
    image = SimpleUploadedFile("a.png", b"not really", content_type="image/png")
    response = client_for(ann).post(
        reverse("compose"),
        {
            "text": "pic",
            "visibility": "public",
            "scheduled_for": "2027-03-02T09:00",
            "image_1": image,
        },
    )
    assert response.status_code == 422
    assert "can't carry images" in response.context["form"].errors["scheduled_for"][0]
    assert "carry images yet" in response.content.decode()


def test_edit_reschedule_and_cancel_from_the_scheduled_page(clock, ann, client_for):
    client = client_for(ann)
    row = actions.schedule(ann, "Draft", scheduled_for=datetime(2027, 3, 1, 13, 0))
    edit_url = reverse("insights:edit", args=[row.pk])
    form = client.get(edit_url).content.decode()
    assert 'value="2027-03-01T13:00"' in form
    response = client.post(
        edit_url,
        {
            "text": "Final",
            "spoiler_text": "",
            "visibility": "unlisted",
            "scheduled_for": "2027-03-03T08:15",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.text, row.visibility) == ("Final", "unlisted")
    assert row.scheduled_at == datetime(2027, 3, 3, 8, 15, tzinfo=UTC)
    assert Job.objects.get().due_at == row.scheduled_at
    bad = client.post(
        edit_url,
        {
            "text": "Final",
            "spoiler_text": "",
            "visibility": "public",
            "scheduled_for": "2027-02-01T08:15",
        },
    )
    assert bad.status_code == 422
    assert "at least 5 minutes" in bad.content.decode()
    assert client.post(reverse("insights:cancel", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.state == ScheduledState.CANCELLED
    assert "Final" not in client.get(reverse("insights:scheduled")).content.decode()


def test_someone_elses_scheduled_post_is_404_everywhere(clock, ann, cat, client_for):
    row = actions.schedule(ann, "Secret plan", scheduled_for=datetime(2027, 3, 1, 13, 0))
    client = client_for(cat)
    assert client.get(reverse("insights:edit", args=[row.pk])).status_code == 404
    assert client.post(reverse("insights:edit", args=[row.pk]), {"text": "x"}).status_code == 404
    assert client.post(reverse("insights:cancel", args=[row.pk])).status_code == 404
    assert "Secret plan" not in client.get(reverse("insights:scheduled")).content.decode()
    row.refresh_from_db()
    assert (row.state, row.text) == (ScheduledState.PENDING, "Secret plan")


def test_the_scheduled_page_costs_the_same_queries_for_many_posts(
    clock, ann, client_for, django_assert_max_num_queries
):
    client = client_for(ann)
    actions.schedule(ann, "one", scheduled_for=datetime(2027, 3, 1, 13, 0))
    client.get(reverse("insights:scheduled"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("insights:scheduled"))
    for n in range(30):
        actions.schedule(ann, f"more {n}", scheduled_for=datetime(2027, 3, 2, 9, n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("insights:scheduled"))
    assert page.content.decode().count('class="card scheduled-post"') == 31


def test_pages_need_a_login(client):
    for name in ("insights:scheduled", "insights:new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login" in response["Location"]


def test_publishing_late_after_downtime_still_happens_once(clock, ann):
    row = actions.schedule(ann, "Late", scheduled_for=datetime(2027, 3, 1, 13, 0))
    clock.move_to(datetime(2027, 3, 1, 13, 0, tzinfo=UTC) + timedelta(hours=2))
    assert actions.publish(row.pk) is not None
    assert actions.publish(row.pk) is None
    assert Post.objects.count() == 1
