"""The post card rendered in Python: what people wrote is escaped, links match the URLconf."""

from django.urls import reverse, set_script_prefix

from confab.accounts import actions as account_actions
from confab.posts import actions
from confab.posts.cards import CardContext, render_card, url
from confab.posts.models import MediaAttachment
from confab.posts.queries import get_visible_post
from tests.timelines.test_query_counts import _png


def test_url_matches_reverse_for_local_and_remote_accounts():
    assert url("profile", "ann") == reverse("profile", args=["ann"])
    assert url("profile", "ann@example.social") == reverse("profile", args=["ann@example.social"])
    assert url("post", "ann", 123) == reverse("post", args=["ann", 123])
    assert url("favourite", 99) == reverse("favourite", args=[99])
    assert url("edit_post", "ann", 5) == reverse("edit_post", args=["ann", 5])


def test_it_escapes_names_and_content_warnings(ann, make_account):
    mallory = make_account("mallory", display_name='<script>alert("x")</script>')
    written = actions.post(mallory, "hello", spoiler_text="<img src=x onerror=alert(1)>")

    html = render_card(written, CardContext(viewer=ann, csrf_token="tok", next_url='/?"x'))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'value="/?&quot;x"' in html
    assert 'name="csrfmiddlewaretoken" value="tok"' in html


def test_a_reader_gets_buttons_and_a_signed_out_reader_gets_counts(ann, bob):
    written = actions.post(ann, "Hello #EduMatch")
    actions.favourite(bob, written.id)
    seen_by_bob = get_visible_post(bob, written.id)

    for_bob = render_card(seen_by_bob, CardContext(viewer=bob))
    for_nobody = render_card(get_visible_post(None, written.id), CardContext())

    assert f'action="{reverse("unfavourite", args=[written.id])}"' in for_bob
    assert 'aria-pressed="true">★ Favourited <span class="count">1</span>' in for_bob
    assert "Edit</a>" not in for_bob  # not bob's post
    assert "<form" not in for_nobody
    assert '<span class="count" aria-label="Favourites">★ 1</span>' in for_nobody


def test_a_boost_shows_the_original_and_who_boosted_it(ann, bob):
    written = actions.post(ann, "Worth sharing")
    boost = actions.boost(bob, written.id)

    html = render_card(get_visible_post(bob, boost.id), CardContext(viewer=bob))

    assert f'id="post-{boost.id}" data-shown-id="{written.id}"' in html
    assert f'<a href="/@bob">{bob.name}</a> boosted</p>' in html
    assert f'href="{reverse("post", args=["ann", written.id])}"' in html
    assert "Worth sharing" in html


def test_the_timeline_page_shows_the_same_card(ann, bob, client_for):
    written = actions.post(ann, "On the home page", spoiler_text="a surprise")

    html = client_for(bob).get("/").content.decode()

    assert f'id="post-{written.id}"' in html
    assert "Content warning:</strong> a surprise" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_changed_post_or_author_is_never_drawn_from_an_old_face(ann, bob, client_for):
    written = actions.post(ann, "First draft #EduMatch", spoiler_text="spoilers")
    bobs = client_for(bob)
    first = bobs.get("/").content.decode()
    assert "First draft" in first and "Ann Author" in first  # the face is now kept

    actions.edit(ann, written.id, "Second draft #EduMatch", spoiler_text="")
    ann.display_name = "Ann Renamed"
    ann.save(update_fields=["display_name"])
    again = bobs.get("/").content.decode()

    assert "Second draft" in again and "First draft" not in again
    assert "spoilers" not in again
    assert "Ann Renamed" in again and "Ann Author" not in again
    assert f'href="{reverse("post_history", args=["ann", written.id])}">Edited 0' in again


def test_the_reader_s_marks_and_counts_are_never_shared(ann, bob, cat, client_for):
    written = actions.post(ann, "Hello #EduMatch")
    actions.favourite(bob, written.id)
    for_bob = client_for(bob).get("/local").content.decode()
    for_cat = client_for(cat).get("/local").content.decode()
    for_ann = client_for(ann).get("/local").content.decode()

    assert 'aria-pressed="true">★ Favourited <span class="count">1</span>' in for_bob
    assert 'aria-pressed="false">★ Favourite <span class="count">1</span>' in for_cat
    assert "Edit</a>" in for_ann and "Edit</a>" not in for_cat  # only ann's own post

    actions.favourite(cat, written.id)
    for_cat = client_for(cat).get("/local").content.decode()
    assert 'aria-pressed="true">★ Favourited <span class="count">2</span>' in for_cat


def test_a_boost_shows_the_reader_s_marks_on_the_original(ann, bob, cat, client_for):
    written = actions.post(ann, "Worth sharing")
    actions.favourite(cat, written.id)
    actions.bookmark(cat, written.id)
    boost = actions.boost(bob, written.id)
    account_actions.follow(cat, bob)
    html = client_for(cat).get("/").content.decode()

    assert f'id="post-{boost.id}" data-shown-id="{written.id}"' in html
    assert 'aria-pressed="true">★ Favourited' in html
    assert 'aria-pressed="true">Bookmarked' in html
    # The same card through a post instance (a thread, a live event) agrees.
    card = render_card(get_visible_post(cat, boost.id), CardContext(viewer=cat))
    assert 'aria-pressed="true">★ Favourited' in card


def test_attachments_and_their_alt_text_are_part_of_the_face(ann, bob, client_for):
    written = actions.post(ann, "A picture", media=[actions.Upload(_png(), "a red square")])
    bobs = client_for(bob)
    assert 'alt="a red square"' in bobs.get("/").content.decode()

    MediaAttachment.objects.filter(post=written).update(description="a blue square")

    html = bobs.get("/").content.decode()
    assert 'alt="a blue square"' in html and "a red square" not in html


def test_kept_cards_follow_the_script_prefix(ann):
    written = actions.post(ann, "Served under a path")
    plain = render_card(written, CardContext(viewer=ann))
    set_script_prefix("/confab/")
    try:
        prefixed = render_card(written, CardContext(viewer=ann))
    finally:
        set_script_prefix("/")

    assert 'href="/@ann"' in plain and 'href="/confab/@ann"' in prefixed
    assert f'action="/confab/posts/{written.id}/favourite"' in prefixed
    assert render_card(written, CardContext(viewer=ann)) == plain
