"""Posting: the character limit, hashtags, mentions, replies and images, through the composer.

ann writes, bob follows ann, cat is an outsider. Every rejected post must leave nothing
behind: no Post row, no attachment, no file, no changed counter.
"""

import io
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from confab.accounts.models import Account
from confab.posts import actions
from confab.posts.models import Hashtag, MediaAttachment, Mention, Post, Visibility

COMPOSE = "/posts/new"


def compose(client, text="", **fields):
    data = {"text": text, "visibility": "public", **fields}
    return client.post(COMPOSE, data)


def posts_count(account: Account) -> int:
    return Account.objects.get(pk=account.pk).posts_count


def saved_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- The character limit ------------------------------------------------------------------


def test_it_accepts_a_post_of_exactly_500_characters(ann, client_for):
    response = compose(client_for(ann), "a" * 500)

    new = Post.objects.get(account=ann)
    assert response.status_code == 302
    assert response["Location"] == f"/@ann/{new.id}"
    assert new.text == "a" * 500
    assert posts_count(ann) == 1


def test_it_refuses_501_characters_and_saves_nothing(ann, client_for):
    response = compose(client_for(ann), "a" * 501)

    assert response.status_code == 422
    assert "Posts can be 500 characters long" in response.text
    assert "this one is 501" in response.text
    assert not Post.objects.exists()
    assert posts_count(ann) == 0


def test_it_counts_a_long_link_as_23_characters(ann, client_for):
    url = "https://example.com/" + "p" * 180
    assert len(url) == 200
    # 23 for the link, 1 for the space, 476 letters: exactly 500, though 677 were typed.
    text = f"{url} " + "b" * 476

    response = compose(client_for(ann), text)

    assert response.status_code == 302
    new = Post.objects.get(account=ann)
    assert f'href="{url}"' in new.content_html


def test_it_refuses_one_character_past_the_limit_even_with_a_link(ann, client_for):
    url = "https://example.com/" + "p" * 180
    response = compose(client_for(ann), f"{url} " + "b" * 477)

    assert response.status_code == 422
    assert "this one is 501" in response.text
    assert not Post.objects.exists()


def test_it_counts_a_browsers_line_break_as_one_character(ann, client_for):
    # Browsers send a textarea's line breaks as CR LF.
    text = "a" * 249 + "\r\n" + "b" * 250

    response = compose(client_for(ann), text)

    assert response.status_code == 302
    assert Post.objects.get().text == "a" * 249 + "\n" + "b" * 250


def test_it_counts_the_content_warning_toward_the_limit(ann, client_for):
    client = client_for(ann)

    refused = compose(client, "a" * 450, spoiler_text="c" * 51)
    assert refused.status_code == 422
    assert "this one is 501" in refused.text
    assert not Post.objects.exists()

    accepted = compose(client, "a" * 450, spoiler_text="c" * 50)
    assert accepted.status_code == 302
    assert Post.objects.get().spoiler_text == "c" * 50


def test_it_refuses_a_content_warning_over_200_characters(ann, client_for):
    response = compose(client_for(ann), "Short post", spoiler_text="c" * 201)

    assert response.status_code == 422
    assert not Post.objects.exists()
    # The action says the same to callers that skip the form.
    with pytest.raises(ValidationError) as caught:
        actions.post(ann, "Short post", spoiler_text="c" * 201)
    assert "spoiler_text" in caught.value.message_dict


def test_it_refuses_an_empty_post_without_images(ann, client_for):
    response = compose(client_for(ann), "   \n  ")

    assert response.status_code == 422
    assert "Write something, or attach an image." in response.text
    assert not Post.objects.exists()


def test_it_refuses_an_unknown_visibility(ann, client_for):
    response = compose(client_for(ann), "Hello", visibility="everyone")

    assert response.status_code == 422
    assert not Post.objects.exists()
    with pytest.raises(ValidationError) as caught:
        actions.post(ann, "Hello", visibility="everyone")
    assert "visibility" in caught.value.message_dict


