"""The post card rendered in Python: what people wrote is escaped, links match the URLconf."""

from django.urls import reverse

from confab.posts import actions
from confab.posts.cards import CardContext, render_card, url
from confab.posts.queries import get_visible_post


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
