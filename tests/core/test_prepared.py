"""Queries compiled once per shape and run with new values (confab/core/prepared.py).

Each prepared form is held to the plain queryset it replaces: same rows, same order, same
annotations, for different readers and every kind of paging.
"""

import pytest
from django.db import connection

from confab.accounts import actions as account_actions
from confab.core.paging import paginate
from confab.core.prepared import Prepared, compile_queryset, prepared, sentinels
from confab.posts import actions as post_actions
from confab.posts.cards import card_row
from confab.posts.models import Post, Visibility
from confab.posts.queries import decorate
from confab.timelines import queries
from tests.timelines.test_query_counts import _png

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(ann, bob, cat, make_account):
    """A mixed community: follows, a followed hashtag, private posts, boosts, a block."""
    dee = make_account("dee")
    account_actions.follow(bob, cat)
    account_actions.follow(dee, ann)
    account_actions.block(dee, cat)
    from confab.curation import actions as curation_actions

    curation_actions.follow_hashtag(bob, "Pedagogy")
    for n in range(9):
        original = post_actions.post(
            ann,
            f"ann {n} #Pedagogy",
            media=[post_actions.Upload(_png(), "a square")] if n % 3 == 0 else (),
        )
        post_actions.post(cat, f"cat {n}", visibility=Visibility.PRIVATE if n % 2 else "public")
        post_actions.post(dee, f"dee {n} #Pedagogy")
        post_actions.boost(cat, original.pk)
        post_actions.favourite(bob, original.pk)
    return [ann, bob, cat, dee]


def _plain_page(reader, **paging):
    return paginate(queries.home(reader), parts=queries.home_parts(reader), limit=5, **paging)


def _prepared_page(reader, **paging):
    load = queries.cards(reader)
    return paginate(None, shape=queries.home_shape(reader), load=load, limit=5, **paging)


def test_home_pages_match_the_plain_queries_for_every_reader_and_paging(timeline):
    for reader in timeline:
        first = _plain_page(reader)
        assert [p.pk for p in _prepared_page(reader).items] == [p.pk for p in first.items]
        if not first.items:
            continue
        middle = first.items[2].pk
        for paging in ({"max_id": middle}, {"since_id": middle}, {"min_id": middle}):
            plain = [p.pk for p in _plain_page(reader, **paging).items]
            assert [p.pk for p in _prepared_page(reader, **paging).items] == plain, paging


@pytest.mark.parametrize("with_replies", [False, True])
def test_profile_pages_match_the_plain_queries(timeline, with_replies):
    for reader in [*timeline, None]:
        for person in timeline:
            plain = paginate(queries.profile(reader, person, with_replies=with_replies), limit=4)
            prepared_page = paginate(
                None,
                shape=queries.profile_shape(reader, person, with_replies=with_replies),
                load=queries.cards(reader),
                limit=4,
            )
            assert [p.pk for p in prepared_page.items] == [p.pk for p in plain.items]
            assert prepared_page.older == plain.older


def test_prepared_cards_carry_what_the_plain_queryset_gives(timeline, django_assert_num_queries):
    for reader in [*timeline, None]:
        ids = list(Post.objects.order_by("-id").values_list("id", flat=True)[:12])
        plain = {p.pk: card_row(p) for p in decorate(Post.objects.filter(pk__in=ids), reader)}
        with django_assert_num_queries(2):  # the posts, and their attachments
            loaded = queries.cards(reader)(ids)
        assert {row.id: row for row in loaded} == plain
    assert any(row.face.media for row in loaded)
    assert any(row.face.booster for row in loaded)
    assert any(row.favourited for row in queries.cards(timeline[1])(ids))


def test_a_page_without_attachments_does_not_look_for_them(timeline, django_assert_num_queries):
    plain = Post.objects.filter(media__isnull=True).exclude(boost_of__media__isnull=False)
    ids = list(plain.values_list("id", flat=True)[:6])
    with django_assert_num_queries(1):
        loaded = queries.cards(timeline[1])(ids)
    assert len(loaded) == 6 and not any(row.face.media for row in loaded)


def test_a_post_shown_twice_has_its_media_both_times(timeline):
    ann, bob, cat = timeline[:3]
    with_media = Post.objects.filter(account=ann, media__isnull=False).first()
    boost = Post.objects.get(account=cat, boost_of=with_media)
    loaded = queries.cards(bob)([boost.pk, with_media.pk])
    assert [len(row.face.media) for row in loaded] == [1, 1]


def test_a_signed_out_reader_gets_no_viewer_marks(timeline):
    bob = timeline[1]
    ids = list(Post.objects.filter(favourites__account=bob).values_list("id", flat=True)[:3])
    loaded = queries.cards(None)(ids)
    assert len(loaded) == 3
    assert not any(row.favourited or row.boosted or row.bookmarked for row in loaded)


def test_a_value_written_into_the_sql_is_refused():
    stand_ins = sentinels(["reader"])
    written = Post.objects.extra(where=[f'"posts_post"."id" <> {stand_ins["reader"]}'])  # noqa: S610
    with pytest.raises(ValueError, match="written into its SQL"):
        compile_queryset(written, stand_ins)


def test_a_value_no_query_takes_is_refused():
    stand_ins = sentinels(["reader", "forgotten"])
    cache = Prepared()
    with pytest.raises(ValueError, match="forgotten"):
        cache.get("key", lambda: ([Post.objects.filter(account_id=stand_ins["reader"])], stand_ins))


def test_one_form_serves_every_reader(timeline):
    prepared.clear()
    for reader in timeline:
        _prepared_page(reader)
    forms = [key for key in prepared._compiled if key[0][0] == "home"]
    # Readers differ in followed hashtags (bob follows one), so two forms, not four.
    assert len(forms) == 2
    assert connection.vendor in {key[0][1] for key in forms}
