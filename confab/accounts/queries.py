"""Reading people, with blocks applied: a blocked or blocking person is simply not found."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.http import Http404

from confab.accounts.models import Account, Block, Follow, FollowRequest, Mute
from confab.posts.visibility import blocked_ids


def visible_accounts(viewer: Account | None) -> QuerySet[Account]:
    """People the viewer may see listed: active, approved, no block either way."""
    accounts = Account.objects.exclude(user__is_active=False).exclude(user__approved=False)
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        accounts = accounts.exclude(pk__in=blocking).exclude(pk__in=blocked_by)
    return accounts


def get_account(viewer: Account | None, acct: str) -> Account:
    """Return the account `user` or `user@domain` as the viewer may open it, or raise Http404.

    Someone who blocked the viewer is not found. Someone the viewer blocked still is, so the
    viewer can reach the Unblock button; their posts stay hidden by the visibility rules.
    """
    username, _, domain = acct.lstrip("@").partition("@")
    accounts = Account.objects.exclude(user__is_active=False).exclude(user__approved=False)
    if viewer is not None:
        accounts = accounts.exclude(pk__in=blocked_ids(viewer)[1])
    try:
        return accounts.get(username__iexact=username, domain=domain.lower())
    except Account.DoesNotExist:
        raise Http404("No such account.") from None


@dataclass
class Relationship:
    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    muting: bool = False


def relationship(viewer: Account | None, target: Account) -> Relationship:
    """What ties the viewer to `target`, for the buttons on a profile (one query)."""
    if viewer is None or viewer.pk == target.pk:
        return Relationship()
    ties = Account.objects.filter(pk=target.pk).values(
        following=Exists(Follow.objects.filter(source=viewer, target=OuterRef("pk"))),
        requested=Exists(FollowRequest.objects.filter(source=viewer, target=OuterRef("pk"))),
        followed_by=Exists(Follow.objects.filter(source=OuterRef("pk"), target=viewer)),
        blocking=Exists(Block.objects.filter(source=viewer, target=OuterRef("pk"))),
        muting=Exists(Mute.objects.filter(source=viewer, target=OuterRef("pk"))),
    )
    row = ties.first()
    return Relationship(**row) if row else Relationship()


def followed_by_people_you_follow(
    viewer: Account | None, target: Account, limit: int = 3
) -> tuple[list[Account], int]:
    """Return a few people the viewer follows who follow `target`, and how many there are.

    One query: the total rides along on each row as a window count. Only a signed-in viewer
    has any, never on their own profile; blocks either way leave people out.
    """
    if viewer is None or viewer.pk == target.pk:
        return [], 0
    rows: list[Account] = list(
        followers_you_know(viewer, target)
        .annotate(total=Window(Count("pk")))
        .order_by("-followers_count", "id")[:limit]
    )
    return rows, (int(rows[0].total) if rows else 0)  # type: ignore[attr-defined]


def followers_you_know(viewer: Account | None, target: Account) -> QuerySet[Account]:
    """People the viewer follows who follow `target` (the full list), paged like followers."""
    if viewer is None or viewer.pk == target.pk:
        return Account.objects.none()
    return followers(viewer, target).filter(
        pk__in=Follow.objects.filter(source=viewer).values("target_id")
    )


def followers(viewer: Account | None, target: Account) -> QuerySet[Account]:
    """People following `target`, newest first, paged by the follow's id."""
    return (
        visible_accounts(viewer)
        .filter(following_set__target=target)
        .annotate(page_id=F("following_set__id"))
    )


def following(viewer: Account | None, target: Account) -> QuerySet[Account]:
    return (
        visible_accounts(viewer)
        .filter(follower_set__source=target)
        .annotate(page_id=F("follower_set__id"))
    )


def incoming_follow_requests(target: Account) -> QuerySet[FollowRequest]:
    return FollowRequest.objects.filter(target=target).select_related("source")
