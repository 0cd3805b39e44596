"""Everything that changes lists, followed hashtags and featured hashtags.

Each action validates, writes in one transaction and raises ValidationError (with field
errors where a field is to blame) or Http404 (for a list the actor may not change).
"""

import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from confab.accounts.models import Account
from confab.chats.models import Chat
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.curation.models import (
    FeaturedHashtag,
    FollowedHashtag,
    HiddenTrend,
    KitChat,
    KitHashtag,
    KitList,
    KitPerson,
    List,
    ListHashtag,
    ListMember,
    ListSubscription,
    StarterKit,
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


# --- Starter kits -----------------------------------------------------------------------

MAX_KIT_PEOPLE = 150  # Bluesky's limit
MAX_KIT_HASHTAGS = 50
MAX_KIT_CHATS = 50
MAX_KIT_LISTS = 50


def _own_kit(owner: Account, kit: StarterKit) -> None:
    if kit.owner_id != owner.pk:
        raise Http404("No such starter kit.")


def _kit_text(title: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title, description = title.strip(), description.strip()
    if not title:
        errors["title"] = ["Give the kit a title."]
    elif len(title) > 100:
        errors["title"] = ["Keep the title to 100 characters."]
    if len(description) > 500:
        errors["description"] = [
            f"Keep the description to 500 characters (it has {len(description)})."
        ]
    if errors:
        raise ValidationError(errors)
    return title, description


@transaction.atomic
def create_kit(owner: Account, title: str, description: str = "") -> StarterKit:
    """Start an empty starter kit; people, hashtags, chats and lists are added after."""
    title, description = _kit_text(title, description)
    return StarterKit.objects.create(owner=owner, title=title, description=description)


@transaction.atomic
def update_kit(owner: Account, kit: StarterKit, title: str, description: str) -> StarterKit:
    _own_kit(owner, kit)
    kit.title, kit.description = _kit_text(title, description)
    kit.save(update_fields=["title", "description"])
    return kit


@transaction.atomic
def delete_kit(owner: Account, kit: StarterKit) -> None:
    _own_kit(owner, kit)
    kit.delete()


def _room_in_kit(kit: StarterKit, rows: QuerySet, limit: int, what: str, field: str) -> None:
    # Lock the kit row so two additions cannot both squeeze past the limit.
    StarterKit.objects.select_for_update().filter(pk=kit.pk).first()
    if rows.count() >= limit:
        raise ValidationError({field: [f"A starter kit can hold at most {limit} {what}."]})


@transaction.atomic
def add_kit_person(owner: Account, kit: StarterKit, account: Account) -> None:
    """Put a person in the kit; someone blocked either way cannot be bundled."""
    _own_kit(owner, kit)
    if blocked_between(owner, account):
        raise ValidationError(
            {"acct": [f"{account.name} cannot be added: one of you blocks the other."]}
        )
    if KitPerson.objects.filter(kit=kit, account=account).exists():
        return
    _room_in_kit(kit, KitPerson.objects.filter(kit=kit), MAX_KIT_PEOPLE, "people", "acct")
    KitPerson.objects.create(kit=kit, account=account)


@transaction.atomic
def remove_kit_person(owner: Account, kit: StarterKit, account_id: int) -> None:
    _own_kit(owner, kit)
    KitPerson.objects.filter(kit=kit, account_id=account_id).delete()


@transaction.atomic
def add_kit_hashtag(owner: Account, kit: StarterKit, name: str) -> Hashtag:
    _own_kit(owner, kit)
    tag = _hashtag(name)
    if KitHashtag.objects.filter(kit=kit, hashtag=tag).exists():
        return tag
    _room_in_kit(kit, KitHashtag.objects.filter(kit=kit), MAX_KIT_HASHTAGS, "hashtags", "hashtag")
    KitHashtag.objects.create(kit=kit, hashtag=tag)
    return tag


@transaction.atomic
def remove_kit_hashtag(owner: Account, kit: StarterKit, hashtag_id: int) -> None:
    _own_kit(owner, kit)
    KitHashtag.objects.filter(kit=kit, hashtag_id=hashtag_id).delete()


@transaction.atomic
def add_kit_chat(owner: Account, kit: StarterKit, chat: Chat) -> None:
    _own_kit(owner, kit)
    if KitChat.objects.filter(kit=kit, chat=chat).exists():
        return
    _room_in_kit(kit, KitChat.objects.filter(kit=kit), MAX_KIT_CHATS, "chats", "chat")
    KitChat.objects.create(kit=kit, chat=chat)


@transaction.atomic
def remove_kit_chat(owner: Account, kit: StarterKit, chat_id: int) -> None:
    _own_kit(owner, kit)
    KitChat.objects.filter(kit=kit, chat_id=chat_id).delete()


@transaction.atomic
def add_kit_list(owner: Account, kit: StarterKit, lst: List) -> None:
    """Bundle a public list; a private one would show its owner's business to strangers."""
    _own_kit(owner, kit)
    if not lst.is_public:
        raise ValidationError(
            {"list": [f"“{lst.title}” is private: make it public to put it in a kit."]}
        )
    if lst.owner_id != owner.pk and blocked_between(owner, lst.owner):
        raise Http404("No such list.")
    if KitList.objects.filter(kit=kit, list=lst).exists():
        return
    _room_in_kit(kit, KitList.objects.filter(kit=kit), MAX_KIT_LISTS, "lists", "list")
    KitList.objects.create(kit=kit, list=lst)


@transaction.atomic
def remove_kit_list(owner: Account, kit: StarterKit, list_id: int) -> None:
    _own_kit(owner, kit)
    KitList.objects.filter(kit=kit, list_id=list_id).delete()


def _admin_only(actor: Account) -> None:
    if actor.user is None or not actor.user.is_staff:
        raise Http404("Not found.")


@transaction.atomic
def set_kit_featured(actor: Account, kit: StarterKit, featured: bool) -> None:
    """Offer a kit to every newcomer (admins only)."""
    _admin_only(actor)
    StarterKit.objects.filter(pk=kit.pk).update(featured=featured)
    kit.featured = featured


@dataclass
class KitChoice:
    """What a person ticked on a kit's "follow all" preview (ids of the kit's items)."""

    people: set[int]
    hashtags: set[int]
    chats: set[int]
    lists: set[int]
    exclusive_list_title: str = ""  # non-empty: also put the people on a new exclusive list


@dataclass
class KitResult:
    followed: list[Account] = field(default_factory=list)
    requested: list[Account] = field(default_factory=list)
    skipped: list[Account] = field(default_factory=list)  # blocked either way
    hashtags: list[Hashtag] = field(default_factory=list)
    chats: list[Chat] = field(default_factory=list)
    lists: list[List] = field(default_factory=list)
    exclusive_list: List | None = None

    def summary(self) -> str:
        parts = []
        if self.followed:
            parts.append(_plural(len(self.followed), "person", "people") + " followed")
        if self.requested:
            parts.append(_plural(len(self.requested), "follow request") + " sent (locked accounts)")
        if self.hashtags:
            parts.append(_plural(len(self.hashtags), "hashtag") + " followed")
        if self.chats:
            parts.append(_plural(len(self.chats), "chat") + " followed")
        if self.lists:
            parts.append(_plural(len(self.lists), "list") + " subscribed")
        if self.skipped:
            parts.append(_plural(len(self.skipped), "blocked account") + " skipped")
        return ", ".join(parts) if parts else "Nothing was ticked"


def _plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@transaction.atomic
def follow_kit(account: Account, kit: StarterKit, choice: KitChoice) -> KitResult:
    """Follow what the person kept ticked of a kit, all in one transaction.

    Locked accounts get a follow request; people blocked either way are skipped; a list
    that turned private since it was bundled is left out. With `exclusive_list_title`, the
    people also go onto a new exclusive list, so their posts stay out of the home timeline.
    """
    from confab.accounts import actions as account_actions
    from confab.chats import actions as chat_actions

    result = KitResult()
    blocking, blocked_by = blocked_ids(account)
    hidden = set(blocking.values_list("target_id", flat=True)) | set(
        blocked_by.values_list("source_id", flat=True)
    )
    people = Account.objects.filter(
        pk__in=KitPerson.objects.filter(kit=kit, account_id__in=choice.people).values("account_id")
    ).order_by("username")
    for person in people:
        if person.pk == account.pk:
            continue
        if person.pk in hidden:
            result.skipped.append(person)
            continue
        outcome = account_actions.follow(account, person)
        (result.followed if outcome == "following" else result.requested).append(person)
    tags = Hashtag.objects.filter(
        pk__in=KitHashtag.objects.filter(kit=kit, hashtag_id__in=choice.hashtags).values(
            "hashtag_id"
        )
    ).order_by("name")
    for tag in tags:
        FollowedHashtag.objects.get_or_create(account=account, hashtag=tag)
        result.hashtags.append(tag)
    if result.hashtags:
        _home_changed(account)
    chats = Chat.objects.select_related("hashtag").filter(
        pk__in=KitChat.objects.filter(kit=kit, chat_id__in=choice.chats).values("chat_id")
    )
    for chat in chats:
        chat_actions.follow_chat(account, chat)
        result.chats.append(chat)
    lists = (
        List.objects.filter(
            pk__in=KitList.objects.filter(kit=kit, list_id__in=choice.lists).values("list_id"),
            visibility=List.Visibility.PUBLIC,
        )
        .exclude(owner=account)
        .exclude(owner_id__in=hidden)
    )
    for lst in lists:
        ListSubscription.objects.get_or_create(list=lst, account=account)
        result.lists.append(lst)
    title = choice.exclusive_list_title.strip()
    members = result.followed + result.requested
    if title and members:
        made = create_list(account, ListDetails(title=title[:100], exclusive=True))
        ListMember.objects.bulk_create(ListMember(list=made, account=p) for p in members)
        result.exclusive_list = made
        _home_changed(account)
    return result


# --- Trending hashtags ------------------------------------------------------------------


@transaction.atomic
def hide_trend(actor: Account, hashtag: Hashtag) -> None:
    """Keep a hashtag off the trending list (admins only); its page stays."""
    _admin_only(actor)
    HiddenTrend.objects.get_or_create(hashtag=hashtag, defaults={"hidden_by": actor})


@transaction.atomic
def unhide_trend(actor: Account, hashtag: Hashtag) -> None:
    _admin_only(actor)
    HiddenTrend.objects.filter(hashtag=hashtag).delete()


# --- Onboarding -------------------------------------------------------------------------


@transaction.atomic
def set_interests(account: Account, names: list[str], time_zone: str = "") -> list[Hashtag]:
    """Record what a newcomer cares about (and their time zone), for suggestions."""
    from confab.accounts.actions import MAX_INTERESTS

    wanted: list[str] = []
    bad = []
    for raw in names:
        name = raw.strip().lstrip("#")
        if not name:
            continue
        if not is_valid_hashtag(name):
            bad.append(raw.strip())
        elif normalize_hashtag(name) not in {normalize_hashtag(n) for n in wanted}:
            wanted.append(name)
    errors: dict[str, list[str]] = {}
    if bad:
        errors["interests"] = [
            f"Not hashtags: {', '.join(bad)}. Use letters, digits and underscores."
        ]
    elif len(wanted) > MAX_INTERESTS:
        errors["interests"] = [f"Pick at most {MAX_INTERESTS} interests."]
    time_zone = time_zone.strip()
    if time_zone and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = [f"“{time_zone}” is not a time zone we know."]
    if errors:
        raise ValidationError(errors)
    tags = get_or_create_hashtags(wanted)
    account.interests.add(*tags)
    if time_zone:
        Account.objects.filter(pk=account.pk).update(time_zone=time_zone)
        account.time_zone = time_zone
    return tags


@transaction.atomic
def finish_onboarding(account: Account, fallback: list[Hashtag]) -> list[Hashtag]:
    """Make sure a newcomer's home timeline is not empty when they leave onboarding.

    When nothing they follow has posted anything they may see, follow `fallback` (their
    interests, else what is trending) and return what was followed; otherwise do nothing.
    """
    from confab.timelines import queries as timelines

    if timelines.home(account).exists():
        return []
    followed = []
    for tag in fallback:
        FollowedHashtag.objects.get_or_create(account=account, hashtag=tag)
        followed.append(tag)
        if timelines.home(account).exists():
            break
    if followed:
        _home_changed(account)
    return followed
