"""The search contract: the same fixtures and the same answers on SQLite (FTS5) and
PostgreSQL (full-text search). The normal suite runs this file on both databases."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from confab.accounts import actions as account_actions
from confab.connections.search import queries
from confab.connections.search.engines import PostgreSQLIndex, SQLiteIndex, post_index
from confab.connections.search.parse import parse
from confab.core.ids import id_for_time
from confab.posts import actions as post_actions

pytestmark = pytest.mark.django_db


def texts(viewer, raw: str, **kwargs) -> list[str]:
    return [post.text for post in queries.search_posts(viewer, parse(raw), **kwargs).items]


@pytest.fixture
def garden(ann, bob, cat, make_post):
    """ann writes about gardens publicly, to followers (bob) and directly to bob."""
    return {
        "triple": make_post(ann, "garden garden garden tips"),
        "long": make_post(
            cat, "one garden among many other words about weather, soil, tools and sheds"
        ),
        "private": make_post(ann, "secret garden plans for followers", visibility="private"),
        "direct": make_post(ann, "@bob a direct garden note", visibility="direct"),
        "unlisted": make_post(ann, "unlisted garden corner", visibility="unlisted"),
    }


def test_the_engine_is_chosen_by_the_database():
    expected = PostgreSQLIndex if connection.vendor == "postgresql" else SQLiteIndex
    assert isinstance(post_index(), expected)


def test_words_prefixes_and_phrases(ann, make_post):
    make_post(ann, "Teachers sharing maker space ideas")
    make_post(ann, "A space for makers, ideas welcome")
    assert texts(None, "teach") == ["Teachers sharing maker space ideas"]
    # Whole words first; prefixes only when whole words find nothing.
    assert texts(None, "maker ideas") == ["Teachers sharing maker space ideas"]
    assert sorted(texts(None, "space ideas")) == [
        "A space for makers, ideas welcome",
        "Teachers sharing maker space ideas",
    ]
    assert texts(None, "makers welc") == ["A space for makers, ideas welcome"]
    assert texts(None, '"maker space"') == ["Teachers sharing maker space ideas"]
    assert texts(None, '"space maker"') == []
    assert texts(None, "MAKER SPACE IDEAS sharing") == ["Teachers sharing maker space ideas"]
    assert texts(None, "gardening") == []


def test_more_relevant_posts_come_first(garden):
    # More of the word first; a long post that mentions it once, last.
    assert texts(None, "garden") == [
        "garden garden garden tips",
        "one garden among many other words about weather, soil, tools and sheds",
    ]


def test_visibility_matrix(garden, ann, bob, cat):
    everyone = {"garden garden garden tips"}
    cats = "one garden among many other words about weather, soil, tools and sheds"
    assert set(texts(None, "garden")) == everyone | {cats}
    # Unlisted posts are not listed for strangers: only for the author and followers.
    assert set(texts(cat, "garden")) == everyone | {cats}
    assert set(texts(bob, "garden")) == everyone | {
        cats,
        "unlisted garden corner",
        "secret garden plans for followers",
        "@bob a direct garden note",
    }
    assert set(texts(ann, "garden")) == set(texts(bob, "garden"))


def test_a_direct_post_is_found_only_by_its_author_and_mentioned_people(garden, cat, make_account):
    dan = make_account("dan")
    for outsider in (None, cat, dan):
        assert texts(outsider, "direct") == []
    assert texts(garden["direct"].account, "direct") == ["@bob a direct garden note"]


def test_blocks_hide_posts_both_ways(garden, ann, cat):
    account_actions.block(cat, ann)
    assert texts(cat, "garden") == [
        "one garden among many other words about weather, soil, tools and sheds"
    ]
    assert "one garden among many other words about weather, soil, tools and sheds" not in texts(
        ann, "garden"
    )


def test_mutes_hide_posts(garden, bob, ann):
    account_actions.mute(bob, ann)
    assert texts(bob, "garden") == [
        "one garden among many other words about weather, soil, tools and sheds"
    ]


def test_from_hashtag_and_dates(ann, cat, make_post):
    old = datetime(2025, 1, 10, 12, tzinfo=UTC)
    # Back-dated posts (demo data, imports) get an id of their time, as the snowflakes say.
    make_post(ann, "Soup recipes #Food", created_at=old, post_id=id_for_time(old))
    make_post(ann, "Soup for everyone")
    make_post(cat, "Soup again #food")
    assert sorted(texts(None, "soup from:ann")) == ["Soup for everyone", "Soup recipes #Food"]
    assert texts(None, "soup from:@ANN #food") == ["Soup recipes #Food"]
    assert sorted(texts(None, "#food")) == ["Soup again #food", "Soup recipes #Food"]
    make_post(cat, "Soup at sea #food #Travel")
    assert texts(None, "#food #travel") == ["Soup at sea #food #Travel"]
    assert texts(None, "soup #travel #food from:cat") == ["Soup at sea #food #Travel"]
    assert texts(None, "from:cat") == ["Soup at sea #food #Travel", "Soup again #food"]
    assert texts(None, "soup until:2025-01-10") == ["Soup recipes #Food"]
    assert texts(None, "soup until:2025-01-09") == []
    assert sorted(texts(None, "soup since:2025-01-11")) == [
        "Soup again #food",
        "Soup at sea #food #Travel",
        "Soup for everyone",
    ]
    assert texts(None, "soup from:nobody") == []
    assert texts(None, "soup #neverused") == []


def test_the_index_follows_edits_and_deletions(ann, make_post):
    post = make_post(ann, "first draft about otters")
    phrases = parse("otters").phrases
    assert [m.post_id for m in post_index().matches(phrases, limit=10)] == [post.pk]
    post_actions.edit(ann, post.pk, "second draft about beavers")
    assert post_index().matches(phrases, limit=10) == []
    assert texts(None, "beavers") == ["second draft about beavers"]
    post_actions.delete(ann, post.pk)
    assert post_index().matches(parse("beavers").phrases, limit=10) == []
    assert texts(None, "beavers") == []


def test_a_deleted_account_leaves_nothing_in_the_index(make_account, make_post):
    dan = make_account("dan")
    make_post(dan, "wombats everywhere")
    dan.user.delete()
    assert post_index().matches(parse("wombats").phrases, limit=10) == []


def test_boosts_are_not_results_of_their_own(ann, bob, make_post):
    original = make_post(ann, "lighthouse photos")
    post_actions.boost(bob, original.pk)
    assert texts(None, "lighthouse") == ["lighthouse photos"]
    assert texts(None, "lighthouse from:bob") == []


@pytest.mark.parametrize(
    "text, query",
    [
        ("東京タワーに行く", "東京"),
        ("مرحبا بالعالم الجميل", "بالعالم"),
        ("Привет, мир", "мир"),
        ("café au lait", "café"),
        ("snake_case and e-mail", "snake_case"),
        ("snake_case and e-mail", "e-mail"),
    ],
)
def test_any_script(ann, make_post, text, query):
    make_post(ann, text)
    assert texts(None, query) == [text]


HOSTILE = [
    '"',
    '""""',
    "*",
    "* OR *",
    "NEAR(a b, 2)",
    "a OR b AND NOT c",
    "col:umn text: {text}: ^start",
    "((((",
    "))) AND (",
    "'; DROP TABLE posts_post; --",
    "\\ \\' \\\"",
    "from: #  since:not-a-date until:9999-12-31 since:0001-01-01",
    "-garden +garden ~garden garden!",
    "🙂🙃 👩‍💻",
    "\x00\x01 tab\tnew\nline",
    "a" * 10_000,
    "garden " * 2000,
    "東京" * 3000,
    "| & ! <-> :* <2>",
    "%_% LIKE '%'",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_input_gives_results_or_nothing(garden, bob, raw):
    for tab, search in queries.SEARCHES.items():
        for viewer in (None, bob):
            result = search(viewer, parse(raw))
            assert isinstance(result.items, list), tab


