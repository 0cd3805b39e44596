"""Reading lists and hashtags with the permission check built in.

A private list is someone else's business: for everyone but its owner it does not exist
(404), and neither does a list whose owner blocks the viewer or is blocked by them.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from confab.accounts.models import Account
from confab.core.paging import Shape
from confab.core.prepared import prepared, sentinels, stand_in
from confab.curation.models import (
    FeaturedHashtag,
    FollowedHashtag,
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
from confab.posts.models import Hashtag, Post, PostHashtag, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import blocked_ids, feed_posts, following_ids


def readable_lists(viewer: Account | None) -> QuerySet[List]:
    """Lists the viewer may open: their own, and public ones of people not blocked either way."""
    lists = List.objects.select_related("owner")
    if viewer is None:
        return lists.filter(visibility=List.Visibility.PUBLIC)
    blocking, blocked_by = blocked_ids(viewer)
    return lists.filter(
        Q(owner=viewer)
        | (
            Q(visibility=List.Visibility.PUBLIC)
            & ~Q(owner_id__in=blocking)
            & ~Q(owner_id__in=blocked_by)
        )
    )


def get_list_for(viewer: Account | None, list_id: int) -> List:
    """Return the list if the viewer may read it, else raise Http404."""
    try:
        return readable_lists(viewer).get(pk=list_id)
    except List.DoesNotExist:
        raise Http404("No such list.") from None


def get_own_list(viewer: Account, list_id: int) -> List:
    """Return one of the viewer's own lists, else raise Http404."""
    try:
        return List.objects.select_related("owner").get(pk=list_id, owner=viewer)
    except List.DoesNotExist:
        raise Http404("No such list.") from None


def owned_lists(viewer: Account) -> QuerySet[List]:
    return (
        List.objects.filter(owner=viewer)
        .annotate(member_count=Count("members", distinct=True))
        .order_by("title", "id")
    )


def subscribed_lists(viewer: Account) -> QuerySet[List]:
    """Public lists the viewer subscribes to (a list that turned private is not among them)."""
    return (
        readable_lists(viewer)
        .filter(visibility=List.Visibility.PUBLIC, subscriptions__account=viewer)
        .exclude(owner=viewer)
        .order_by("title", "id")
    )


def lists_with_flag(viewer: Account, account: Account) -> QuerySet[List]:
    """The viewer's lists, each marked with whether `account` is on it (for a profile)."""
    return (
        List.objects.filter(owner=viewer)
        .annotate(
            has_member=Exists(ListMember.objects.filter(list_id=OuterRef("pk"), account=account))
        )
        .order_by("title", "id")
    )


def list_posts(viewer: Account | None, lst: List) -> QuerySet[Post]:
    """A list's timeline as the viewer may see it: posts by members or with its hashtags.

    Everything passes through feed_posts, so the reader's blocks and mutes apply (a member
    who blocks the reader simply vanishes from it). Hashtag matches are public posts only,
    as on a hashtag page. Which replies show follows the list's replies policy; a reply to
    oneself (a thread) always shows.
    """
    return decorate(_list_posts(viewer, lst, _list_tag_ids(lst)), viewer)


def _list_tag_ids(lst: List) -> list[int]:
    # Hashtags are looked up first: a list of people only (the usual kind) then gets a plain
    # IN on the author, which both databases answer from the (account, -id) index and stop
    # after a page; with an OR SQLite gathers and sorts every member's posts (bench/curation.py).
    return list(
        ListHashtag.objects.filter(list_id=lst.pk)
        .order_by("hashtag_id")
        .values_list("hashtag_id", flat=True)
    )


