"""Editing a profile, profile pictures, and what a profile page shows to whom.

The cast: ann edits her profile; bob follows ann; cat is an outsider who gets a 404 once a
block stands between her and ann.
"""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from confab.accounts import actions
from confab.posts.models import Hashtag
from tests.accounts import page_text
from tests.pages import post_texts

pytestmark = pytest.mark.django_db

UNREADABLE = "That file is not an image we can read (use JPEG, PNG, GIF or WebP)."


def profile_form(**fields) -> dict:
    """A complete, valid edit-profile form, with `fields` changed."""
    data = {
        "display_name": "Ann Author",
        "note": "",
        "city": "",
        "time_zone": "UTC",
        "interests": "",
        **{f"link_label_{n}": "" for n in range(1, 5)},
        **{f"link_url_{n}": "" for n in range(1, 5)},
    }
    data.update(fields)
    return data


def edit_profile(client: Client, **fields):
    return client.post(reverse("edit_profile"), profile_form(**fields))


def changes_for(account, **fields) -> actions.ProfileChanges:
    values = {
        "display_name": account.display_name,
        "note": account.note,
        "city": account.city_label,
        "time_zone": account.time_zone,
        "interests": [],
        "links": [],
        "locked": account.locked,
        **fields,
    }
    return actions.ProfileChanges(**values)


# Editing the profile


def test_it_saves_a_profile(client_for, ann, bob):
    response = edit_profile(
        client_for(ann),
        display_name="Ann the Teacher",
        note="Science teacher. Chats with @bob.",
        city="Austin, Texas, United States",
        time_zone="",
        link_label_1="Blog",
        link_url_1="https://ann.example/blog",
    )

    assert response.status_code == 302
    assert response.url == reverse("profile", args=["ann"])
    ann.refresh_from_db()
    assert ann.display_name == "Ann the Teacher"
    assert ann.note == "Science teacher. Chats with @bob."
    assert ann.city_label == "Austin, Texas, United States"
    assert ann.country_code == "US"
    assert ann.latitude == pytest.approx(30.27, abs=0.1)
    # No time zone chosen: the city's is used.
    assert ann.time_zone == "America/Chicago"
    assert ann.links == [{"label": "Blog", "url": "https://ann.example/blog"}]


def test_it_keeps_a_chosen_time_zone_whatever_the_city(client_for, ann):
    response = edit_profile(
        client_for(ann), city="Austin, Texas, United States", time_zone="Europe/London"
    )

    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.time_zone == "Europe/London"


def test_it_leaves_follower_counts_alone_when_saving_a_profile(ann, bob, cat):
    # `ann` was loaded before bob followed her; her counters in memory are stale.
    actions.follow(cat, ann)

    actions.update_profile(ann, changes_for(ann, display_name="Ann B."))

    ann.refresh_from_db()
    assert ann.display_name == "Ann B."
    assert ann.followers_count == 2


def test_it_refuses_a_display_name_over_30_characters(client_for, ann):
    response = edit_profile(client_for(ann), display_name="A" * 31)

    assert response.status_code == 422
    assert response.context["form"].errors["display_name"]
    assert "at most 30 characters (it has 31)" in page_text(response)
    ann.refresh_from_db()
    assert ann.display_name == "Ann Author"


def test_it_keeps_the_saved_bio_when_a_new_one_is_too_long(client_for, ann):
    client = client_for(ann)
    assert edit_profile(client, note="I teach #STEM.").status_code == 302

    response = edit_profile(client, note="x" * 501, display_name="Someone Else")

    assert response.status_code == 422
    assert "at most 500 characters (it has 501)" in page_text(response)
    ann.refresh_from_db()
    assert ann.note == "I teach #STEM."
    assert "/tags/stem" in ann.note_html
    assert ann.display_name == "Ann Author"


def test_it_counts_the_bio_in_the_action_too(ann):
    with pytest.raises(ValidationError) as caught:
        actions.update_profile(ann, changes_for(ann, note="x" * 501))

    assert caught.value.message_dict["note"] == ["Keep your bio to 500 characters (it has 501)."]


def test_it_refuses_a_time_zone_it_does_not_know(client_for, ann):
    response = edit_profile(client_for(ann), time_zone="Mars/Olympus")

    assert response.status_code == 422
    assert "“Mars/Olympus” is not a time zone we know." in page_text(response)
    ann.refresh_from_db()
    assert ann.time_zone == "UTC"


def test_it_refuses_a_city_it_does_not_know(client_for, ann):
    response = edit_profile(client_for(ann), city="Atlantis Undersea")

    assert response.status_code == 422
    message = "We don't know a city called 'Atlantis Undersea'. Try the nearest large town."
    assert response.context["form"].errors["city"] == [message]
    assert message in page_text(response)
    ann.refresh_from_db()
    assert ann.city_label == ""


