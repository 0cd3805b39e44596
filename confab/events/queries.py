"""Reading events, with who may see them built in.

An event is public (listed in the directory) or unlisted (anyone with its link may open
it). Either way, blocks hide it both ways: someone a host blocked, or who blocked a host,
does not find the event anywhere (a 404), and cannot answer it. Attendees who chose not
to be listed are counted but never named, except to the event's hosts and themselves.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats.queries import viewer_zone  # noqa: F401  (re-exported for the views)
from confab.core.text import normalize_hashtag
from confab.events.models import (
    RSVP,
    Event,
    EventHost,
    EventHostRole,
    EventVisibility,
    RSVPState,
)
from confab.posts.visibility import blocked_ids

DIRECTORY_LIMIT = 40
ATTENDEES_SHOWN = 200


def _hosts_prefetch() -> Prefetch:
    hosts = EventHost.objects.select_related("account").order_by("-role", "id")
    return Prefetch("hosts", queryset=hosts)


def visible_events(viewer: Account | None) -> QuerySet[Event]:
    """Every event `viewer` may open (public or unlisted): none with a host blocked either way."""
    events = Event.objects.all()
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        hidden = EventHost.objects.filter(event=OuterRef("pk")).filter(
            Q(account_id__in=blocking) | Q(account_id__in=blocked_by)
        )
        events = events.exclude(Exists(hidden))
    return events


def get_event(viewer: Account | None, event_id: int) -> Event:
    """Return the event with its hashtag, chat and hosts as `viewer` may see it, or 404."""
    found = (
        visible_events(viewer)
        .select_related("hashtag", "chat", "chat__hashtag")
        .prefetch_related(_hosts_prefetch(), "interests")
        .filter(pk=event_id)
        .first()
    )
    if found is None:
        raise Http404("No such event.")
    return found


def role_of(account: Account | None, event: Event) -> str | None:
    """Return "host", "cohost" or None (no query when hosts are prefetched)."""
    if account is None:
        return None
    for host in event.hosts.all():
        if host.account_id == account.pk:
            return host.role
    return None


def is_host(account: Account | None, event: Event) -> bool:
    return role_of(account, event) is not None


def owner_of(event: Event) -> Account:
    for host in event.hosts.all():
        if host.role == EventHostRole.HOST:
            return host.account
    raise LookupError(f"Event {event.pk} has no owner")


def rsvp_of(account: Account | None, event: Event) -> RSVP | None:
    if account is None:
        return None
    return RSVP.objects.filter(event=event, account=account).first()


@dataclass
class Attendees:
    """Who answered an event, as one viewer may see it: everyone counted, some named."""

    counts: dict[str, int]
    going: list[RSVP] = field(default_factory=list)
    interested: list[RSVP] = field(default_factory=list)

    @property
    def going_count(self) -> int:
        return self.counts.get(RSVPState.GOING, 0)

    @property
    def interested_count(self) -> int:
        return self.counts.get(RSVPState.INTERESTED, 0)

    @property
    def going_unnamed(self) -> int:
        return self.going_count - len(self.going)

    @property
    def interested_unnamed(self) -> int:
        return self.interested_count - len(self.interested)


def attendees(viewer: Account | None, event: Event, limit: int = ATTENDEES_SHOWN) -> Attendees:
    """Return the counts and the people `viewer` may see named (three queries).

    Named: those who chose to be listed, whom the viewer is not blocked from either way;
    the hosts see everyone who answered; everyone sees their own answer.
    """
    rows = RSVP.objects.filter(event=event)
    counts = dict(
        rows.filter(state__in=[RSVPState.GOING, RSVPState.INTERESTED])
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    named = rows.filter(state__in=[RSVPState.GOING, RSVPState.INTERESTED])
    if not is_host(viewer, event):
        shown = Q(listed=True)
        if viewer is not None:
            shown |= Q(account=viewer)
        named = named.filter(shown)
    if viewer is not None:
        blocking, blocked_by = blocked_ids(viewer)
        named = named.exclude(account_id__in=blocking).exclude(account_id__in=blocked_by)
    named = named.exclude(account__user__is_active=False)
    named = named.select_related("account").order_by("id")
    return Attendees(
        counts=counts,
        going=list(named.filter(state=RSVPState.GOING)[:limit]),
        interested=list(named.filter(state=RSVPState.INTERESTED)[:limit]),
    )


def _with_counts(events: QuerySet[Event], viewer: Account | None) -> QuerySet[Event]:
    events = events.select_related("hashtag").annotate(
        going_count=Count("rsvps", filter=Q(rsvps__state=RSVPState.GOING), distinct=True)
    )
    if viewer is not None:
        events = events.annotate(
            viewer_going=Exists(
                RSVP.objects.filter(event=OuterRef("pk"), account=viewer, state=RSVPState.GOING)
            ),
            viewer_hosting=Exists(EventHost.objects.filter(event=OuterRef("pk"), account=viewer)),
        )
    return events


def directory(
    viewer: Account | None,
    *,
    city_id: int | None = None,
    virtual: bool | None = None,
    interest: str = "",
    now: datetime | None = None,
    after: int | None = None,
    limit: int = DIRECTORY_LIMIT,
) -> list[Event]:
    """Public events not over yet and not cancelled, soonest first (a fixed query count).

    `city_id` keeps live events in that gazetteer city; `virtual` True keeps online
    events, False live ones; `interest` keeps events under or about that hashtag.
    `after` (an event id) pages on: the events that come after that one, by start and id.
    Up to `limit` + 1 are returned, so the caller knows whether there are more.
    """
    now = now or timezone.now()
    events = visible_events(viewer).filter(
        visibility=EventVisibility.PUBLIC, ends_at__gt=now, cancelled_at__isnull=True
    )
    if after is not None:
        start = Event.objects.filter(pk=after).values_list("starts_at", flat=True).first()
        if start is not None:
            events = events.filter(Q(starts_at__gt=start) | Q(starts_at=start, id__gt=after))
    if city_id is not None:
        events = events.filter(city_id=city_id, is_virtual=False)
    if virtual is not None:
        events = events.filter(is_virtual=virtual)
    if interest:
        name = normalize_hashtag(interest.lstrip("#"))
        about = Event.interests.through.objects.filter(event_id=OuterRef("pk"), hashtag__name=name)
        events = events.filter(Q(hashtag__name=name) | Q(Exists(about)))
    return list(_with_counts(events, viewer).order_by("starts_at", "id")[: limit + 1])


def my_events(account: Account, *, now: datetime | None = None, limit: int = 200) -> list[Event]:
    """Events `account` hosts or said going / interested to, not over yet (cancelled too)."""
    now = now or timezone.now()
    mine = Exists(
        RSVP.objects.filter(
            event=OuterRef("pk"),
            account=account,
            state__in=[RSVPState.GOING, RSVPState.INTERESTED],
        )
    ) | Exists(EventHost.objects.filter(event=OuterRef("pk"), account=account))
    events = visible_events(account).filter(mine, ends_at__gt=now)
    return list(_with_counts(events, account).order_by("starts_at", "id")[:limit])


def calendar_events(account: Account, after: datetime, before: datetime) -> list[Event]:
    """Events for `account`'s private calendar: hosting or going, in the window.

    Cancelled ones stay in (as cancelled) so calendar apps remove them.
    """
    mine = Exists(
        RSVP.objects.filter(event=OuterRef("pk"), account=account, state=RSVPState.GOING)
    ) | Exists(EventHost.objects.filter(event=OuterRef("pk"), account=account))
    return list(
        visible_events(account)
        .filter(mine, ends_at__gt=after, starts_at__lt=before)
        .select_related("hashtag")
        .order_by("starts_at", "id")
    )


def events_for_chat(viewer: Account | None, chat_id: int, now: datetime | None = None):
    """Upcoming public events that link the chat (for the chat's visitors)."""
    now = now or timezone.now()
    return (
        visible_events(viewer)
        .filter(
            chat_id=chat_id,
            ends_at__gt=now,
            visibility=EventVisibility.PUBLIC,
            cancelled_at__isnull=True,
        )
        .order_by("starts_at")
    )


def going_accounts(event: Event) -> QuerySet[Account]:
    """Who is reminded before the start: the people going."""
    going = RSVP.objects.filter(event=event, state=RSVPState.GOING).values("account_id")
    return Account.objects.filter(pk__in=going)


def answered_accounts(event: Event) -> QuerySet[Account]:
    """People going or interested, and the hosts: who hears of changes and cancellation."""
    answered = RSVP.objects.filter(
        event=event, state__in=[RSVPState.GOING, RSVPState.INTERESTED]
    ).values("account_id")
    hosting = EventHost.objects.filter(event=event).values("account_id")
    return Account.objects.filter(Q(pk__in=answered) | Q(pk__in=hosting))
