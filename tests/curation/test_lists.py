"""Lists: who may see them, who may be on them, and what their timelines hold.

ann keeps lists; bob follows ann; cat is the outsider who must get a 404 where she has none
of her business.
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.curation import actions, queries
from confab.curation.actions import ListDetails
from confab.curation.models import List, ListMember, ListSubscription
from confab.posts.models import Visibility

pytestmark = pytest.mark.django_db

PUBLIC = List.Visibility.PUBLIC


def _ids(rows) -> list[int]:
    return [post.id for post in rows.order_by("-id")]


def test_it_shows_a_private_list_to_its_owner_only(ann, cat, make_list, client_for):
    lst = make_list(ann)
    assert client_for(ann).get(reverse("curation:list", args=[lst.pk])).status_code == 200
    for client in (client_for(cat), Client()):
        assert client.get(reverse("curation:list", args=[lst.pk])).status_code == 404
        assert client.get(reverse("curation:members", args=[lst.pk])).status_code == 404
        response = client.get(reverse("curation:list", args=[lst.pk]) + "?fragment=page")
        assert response.status_code == 404
    with pytest.raises(Http404):
        queries.get_list_for(cat, lst.pk)


def test_it_refuses_others_the_owners_buttons(ann, cat, make_list, client_for):
    lst = make_list(ann, visibility=PUBLIC)
    client = client_for(cat)
    assert client.get(reverse("curation:edit", args=[lst.pk])).status_code == 404
    assert client.post(reverse("curation:delete", args=[lst.pk])).status_code == 404
    response = client.post(reverse("curation:add_member", args=[lst.pk]), {"acct": "cat"})
    assert response.status_code == 404
    assert not ListMember.objects.exists()
    assert List.objects.filter(pk=lst.pk).exists()


def test_it_shows_a_public_list_to_anyone(ann, bob, cat, make_list, make_post, client_for):
    lst = make_list(ann, visibility=PUBLIC)
    actions.add_member(ann, lst, bob)
    make_post(bob, "Lab notes")
    for client in (client_for(cat), Client()):
        response = client.get(reverse("curation:list", args=[lst.pk]))
        assert response.status_code == 200
        assert "Lab notes" in response.content.decode()


def test_it_hides_a_public_list_from_someone_its_owner_blocked(ann, cat, make_list, client_for):
    lst = make_list(ann, visibility=PUBLIC)
    account_actions.block(ann, cat)
    assert client_for(cat).get(reverse("curation:list", args=[lst.pk])).status_code == 404


def test_it_takes_a_list_that_turns_private_away_from_subscribers(ann, cat, make_list, client_for):
    lst = make_list(ann, visibility=PUBLIC)
    client = client_for(cat)
    client.post(reverse("curation:subscribe", args=[lst.pk]))
    assert ListSubscription.objects.filter(list=lst, account=cat).exists()
    assert lst.title in client.get(reverse("curation:lists")).content.decode()

    actions.update_list(ann, lst, ListDetails(title=lst.title, visibility=List.Visibility.PRIVATE))

    assert client.get(reverse("curation:list", args=[lst.pk])).status_code == 404
    assert lst.title not in client.get(reverse("curation:lists")).content.decode()
    assert not ListSubscription.objects.filter(list=lst).exists()


def test_it_refuses_subscribing_to_ones_own_or_a_private_list(ann, cat, make_list):
    mine = make_list(ann, visibility=PUBLIC)
    with pytest.raises(ValidationError):
        actions.subscribe(ann, mine)
    private = make_list(ann, "Private")
    with pytest.raises(Http404):
        actions.subscribe(cat, private)


def test_it_shows_the_subscriber_count_to_the_owner_only(ann, bob, cat, make_list, client_for):
    lst = make_list(ann, visibility=PUBLIC)
    actions.subscribe(bob, lst)
    actions.subscribe(cat, lst)
    assert "2</strong> subscribers" in client_for(ann).get(lst.get_absolute_url()).content.decode()
    assert "subscriber" not in client_for(cat).get(lst.get_absolute_url()).content.decode()


def test_it_adds_people_one_does_not_follow(ann, cat, make_list, make_post):
    lst = make_list(ann)
    actions.add_member(ann, lst, cat)
    post = make_post(cat, "A stranger's thought")
    assert _ids(queries.list_posts(ann, lst)) == [post.id]


def test_it_refuses_to_add_someone_blocked_either_way(ann, bob, cat, make_list):
    lst = make_list(ann)
    account_actions.block(ann, bob)
    account_actions.block(cat, ann)
    for person in (bob, cat):
        with pytest.raises(ValidationError, match="blocks the other"):
            actions.add_member(ann, lst, person)
    assert not ListMember.objects.exists()


def test_it_adds_from_a_profile(ann, cat, make_list, client_for):
    lst = make_list(ann)
    client = client_for(ann)
    profile = client.get(reverse("profile", args=["cat"])).content.decode()
    assert "Add to list" in profile
    assert lst.title in profile
    response = client.post(
        reverse("curation:add_to_list"), {"list": lst.pk, "acct": "cat", "next": "/@cat"}
    )
    assert response.status_code == 302
    assert ListMember.objects.filter(list=lst, account=cat).exists()
    client.post(reverse("curation:remove_from_list"), {"list": lst.pk, "acct": "cat"})
    assert not ListMember.objects.exists()


def test_it_does_not_let_a_profile_form_add_to_someone_elses_list(
    ann, bob, cat, make_list, client_for
):
    lst = make_list(ann)
    response = client_for(cat).post(
        reverse("curation:add_to_list"), {"list": lst.pk, "acct": "bob"}
    )
    assert response.status_code == 404
    assert not ListMember.objects.exists()


def test_a_member_who_blocks_the_reader_disappears_from_the_list(
    ann, bob, cat, make_list, make_post
):
    lst = make_list(ann)
    actions.add_member(ann, lst, bob)
    actions.add_member(ann, lst, cat)
    make_post(bob, "bob writes")
    kept = make_post(cat, "cat writes")
    account_actions.block(bob, ann)
    assert _ids(queries.list_posts(ann, lst)) == [kept.id]
    assert bob not in queries.list_members(ann, lst)


def test_it_shows_members_posts_and_public_posts_with_its_hashtags_once(
    ann, bob, cat, make_list, make_post
):
    lst = make_list(ann)
    actions.add_member(ann, lst, bob)
    actions.add_hashtag(ann, lst, "STEM")
    by_member = make_post(bob, "Plain words")
    both = make_post(bob, "Tagged #STEM")
    by_tag = make_post(cat, "From cat #stem")
    make_post(cat, "Quiet #STEM", visibility=Visibility.UNLISTED)
    make_post(cat, "Unrelated")
    assert _ids(queries.list_posts(ann, lst)) == [by_tag.id, both.id, by_member.id]


def test_it_shows_replies_as_the_replies_policy_says(
    ann, bob, cat, make_account, make_list, make_post
):
    dan = make_account("dan")
    account_actions.follow(ann, dan)  # ann follows dan; nobody on the list follows cat
    start = {who.username: make_post(who, f"{who.username} starts") for who in (bob, cat, dan)}
    lists = {
        policy: make_list(ann, policy, replies_policy=policy)
        for policy in List.RepliesPolicy.values
    }
    for lst in lists.values():
        actions.add_member(ann, lst, bob)
        actions.add_member(ann, lst, cat)
    to_member = make_post(bob, "@cat to a member", in_reply_to_id=start["cat"].id)
    to_followed = make_post(bob, "@dan to someone ann follows", in_reply_to_id=start["dan"].id)
    to_self = make_post(bob, "and another thing", in_reply_to_id=start["bob"].id)

    def replies(policy: str) -> set[int]:
        return set(_ids(queries.list_posts(ann, lists[policy]))) - {p.id for p in start.values()}

    assert replies("none") == {to_self.id}
    assert replies("members") == {to_member.id, to_self.id}
    assert replies("followed") == {to_followed.id, to_self.id}


def test_an_exclusive_list_takes_its_members_out_of_home(
    ann, bob, make_account, make_list, make_post
):
    from confab.timelines import queries as feeds

    dan = make_account("dan")
    account_actions.follow(bob, dan)
    from_ann = make_post(ann, "ann writes")
    from_dan = make_post(dan, "dan writes")
    own = make_post(bob, "bob writes")
    assert _ids(feeds.home(bob)) == [own.id, from_dan.id, from_ann.id]

    lst = make_list(bob, exclusive=True)
    actions.add_member(bob, lst, ann)
    actions.add_member(bob, lst, bob)  # one's own posts stay at home all the same
    assert _ids(feeds.home(bob)) == [own.id, from_dan.id]
    assert _ids(queries.list_posts(bob, lst)) == [own.id, from_ann.id]

    actions.update_list(bob, lst, ListDetails(title=lst.title, exclusive=False))
    assert _ids(feeds.home(bob)) == [own.id, from_dan.id, from_ann.id]


def test_it_limits_lists_per_person(ann, make_list):
    for n in range(actions.MAX_LISTS):
        make_list(ann, f"List {n}")
    with pytest.raises(ValidationError, match="at most 100 lists"):
        make_list(ann, "One too many")


def test_it_limits_members_per_list(ann, make_account, make_list, monkeypatch):
    monkeypatch.setattr(actions, "MAX_LIST_MEMBERS", 2)
    lst = make_list(ann)
    actions.add_member(ann, lst, make_account())
    actions.add_member(ann, lst, make_account())
    with pytest.raises(ValidationError, match="at most 2 members"):
        actions.add_member(ann, lst, make_account())


def test_it_says_what_is_wrong_with_a_list_form(ann, client_for):
    response = client_for(ann).post(
        reverse("curation:new"),
        {"title": "", "visibility": "public", "replies_policy": "members"},
    )
    assert response.status_code == 422
    assert not List.objects.exists()
    response = client_for(ann).post(
        reverse("curation:new"),
        {"title": "Science teachers", "visibility": "public", "replies_policy": "followed"},
    )
    lst = List.objects.get()
    assert response.headers["Location"] == lst.get_absolute_url()
    assert (lst.visibility, lst.replies_policy, lst.exclusive) == ("public", "followed", False)


def test_it_edits_and_deletes_a_list(ann, make_list, client_for):
    lst = make_list(ann)
    client = client_for(ann)
    client.post(
        reverse("curation:edit", args=[lst.pk]),
        {
            "title": "Chemistry",
            "description": "Lab people",
            "visibility": "public",
            "replies_policy": "none",
            "exclusive": "on",
        },
    )
    lst.refresh_from_db()
    assert (lst.title, lst.description, lst.visibility) == ("Chemistry", "Lab people", "public")
    assert (lst.replies_policy, lst.exclusive) == ("none", True)
    client.post(reverse("curation:delete", args=[lst.pk]))
    assert not List.objects.exists()


def test_it_copies_a_public_list_into_a_private_one_of_ones_own(
    ann, bob, cat, make_account, make_list, client_for
):
    dan = make_account("dan")
    lst = make_list(ann, "Chemists", visibility=PUBLIC)
    for person in (bob, dan):
        actions.add_member(ann, lst, person)
    actions.add_hashtag(ann, lst, "Chemistry")
    account_actions.block(dan, cat)  # dan stays out of cat's copy

    response = client_for(cat).post(reverse("curation:copy", args=[lst.pk]))

    copy = List.objects.get(owner=cat)
    assert response.headers["Location"] == copy.get_absolute_url()
    assert copy.title == "Chemists"
    assert copy.visibility == List.Visibility.PRIVATE
    assert list(queries.list_members(cat, copy)) == [bob]
    assert [t.name for t in queries.list_hashtags(copy)] == ["chemistry"]
    # The copy is cat's own: changing it leaves ann's list alone.
    actions.remove_member(cat, copy, bob)
    assert ListMember.objects.filter(list=lst).count() == 2


def test_it_does_not_copy_a_private_list_of_someone_else(ann, cat, make_list, client_for):
    lst = make_list(ann)
    assert client_for(cat).post(reverse("curation:copy", args=[lst.pk])).status_code == 404
    with pytest.raises(Http404):
        actions.copy_list(cat, lst)


def test_list_pages_compiled_once_match_the_plain_query(
    ann, bob, cat, make_account, make_list, make_post
):
    from confab.core.paging import paginate
    from confab.timelines import queries as feeds

    dan = make_account("dan")
    account_actions.follow(ann, dan)
    account_actions.block(dan, cat)
    lists = []
    for n, policy in enumerate(List.RepliesPolicy.values):
        lst = make_list(ann, f"{policy} list", replies_policy=policy)
        actions.add_member(ann, lst, bob)
        actions.add_member(ann, lst, cat)
        if n:
            actions.add_hashtag(ann, lst, "Pedagogy")
        lists.append(lst)
    for n in range(6):
        first = make_post(cat, f"cat {n} #Pedagogy")
        make_post(dan, f"dan {n} #Pedagogy")
        make_post(bob, f"@cat bob answers {n}", in_reply_to_id=first.id)
        make_post(bob, f"@dan bob to dan {n}", in_reply_to_id=first.id)
        make_post(cat, f"cat private {n}", visibility=Visibility.PRIVATE)

    for reader in (ann, bob, cat, dan, None):
        for lst in lists:
            plain = paginate(queries.list_posts(reader, lst), limit=4)
            compiled = paginate(
                None, shape=queries.list_shape(reader, lst), load=feeds.cards(reader), limit=4
            )
            assert [r.id for r in compiled.items] == [p.id for p in plain.items], (
                reader,
                lst.replies_policy,
            )
            if plain.items:
                paging = {"max_id": plain.items[-1].id}
                older = paginate(queries.list_posts(reader, lst), limit=4, **paging)
                shaped = paginate(
                    None,
                    shape=queries.list_shape(reader, lst),
                    load=feeds.cards(reader),
                    limit=4,
                    **paging,
                )
                assert [r.id for r in shaped.items] == [p.id for p in older.items]