def test_it_asks_which_springfield(client_for, ann):
    response = edit_profile(client_for(ann), city="Springfield")

    assert response.status_code == 422
    text = page_text(response)
    assert "Several places are called Springfield:" in text
    assert "Springfield, Illinois, United States" in text
    assert "Springfield, Missouri, United States" in text
    assert "Pick one." in text
    assert response.context["form"]["city"].value() == "Springfield"
    ann.refresh_from_db()
    assert ann.city_id is None


def test_it_suggests_cities_as_you_type(client):
    response = client.get(reverse("city_search"), {"q": "austin"})

    labels = [city["label"] for city in response.json()["cities"]]
    assert labels[0] == "Austin, Texas, United States"
    fragment = client.get(
        reverse("city_search"), {"city": "austin"}, headers={"HX-Request": "true"}
    )
    assert '<option value="Austin, Texas, United States"></option>' in fragment.content.decode()


def test_it_stores_interests_as_normalised_hashtags(client_for, ann):
    response = edit_profile(client_for(ann), interests="#STEM #stem #ＳＴＥＭ, #EdTech")

    assert response.status_code == 302
    interests = {tag.name: tag.display_name for tag in ann.interests.all()}
    assert interests == {"stem": "STEM", "edtech": "EdTech"}
    assert Hashtag.objects.filter(name="stem").count() == 1
    # The form shows them back the way they were typed first.
    form = client_for(ann).get(reverse("edit_profile")).context["form"]
    assert sorted(form["interests"].value().split()) == ["#EdTech", "#STEM"]


def test_it_refuses_an_interest_that_is_not_a_hashtag(client_for, ann):
    client = client_for(ann)
    edit_profile(client, interests="#STEM")

    response = edit_profile(client, interests="#EdTech #not-a-tag")

    assert response.status_code == 422
    assert "Not hashtags: #not-a-tag. Use letters, digits and underscores." in page_text(response)
    assert [tag.name for tag in ann.interests.all()] == ["stem"]


def test_it_refuses_a_link_that_is_not_a_web_address(client_for, ann):
    response = edit_profile(
        client_for(ann), link_label_1="Click me", link_url_1="javascript:alert(1)"
    )

    assert response.status_code == 422
    assert "“javascript:alert(1)” is not a web address (start it with https://)." in page_text(
        response
    )
    ann.refresh_from_db()
    assert ann.links == []


def test_it_refuses_more_than_four_links(ann):
    # The form has only four pairs of fields, so a fifth link can only come through the action.
    links = [(f"Site {n}", f"https://ann.example/{n}") for n in range(1, 6)]

    with pytest.raises(ValidationError) as caught:
        actions.update_profile(ann, changes_for(ann, links=links))

    assert caught.value.message_dict["links"] == ["A profile can have at most 4 links."]
    ann.refresh_from_db()
    assert ann.links == []