def _list_posts(
    viewer: Account | None,
    lst: List,
    tag_ids: list[int],
    *,
    list_id: int | None = None,
    owner_id: int | None = None,
) -> QuerySet[Post]:
    """`list_posts` without the card's joins; `list_id` and `owner_id` stand in for the
    list's own (list_shape passes stand-ins), its replies policy is read from `lst`."""
    list_id = lst.pk if list_id is None else list_id
    owner_id = lst.owner_id if owner_id is None else owner_id
    members = ListMember.objects.filter(list_id=list_id).values("account_id")
    wanted = Q(account_id__in=members)
    if tag_ids:
        wanted |= Q(visibility=Visibility.PUBLIC, boost_of__isnull=True) & Q(
            pk__in=PostHashtag.objects.filter(hashtag_id__in=tag_ids).values("post_id")
        )
    replies = Q(in_reply_to_account__isnull=True) | Q(in_reply_to_account_id=F("account_id"))
    if lst.replies_policy == List.RepliesPolicy.MEMBERS:
        replies |= Q(in_reply_to_account_id__in=members)
    elif lst.replies_policy == List.RepliesPolicy.FOLLOWED:
        owner = stand_in(Account, owner_id)
        replies |= Q(in_reply_to_account_id__in=following_ids(owner)) | Q(
            in_reply_to_account_id=owner_id
        )
    return feed_posts(viewer).filter(wanted).filter(replies)


def list_shape(viewer: Account | None, lst: List) -> Shape:
    """`list_posts` for paginate(shape=...): compiled once per replies policy, number of
    hashtags and kind of reader (confab/core/prepared.py)."""
    tag_ids = _list_tag_ids(lst)
    tag_names = [f"tag{n}" for n in range(len(tag_ids))]
    values = {"list": lst.pk, **dict(zip(tag_names, tag_ids, strict=True))}
    if lst.replies_policy == List.RepliesPolicy.FOLLOWED:
        values["owner"] = lst.owner_id
    if viewer is not None:
        values["viewer"] = viewer.pk

    def build(v):
        reader = stand_in(Account, v["viewer"]) if viewer is not None else None
        posts = _list_posts(
            reader,
            lst,
            [v[name] for name in tag_names],
            list_id=v["list"],
            owner_id=v.get("owner", lst.owner_id),
        )
        return [posts]

    return Shape(
        name=("list", connection.vendor, viewer is not None, len(tag_ids), lst.replies_policy),
        values=values,
        build=build,
    )


def list_members(viewer: Account | None, lst: List) -> QuerySet[Account]:
    """The list's members, hiding anyone blocked either way with the viewer."""
    accounts = Account.objects.filter(list_memberships__list=lst)
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        accounts = accounts.exclude(pk__in=blocking).exclude(pk__in=blocked_by)
    return accounts.order_by("username", "id")