def test_punctuation_is_not_syntax(garden):
    assert texts(None, 'garden" OR "secret') == []  # "garden" and "or" and "secret"
    assert "garden garden garden tips" in texts(None, "garden* ((")
    assert texts(None, "garden* NEAR(") == []  # "near" is a word like any other


def test_dates_at_the_ends_of_the_calendar_are_safe(garden):
    assert texts(None, "garden until:9999-12-31 since:0001-01-01")
    assert texts(None, "garden since:9999-12-31") == []


def test_paging_by_offset(ann, make_post):
    for n in range(5):
        make_post(ann, f"kite number {n}")
    first = queries.search_posts(None, parse("kite"), size=2)
    second = queries.search_posts(None, parse("kite"), offset=2, size=2)
    third = queries.search_posts(None, parse("kite"), offset=4, size=2)
    seen = [p.text for p in first.items + second.items + third.items]
    assert sorted(seen) == [f"kite number {n}" for n in range(5)]
    assert (first.next_offset, second.next_offset, third.next_offset) == (2, 4, None)
    assert third.prev_offset == 2


def test_filters_from_the_form_and_the_box_agree(ann, make_post):
    make_post(ann, "rain today #weather")
    yesterday = date.today() - timedelta(days=1)
    assert texts(None, f"rain from:ann #weather since:{yesterday.isoformat()}") == [
        "rain today #weather"
    ]