def test_it_shows_the_composer_again_with_what_was_typed(ann, client_for):
    typed = "My notes from the Tuesday chat " + "z" * 480

    response = compose(client_for(ann), typed, spoiler_text="Long read")

    assert response.status_code == 422
    assert typed in response.text
    assert 'value="Long read"' in response.text


def test_it_keeps_where_to_go_after_a_refused_post(ann, client_for):
    client = client_for(ann)

    refused = compose(client, "a" * 501, next="/tags/edumatch")
    assert refused.status_code == 422
    assert 'name="next" value="/tags/edumatch"' in refused.text

    accepted = compose(client, "a" * 500, next="/tags/edumatch")
    assert accepted["Location"] == "/tags/edumatch"


def test_it_sends_signed_out_people_to_the_login_page(ann, client):
    response = compose(client, "Hello")

    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")
    assert not Post.objects.exists()


# --- Hashtags -----------------------------------------------------------------------------


def test_it_stores_one_hashtag_whatever_the_case(ann, bob, client_for, client):
    compose(client_for(ann), "Tonight the questions #EduMatch")
    compose(client_for(bob), "Joining in #edumatch")

    tag = Hashtag.objects.get()
    assert (tag.name, tag.display_name) == ("edumatch", "EduMatch")
    assert Post.objects.filter(hashtags=tag).count() == 2

    page = client.get("/tags/edumatch")
    assert page.status_code == 200
    assert "Tonight the questions" in page.text
    assert "Joining in" in page.text


def test_it_handles_a_hashtag_in_another_script(ann, client_for, client):
    compose(client_for(ann), "Bonjour #教育")

    tag = Hashtag.objects.get()
    assert tag.name == "教育"
    path = "/tags/" + quote("教育")
    assert path == "/tags/%E6%95%99%E8%82%B2"
    assert f'href="{path}"' in Post.objects.get().content_html

    page = client.get(path)
    assert page.status_code == 200
    assert "Bonjour" in page.text


@pytest.mark.parametrize("written", ["EduMatch", "ＥｄｕＭａｔｃｈ"])
def test_it_redirects_a_hashtag_page_to_its_normal_name(ann, make_post, client, written):
    make_post(ann, "Hello #EduMatch")

    response = client.get("/tags/" + quote(written))

    assert response.status_code == 302
    assert response["Location"] == "/tags/edumatch"


# --- Mentions -----------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["@bob", "@Bob"])
def test_it_links_a_mention_of_a_local_person(ann, bob, make_post, written):
    new = make_post(ann, f"Welcome {written}!")

    assert 'href="/@bob"' in new.content_html
    assert 'class="mention"' in new.content_html
    mention = Mention.objects.get(post=new)
    assert (mention.account, mention.username, mention.domain) == (bob, "bob", "")


def test_it_records_a_person_mentioned_twice_once(ann, bob, make_post):
    new = make_post(ann, "@bob, yes you, @Bob")

    assert [m.account for m in Mention.objects.filter(post=new)] == [bob]
    assert new.content_html.count('href="/@bob"') == 2


def test_it_keeps_a_mention_of_nobody_as_text(ann, make_post):
    new = make_post(ann, "Is @ghost here?")

    assert "<a" not in new.content_html
    assert "@ghost" in new.content_html
    mention = Mention.objects.get(post=new)
    assert (mention.account, mention.username, mention.domain) == (None, "ghost", "")


def test_it_keeps_a_remote_mention_for_later(ann, make_post):
    # ann@example.org is someone on another server, not our ann.
    new = make_post(ann, "Hello @ann@example.org")

    assert "<a" not in new.content_html
    mention = Mention.objects.get(post=new)
    assert (mention.account, mention.username, mention.domain) == (None, "ann", "example.org")


# --- Replies ------------------------------------------------------------------------------


def test_it_threads_a_reply(ann, bob, make_post, client_for):
    root = make_post(ann, "Q1: what got you teaching?")

    response = compose(client_for(bob), "@ann A1: my own teachers", in_reply_to_id=root.id)

    reply = Post.objects.get(account=bob)
    assert response.status_code == 302
    assert response["Location"] == f"/@ann/{root.id}#post-{reply.id}"
    assert reply.in_reply_to == root
    assert reply.in_reply_to_account == ann
    assert reply.thread_id == root.id
    assert Post.objects.get(pk=root.pk).replies_count == 1


