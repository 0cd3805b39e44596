"""Everything that writes posts and what people do to them."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats import rooms
from confab.connections.conversations import actions as conversations
from confab.core import images
from confab.core.ids import id_for_time, next_id
from confab.core.text import count_characters
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.posts.formatting import Formatted, format_text
from confab.posts.models import (
    Bookmark,
    Favourite,
    MediaAttachment,
    Mention,
    Post,
    PostEdit,
    PostHashtag,
    Visibility,
)
from confab.posts.tags import get_or_create_hashtags
from confab.posts.visibility import visible_posts
from confab.timelines import live

# From most open to most closed; a reply may not be more open than a closed parent.
_OPENNESS: list[str] = [
    Visibility.PUBLIC,
    Visibility.UNLISTED,
    Visibility.PRIVATE,
    Visibility.DIRECT,
]
MAX_SPOILER = 200
MAX_ALT_TEXT = 1500
# Posted images are scaled down to this longest side; nobody reads a 33 MP photo in a feed.
MAX_IMAGE_SIDE = 2560


@dataclass(frozen=True)
class Upload:
    file: IO[bytes]
    description: str = ""


def _check_text(text: str, spoiler_text: str, has_media: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    limit = settings.POST_MAX_CHARS
    used = count_characters(text, settings.POST_URL_CHARS) + len(spoiler_text)
    if used > limit:
        errors["text"] = [
            f"Posts can be {limit} characters long (a link counts as "
            f"{settings.POST_URL_CHARS}); this one is {used}."
        ]
    elif not text.strip() and not has_media:
        errors["text"] = ["Write something, or attach an image."]
    if len(spoiler_text) > MAX_SPOILER:
        errors["spoiler_text"] = [f"Keep the content warning to {MAX_SPOILER} characters."]
    return errors


def _visible_or_404(viewer: Account, post_id: int) -> Post:
    try:
        return visible_posts(viewer).select_related("account").get(pk=post_id)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


def _link_entities(post: Post, formatted: Formatted) -> None:
    tags = get_or_create_hashtags(tag.display for tag in formatted.parsed.hashtags)
    PostHashtag.objects.bulk_create([PostHashtag(post=post, hashtag=tag) for tag in tags])
    mentions = []
    for mention in formatted.parsed.mentions:
        account = (
            formatted.accounts.get(mention.username.lower()) if mention.domain is None else None
        )
        mentions.append(
            Mention(
                post=post,
                account=account,
                username=account.username if account else mention.username,
                domain=mention.domain or "",
            )
        )
    Mention.objects.bulk_create(mentions)


def _attach(account: Account, post: Post, uploads: Sequence[Upload]) -> None:
    errors = []
    processed = []
    for number, upload in enumerate(uploads, start=1):
        if len(upload.description) > MAX_ALT_TEXT:
            errors.append(f"Image {number}: keep the alt text to {MAX_ALT_TEXT} characters.")
            continue
        try:
            image = images.process_image(
                upload.file,
                max_side=MAX_IMAGE_SIDE,
                max_bytes=settings.IMAGE_MAX_BYTES,
                max_pixels=settings.IMAGE_MAX_PIXELS,
            )
            processed.append((image, upload.description.strip()))
        except images.ImageRejected as exc:
            errors.append(f"Image {number}: {exc}")
    if errors:
        raise ValidationError({"media": errors})
    for position, (image, description) in enumerate(processed):
        attachment = MediaAttachment(
            account=account,
            post=post,
            description=description,
            position=position,
            width=image.width,
            height=image.height,
        )
        attachment.file.save(
            f"{attachment.id}.{image.extension}", ContentFile(image.content), save=False
        )
        attachment.save()


@transaction.atomic
def post(
    account: Account,
    text: str,
    *,
    spoiler_text: str = "",
    visibility: str = Visibility.PUBLIC,
    in_reply_to_id: int | None = None,
    media: Sequence[Upload] = (),
    created_at: datetime | None = None,
    post_id: int | None = None,
) -> Post:
    """Publish a post (or a reply) with its hashtags, mentions and images."""
    text = text.replace("\r\n", "\n").strip()
    spoiler_text = spoiler_text.strip()
    errors = _check_text(text, spoiler_text, bool(media))
    if visibility not in Visibility.values:
        errors["visibility"] = ["Choose who can see this post."]
    if len(media) > settings.POST_MAX_MEDIA:
        errors["media"] = [f"Attach at most {settings.POST_MAX_MEDIA} images."]
    parent = _visible_or_404(account, in_reply_to_id) if in_reply_to_id else None
    if parent is not None and parent.boost_of_id:
        parent = _visible_or_404(account, parent.boost_of_id)
    if (
        parent is not None
        and parent.visibility in (Visibility.PRIVATE, Visibility.DIRECT)
        and visibility in Visibility.values
        and _OPENNESS.index(visibility) < _OPENNESS.index(parent.visibility)
    ):
        errors["visibility"] = [
            f"This replies to a {parent.get_visibility_display().lower()} post: "
            "your reply can't be seen by more people than it."
        ]
    if errors:
        raise ValidationError(errors)

    formatted = format_text(text)
    new_id = post_id or next_id()
    new = Post.objects.create(
        id=new_id,
        account=account,
        uri=f"{account.uri}/statuses/{new_id}",
        text=text,
        content_html=formatted.html,
        spoiler_text=spoiler_text,
        visibility=visibility,
        local=account.is_local,
        in_reply_to=parent,
        in_reply_to_account_id=parent.account_id if parent else None,
        thread_id=parent.thread_id if parent else new_id,
        created_at=created_at or timezone.now(),
    )
    _link_entities(new, formatted)
    if media:
        _attach(account, new, media)
    Account.objects.filter(pk=account.pk).update(posts_count=F("posts_count") + 1)
    if parent is not None:
        Post.objects.filter(pk=parent.pk).update(replies_count=F("replies_count") + 1)
    notifications.notify_post(new)
    conversations.record_post(new)  # a direct post joins its conversation, or is refused
    joined = rooms.record_post(new)  # chat rooms it joins (hashtag during a session, or a reply)
    # After commit, one load of the post publishes it to its timelines and those rooms.
    transaction.on_commit(partial(live.publish_post, new.id, joined))
    return new


def _own_post_or_404(account: Account, post_id: int) -> Post:
    try:
        return Post.objects.select_for_update().get(
            pk=post_id, account=account, boost_of__isnull=True
        )
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


@transaction.atomic
def edit(account: Account, post_id: int, text: str, *, spoiler_text: str = "") -> Post:
    """Change the text of one's own post, keeping the former version in its history."""
    target = _own_post_or_404(account, post_id)
    text = text.replace("\r\n", "\n").strip()
    spoiler_text = spoiler_text.strip()
    errors = _check_text(text, spoiler_text, target.media.exists())
    if errors:
        raise ValidationError(errors)
    if text == target.text and spoiler_text == target.spoiler_text:
        return target
    PostEdit.objects.create(
        post=target,
        text=target.text,
        content_html=target.content_html,
        spoiler_text=target.spoiler_text,
        created_at=target.edited_at or target.created_at,
    )
    formatted = format_text(text)
    target.text = text
    target.content_html = formatted.html
    target.spoiler_text = spoiler_text
    target.edited_at = timezone.now()
    target.save(update_fields=["text", "content_html", "spoiler_text", "edited_at"])
    PostHashtag.objects.filter(post=target).delete()
    Mention.objects.filter(post=target).delete()
    _link_entities(target, formatted)
    conversations.record_edit(target)
    rooms.record_edit(target)  # an answer relabelled "A1" → "A2" moves to Q2
    transaction.on_commit(partial(live.publish_update, target.id))
    return target


