"""The notifications page: grouped lines, tabs, read state, the badge, and nobody else's.

ann is notified; bob follows her and reacts; cat is an outsider who must be refused ann's
notifications; a few more people turn up to pile favourites on one post.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from confab.accounts import actions as account_actions
from confab.notifications.models import Notification
from confab.notifications.queries import unread_count
from confab.posts import actions as post_actions
from confab.posts.models import Visibility


def lines(html: str) -> list[str]:
    """Return each notification on the page as words, tags and extra spaces dropped."""
    items = re.findall(r'<li class="notification[^"]*"[^>]*>(.*?)</li>', html, re.S)
    texts = []
    for item in items:
        first = re.search(r"<p>(.*?)</p>", item, re.S)
        words = re.sub(r"<time.*?</time>|<[^>]+>", " ", first.group(1) if first else "", flags=re.S)
        texts.append(" ".join(words.split()))
    return texts


def badge(html: str) -> str:
    found = re.search(r'<span id="notification-count" data-stream="([^"]+)">(\d+)</span>', html)
    assert found, "no unread badge on the page"
    return f"{found.group(1)} {found.group(2)}"


def ticked(html: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="(\w+)"[^>]* checked>', html))


@pytest.fixture
def crowd(make_account):
    return [make_account(name, display_name=name.title()) for name in ("dan", "eve", "fay")]


def test_it_shows_favourites_of_one_post_as_one_line(ann, bob, cat, crowd, make_post, client_for):
    post = make_post(ann, "Q1: what got you into teaching?")
    for person in [cat, *crowd]:
        post_actions.favourite(person, post.id)

    html = client_for(ann).get("/notifications").content.decode()

    assert lines(html) == [
        "New Fay and 3 others favourited your post",
        "New Bob Follower followed you",
    ]
    assert "Q1: what got you into teaching?" in html


def test_it_names_one_other_in_the_singular(ann, bob, cat, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    post_actions.boost(bob, post.id)
    post_actions.boost(cat, post.id)

    html = client_for(ann).get("/notifications").content.decode()

    assert lines(html)[0] == "New Cat Outsider and 1 other boosted your post"


def test_it_groups_only_consecutive_favourites_of_the_same_post(
    ann, bob, cat, make_post, client_for
):
    first, second = make_post(ann, "first"), make_post(ann, "second")
    post_actions.favourite(bob, first.id)
    post_actions.favourite(bob, second.id)
    post_actions.favourite(cat, first.id)
    post_actions.boost(cat, second.id)

    html = client_for(ann).get("/notifications").content.decode()

    assert lines(html) == [
        "New Cat Outsider boosted your post",
        "New Cat Outsider favourited your post",
        "New Bob Follower favourited your post",
        "New Bob Follower favourited your post",
        "New Bob Follower followed you",
    ]


def test_it_filters_by_kind(ann, bob, cat, make_post, client_for):
    question = make_post(ann, "Q1 is up")
    make_post(bob, "A1 @ann", in_reply_to_id=question.id)
    make_post(cat, "hello @ann")
    post_actions.favourite(cat, question.id)
    client = client_for(ann)

    mentions = lines(client.get("/notifications?kind=mention").content.decode())
    follows = lines(client.get("/notifications?kind=follow").content.decode())
    favourites = lines(client.get("/notifications?kind=favourite").content.decode())
    everything = lines(client.get("/notifications?kind=nonsense").content.decode())

    assert mentions == ["New Cat Outsider mentioned you", "New Bob Follower replied to your post"]
    assert follows == ["New Bob Follower followed you"]
    assert favourites == ["New Cat Outsider favourited your post"]
    assert len(everything) == 4


def test_it_shows_the_unread_count_in_the_navigation(ann, bob, cat, make_post, client_for):
    make_post(cat, "hello @ann")

    html = client_for(ann).get("/local").content.decode()

    assert badge(html) == f"notifications:{ann.id} 2"
    assert "Notifications (" in html


def test_it_does_not_mark_read_by_looking(ann, bob, client_for):
    client_for(ann).get("/notifications")

    assert unread_count(ann) == 1


def test_it_marks_everything_read(ann, bob, cat, make_post, client_for):
    make_post(cat, "hello @ann")
    client = client_for(ann)

    response = client.post("/notifications/read", {"next": "/notifications?kind=mention"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications?kind=mention"
    html = client.get("/notifications").content.decode()
    assert badge(html) == f"notifications:{ann.id} 0"
    assert lines(html) == ["Cat Outsider mentioned you", "Bob Follower followed you"]
    assert "Mark all as read" not in html


def test_it_marks_one_line_read_with_all_it_groups(ann, bob, cat, make_post, client_for):
    post = make_post(ann, "Q1 is up")
    post_actions.favourite(bob, post.id)
    post_actions.favourite(cat, post.id)
    newest = Notification.objects.filter(recipient=ann).latest("id")
    client = client_for(ann)

    response = client.post(f"/notifications/{newest.id}/read")

    assert response.status_code == 302
    html = client.get("/notifications").content.decode()
    assert lines(html) == [
        "Cat Outsider and 1 other favourited your post",
        "New Bob Follower followed you",
    ]
    assert unread_count(ann) == 1


def test_it_keeps_ann_s_notifications_from_cat(ann, bob, cat, client_for):
    follow = Notification.objects.get(recipient=ann)
    client = client_for(cat)

    assert lines(client.get("/notifications").content.decode()) == []
    assert client.post(f"/notifications/{follow.id}/read").status_code == 404
    client.post("/notifications/read")
    assert unread_count(ann) == 1


def test_it_sends_signed_out_visitors_to_log_in(client):
    response = client.get("/notifications")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_it_hides_what_a_block_made_after_the_fact_hides(ann, bob, cat, make_post, client_for):
    make_post(cat, "hello @ann")
    account_actions.block(cat, ann)
    client = client_for(ann)

    html = client.get("/notifications").content.decode()

    assert lines(html) == ["New Bob Follower followed you"]
    assert badge(html) == f"notifications:{ann.id} 1"


def test_it_hides_a_post_ann_can_no_longer_see(ann, bob, make_post, client_for):
    # bob's followers-only post is ann's to see only while it mentions her.
    secret = make_post(bob, "@ann for my followers", visibility=Visibility.PRIVATE)
    assert Notification.objects.filter(recipient=ann, kind="mention").exists()

    post_actions.edit(bob, secret.id, "for my followers, not ann")

    html = client_for(ann).get("/notifications").content.decode()
    assert lines(html) == ["New Bob Follower followed you"]
    assert "for my followers" not in html


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifications")
    assert response.status_code == 200
    return len(queries)


def test_it_makes_the_same_number_of_queries_for_2_and_20_notifications(
    ann, bob, cat, make_post, client_for
):
    client = client_for(ann)
    post = make_post(ann, "Q1 is up")
    post_actions.favourite(cat, post.id)
    assert Notification.objects.filter(recipient=ann).count() == 2
    few = _count_queries(client)

    for n in range(9):
        # A mention and a favourite of a different post each time: nothing groups.
        mention = make_post(cat, f"@ann number {n}")
        post_actions.favourite(bob, make_post(ann, f"post {n}").id)
        assert mention
    assert Notification.objects.filter(recipient=ann).count() == 20
    many = _count_queries(client)

    assert many == few
    # session, user, account, the page, the unread badge (a look at the unread index,
    # then the count, since some are unread here)
    assert many <= 7


def test_it_pages_older_notifications(ann, cat, make_post, client_for, settings):
    settings.PAGE_SIZE = 3
    for n in range(5):
        make_post(cat, f"@ann number {n}")
    client = client_for(ann)

    html = client.get("/notifications?kind=mention").content.decode()
    older = re.search(r'href="\?max_id=(\d+)&amp;kind=mention" rel="next"', html)

    assert len(lines(html)) == 3
    assert older
    rest = client.get(f"/notifications?max_id={older.group(1)}&kind=mention").content.decode()
    assert len(lines(rest)) == 2


def test_it_saves_the_kinds_ann_wants(ann, bob, cat, make_post, client_for):
    client = client_for(ann)
    assert ticked(client.get("/settings/notifications").content.decode()) == {
        "mention",
        "reply",
        "follow",
        "follow_request",
        "favourite",
        "boost",
        "chat_reminder",
        "introduction",
        "event",
        "event_reminder",
        "meetup",
    }

    response = client.post("/settings/notifications", {"mention": "on", "reply": "on"})

    assert response.status_code == 302
    assert ticked(client.get("/settings/notifications").content.decode()) == {"mention", "reply"}
    post_actions.favourite(cat, make_post(ann, "Q1").id)
    make_post(cat, "hi @ann")
    kinds = Notification.objects.filter(recipient=ann).order_by("id").values_list("kind", flat=True)
    assert list(kinds) == ["follow", "mention"]


def test_it_turns_everything_off_with_no_box_ticked(ann, bob, cat, make_post, client_for):
    client_for(ann).post("/settings/notifications", {})

    make_post(cat, "hi @ann")
    account_actions.follow(cat, ann)

    assert Notification.objects.filter(recipient=ann).count() == 1


def test_a_notification_with_a_link_shows_where_to_go(ann, bob, client_for):
    from confab.notifications.actions import notify
    from confab.notifications.models import Kind

    notify(bob, Kind.CHAT_REMINDER, ann, link="/chats/edumatch", detail="#EduMatch: labs")
    page = client_for(bob).get("/notifications").content.decode()
    assert '<a href="/chats/edumatch">#EduMatch: labs</a>' in page


def test_the_badge_costs_one_cheap_query_when_nothing_is_unread(ann):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert unread_count(ann) == 0
    assert len(queries) == 1
    assert "notifications_notification" in queries[0]["sql"]