def test_it_replies_to_the_original_when_given_a_boost(ann, bob, cat, make_post):
    root = make_post(ann, "Q2: best tool?")
    boosted = actions.boost(bob, root.id)

    reply = make_post(cat, "A2: a notebook", in_reply_to_id=boosted.id)

    assert reply.in_reply_to == root
    assert Post.objects.get(pk=root.pk).replies_count == 1
    assert Post.objects.get(pk=boosted.pk).replies_count == 0


def test_it_shows_a_thread_in_order(ann, bob, make_post, client_for):
    root = make_post(ann, "Root of the thread")
    middle = make_post(bob, "Middle of the thread", in_reply_to_id=root.id)
    leaf = make_post(ann, "Leaf of the thread", in_reply_to_id=middle.id)

    response = client_for(bob).get(f"/@bob/{middle.id}")

    thread = response.context["thread"]
    assert (thread.ancestors, thread.post, thread.descendants) == ([root], middle, [(leaf, 1)])
    page = response.text
    cards = [page.index(f'id="post-{p.id}"') for p in (root, middle, leaf)]
    assert cards == sorted(cards)
    assert "Leaf of the thread" in page


def test_it_refuses_a_reply_to_a_post_the_outsider_cannot_see(ann, cat, make_post, client_for):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)

    response = compose(client_for(cat), "Let me in", in_reply_to_id=secret.id)

    assert response.status_code == 404
    assert not Post.objects.filter(account=cat).exists()
    assert Post.objects.get(pk=secret.pk).replies_count == 0
    assert posts_count(cat) == 0


def test_it_refuses_a_reply_more_open_than_its_followers_only_parent(
    ann, bob, make_post, client_for
):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)
    client = client_for(bob)

    refused = compose(client, "Telling everyone", in_reply_to_id=secret.id, visibility="public")
    assert refused.status_code == 422
    assert "replies to a followers only post" in refused.text
    assert not Post.objects.filter(account=bob).exists()

    accepted = compose(client, "Just us", in_reply_to_id=secret.id, visibility="private")
    assert accepted.status_code == 302
    assert Post.objects.get(account=bob).visibility == Visibility.PRIVATE


def test_it_prefills_the_reply_form(ann, bob, cat, make_post, client_for):
    root = make_post(ann, "Thanks @cat for hosting", visibility=Visibility.UNLISTED)

    bobs_view = client_for(bob).get(f"/@ann/{root.id}")
    form = bobs_view.context["reply_form"]
    assert form.initial["text"] == "@ann @cat "
    assert form.initial["in_reply_to_id"] == root.id
    assert form.initial["visibility"] == Visibility.UNLISTED
    assert "@ann @cat </textarea>" in bobs_view.text

    # Nobody is asked to mention themselves.
    anns_view = client_for(ann).get(f"/@ann/{root.id}")
    assert anns_view.context["reply_form"].initial["text"] == "@cat "


def test_it_prefills_a_reply_with_the_author(ann, bob, make_post, client_for):
    root = make_post(ann, "Who is in?")

    page = client_for(bob).get(f"/@ann/{root.id}")

    assert ">\n@ann </textarea>" in page.text


# --- Images -------------------------------------------------------------------------------