def list_hashtags(lst: List) -> QuerySet[Hashtag]:
    return Hashtag.objects.filter(
        pk__in=ListHashtag.objects.filter(list=lst).values("hashtag_id")
    ).order_by("name")


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("list_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def list_facts(viewer: Account | None, lst: List) -> dict[str, Any]:
    """Member and subscriber counts and the viewer's subscription, in one query."""
    subscribed = (
        Exists(ListSubscription.objects.filter(list_id=OuterRef("pk"), account=viewer))
        if viewer is not None
        else Value(False)
    )
    row = (
        List.objects.filter(pk=lst.pk)
        .values(
            member_count=_count(ListMember.objects.filter(list_id=OuterRef("pk"))),
            subscriber_count=_count(ListSubscription.objects.filter(list_id=OuterRef("pk"))),
            subscribed=subscribed,
        )
        .first()
    )
    return dict(row) if row else {"member_count": 0, "subscriber_count": 0, "subscribed": False}


def hashtag_state(viewer: Account, hashtag: Hashtag) -> dict[str, Any]:
    """Whether the viewer follows and features a hashtag (one query)."""
    if hashtag.pk is None:
        return {"following": False, "featuring": False}

    def build():
        stand_ins = sentinels(["viewer", "hashtag"])
        tag = stand_ins["hashtag"]
        row = Account.objects.filter(pk=stand_ins["viewer"]).values_list(
            Exists(FollowedHashtag.objects.filter(account_id=OuterRef("pk"), hashtag_id=tag)),
            Exists(FeaturedHashtag.objects.filter(account_id=OuterRef("pk"), hashtag_id=tag)),
        )
        return [row], stand_ins

    (query,) = prepared.get(("hashtag state", connection.vendor), build)
    rows = query.fetch({"viewer": viewer.pk, "hashtag": hashtag.pk})
    following, featuring = rows[0] if rows else (False, False)
    return {"following": bool(following), "featuring": bool(featuring)}


def featured_hashtags(account: Account) -> QuerySet[Hashtag]:
    return Hashtag.objects.filter(
        pk__in=FeaturedHashtag.objects.filter(account=account).values("hashtag_id")
    ).order_by("name")


def followed_hashtags(account: Account) -> QuerySet[Hashtag]:
    return Hashtag.objects.filter(
        pk__in=FollowedHashtag.objects.filter(account=account).values("hashtag_id")
    ).order_by("name")


# --- Starter kits -----------------------------------------------------------------------


def readable_kits(viewer: Account | None) -> QuerySet[StarterKit]:
    """Kits are shared by link: anyone may open one, except across a block."""
    kits = StarterKit.objects.select_related("owner")
    if viewer is None:
        return kits
    blocking, blocked_by = blocked_ids(viewer)
    return kits.exclude(owner_id__in=blocking).exclude(owner_id__in=blocked_by)


def get_kit_for(viewer: Account | None, kit_id: int) -> StarterKit:
    """Return the kit if the viewer may open it, else raise Http404."""
    try:
        return readable_kits(viewer).get(pk=kit_id)
    except StarterKit.DoesNotExist:
        raise Http404("No such starter kit.") from None


def get_own_kit(viewer: Account, kit_id: int) -> StarterKit:
    try:
        return StarterKit.objects.select_related("owner").get(pk=kit_id, owner=viewer)
    except StarterKit.DoesNotExist:
        raise Http404("No such starter kit.") from None


def _counted(kits: QuerySet[StarterKit]) -> QuerySet[StarterKit]:
    def count(model) -> Coalesce:
        rows = model.objects.filter(kit_id=OuterRef("pk")).order_by().values("kit_id")
        n = rows.annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(n, output_field=IntegerField()), 0)

    return kits.annotate(
        people_count=count(KitPerson),
        hashtag_count=count(KitHashtag),
        chat_count=count(KitChat),
        list_count=count(KitList),
    )


def featured_kits(viewer: Account | None, limit: int = 12) -> QuerySet[StarterKit]:
    return _counted(readable_kits(viewer).filter(featured=True)).order_by("-id")[:limit]


def own_kits(viewer: Account) -> QuerySet[StarterKit]:
    return _counted(StarterKit.objects.select_related("owner").filter(owner=viewer)).order_by("-id")


@dataclass
class KitContents:
    people: list[Account]
    hashtags: list[Hashtag]
    chats: list[Any]
    lists: list[List]


def kit_contents(viewer: Account | None, kit: StarterKit) -> KitContents:
    """What the viewer may see inside a kit, in four queries.

    People blocked either way with the viewer and lists the viewer may not read (turned
    private, or their owner blocks) are left out, as everywhere else.
    """
    from confab.chats.models import Chat

    people = Account.objects.filter(
        pk__in=KitPerson.objects.filter(kit=kit).values("account_id")
    ).order_by("username", "id")
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        people = people.exclude(pk__in=blocking).exclude(pk__in=blocked_by)
    tags = Hashtag.objects.filter(
        pk__in=KitHashtag.objects.filter(kit=kit).values("hashtag_id")
    ).order_by("name")
    chats = (
        Chat.objects.select_related("hashtag")
        .filter(pk__in=KitChat.objects.filter(kit=kit).values("chat_id"))
        .order_by("hashtag__name")
    )
    lists = (
        readable_lists(viewer)
        .filter(pk__in=KitList.objects.filter(kit=kit).values("list_id"))
        .filter(visibility=List.Visibility.PUBLIC)
        .order_by("title", "id")
    )
    return KitContents(list(people), list(tags), list(chats), list(lists))


def bundlable_lists(viewer: Account) -> QuerySet[List]:
    """Lists the viewer could put in a kit: their own public ones and those they subscribe to."""
    return (
        readable_lists(viewer)
        .filter(visibility=List.Visibility.PUBLIC)
        .filter(Q(owner=viewer) | Q(subscriptions__account=viewer))
        .distinct()
        .order_by("title", "id")
    )
