"""Everything that changes lists, followed hashtags and featured hashtags.

Each action validates, writes in one transaction and raises ValidationError (with field
errors where a field is to blame) or Http404 (for a list the actor may not change).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from confab.accounts.models import Account
from confab.core.text import is_valid_hashtag
from confab.curation.models import (
    FeaturedHashtag,
    FollowedHashtag,
    List,
    ListHashtag,
    ListMember,
    ListSubscription,
)
from confab.posts.models import Hashtag
from confab.posts.tags import get_or_create_hashtags
from confab.posts.visibility import blocked_between, blocked_ids
from confab.realtime.broker import publish_on_commit

MAX_LISTS = 100
MAX_LIST_MEMBERS = 5000
MAX_LIST_HASHTAGS = 50
MAX_FEATURED_HASHTAGS = 10


@dataclass
class ListDetails:
    title: str
    description: str = ""
    visibility: str = List.Visibility.PRIVATE
    exclusive: bool = False
    replies_policy: str = List.RepliesPolicy.MEMBERS


def _home_changed(account: Account) -> None:
    """Tell the person's open live streams to reload what their home timeline holds."""
    publish_on_commit(f"relations:{account.pk}", "relations", {})


def _check(details: ListDetails) -> ListDetails:
    errors: dict[str, list[str]] = {}
    title = details.title.strip()
    description = details.description.strip()
    if not title:
        errors["title"] = ["Give the list a title."]
    elif len(title) > 100:
        errors["title"] = ["Keep the title to 100 characters."]
    if len(description) > 500:
        errors["description"] = [
            f"Keep the description to 500 characters (it has {len(description)})."
        ]
    if details.visibility not in List.Visibility.values:
        errors["visibility"] = ["Choose private or public."]
    if details.replies_policy not in List.RepliesPolicy.values:
        errors["replies_policy"] = ["Choose which replies the list shows."]
    if errors:
        raise ValidationError(errors)
    return ListDetails(
        title, description, details.visibility, details.exclusive, details.replies_policy
    )


def _own(owner: Account, lst: List) -> None:
    if lst.owner_id != owner.pk:
        raise Http404("No such list.")


def _room_for_a_list(owner: Account) -> None:
    if List.objects.filter(owner=owner).count() >= MAX_LISTS:
        raise ValidationError(f"You can have at most {MAX_LISTS} lists. Delete one first.")


@transaction.atomic
def create_list(owner: Account, details: ListDetails) -> List:
    """Make a new, empty list."""
    details = _check(details)
    _room_for_a_list(owner)
    return List.objects.create(
        owner=owner,
        title=details.title,
        description=details.description,
        visibility=details.visibility,
        exclusive=details.exclusive,
        replies_policy=details.replies_policy,
    )


@transaction.atomic
def update_list(owner: Account, lst: List, details: ListDetails) -> List:
    """Rename, describe or change how a list behaves.

    A list that turns private is gone for its subscribers: their subscriptions end.
    """
    _own(owner, lst)
    details = _check(details)
    was_exclusive = lst.exclusive
    lst.title, lst.description = details.title, details.description
    lst.visibility, lst.exclusive = details.visibility, details.exclusive
    lst.replies_policy = details.replies_policy
    lst.save(update_fields=["title", "description", "visibility", "exclusive", "replies_policy"])
    if not lst.is_public:
        ListSubscription.objects.filter(list=lst).delete()
        publish_on_commit(f"list:{lst.pk}", "reopen", {})
    if was_exclusive != lst.exclusive:
        _home_changed(owner)
    return lst


@transaction.atomic
def delete_list(owner: Account, lst: List) -> None:
    _own(owner, lst)
    if lst.exclusive:
        _home_changed(owner)
    lst.delete()


@transaction.atomic
def add_member(owner: Account, lst: List, account: Account) -> None:
    """Put a person on the list; following them is not needed, a block either way refuses."""
    _own(owner, lst)
    if blocked_between(owner, account):
        raise ValidationError(f"{account.name} cannot be added: one of you blocks the other.")
    if ListMember.objects.filter(list=lst, account=account).exists():
        return
    # Lock the list row so two additions cannot both squeeze past the limit.
    List.objects.select_for_update().filter(pk=lst.pk).first()
    if ListMember.objects.filter(list=lst).count() >= MAX_LIST_MEMBERS:
        raise ValidationError(f"A list can have at most {MAX_LIST_MEMBERS} members.")
    ListMember.objects.create(list=lst, account=account)
    if lst.exclusive:
        _home_changed(owner)