def test_a_hashtag_alone_lists_visible_posts_newest_first(ann, bob, cat, make_post):
    make_post(ann, "first #Birds")
    make_post(ann, "followers only #birds", visibility="private")
    make_post(ann, "direct to @bob #birds", visibility="direct")
    make_post(cat, "last #birds")
    assert texts(None, "#birds") == ["last #birds", "first #Birds"]
    assert texts(cat, "#birds") == ["last #birds", "first #Birds"]
    assert texts(bob, "#birds") == [
        "last #birds",
        "direct to @bob #birds",
        "followers only #birds",
        "first #Birds",
    ]
    account_actions.mute(bob, cat)
    assert texts(bob, "#BIRDS")[0] == "direct to @bob #birds"
    assert texts(bob, "#birds since:2000-01-01 until:9999-12-31")[0] == "direct to @bob #birds"


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_runs_on_the_engine(raw):
    query = parse(raw)
    for prefix in (False, True):
        assert isinstance(post_index().matches(query.phrases, limit=5, prefix=prefix), list)
    assert isinstance(queries.search_posts(None, query).items, list)


def test_matches_of_any_age_are_found_newest_first(ann, make_post):
    now = datetime.now(UTC)
    for days in (400, 40, 2, 0):
        moment = now - timedelta(days=days, minutes=5)
        make_post(ann, f"walrus {days}", created_at=moment, post_id=id_for_time(moment))
    found = post_index().matches(parse("walrus").phrases, limit=10)
    assert len(found) == 4
    assert [m.post_id for m in found] == sorted((m.post_id for m in found), reverse=True)
    assert [m.post_id for m in post_index().matches(parse("walrus").phrases, limit=2)] == [
        m.post_id for m in found[:2]
    ]
    below = found[1].post_id
    older = post_index().matches(parse("walrus").phrases, below_id=below, limit=10)
    assert [m.post_id for m in older] == [m.post_id for m in found[2:]]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers")
def test_triggers_a_table_rebuild_dropped_come_back_and_the_index_catches_up(ann, cat):
    from confab.connections.search import schema

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER connections_post_fts_insert")
    missed = post_actions.post(ann, "written while the trigger was gone #lost")

    assert schema.ensure_triggers(connection) == ["connections_post_fts_insert"]
    assert schema.ensure_triggers(connection) == []
    later = post_actions.post(ann, "written after it came back #lost")
    found = {post.id for post in queries.search_posts(cat, parse("lost")).items}
    assert {missed.id, later.id} <= found