@transaction.atomic
def delete(account: Account, post_id: int) -> None:
    """Delete one's own post; its boosts, favourites and bookmarks go with it."""
    target = _own_post_or_404(account, post_id)
    files = [(m.file.storage, m.file.name) for m in target.media.all() if m.file.name]
    if target.in_reply_to_id:
        Post.objects.filter(pk=target.in_reply_to_id, replies_count__gt=0).update(
            replies_count=F("replies_count") - 1
        )
    streams, facts = live.deletion(target)
    conversations.record_deletion(target)
    target.delete()
    transaction.on_commit(partial(live.publish_deletion, streams, facts))
    Account.objects.filter(pk=account.pk, posts_count__gt=0).update(
        posts_count=F("posts_count") - 1
    )
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))


def _original(viewer: Account, post_id: int) -> Post:
    found = _visible_or_404(viewer, post_id)
    if found.boost_of_id:
        found = _visible_or_404(viewer, found.boost_of_id)
    return found


@transaction.atomic
def boost(account: Account, post_id: int, *, created_at: datetime | None = None) -> Post:
    """Share a post with one's followers (idempotent); `created_at` back-dates a demo boost."""
    original = _original(account, post_id)
    if original.visibility == Visibility.DIRECT or (
        original.visibility == Visibility.PRIVATE and original.account_id != account.pk
    ):
        raise ValidationError("Only public and unlisted posts can be boosted.")
    existing = Post.objects.filter(account=account, boost_of=original).first()
    if existing:
        return existing
    new_id = id_for_time(created_at, random.getrandbits(16)) if created_at else next_id()
    boosted = Post.objects.create(
        id=new_id,
        account=account,
        uri=f"{account.uri}/statuses/{new_id}/activity",
        boost_of=original,
        visibility=original.visibility,
        local=account.is_local,
        thread_id=new_id,
        created_at=created_at or timezone.now(),
    )
    Post.objects.filter(pk=original.pk).update(boosts_count=F("boosts_count") + 1)
    notifications.notify(original.account, Kind.BOOST, account, original)
    transaction.on_commit(partial(live.publish_post, boosted.id))
    return boosted


