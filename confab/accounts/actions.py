"""Everything that changes people and the ties between them.

Each action validates, writes in one transaction and raises ValidationError (with field
errors where a field is to blame) or Http404 (for someone the actor may not see).
"""

import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404

from confab.accounts.models import (
    USERNAME_PATTERN,
    Account,
    Block,
    Follow,
    FollowOrigin,
    FollowRequest,
    Mute,
    User,
    local_uri,
)
from confab.core import images, places
from confab.core.models import InstanceSettings
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.realtime.broker import publish_on_commit

USERNAME_TAKEN = "That username is taken."
MAX_PROFILE_LINKS = 4
MAX_INTERESTS = 20
AVATAR_SIDE = 400
HEADER_SIDE = 1500


def _username_errors(username: str) -> list[str]:
    if not re.fullmatch(USERNAME_PATTERN, username):
        return ["Use 1 to 30 letters (A–Z), digits or underscores, with no spaces."]
    # A login made outside Confab (manage.py createsuperuser) has no account but holds the name.
    if (
        Account.objects.filter(username__iexact=username, domain="").exists()
        or User.objects.filter(username__iexact=username).exists()
    ):
        return [USERNAME_TAKEN]
    return []


@transaction.atomic
def register(
    username: str,
    email: str,
    password: str,
    *,
    reason: str = "",
    policy_check: bool = True,
    password_hash: str | None = None,
) -> Account:
    """Create a login and its local account, following the instance's sign-up policy.

    `password_hash` (from make_password) replaces hashing `password` for bulk creation
    such as the demo community; the password's strength is still checked.
    """
    username = username.strip()
    approved = True
    if policy_check:
        policy = InstanceSettings.get().signup_policy
        if policy == InstanceSettings.SignupPolicy.CLOSED:
            raise ValidationError("Sign-ups are closed on this server.")
        approved = policy == InstanceSettings.SignupPolicy.OPEN
    errors: dict[str, list[str]] = {}
    if username_errors := _username_errors(username):
        errors["username"] = username_errors
    user = User(username=username, email=email.strip(), approved=approved, signup_reason=reason)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    if password_hash is not None:
        user.password = password_hash
    else:
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another sign-up took the name between the check above and this write.
        raise ValidationError({"username": [USERNAME_TAKEN]}) from None
    return Account.objects.create(user=user, username=username, uri=local_uri(username))


@transaction.atomic
def approve_signup(user: User) -> None:
    """Let a person who signed up under the approval policy log in."""
    user.approved = True
    user.save(update_fields=["approved"])


@dataclass
class ProfileChanges:
    display_name: str
    note: str
    city: str  # as typed; resolved through the gazetteer, "" clears it
    time_zone: str
    interests: Sequence[str]
    links: Sequence[tuple[str, str]]  # (label, url) pairs
    locked: bool


def _clean_links(links: Iterable[tuple[str, str]]) -> tuple[list[dict], list[str]]:
    check_url = URLValidator(schemes=["http", "https"])
    cleaned: list[dict] = []
    errors: list[str] = []
    for label, url in links:
        label, url = label.strip(), url.strip()
        if not label and not url:
            continue
        if not url:
            errors.append(f"The link “{label}” needs an address.")
            continue
        try:
            check_url(url)
        except ValidationError:
            errors.append(f"“{url}” is not a web address (start it with https://).")
            continue
        cleaned.append({"label": label[:60] or url, "url": url[:500]})
    if len(cleaned) > MAX_PROFILE_LINKS:
        errors.append(f"A profile can have at most {MAX_PROFILE_LINKS} links.")
    return cleaned, errors


