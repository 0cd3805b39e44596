"""What onboarding offers a newcomer: interests to pick, then kits, chats, hashtags, people.

Every list here has a fixed number of queries and leaves out who the newcomer blocks or
is blocked by, what they already follow, and people with nothing to read yet.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from confab.accounts.models import Account, Follow, FollowRequest
from confab.chats import queries as chat_queries
from confab.chats.models import Chat, ChatFollow
from confab.core.ids import id_for_time
from confab.curation.models import FollowedHashtag, KitHashtag, StarterKit
from confab.posts.models import Hashtag, PostHashtag, Visibility
from confab.posts.visibility import blocked_ids

# Popular means used by many people this past week (a month costs four times the reading).
POPULAR_WINDOW = timedelta(days=7)
INTEREST_CHOICES = 24
PEOPLE = 12
CHATS = 8


def interest_choices(account: Account) -> list[Hashtag]:
    """Hashtags worth offering as interests: the chats' and featured kits' topics, the most
    used lately, and whatever the person already picked."""
    since = id_for_time(timezone.now() - POPULAR_WINDOW)
    popular = (
        PostHashtag.objects.filter(
            post_id__gte=since, post__visibility=Visibility.PUBLIC, post__boost_of__isnull=True
        )
        .order_by()
        .values("hashtag_id")
        .annotate(people=Count("post__account_id", distinct=True))
        .order_by("-people", "hashtag_id")
        .values("hashtag_id")[:INTEREST_CHOICES]
    )
    featured_tags = KitHashtag.objects.filter(kit__featured=True).values("hashtag_id")
    chat_topics = Chat.interests.through.objects.values("hashtag_id")
    chat_tags = Chat.objects.values("hashtag_id")
    mine = Account.interests.through.objects.filter(account_id=account.pk).values("hashtag_id")
    return list(
        Hashtag.objects.filter(
            Q(pk__in=popular)
            | Q(pk__in=featured_tags)
            | Q(pk__in=chat_topics)
            | Q(pk__in=chat_tags)
            | Q(pk__in=mine)
        )
        .annotate(picked=Exists(mine.filter(hashtag_id=OuterRef("pk"))))
        .order_by("display_name")[: INTEREST_CHOICES * 2]
    )


def interests_of(account: Account) -> list[Hashtag]:
    return list(account.interests.order_by("name"))


@dataclass
class ChatSuggestion:
    chat: Chat
    next: chat_queries.Occurrence | None
    followed: bool


def chats_for(account: Account, interests: list[Hashtag]) -> list[ChatSuggestion]:
    """Chats about the newcomer's interests (or all, without any), soonest first."""
    chats = chat_queries.chats_with_people().annotate(
        followed=Exists(ChatFollow.objects.filter(chat=OuterRef("pk"), account=account))
    )
    if interests:
        ids = [tag.pk for tag in interests]
        chats = chats.filter(Q(interests__in=ids) | Q(hashtag_id__in=ids)).distinct()
    chat_list = list(chats[:CHATS])
    now = timezone.now()
    nexts = chat_queries.upcoming(chat_list, now, now + timedelta(days=400), limit=1)
    found = [
        ChatSuggestion(
            chat,
            nexts[chat.pk][0] if nexts[chat.pk] else None,
            bool(getattr(chat, "followed", False)),
        )
        for chat in chat_list
    ]
    far = now + timedelta(days=10_000)
    found.sort(key=lambda s: (s.next.starts_at if s.next else far, s.chat.pk))
    return found


def hashtags_for(account: Account, interests: list[Hashtag]) -> QuerySet[Hashtag]:
    """The newcomer's interests and the hashtags featured kits bundle, with follow state."""
    ids = [tag.pk for tag in interests]
    featured = KitHashtag.objects.filter(kit__featured=True).values("hashtag_id")
    return (
        Hashtag.objects.filter(Q(pk__in=ids) | Q(pk__in=featured))
        .annotate(
            following=Exists(
                FollowedHashtag.objects.filter(account=account, hashtag_id=OuterRef("pk"))
            )
        )
        .order_by("display_name")[:24]
    )


def people_for(account: Account, interests: list[Hashtag]) -> QuerySet[Account]:
    """People who share the newcomer's interests (most shared first), else the most
    followed; only people who have posted, so following them fills the home timeline."""
    blocking, blocked_by = blocked_ids(account)
    people = (
        Account.objects.filter(posts_count__gt=0, domain="")
        .exclude(pk=account.pk)
        .exclude(pk__in=blocking)
        .exclude(pk__in=blocked_by)
        .exclude(pk__in=Follow.objects.filter(source=account).values("target_id"))
        .annotate(
            requested=Exists(FollowRequest.objects.filter(source=account, target_id=OuterRef("pk")))
        )
    )
    if interests:
        ids = [tag.pk for tag in interests]
        people = people.annotate(
            shared=Count("interests", filter=Q(interests__in=ids), distinct=True)
        ).filter(shared__gt=0)
        return people.order_by("-shared", "-followers_count", "id")[:PEOPLE]
    return people.order_by("-followers_count", "id")[:PEOPLE]


def fallback_hashtags(account: Account) -> list[Hashtag]:
    """What to follow so a newcomer who followed nothing still finds posts at home: their
    interests, then the hashtags of featured kits, then the most used of the past week."""
    mine = list(account.interests.order_by("name"))
    featured = list(
        Hashtag.objects.filter(
            pk__in=KitHashtag.objects.filter(kit__featured=True).values("hashtag_id")
        ).order_by("name")
    )
    since = id_for_time(timezone.now() - POPULAR_WINDOW)
    popular_ids = list(
        PostHashtag.objects.filter(
            post_id__gte=since, post__visibility=Visibility.PUBLIC, post__boost_of__isnull=True
        )
        .order_by()
        .values("hashtag_id")
        .annotate(people=Count("post__account_id", distinct=True))
        .order_by("-people", "hashtag_id")
        .values_list("hashtag_id", flat=True)[:5]
    )
    popular = Hashtag.objects.in_bulk(popular_ids)
    found: dict[int, Hashtag] = {}
    for tag in [*mine, *featured, *(popular[pk] for pk in popular_ids)]:
        found.setdefault(tag.pk, tag)
    return list(found.values())


def featured_kits(viewer: Account) -> QuerySet[StarterKit]:
    from confab.curation.queries import featured_kits as kits

    return kits(viewer)