@transaction.atomic
def unboost(account: Account, post_id: int) -> None:
    original = _original(account, post_id)
    boosts = list(Post.objects.filter(account=account, boost_of=original))
    for boosted in boosts:
        streams, facts = live.deletion(boosted)
        transaction.on_commit(partial(live.publish_deletion, streams, facts))
    deleted, _ = Post.objects.filter(pk__in=[b.pk for b in boosts]).delete()
    if deleted:
        Post.objects.filter(pk=original.pk, boosts_count__gt=0).update(
            boosts_count=F("boosts_count") - 1
        )
        notifications.withdraw(original.account, [Kind.BOOST], account, original)


@transaction.atomic
def favourite(account: Account, post_id: int, *, created_at: datetime | None = None) -> Post:
    """Favourite a post (idempotent); `created_at` back-dates a demo favourite."""
    original = _original(account, post_id)
    # The id carries the time (insights read when people were active from it).
    defaults = {"id": id_for_time(created_at, random.getrandbits(16))} if created_at else {}
    favourite_row, created = Favourite.objects.get_or_create(
        account=account, post=original, defaults=defaults
    )
    if created and created_at:
        Favourite.objects.filter(pk=favourite_row.pk).update(created_at=created_at)
    if created:
        Post.objects.filter(pk=original.pk).update(favourites_count=F("favourites_count") + 1)
        notifications.notify(original.account, Kind.FAVOURITE, account, original)
    return original


@transaction.atomic
def unfavourite(account: Account, post_id: int) -> Post:
    original = _original(account, post_id)
    deleted, _ = Favourite.objects.filter(account=account, post=original).delete()
    if deleted:
        Post.objects.filter(pk=original.pk, favourites_count__gt=0).update(
            favourites_count=F("favourites_count") - 1
        )
        notifications.withdraw(original.account, [Kind.FAVOURITE], account, original)
    return original


@transaction.atomic
def bookmark(account: Account, post_id: int) -> Post:
    original = _original(account, post_id)
    Bookmark.objects.get_or_create(account=account, post=original)
    return original


@transaction.atomic
def unbookmark(account: Account, post_id: int) -> None:
    # A bookmark of a post one can no longer see may still be removed.
    Bookmark.objects.filter(account=account, post_id=post_id).delete()