@transaction.atomic
def update_profile(account: Account, changes: ProfileChanges) -> Account:
    """Change a person's profile, or change nothing and say what is wrong."""
    from confab.posts.formatting import format_text
    from confab.posts.tags import get_or_create_hashtags

    errors: dict[str, list[str]] = {}
    display_name = changes.display_name.strip()
    if len(display_name) > 30:
        errors["display_name"] = ["Keep your name to 30 characters."]
    note = changes.note.strip()
    if len(note) > 500:
        errors["note"] = [f"Keep your bio to 500 characters (it has {len(note)})."]
    city = None
    if changes.city.strip():
        try:
            city = places.resolve_city(changes.city)
        except places.PlaceError as exc:
            errors["city"] = [exc.message]
    time_zone = changes.time_zone.strip() or (city.timezone if city else "UTC")
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = [f"“{time_zone}” is not a time zone we know."]
    interests: list[str] = []
    bad_tags = []
    for raw in changes.interests:
        tag = raw.strip().lstrip("#")
        if not tag:
            continue
        if not is_valid_hashtag(tag):
            bad_tags.append(raw.strip())
        elif normalize_hashtag(tag) not in {normalize_hashtag(t) for t in interests}:
            interests.append(tag)
    if bad_tags:
        errors["interests"] = [
            f"Not hashtags: {', '.join(bad_tags)}. Use letters, digits and underscores."
        ]
    elif len(interests) > MAX_INTERESTS:
        errors["interests"] = [f"Pick at most {MAX_INTERESTS} interests."]
    links, link_errors = _clean_links(changes.links)
    if link_errors:
        errors["links"] = link_errors
    if errors:
        raise ValidationError(errors)

    account.display_name = display_name
    account.note = note
    account.note_html = format_text(note).html if note else ""
    if city is None:
        account.city_id, account.city_label, account.country_code = None, "", ""
        account.latitude = account.longitude = None
    else:
        account.city_id, account.city_label = city.id, city.label
        account.country_code = city.country_code
        account.latitude, account.longitude = city.latitude, city.longitude
    account.time_zone = time_zone
    account.links = links
    was_locked, account.locked = account.locked, changes.locked
    # Name the fields: a full save would write back counters that follows changed meanwhile.
    account.save(
        update_fields=[
            "display_name",
            "note",
            "note_html",
            "city_id",
            "city_label",
            "country_code",
            "latitude",
            "longitude",
            "time_zone",
            "links",
            "locked",
        ]
    )
    account.interests.set(get_or_create_hashtags(interests))
    if was_locked and not account.locked:
        # Unlocking lets everyone who asked in.
        for request in account.incoming_follow_requests.select_related("source"):
            _accept(request)
    return account


def _process_upload(fileobj: IO[bytes], max_side: int) -> images.ProcessedImage:
    try:
        processed = images.process_image(
            fileobj,
            max_side=max_side,
            max_bytes=settings.IMAGE_MAX_BYTES,
            max_pixels=settings.IMAGE_MAX_PIXELS,
        )
    except images.ImageRejected as exc:
        raise ValidationError(str(exc)) from None
    return processed


@transaction.atomic
def set_profile_image(account: Account, kind: str, fileobj: IO[bytes] | None) -> Account:
    """Replace (or with None, remove) the avatar or header image."""
    if kind not in {"avatar", "header"}:
        raise ValueError(kind)
    field = getattr(account, kind)
    old_name = field.name
    if fileobj is None:
        setattr(account, kind, "")
    else:
        try:
            image = _process_upload(fileobj, AVATAR_SIDE if kind == "avatar" else HEADER_SIDE)
        except ValidationError as exc:
            raise ValidationError({kind: exc.messages}) from None
        field.save(f"{account.id}.{image.extension}", ContentFile(image.content), save=False)
    account.save(update_fields=[kind])
    if old_name:
        storage = field.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return account


def _relations_changed(*accounts: Account) -> None:
    """Tell these people's open live streams to reload who they follow, block and mute."""
    for account in accounts:
        publish_on_commit(f"relations:{account.pk}", "relations", {})


def _refresh_counts(*accounts: Account) -> None:
    for account in accounts:
        Account.objects.filter(pk=account.pk).update(
            followers_count=Follow.objects.filter(target=account).count(),
            following_count=Follow.objects.filter(source=account).count(),
        )


def _accept(request: FollowRequest) -> Follow:
    follow, created = Follow.objects.get_or_create(
        source=request.source, target=request.target, defaults={"origin": request.origin}
    )
    request.delete()
    if created:
        Account.objects.filter(pk=request.source_id).update(
            following_count=F("following_count") + 1
        )
        Account.objects.filter(pk=request.target_id).update(
            followers_count=F("followers_count") + 1
        )
        _relations_changed(request.source)
    return follow