def test_it_renders_the_bio_safely_with_links(client_for, ann, bob):
    bio = "Hi @bob and @nobody! I teach #STEM. <script>alert(1)</script> https://ann.example/x"
    edit_profile(client_for(ann), note=bio)

    response = Client().get(reverse("profile", args=["ann"]))

    html = response.content.decode()
    assert '<a href="/@bob" class="mention">' in html
    assert '<a href="/tags/stem" class="hashtag" rel="tag">' in html
    assert '<a href="https://ann.example/x" rel="nofollow noopener noreferrer"' in html
    assert "@nobody" in html and 'href="/@nobody"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_it_sends_a_signed_out_visitor_to_log_in(client, ann):
    response = client.post(reverse("edit_profile"), profile_form(display_name="Mallory"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    ann.refresh_from_db()
    assert ann.display_name == "Ann Author"


# Profile pictures


def photo_png(size=(800, 600)) -> bytes:
    """A PNG as a camera app might save it: with EXIF (camera, GPS) and a text chunk."""
    img = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 16.0, 3.0)
    text = PngInfo()
    text.add_text("Comment", "taken at home")
    out = io.BytesIO()
    img.save(out, "PNG", exif=exif, pnginfo=text)
    return out.getvalue()


def noise_png(side: int) -> bytes:
    """A PNG of random pixels, which does not compress: about 3 bytes per pixel."""
    img = Image.frombytes("RGB", (side, side), random.Random(7).randbytes(side * side * 3))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def upload(client: Client, content: bytes, name: str = "avatar.png", kind: str = "avatar"):
    return client.post(
        reverse("profile_image", args=[kind]),
        {"image": SimpleUploadedFile(name, content, content_type="image/png")},
    )


def served_image(url: str) -> Image.Image:
    """Fetch an uploaded picture the way a browser would, and open what comes back."""
    response = Client().get(url)
    assert response.status_code == 200
    img = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    img.load()
    assert response["Content-Type"] == Image.MIME[img.format]
    return img


def test_it_reencodes_an_avatar_and_serves_it(client_for, ann):
    original = Image.open(io.BytesIO(photo_png()))
    assert original.getexif() and "Comment" in original.info

    response = upload(client_for(ann), photo_png())

    assert response.status_code == 302
    assert response.url == reverse("edit_profile")
    ann.refresh_from_db()
    assert ann.avatar.name.startswith("avatars/")
    assert ann.avatar.url.startswith("/media/avatars/")
    img = served_image(ann.avatar.url)
    assert img.format == "JPEG"
    assert img.size == (400, 300)
    assert not img.getexif()
    assert "exif" not in img.info and "Comment" not in img.info
    assert f'src="{ann.avatar.url}"' in Client().get(ann.get_absolute_url()).content.decode()


def test_it_scales_a_header_to_1500_pixels(client_for, ann):
    response = upload(client_for(ann), photo_png((3000, 1000)), name="header.png", kind="header")

    assert response.status_code == 302
    ann.refresh_from_db()
    assert served_image(ann.header.url).size == (1500, 500)


def test_it_keeps_the_old_avatar_when_the_new_one_is_not_an_image(client_for, ann):
    client = client_for(ann)
    upload(client, photo_png())
    ann.refresh_from_db()
    old_name = ann.avatar.name

    response = upload(client, b"#!/bin/sh\necho not a picture\n", name="avatar.png")

    assert response.status_code == 422
    assert UNREADABLE in page_text(response)
    ann.refresh_from_db()
    assert ann.avatar.name == old_name
    assert default_storage.exists(old_name)


def test_it_refuses_an_image_over_the_size_limit(client_for, ann, settings):
    settings.IMAGE_MAX_BYTES = 100_000
    content = noise_png(300)
    assert len(content) > 100_000

    response = upload(client_for(ann), content)

    assert response.status_code == 422
    assert "That image is too large: the limit is" in page_text(response)
    ann.refresh_from_db()
    assert not ann.avatar


def test_it_refuses_an_image_with_too_many_pixels(client_for, ann, settings):
    settings.IMAGE_MAX_PIXELS = 10_000

    response = upload(client_for(ann), photo_png((101, 100)))

    assert response.status_code == 422
    assert "That image has too many pixels" in page_text(response)
    ann.refresh_from_db()
    assert not ann.avatar


def test_it_asks_for_a_file_when_none_is_given(client_for, ann):
    response = client_for(ann).post(reverse("profile_image", args=["avatar"]), {})

    assert response.status_code == 422
    assert "Choose an image file to upload." in page_text(response)


def test_it_removes_an_avatar(client_for, ann, django_capture_on_commit_callbacks):
    client = client_for(ann)
    upload(client, photo_png())
    ann.refresh_from_db()
    old_name, old_url = ann.avatar.name, ann.avatar.url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profile_image", args=["avatar"]), {"remove": "on"})

    assert response.status_code == 302
    ann.refresh_from_db()
    assert not ann.avatar
    assert not default_storage.exists(old_name)
    assert Client().get(old_url).status_code == 404


def test_it_deletes_the_replaced_avatar_file(client_for, ann, django_capture_on_commit_callbacks):
    client = client_for(ann)
    upload(client, photo_png())
    ann.refresh_from_db()
    old_name = ann.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, photo_png((500, 500)))

    ann.refresh_from_db()
    assert ann.avatar.name != old_name
    assert default_storage.exists(ann.avatar.name)
    assert not default_storage.exists(old_name)


def test_it_does_not_know_other_kinds_of_picture(client_for, ann):
    client = client_for(ann)

    assert upload(client, photo_png(), kind="wallpaper").status_code == 404
    response = client.post(reverse("profile_image", args=["wallpaper"]), {"remove": "on"})
    assert response.status_code == 404


# The profile page


def test_it_shows_a_profile_to_anyone(client_for, ann, bob, make_post):
    edit_profile(
        client_for(ann),
        note="Science teacher.",
        city="New York City, New York, United States",
        time_zone="",
        interests="#STEM #EdTech",
    )
    make_post(ann, "First #EduMatch answer")
    make_post(ann, "Second thought")

    response = Client().get(reverse("profile", args=["ann"]))

    assert response.status_code == 200
    text = page_text(response)
    assert "Ann Author" in text and "@ann" in text
    assert "Science teacher." in text
    assert "New York City, New York, United States" in text
    assert "America/New York" in text
    assert '<a href="/tags/stem">#STEM</a>' in text
    assert '<a href="/tags/edtech">#EdTech</a>' in text
    assert "<strong>2</strong> posts" in text
    assert "<strong>0</strong> following" in text
    assert "<strong>1</strong> follower</a>" in text
    assert "Second thought" in text
    assert post_texts(response.context["page"].items) == [
        "Second thought",
        "First #EduMatch answer",
    ]


