"""Reading a person's notifications, with blocks, mutes and post visibility applied."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from confab.accounts.models import Account
from confab.core.prepared import prepared
from confab.notifications.models import Kind, Notification, NotificationSettings
from confab.posts.visibility import blocked_ids, muted_ids, visible_posts

# The tabs of the notifications page: a tab may cover more than one kind (a reply is a kind
# of mention; a follow request is a kind of follow). Any single kind also works as a filter.
TABS: list[tuple[str, str, tuple[str, ...]]] = [
    ("", "All", ()),
    ("mention", "Mentions", (Kind.MENTION, Kind.REPLY)),
    ("follow", "Follows", (Kind.FOLLOW, Kind.FOLLOW_REQUEST)),
    ("favourite", "Favourites", (Kind.FAVOURITE,)),
    ("boost", "Boosts", (Kind.BOOST,)),
]
# Favourites and boosts of one post pile up; consecutive ones are shown as one line.
GROUPED_KINDS = frozenset({Kind.FAVOURITE, Kind.BOOST})


def kinds_for(tab: str | None) -> tuple[str, ...]:
    """Return the kinds a `?kind=` filter stands for; nothing (all kinds) for an unknown one."""
    for name, _label, kinds in TABS:
        if name and name == tab:
            return kinds
    return (tab,) if tab in Kind.values else ()


def notifications_for(viewer: Account, kinds: tuple[str, ...] = ()) -> QuerySet[Notification]:
    """Return what `viewer` may be shown: nobody blocked either way or muted, no hidden post.

    Blocks and mutes made after a notification was created hide it from then on, and a post
    the viewer can no longer see (its author blocked them, say) is never shown.
    """
    blocking, blocked_by = blocked_ids(viewer)
    post_visible = Exists(visible_posts(viewer).filter(pk=OuterRef("post_id")))
    rows = (
        Notification.objects.filter(recipient=viewer)
        .exclude(actor_id__in=blocking)
        .exclude(actor_id__in=blocked_by)
        .exclude(actor_id__in=muted_ids(viewer))
        .filter(Q(post__isnull=True) | Q(post_visible))
    )
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows


def unread_count(viewer: Account) -> int:
    """Return how many notifications `viewer` has not read.

    Every page shows this badge and most of the time nothing is unread: a plain look at
    the partial index of unread rows answers that, and only when something is there does
    the full count (which hides what blocks, mutes and visibility hide) run.
    """
    unread = prepared.exists(
        ("unread notifications", connection.vendor),
        lambda v: Notification.objects.filter(recipient_id=v["viewer"], read_at__isnull=True),
        viewer=viewer.pk,
    )
    if not unread:
        return 0
    return notifications_for(viewer).filter(read_at__isnull=True).count()


def get_notification(viewer: Account, notification_id: int) -> Notification:
    """Return one of the viewer's own notifications, or raise Http404."""
    try:
        return notifications_for(viewer).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


def settings_for(account: Account) -> NotificationSettings:
    """Return the person's settings; someone who never changed them gets everything on."""
    found = NotificationSettings.objects.filter(account=account).first()
    return found or NotificationSettings(account=account)


VERBS: dict[str, str] = {
    Kind.MENTION: "mentioned you",
    Kind.REPLY: "replied to your post",
    Kind.FOLLOW: "followed you",
    Kind.FOLLOW_REQUEST: "asked to follow you",
    Kind.FAVOURITE: "favourited your post",
    Kind.BOOST: "boosted your post",
    Kind.CHAT_REMINDER: "reminds you: a chat you follow starts soon",
    # The kinds below carry their particulars in the notification's detail and link.
    Kind.INTRODUCTION: "— an introduction:",
    Kind.EVENT: "— an event:",
    Kind.EVENT_REMINDER: "reminds you: an event you're going to starts soon",
    Kind.MEETUP: "— a meetup:",
}


@dataclass
class Group:
    """One line of the notifications page: a notification, or several alike, newest first."""

    notifications: list[Notification] = field(default_factory=list)

    @property
    def first(self) -> Notification:
        return self.notifications[0]

    @property
    def id(self) -> int:
        return self.first.id

    @property
    def kind(self) -> str:
        return self.first.kind

    @property
    def post(self):
        return self.first.post

    @property
    def actor(self) -> Account:
        return self.first.actor

    @property
    def actors(self) -> list[Account]:
        """Everyone in the line once each (someone may favourite, undo and favourite again)."""
        seen: dict[int, Account] = {}
        for notification in self.notifications:
            seen.setdefault(notification.actor_id, notification.actor)
        return list(seen.values())

    @property
    def others(self) -> int:
        return len(self.actors) - 1

    @property
    def unread(self) -> bool:
        return any(n.read_at is None for n in self.notifications)

    @property
    def verb(self) -> str:
        return VERBS[self.kind]

    @property
    def text(self) -> str:
        """The line in words: "Bob and 3 others favourited your post"."""
        who = self.actor.name
        if self.others:
            who += f" and {self.others} other{'s' if self.others > 1 else ''}"
        return f"{who} {self.verb}"


def group(rows: list[Notification]) -> list[Group]:
    """Fold consecutive favourites (or boosts) of the same post into one line."""
    groups: list[Group] = []
    for row in rows:
        last = groups[-1] if groups else None
        if (
            last is not None
            and row.kind in GROUPED_KINDS
            and row.kind == last.kind
            and row.post_id == last.first.post_id
        ):
            last.notifications.append(row)
        else:
            groups.append(Group([row]))
    return groups
