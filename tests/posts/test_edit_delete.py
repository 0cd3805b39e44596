"""Editing and deleting: only the author may, the history keeps what was said, counters follow.

ann writes and edits; bob follows ann, replies and boosts; cat is an outsider. Neither bob nor
cat can touch ann's posts: they get a 404 and the post stays as it was.
"""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from PIL import Image

from confab.accounts.models import Account
from confab.posts import actions
from confab.posts.models import Favourite, Mention, Post, PostEdit, Visibility


def edit(client, post: Post, text: str, spoiler_text: str = "", acct: str = "ann"):
    return client.post(f"/@{acct}/{post.id}/edit", {"text": text, "spoiler_text": spoiler_text})


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def posts_count(account: Account) -> int:
    return Account.objects.get(pk=account.pk).posts_count


# --- Editing ------------------------------------------------------------------------------


def test_it_edits_a_post_and_keeps_the_old_version(ann, bob, cat, make_post, client_for, client):
    post = make_post(ann, "Quiet evening with @cat #EduMatch")
    assert "Quiet evening" in client.get("/tags/edumatch").text

    response = edit(client_for(ann), post, "Quiet evening with @bob #Science")

    assert response.status_code == 302
    assert response["Location"] == f"/@ann/{post.id}"
    edited = fresh(post)
    assert edited.text == "Quiet evening with @bob #Science"
    assert 'href="/@bob"' in edited.content_html
    assert 'href="/tags/science"' in edited.content_html
    assert "edumatch" not in edited.content_html
    assert edited.edited_at is not None
    assert [t.name for t in edited.hashtags.all()] == ["science"]
    assert [m.account for m in Mention.objects.filter(post=post)] == [bob]
    old = PostEdit.objects.get(post=post)
    assert old.text == "Quiet evening with @cat #EduMatch"
    assert 'href="/@cat"' in old.content_html

    assert "Quiet evening" not in client.get("/tags/edumatch").text
    assert "Quiet evening" in client.get("/tags/science").text


def test_it_shows_the_edit_history(ann, make_post, client_for, client):
    post = make_post(ann, "First thoughts")
    edit(client_for(ann), post, "Second thoughts", spoiler_text="Musings")

    page = client.get(f"/@ann/{post.id}")
    assert "Edited" in page.text
    assert f'href="/@ann/{post.id}/history"' in page.text

    history = client.get(f"/@ann/{post.id}/history")
    assert history.status_code == 200
    assert history.text.index("Second thoughts") < history.text.index("First thoughts")
    assert "Musings" in history.text


def test_it_does_not_mark_an_unchanged_post_as_edited(ann, make_post, client_for, client):
    post = make_post(ann, "Nothing to change")

    response = edit(client_for(ann), post, "Nothing to change")

    assert response.status_code == 302
    assert fresh(post).edited_at is None
    assert not PostEdit.objects.exists()
    assert "Edited" not in client.get(f"/@ann/{post.id}").text


def test_it_keeps_each_version_in_order(ann, make_post):
    post = make_post(ann, "One")
    actions.edit(ann, post.id, "Two")
    actions.edit(ann, post.id, "Three")

    assert [e.text for e in PostEdit.objects.filter(post=post)] == ["One", "Two"]
    assert fresh(post).text == "Three"


def test_it_shows_the_edit_form_to_the_author(ann, make_post, client_for):
    post = make_post(ann, "Draft words")

    page = client_for(ann).get(f"/@ann/{post.id}/edit")

    assert page.status_code == 200
    assert "Draft words</textarea>" in page.text


@pytest.mark.parametrize("acct", ["ann", "bob"])
def test_it_refuses_an_edit_by_someone_else(ann, bob, cat, make_post, client_for, acct):
    post = make_post(ann, "Mine to change")

    for person in (bob, cat):
        client = client_for(person)
        assert client.get(f"/@{acct}/{post.id}/edit").status_code == 404
        assert edit(client, post, "Hijacked", acct=acct).status_code == 404

    assert fresh(post).text == "Mine to change"
    assert not PostEdit.objects.exists()
    with pytest.raises(Http404):
        actions.edit(bob, post.id, "Hijacked")


