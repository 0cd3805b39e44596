"""The hashtag page's numbers, combined hashtags, trending, completion, and lists from a thread."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.core.ids import id_for_time
from confab.curation import actions, hashtag_stats
from confab.posts import actions as post_actions
from confab.posts.models import Hashtag, Visibility

pytestmark = pytest.mark.django_db


def _post_at(account, text, when, n=0, **kwargs):
    return post_actions.post(
        account, text, created_at=when, post_id=id_for_time(when, 1000 + n), **kwargs
    )


def _tag(name: str) -> Hashtag:
    return Hashtag.objects.get(name=name.lower())


def test_uses_per_day_count_public_posts_the_reader_may_see(ann, bob, cat, make_account):
    now = timezone.now()
    _post_at(ann, "one #STEM", now - timedelta(days=3))
    _post_at(ann, "two #STEM", now - timedelta(days=3), 1)
    _post_at(bob, "three #STEM", now)
    _post_at(ann, "too old #STEM", now - timedelta(days=40), 2)
    post_actions.post(ann, "followers only #STEM", visibility=Visibility.PRIVATE)
    days = hashtag_stats.usage_by_day(cat, _tag("STEM"))
    assert len(days) == 30
    assert days[-1].count == 1
    assert days[-4].count == 2
    assert sum(d.count for d in days) == 3
    assert max(d.height for d in days) == hashtag_stats.CHART_HEIGHT
    account_actions.block(ann, cat)  # ann's posts are gone for cat
    assert sum(d.count for d in hashtag_stats.usage_by_day(cat, _tag("STEM"))) == 1


def test_top_people_rank_by_posts_and_leave_out_blocked_people(ann, bob, cat):
    for n in range(3):
        post_actions.post(ann, f"ann {n} #STEM")
    post_actions.post(bob, "bob #STEM")
    post_actions.post(bob, "private #STEM", visibility=Visibility.PRIVATE)
    top = hashtag_stats.top_people(cat, _tag("STEM"))
    assert [(a.username, n) for a, n in top] == [("ann", 3), ("bob", 1)]
    account_actions.block(cat, ann)
    assert [a.username for a, _ in hashtag_stats.top_people(cat, _tag("STEM"))] == ["bob"]


def test_the_hashtag_page_shows_a_chart_a_table_top_people_and_related_chats(
    ann, cat, make_chat, client_for
):
    make_chat(ann, "EduMatch", interests=["STEM"])
    post_actions.post(ann, "hello #STEM")
    page = client_for(cat).get(reverse("hashtag", args=["stem"])).content.decode()
    assert '<svg role="img"' in page
    assert "<details>" in page and "The numbers as a table" in page
    assert "Top people" in page and "Ann Author" in page
    assert "Related chats" in page and "#EduMatch" in page
    older = client_for(cat).get(reverse("hashtag", args=["stem"]) + "?max_id=1").content.decode()
    assert "<svg" not in older


def test_the_hashtag_page_costs_the_same_queries_however_busy(ann, bob, cat, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cat)
    url = reverse("hashtag", args=["stem"])
    post_actions.post(ann, "first #STEM")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        post_actions.post([ann, bob][n % 2], f"more {n} #STEM")
    assert count() == few


def test_combined_hashtags_any_all_none(ann, bob, cat, client):
    post_actions.post(ann, "a #STEM")
    post_actions.post(ann, "b #EduMatch")
    post_actions.post(ann, "c #STEM #EduMatch")
    post_actions.post(ann, "d #STEM #Politics")
    post_actions.post(ann, "e #STEM secret", visibility=Visibility.PRIVATE)
    post_actions.post(ann, "f #Art")

    def texts(query: str) -> set[str]:
        response = client.get(reverse("curation:combined") + query)
        assert response.status_code == 200
        return {p.text.split()[0] for p in response.context["page"].items}

    assert texts("?any=STEM,EduMatch&none=Politics") == {"a", "b", "c"}
    assert texts("?all=STEM+EduMatch") == {"c"}
    assert texts("?any=STEM&all=EduMatch") == {"c"}
    assert texts("?any=Nobody") == set()
    assert texts("?all=STEM,Nobody") == set()


def test_combined_hashtags_page_by_id_and_keep_the_query(ann, client, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        post_actions.post(ann, f"{n} #STEM")
    first = client.get(reverse("curation:combined") + "?any=STEM&none=Art")
    older = first.context["page"].older["max_id"]
    assert f"any=STEM&amp;none=Art&amp;max_id={older}" in first.content.decode()
    second = client.get(reverse("curation:combined") + f"?any=STEM&none=Art&max_id={older}")
    assert [p.text[0] for p in second.context["page"].items] == ["2", "1"]


def test_combined_hashtags_refuse_what_is_not_a_hashtag(client):
    response = client.get(reverse("curation:combined") + "?any=no-dashes")
    assert response.status_code == 400
    assert "Not hashtags: no-dashes" in response.content.decode()
    assert client.get(reverse("curation:combined")).status_code == 200


def test_combined_hashtags_respect_blocks(ann, cat, client_for):
    post_actions.post(ann, "a #STEM")
    account_actions.block(ann, cat)
    response = client_for(cat).get(reverse("curation:combined") + "?any=STEM")
    assert response.context["page"].items == []


@pytest.fixture
def busy_week(make_account):
    """#Rising: one person a day for a week, then five people today. #Steady: three people
    every day. #Spam: four people today."""
    now = timezone.now()
    people = [make_account(f"p{n}") for n in range(6)]
    for day in range(1, 7):
        _post_at(people[0], "#Rising", now - timedelta(days=day), day)
        for n in range(3):
            _post_at(people[n], "#Steady", now - timedelta(days=day, minutes=n), 10 * day + n)
    for n in range(5):
        post_actions.post(people[n], "#Rising today")
    for n in range(3):
        post_actions.post(people[n], "#Steady today")
    for n in range(4):
        post_actions.post(people[n], "#Spam buy now")
    return people


