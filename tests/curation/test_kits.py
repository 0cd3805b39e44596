"""Starter kits: bundle people, hashtags, chats and public lists; follow what you keep ticked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow, FollowRequest
from confab.chats.models import ChatFollow
from confab.curation import actions
from confab.curation.models import FollowedHashtag, List, ListMember, ListSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(ann, make_kit):
    return make_kit(ann, description="Who I learn from.")


def test_it_keeps_the_limits_bluesky_and_the_issue_set():
    assert actions.MAX_KIT_PEOPLE == 150
    assert actions.MAX_KIT_HASHTAGS == 50
    assert actions.MAX_KIT_CHATS == 50


def test_it_refuses_the_person_past_the_limit_with_a_clear_error(
    ann, kit, make_account, monkeypatch
):
    monkeypatch.setattr(actions, "MAX_KIT_PEOPLE", 2)
    actions.add_kit_person(ann, kit, make_account())
    actions.add_kit_person(ann, kit, make_account())
    with pytest.raises(ValidationError, match="at most 2 people"):
        actions.add_kit_person(ann, kit, make_account())


def test_it_refuses_the_51st_hashtag(ann, kit):
    for n in range(50):
        actions.add_kit_hashtag(ann, kit, f"Tag{n}")
    actions.add_kit_hashtag(ann, kit, "Tag0")  # already there: no error
    with pytest.raises(ValidationError, match="at most 50 hashtags"):
        actions.add_kit_hashtag(ann, kit, "OneTooMany")


def test_it_refuses_a_blocked_person_with_a_422_and_a_message(ann, cat, kit, client_for):
    account_actions.block(cat, ann)
    response = client_for(ann).post(
        reverse("curation:add_to_kit", args=[kit.pk, "acct"]), {"acct": "cat"}
    )
    # cat blocks ann: to ann she does not exist.
    assert response.status_code == 422
    assert "nobody called cat" in response.content.decode()
    account_actions.unblock(cat, ann)
    account_actions.block(ann, cat)
    with pytest.raises(ValidationError, match="blocks the other"):
        actions.add_kit_person(ann, kit, cat)


def test_it_refuses_a_private_list(ann, kit, make_list, client_for):
    private = make_list(ann)
    response = client_for(ann).post(
        reverse("curation:add_to_kit", args=[kit.pk, "list"]), {"list": private.pk}
    )
    assert response.status_code == 422
    assert "is private" in response.content.decode()
    public = make_list(ann, "Open", visibility=List.Visibility.PUBLIC)
    actions.add_kit_list(ann, kit, public)


def test_only_the_owner_changes_a_kit(ann, cat, kit, client_for):
    client = client_for(cat)
    assert client.get(reverse("curation:edit_kit", args=[kit.pk])).status_code == 404
    response = client.post(
        reverse("curation:add_to_kit", args=[kit.pk, "hashtag"]), {"hashtag": "x"}
    )
    assert response.status_code == 404
    with pytest.raises(Http404):
        actions.add_kit_hashtag(cat, kit, "STEM")


def test_a_new_kit_needs_a_title(ann, client_for):
    response = client_for(ann).post(reverse("curation:new_kit"), {"title": " ", "description": ""})
    assert response.status_code == 422
    response = client_for(ann).post(reverse("curation:new_kit"), {"title": "Librarians"})
    assert response.status_code == 302


def test_anyone_opens_a_kit_but_someone_blocked_gets_404(ann, bob, cat, kit, client, client_for):
    actions.add_kit_person(ann, kit, bob)
    actions.add_kit_hashtag(ann, kit, "STEM")
    page = client.get(kit.get_absolute_url())
    assert page.status_code == 200
    assert "Bob Follower" in page.content.decode()
    assert "#STEM" in page.content.decode()
    account_actions.block(ann, cat)
    assert client_for(cat).get(kit.get_absolute_url()).status_code == 404
    assert client_for(cat).get(reverse("curation:follow_kit", args=[kit.pk])).status_code == 404


def test_a_kit_hides_a_person_who_blocks_the_reader(ann, bob, cat, kit, client_for):
    actions.add_kit_person(ann, kit, bob)
    account_actions.block(bob, cat)
    page = client_for(cat).get(kit.get_absolute_url()).content.decode()
    assert "Bob Follower" not in page


def test_a_list_turned_private_leaves_the_kit(ann, cat, kit, make_list, client_for):
    lst = make_list(ann, "Chemistry", visibility=List.Visibility.PUBLIC)
    actions.add_kit_list(ann, kit, lst)
    assert "Chemistry" in client_for(cat).get(kit.get_absolute_url()).content.decode()
    actions.update_list(ann, lst, actions.ListDetails(title="Chemistry"))
    assert "Chemistry" not in client_for(cat).get(kit.get_absolute_url()).content.decode()


def test_follow_all_follows_only_what_stays_ticked(
    ann, cat, kit, make_account, make_list, make_chat, client_for
):
    dan = make_account("dan", locked=True)
    eve = make_account("eve")
    for person in (cat, dan, eve):
        actions.add_kit_person(ann, kit, person)
    stem = actions.add_kit_hashtag(ann, kit, "STEM")
    art = actions.add_kit_hashtag(ann, kit, "Art")
    chat = make_chat(ann)
    actions.add_kit_chat(ann, kit, chat)
    lst = make_list(ann, "Chemistry", visibility=List.Visibility.PUBLIC)
    actions.add_kit_list(ann, kit, lst)
    newcomer = make_account("newcomer")
    client = client_for(newcomer)

    preview = client.get(reverse("curation:follow_kit", args=[kit.pk]))
    assert preview.status_code == 200
    assert preview.content.decode().count("checked") >= 7

    response = client.post(
        reverse("curation:follow_kit", args=[kit.pk]),
        {
            "person": [cat.pk, dan.pk],  # eve unticked
            "hashtag": [stem.pk],  # #Art unticked
            "list": [lst.pk],  # the chat unticked
            "exclusive": "on",
            "list_title": "Kit people",
        },
    )
    assert response.status_code == 302
    assert set(
        Follow.objects.filter(source=newcomer).values_list("target__username", flat=True)
    ) == {"cat"}
    assert FollowRequest.objects.filter(source=newcomer, target=dan).exists()
    assert not Follow.objects.filter(source=newcomer, target=eve).exists()
    assert list(
        FollowedHashtag.objects.filter(account=newcomer).values_list("hashtag", flat=True)
    ) == [stem.pk]
    assert not FollowedHashtag.objects.filter(account=newcomer, hashtag=art).exists()
    assert not ChatFollow.objects.filter(account=newcomer).exists()
    assert ListSubscription.objects.filter(account=newcomer, list=lst).exists()
    made = List.objects.get(owner=newcomer)
    assert made.exclusive and made.title == "Kit people"
    assert set(
        ListMember.objects.filter(list=made).values_list("account__username", flat=True)
    ) == {"cat", "dan"}


def test_follow_all_skips_people_blocked_either_way_and_ignores_foreign_ids(
    ann, bob, cat, kit, make_account
):
    actions.add_kit_person(ann, kit, bob)
    actions.add_kit_person(ann, kit, cat)
    newcomer = make_account("newcomer")
    outsider = make_account("outsider")
    account_actions.block(cat, newcomer)
    result = actions.follow_kit(
        newcomer,
        kit,
        actions.KitChoice(
            people={bob.pk, cat.pk, outsider.pk}, hashtags=set(), chats=set(), lists=set()
        ),
    )
    assert [a.username for a in result.followed] == ["bob"]
    assert [a.username for a in result.skipped] == ["cat"]
    assert not Follow.objects.filter(source=newcomer, target=outsider).exists()


def test_only_admins_feature_a_kit(ann, cat, kit, client_for, make_account):
    response = client_for(cat).post(
        reverse("curation:feature_kit", args=[kit.pk]), {"featured": "1"}
    )
    assert response.status_code == 404
    kit.refresh_from_db()
    assert not kit.featured
    admin = make_account("admin")
    account_actions.make_admin(admin)
    admin_client = client_for(admin)
    assert "Feature for newcomers" in admin_client.get(kit.get_absolute_url()).content.decode()
    admin_client.post(reverse("curation:feature_kit", args=[kit.pk]), {"featured": "1"})
    kit.refresh_from_db()
    assert kit.featured
    assert kit.title in client_for(cat).get(reverse("curation:kits")).content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["curation:kit", "curation:follow_kit", "curation:edit_kit"])
def test_kit_pages_cost_the_same_queries_for_3_and_20_items(
    ann, kit, make_account, make_list, client_for, page, django_assert_max_num_queries
):
    client = client_for(ann)
    url = reverse(page, args=[kit.pk])

    def fill(n: int, start: int) -> None:
        for i in range(start, start + n):
            actions.add_kit_person(ann, kit, make_account(f"p{i}"))
            actions.add_kit_hashtag(ann, kit, f"Tag{i}")
            actions.add_kit_list(
                ann, kit, make_list(ann, f"L{i}", visibility=List.Visibility.PUBLIC)
            )

    fill(3, 0)
    few = _count(client, url)
    assert few <= 16
    fill(17, 3)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