def test_it_refuses_an_edit_over_the_limit(ann, make_post, client_for):
    post = make_post(ann, "Short and sweet")

    response = edit(client_for(ann), post, "a" * 501)

    assert response.status_code == 422
    assert "Posts can be 500 characters long" in response.text
    assert "a" * 501 in response.text  # what she typed is still there to shorten
    assert fresh(post).text == "Short and sweet"
    assert fresh(post).edited_at is None
    assert not PostEdit.objects.exists()


def test_it_refuses_to_empty_a_post(ann, make_post):
    post = make_post(ann, "Something")

    with pytest.raises(ValidationError):
        actions.edit(ann, post.id, "   ")
    assert fresh(post).text == "Something"


def test_it_hides_the_history_of_a_post_from_the_outsider(ann, bob, cat, make_post, client_for):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)
    actions.edit(ann, secret.id, "For my followers only")

    assert client_for(bob).get(f"/@ann/{secret.id}/history").status_code == 200
    assert client_for(cat).get(f"/@ann/{secret.id}/history").status_code == 404


def test_it_has_no_history_page_for_a_boost(ann, bob, make_post, client):
    boosted = actions.boost(bob, make_post(ann, "Boost me").id)

    assert client.get(f"/@bob/{boosted.id}/history").status_code == 404


# --- Deleting -----------------------------------------------------------------------------


def test_it_deletes_a_post_and_what_hangs_on_it(ann, bob, make_post, client_for, client):
    post = make_post(ann, "Soon gone")
    actions.boost(bob, post.id)
    actions.favourite(bob, post.id)
    assert posts_count(ann) == 1

    response = client_for(ann).post(f"/@ann/{post.id}/delete")

    assert response.status_code == 302
    assert response["Location"] == "/@ann"
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Post.objects.filter(boost_of_id=post.pk).exists()
    assert not Favourite.objects.exists()
    assert posts_count(ann) == 0
    assert client.get(f"/@ann/{post.id}").status_code == 404
    assert "Soon gone" not in client.get("/@bob").text


def test_it_uncounts_a_deleted_reply(ann, bob, make_post, client_for):
    root = make_post(ann, "Q1: favourite book?")
    reply = make_post(bob, "A1: Dune", in_reply_to_id=root.id)
    assert fresh(root).replies_count == 1
    assert posts_count(bob) == 1

    client_for(bob).post(f"/@bob/{reply.id}/delete")

    assert not Post.objects.filter(pk=reply.pk).exists()
    assert fresh(root).replies_count == 0
    assert posts_count(bob) == 0


def test_it_keeps_the_replies_when_their_parent_goes(ann, bob, make_post):
    root = make_post(ann, "Q1: favourite book?")
    reply = make_post(bob, "A1: Dune", in_reply_to_id=root.id)

    actions.delete(ann, root.id)

    assert fresh(reply).in_reply_to is None


def test_it_deletes_the_images_of_a_deleted_post(
    ann, make_post, django_capture_on_commit_callbacks
):
    picture = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(picture, "PNG")
    picture.seek(0)
    post = make_post(ann, "With a picture", media=[actions.Upload(picture, "Green")])
    path = post.media.get().file.path
    assert os.path.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete(ann, post.id)

    assert not Post.objects.filter(pk=post.pk).exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize("acct", ["ann", "bob"])
def test_it_refuses_a_delete_by_someone_else(ann, bob, cat, make_post, client_for, acct):
    post = make_post(ann, "Here to stay")

    for person in (bob, cat):
        response = client_for(person).post(f"/@{acct}/{post.id}/delete")
        assert response.status_code == 404

    assert Post.objects.filter(pk=post.pk).exists()
    assert posts_count(ann) == 1


def test_it_refuses_to_delete_through_someone_elses_address(ann, bob, make_post, client_for):
    post = make_post(ann, "Here to stay")

    response = client_for(ann).post(f"/@bob/{post.id}/delete")

    assert response.status_code == 404
    assert Post.objects.filter(pk=post.pk).exists()


def test_it_does_not_delete_a_boost_as_a_post(ann, bob, make_post):
    post = make_post(ann, "Boost me")
    boosted = actions.boost(bob, post.id)

    with pytest.raises(Http404):
        actions.delete(bob, boosted.id)
    assert Post.objects.filter(pk=boosted.pk).exists()