@transaction.atomic
def remove_member(owner: Account, lst: List, account: Account) -> None:
    _own(owner, lst)
    ListMember.objects.filter(list=lst, account=account).delete()
    if lst.exclusive:
        _home_changed(owner)


def _hashtag(name: str) -> Hashtag:
    name = name.strip()
    if not is_valid_hashtag(name):
        raise ValidationError(
            {"hashtag": ["That is not a hashtag: use letters, digits and underscores."]}
        )
    return get_or_create_hashtags([name])[0]


@transaction.atomic
def add_hashtag(owner: Account, lst: List, name: str) -> Hashtag:
    """Make a hashtag's public posts part of the list's timeline."""
    _own(owner, lst)
    tag = _hashtag(name)
    if ListHashtag.objects.filter(list=lst, hashtag=tag).exists():
        return tag
    if ListHashtag.objects.filter(list=lst).count() >= MAX_LIST_HASHTAGS:
        raise ValidationError(
            {"hashtag": [f"A list can have at most {MAX_LIST_HASHTAGS} hashtags."]}
        )
    ListHashtag.objects.create(list=lst, hashtag=tag)
    return tag


@transaction.atomic
def remove_hashtag(owner: Account, lst: List, hashtag: Hashtag) -> None:
    _own(owner, lst)
    ListHashtag.objects.filter(list=lst, hashtag=hashtag).delete()


@transaction.atomic
def subscribe(account: Account, lst: List) -> None:
    """Read someone else's public list as one's own, without copying it."""
    if lst.owner_id == account.pk:
        raise ValidationError("This is your own list.")
    if not lst.is_public:
        raise Http404("No such list.")
    ListSubscription.objects.get_or_create(list=lst, account=account)


@transaction.atomic
def unsubscribe(account: Account, lst: List) -> None:
    ListSubscription.objects.filter(list=lst, account=account).delete()


@transaction.atomic
def copy_list(account: Account, lst: List) -> List:
    """Make a private copy of a list the account may read, to edit as its own.

    People who block the copier, or whom the copier blocks, are left out of the copy.
    """
    if lst.owner_id != account.pk and not lst.is_public:
        raise Http404("No such list.")
    _room_for_a_list(account)
    copy = List.objects.create(
        owner=account,
        title=lst.title,
        description=lst.description,
        visibility=List.Visibility.PRIVATE,
        replies_policy=lst.replies_policy,
    )
    blocking, blocked_by = blocked_ids(account)
    member_ids = (
        ListMember.objects.filter(list=lst)
        .exclude(account_id__in=blocking)
        .exclude(account_id__in=blocked_by)
        .values_list("account_id", flat=True)
    )
    ListMember.objects.bulk_create(ListMember(list=copy, account_id=pk) for pk in member_ids)
    ListHashtag.objects.bulk_create(
        ListHashtag(list=copy, hashtag_id=pk)
        for pk in ListHashtag.objects.filter(list=lst).values_list("hashtag_id", flat=True)
    )
    return copy


@transaction.atomic
def follow_hashtag(account: Account, name: str) -> Hashtag:
    """Let a hashtag's public posts into the account's home timeline."""
    tag = _hashtag(name)
    FollowedHashtag.objects.get_or_create(account=account, hashtag=tag)
    _home_changed(account)
    return tag


@transaction.atomic
def unfollow_hashtag(account: Account, hashtag: Hashtag) -> None:
    FollowedHashtag.objects.filter(account=account, hashtag=hashtag).delete()
    _home_changed(account)


@transaction.atomic
def feature_hashtag(account: Account, name: str) -> Hashtag:
    """Show a hashtag on the account's profile (at most ten)."""
    tag = _hashtag(name)
    if FeaturedHashtag.objects.filter(account=account, hashtag=tag).exists():
        return tag
    if FeaturedHashtag.objects.filter(account=account).count() >= MAX_FEATURED_HASHTAGS:
        raise ValidationError(
            {
                "hashtag": [
                    f"You can feature at most {MAX_FEATURED_HASHTAGS} hashtags on your profile."
                ]
            }
        )
    FeaturedHashtag.objects.create(account=account, hashtag=tag)
    return tag


@transaction.atomic
def unfeature_hashtag(account: Account, hashtag: Hashtag) -> None:
    FeaturedHashtag.objects.filter(account=account, hashtag=hashtag).delete()