def test_it_finds_a_profile_whatever_the_case_of_its_name(client, ann):
    assert client.get("/@ANN").status_code == 200
    assert client.get("/@nobody").status_code == 404


def test_it_names_people_you_follow_who_follow_them(client_for, make_account, ann, bob, cat):
    dee = make_account("dee", display_name="Dee Reader")
    actions.follow(dee, bob)

    response = client_for(dee).get(reverse("profile", args=["ann"]))

    assert response.context["mutual"] == [bob]
    assert "Followed by" in page_text(response)
    assert "Bob Follower" in page_text(response)
    # cat follows nobody who follows ann.
    assert "Followed by" not in page_text(client_for(cat).get(reverse("profile", args=["ann"])))


def test_it_counts_the_other_people_you_follow_who_follow_them(client_for, make_account, ann):
    dee = make_account("dee")
    for name in ("eve", "fay", "gus", "hal"):
        friend = make_account(name)
        actions.follow(friend, ann)
        actions.follow(dee, friend)

    response = client_for(dee).get(reverse("profile", args=["ann"]))

    assert len(response.context["mutual"]) == 3
    assert "and 1 other you follow." in page_text(response)


def test_it_says_who_follows_you(client_for, ann, bob):
    assert "Follows you" in page_text(client_for(ann).get(reverse("profile", args=["bob"])))
    assert "Follows you" not in page_text(client_for(bob).get(reverse("profile", args=["ann"])))


def test_it_hides_a_profile_from_someone_the_owner_blocked(client_for, ann, bob, cat, make_post):
    post = make_post(ann)
    actions.block(ann, cat)
    urls = [
        reverse("profile", args=["ann"]),
        reverse("followers", args=["ann"]),
        reverse("following", args=["ann"]),
        post.get_absolute_url(),
    ]

    for url in urls:
        assert client_for(cat).get(url).status_code == 404, url
        assert client_for(bob).get(url).status_code == 200, url
        assert Client().get(url).status_code == 200, url


def test_it_lets_a_blocker_reach_unblock_but_not_the_posts(client_for, ann, cat, make_post):
    post = make_post(ann, "Only for people who have not blocked me")
    actions.block(cat, ann)
    client = client_for(cat)

    response = client.get(reverse("profile", args=["ann"]))

    assert response.status_code == 200
    assert "Unblock" in page_text(response)
    assert f'id="post-{post.id}"' not in response.content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404
    response = client.post(reverse("follow", args=["ann"]), follow=True)
    assert "unblock them first" in page_text(response)
    client.post(reverse("unblock", args=["ann"]))
    assert client.get(post.get_absolute_url()).status_code == 200


def test_it_hides_people_waiting_for_approval(client, make_account, settings):
    from confab.core.models import InstanceSettings

    policy = InstanceSettings.get()
    policy.signup_policy = InstanceSettings.SignupPolicy.APPROVAL
    policy.save()
    actions.register("newbie", "newbie@example.org", "correct-horse-battery-staple")

    assert client.get(reverse("profile", args=["newbie"])).status_code == 404


def test_it_leaves_blocked_people_out_of_follower_lists(client_for, ann, bob, cat):
    actions.follow(cat, ann)
    actions.block(bob, cat)

    response = client_for(bob).get(reverse("followers", args=["ann"]))

    assert response.context["page"].items == [bob]


def test_it_pages_followers_by_when_they_followed(client, make_account, ann, settings):
    settings.PAGE_SIZE = 2
    dee, eve, fay = make_account("dee"), make_account("eve"), make_account("fay")
    # They follow in a different order from the one they joined in.
    for person in (fay, dee, eve):
        actions.follow(person, ann)
    followed_dee = ann.follower_set.get(source=dee)

    first = client.get(reverse("followers", args=["ann"]))

    assert first.context["page"].items == [eve, dee]
    assert f'href="?max_id={followed_dee.id}"' in first.content.decode()
    second = client.get(reverse("followers", args=["ann"]), {"max_id": followed_dee.id})
    assert second.context["page"].items == [fay]
    assert "max_id" not in second.content.decode()


def test_it_lists_whom_someone_follows(client, ann, bob, cat):
    actions.follow(bob, cat)

    response = client.get(reverse("following", args=["bob"]))

    assert response.status_code == 200
    assert response.context["page"].items == [cat, ann]
    assert "Cat Outsider" in page_text(response) and "Ann Author" in page_text(response)