def test_trending_ranks_by_growth_in_distinct_people(busy_week):
    trends = hashtag_stats.trending()
    assert [t.hashtag.name for t in trends] == ["rising", "spam"]
    assert trends[0].recent == 5


def test_an_admin_hides_a_trend_and_others_cannot(busy_week, cat, client_for, make_account):
    url = reverse("curation:hide_trend", args=["spam"])
    assert client_for(cat).post(url).status_code == 404
    admin = make_account("admin")
    account_actions.make_admin(admin)
    assert client_for(admin).post(url).status_code == 302
    assert [t.hashtag.name for t in hashtag_stats.trending()] == ["rising"]
    page = client_for(admin).get(reverse("curation:trending")).content.decode()
    assert "Let it trend" in page  # admins still see it, marked hidden
    assert "#Spam" not in client_for(cat).get(reverse("curation:trending")).content.decode()
    actions.unhide_trend(admin, _tag("Spam"))
    assert len(hashtag_stats.trending()) == 2


def test_trending_is_computed_from_the_last_week_only(busy_week):
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        assert hashtag_stats.trending() == []


def test_completion_offers_hashtags_by_prefix_shortest_first(ann, client):
    post_actions.post(ann, "#EduMatch #Education #EdTech #Art")
    response = client.get(reverse("curation:complete_hashtag") + "?q=%23edu")
    names = [t["display_name"] for t in response.json()["hashtags"]]
    assert names == ["EduMatch", "Education"]
    assert client.get(reverse("curation:complete_hashtag") + "?q=").json() == {"hashtags": []}


def test_the_composer_carries_the_completion_hook(ann, client_for):
    page = client_for(ann).get(reverse("home")).content.decode()
    assert f'data-hashtag-complete="{reverse("curation:complete_hashtag")}"' in page


def test_a_thread_offers_to_put_its_author_on_a_list(ann, bob, make_list, client_for):
    post = post_actions.post(ann, "hello")
    make_list(bob, "Teachers")
    url = reverse("post", args=["ann", post.pk])
    page = client_for(bob).get(url).content.decode()
    assert "Add to list" in page and "Teachers" in page
    response = client_for(bob).post(
        reverse("curation:add_to_list"),
        {"acct": "ann", "list": bob.lists.get().pk, "next": url},
    )
    assert response.status_code == 302 and response.url == url
    assert bob.lists.get().members.filter(account=ann).exists()
    assert "Add to list" not in client_for(ann).get(url).content.decode()


@pytest.mark.parametrize(
    "url", [reverse_lazy("curation:trending"), "/tags?any=STEM,Art&none=Politics"]
)
def test_trending_and_combined_pages_cost_the_same_queries_however_busy(
    busy_week, ann, client_for, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(ann)
    post_actions.post(busy_week[0], "#Art first #STEM")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(str(url)).status_code == 200
    few = len(queries)
    for n in range(12):
        post_actions.post(busy_week[n % 6], f"#Art {n} #STEM")
        post_actions.post(busy_week[n % 5], f"#Trend{n} #Trend{n + 1}")
    with django_assert_max_num_queries(few):
        assert client.get(str(url)).status_code == 200