def png(colour=(0, 0, 255), size=(12, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(size=(16, 10)) -> bytes:
    """A photo as a phone saves it: with the camera model and a GPS position in EXIF."""
    img = Image.new("RGB", size, (255, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_it_attaches_images_with_their_alt_text(ann, client_for, client):
    photo = jpeg_with_exif()
    assert Image.open(io.BytesIO(photo)).getexif()  # the upload does carry EXIF

    response = compose(
        client_for(ann),
        "Our classroom",
        image_1=upload("photo.jpg", photo, "image/jpeg"),
        alt_1="A red wall",
        image_2=upload("chart.png", png()),
        alt_2="A blue chart",
    )

    assert response.status_code == 302
    new = Post.objects.get()
    first, second = new.media.all()
    assert (first.description, second.description) == ("A red wall", "A blue chart")
    assert (first.width, first.height) == (16, 10)
    stored = Image.open(first.file.path)
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert first.file.read() != photo

    page = client.get(new.get_absolute_url())
    assert 'alt="A red wall"' in page.text
    assert 'alt="A blue chart"' in page.text
    assert f'src="{first.file.url}"' in page.text
    assert client.get(first.file.url).status_code == 200


def test_it_attaches_four_images_in_order(ann, client_for):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 9, 9)]
    fields = {}
    for n, colour in enumerate(colours, start=1):
        fields[f"image_{n}"] = upload(f"{n}.png", png(colour))
        fields[f"alt_{n}"] = f"Picture {n}"

    response = compose(client_for(ann), "", **fields)

    assert response.status_code == 302
    new = Post.objects.get()
    assert new.text == ""
    assert [m.description for m in new.media.all()] == [f"Picture {n}" for n in range(1, 5)]
    assert [m.position for m in new.media.all()] == [0, 1, 2, 3]


def test_it_refuses_a_fifth_image(ann, settings):
    uploads = [actions.Upload(io.BytesIO(png()), f"Picture {n}") for n in range(5)]

    with pytest.raises(ValidationError) as caught:
        actions.post(ann, "Too many", media=uploads)

    assert "Attach at most 4 images." in caught.value.message_dict["media"]
    assert not Post.objects.exists()
    assert not MediaAttachment.objects.exists()
    assert not saved_files(settings)


def test_it_refuses_a_file_that_is_not_an_image(ann, client_for, settings):
    response = compose(
        client_for(ann),
        "My notes",
        image_1=upload("ok.png", png()),
        image_2=upload("notes.png", b"Not a picture at all"),
    )

    assert response.status_code == 422
    assert "Image 2: That file is not an image we can read" in response.text
    assert not Post.objects.exists()
    assert not MediaAttachment.objects.exists()
    assert not saved_files(settings)
    assert posts_count(ann) == 0


def test_it_refuses_alt_text_over_1500_characters(ann, client_for, settings):
    response = compose(client_for(ann), "Look", image_1=upload("ok.png", png()), alt_1="d" * 1501)

    assert response.status_code == 422
    assert not Post.objects.exists()
    assert not MediaAttachment.objects.exists()
    with pytest.raises(ValidationError) as caught:
        actions.post(ann, "Look", media=[actions.Upload(io.BytesIO(png()), "d" * 1501)])
    assert "alt text" in caught.value.message_dict["media"][0]
    assert not saved_files(settings)


# --- The post page ------------------------------------------------------------------------


def test_it_shows_a_post_at_its_authors_address(ann, bob, make_post, client):
    new = make_post(ann, "Find me here")

    assert client.get(f"/@ann/{new.id}").status_code == 200
    assert client.get(f"/@ANN/{new.id}").status_code == 200
    assert client.get(f"/@bob/{new.id}").status_code == 404


def test_it_hides_a_followers_only_post_from_the_outsider(ann, bob, cat, make_post, client_for):
    secret = make_post(ann, "For my followers", visibility=Visibility.PRIVATE)

    assert client_for(bob).get(f"/@ann/{secret.id}").status_code == 200
    assert client_for(cat).get(f"/@ann/{secret.id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/posts/new",
        "/posts/{id}/favourite",
        "/posts/{id}/unfavourite",
        "/posts/{id}/boost",
        "/posts/{id}/unboost",
        "/posts/{id}/bookmark",
        "/posts/{id}/unbookmark",
        "/@ann/{id}/delete",
    ],
)
def test_it_allows_only_post_on_the_action_endpoints(ann, make_post, client_for, path):
    new = make_post(ann, "Hello")

    response = client_for(ann).get(path.format(id=new.id))

    assert response.status_code == 405
    assert Post.objects.filter(pk=new.pk).exists()
