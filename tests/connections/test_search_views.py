"""The search page: tabs, filters, paging, permissions and bad input through HTTP."""

import pytest
from django.test import Client
from django.urls import reverse

from confab.chats import actions as chat_actions
from confab.curation import actions as curation_actions
from tests.chats.conftest import details

pytestmark = pytest.mark.django_db
URL = reverse("connections:search")


def get(client, **params):
    return client.get(URL, params)


def test_an_empty_search_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="q"' in response.content


def test_signed_out_readers_find_public_posts_only(client, ann, make_post):
    make_post(ann, "public pelican")
    make_post(ann, "private pelican", visibility="private")
    make_post(ann, "direct pelican", visibility="direct")
    make_post(ann, "unlisted pelican", visibility="unlisted")
    response = get(client, q="pelican")
    assert response.status_code == 200
    assert b"public pelican" in response.content
    assert b"unlisted pelican" not in response.content
    assert b"private pelican" not in response.content
    assert b"direct pelican" not in response.content


def test_a_refused_person_does_not_find_a_direct_post(client_for, ann, bob, cat, make_post):
    make_post(ann, "@bob our heron plan", visibility="direct")
    assert b"heron plan" in get(client_for(bob), q="heron").content
    assert b"heron plan" not in get(client_for(cat), q="heron").content


def test_people_tab(client, make_account, ann):
    make_account("riverside", display_name="Rita River", note="Maker space in Austin")
    make_account("zed", display_name="Zed", note="I like rivers")
    response = get(client, q="river", type="people")
    content = response.content.decode()
    assert response.status_code == 200
    assert "@riverside" in content and "@zed" in content
    assert content.index("@riverside") < content.index("@zed")  # username before bio
    assert "@ann" not in content


def test_people_are_found_by_interest_and_city(client, make_account):
    teacher = make_account("tina", city_label="Austin, Texas, United States")
    curation_actions.set_interests(teacher, ["STEM", "FlipGrid"])
    assert b"@tina" in get(client, q="flipgrid", type="people").content
    assert b"@tina" in get(client, q="austin stem", type="people").content
    assert b"@tina" not in get(client, q="austin chess", type="people").content


def test_blocked_people_are_not_found(client_for, ann, cat):
    from confab.accounts import actions as account_actions

    account_actions.block(ann, cat)
    assert b"@ann" not in get(client_for(cat), q="ann", type="people").content
    assert b"@cat" not in get(client_for(ann), q="cat", type="people").content


def test_hashtags_tab_shows_hashtags_in_public_use(client, ann, make_post):
    make_post(ann, "hello #EduMatch and #EduTech")
    make_post(ann, "psst #EduSecret", visibility="direct")
    content = get(client, q="#edu", type="hashtags").content.decode()
    assert "#EduMatch" in content and "#EduTech" in content
    assert "EduSecret" not in content
    exact = get(client, q="edu match", type="hashtags").content.decode()
    assert exact.index("#EduMatch") < exact.index("#EduTech")


def test_chats_tab(client, ann):
    chat_actions.create_chat(ann, "EduMatch", details())
    content = get(client, q="educators", type="chats").content.decode()
    assert "Educators who match" in content
    assert "Educators who match" in get(client, q="#edumatch", type="chats").content.decode()
    assert "Educators who match" not in get(client, q="knitting", type="chats").content.decode()


def test_form_filters(client, ann, bob, make_post):
    make_post(ann, "kayak trip #outdoors")
    make_post(bob, "kayak repair")
    content = get(client, q="kayak", author="@ann", hashtag="#Outdoors").content.decode()
    assert "kayak trip" in content and "kayak repair" not in content


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x", "since": "yesterday"}, "since"),
        ({"q": "x", "author": "not a name!"}, "author"),
        ({"q": "x", "hashtag": "#no spaces"}, "hashtag"),
        ({"q": "x", "since": "2025-02-01", "until": "2025-01-01"}, "until"),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, params, field):
    response = get(client, **params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(
    "q",
    ['"', "* OR *", "NEAR(a b)", "(((", "from: #", "a" * 10_000, "東京 🙂 مرحبا", "x:y:z"],
)
@pytest.mark.parametrize("tab", ["posts", "people", "hashtags", "chats", "bogus"])
def test_any_input_is_a_page(client, ann, make_post, q, tab):
    make_post(ann, "something to find")
    response = get(client, q=q, type=tab, offset="99999999999999999999")
    assert response.status_code in (200, 400)
    if tab != "bogus":
        assert response.status_code == 200


def test_paging_links_work_without_javascript(client, ann, make_post, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        make_post(ann, f"marmot sighting {n}")
    first = get(client, q="marmot")
    assert b"offset=2" in first.content
    second = get(client, q="marmot", offset="2")
    assert b"marmot sighting 0" in second.content
    assert b"offset=0" in second.content


def test_the_posts_tab_has_a_fixed_number_of_queries(
    client_for, bob, ann, make_post, django_assert_max_num_queries
):
    for n in range(3):
        make_post(ann, f"otter {n} #rivers")
    viewer = client_for(bob)
    get(viewer, q="otter")  # warm up the session and caches
    with django_assert_max_num_queries(14):
        small = get(viewer, q="otter #rivers from:ann")
    for n in range(15):
        make_post(ann, f"otter more {n} #rivers")
    with django_assert_max_num_queries(14):
        big = get(viewer, q="otter #rivers from:ann")
    assert small.status_code == big.status_code == 200
    assert big.content.count(b"otter more") == 15


@pytest.mark.parametrize("tab", ["people", "hashtags", "chats"])
def test_other_tabs_have_a_fixed_number_of_queries(
    client, make_account, ann, tab, django_assert_max_num_queries
):
    for n in range(12):
        person = make_account(f"bird{n}", note="birdwatcher")
        curation_actions.set_interests(person, [f"bird{n}"])
        chat_actions.create_chat(person, f"BirdChat{n}", details(title=f"Bird chat {n}"))
    with django_assert_max_num_queries(8):
        response = get(client, q="bird", type=tab)
    assert response.status_code == 200
    assert response.content.count(b"bird") >= 12


def test_htmx_fragment(client, ann, make_post):
    make_post(ann, "fragment finch")
    response = client.get(URL, {"q": "finch", "fragment": "results"}, HTTP_HX_REQUEST="true")
    assert b"fragment finch" in response.content
    assert b"<html" not in response.content


def test_search_url_name():
    assert URL == "/search"
    assert isinstance(Client(), Client)