@transaction.atomic
def follow(source: Account, target: Account, *, origin: str = "") -> str:
    """Follow `target`, or ask to when the account is locked. Return "following" or "requested".

    `origin` (a FollowOrigin value) says where the follow came from, for insights; anything
    else is recorded as "" (a profile or elsewhere).
    """
    if origin not in FollowOrigin.values:
        origin = ""
    if source.pk == target.pk:
        raise ValidationError("You cannot follow yourself.")
    if Block.objects.filter(source=source, target=target).exists():
        raise ValidationError(f"You blocked {target.name}: unblock them first.")
    if Block.objects.filter(source=target, target=source).exists():
        raise Http404("No such account.")
    if Follow.objects.filter(source=source, target=target).exists():
        return "following"
    if target.locked:
        _, asked = FollowRequest.objects.get_or_create(
            source=source, target=target, defaults={"origin": origin}
        )
        if asked:
            notifications.notify(target, Kind.FOLLOW_REQUEST, source)
        return "requested"
    _accept(FollowRequest(source=source, target=target, origin=origin))
    notifications.notify(target, Kind.FOLLOW, source)
    return "following"


@transaction.atomic
def unfollow(source: Account, target: Account) -> None:
    """Stop following `target` (or withdraw a pending request)."""
    FollowRequest.objects.filter(source=source, target=target).delete()
    deleted, _ = Follow.objects.filter(source=source, target=target).delete()
    notifications.withdraw(target, [Kind.FOLLOW, Kind.FOLLOW_REQUEST], source)
    _relations_changed(source)
    if deleted:
        Account.objects.filter(pk=source.pk).update(following_count=F("following_count") - 1)
        Account.objects.filter(pk=target.pk).update(followers_count=F("followers_count") - 1)


def _incoming_request(target: Account, request_id: int) -> FollowRequest:
    try:
        return FollowRequest.objects.select_related("source", "target").get(
            pk=request_id, target=target
        )
    except FollowRequest.DoesNotExist:
        raise Http404("No such follow request.") from None


@transaction.atomic
def accept_follow_request(target: Account, request_id: int) -> Follow:
    """Let the person who asked follow `target`."""
    return _accept(_incoming_request(target, request_id))


@transaction.atomic
def reject_follow_request(target: Account, request_id: int) -> None:
    """Turn down a follow request; the asker is not told."""
    _incoming_request(target, request_id).delete()


@transaction.atomic
def block(source: Account, target: Account) -> None:
    """Block `target`: each becomes invisible to the other and follows both ways end."""
    if source.pk == target.pk:
        raise ValidationError("You cannot block yourself.")
    Block.objects.get_or_create(source=source, target=target)
    pair = Q(source=source, target=target) | Q(source=target, target=source)
    Follow.objects.filter(pair).delete()
    FollowRequest.objects.filter(pair).delete()
    _refresh_counts(source, target)
    _relations_changed(source, target)


@transaction.atomic
def unblock(source: Account, target: Account) -> None:
    Block.objects.filter(source=source, target=target).delete()
    _relations_changed(source, target)


@transaction.atomic
def mute(source: Account, target: Account) -> None:
    """Keep `target` out of the source's feeds without telling them."""
    if source.pk == target.pk:
        raise ValidationError("You cannot mute yourself.")
    Mute.objects.get_or_create(source=source, target=target)
    _relations_changed(source)


@transaction.atomic
def unmute(source: Account, target: Account) -> None:
    Mute.objects.filter(source=source, target=target).delete()
    _relations_changed(source)


@transaction.atomic
def make_admin(account: Account) -> None:
    """Give a local person the admin's rights (the /admin/ site, approving sign-ups)."""
    user = account.user
    if user is None:
        raise ValidationError("Only a person with a login on this server can be an admin.")
    user.is_staff = user.is_superuser = True
    user.approved = True
    user.save(update_fields=["is_staff", "is_superuser", "approved"])
