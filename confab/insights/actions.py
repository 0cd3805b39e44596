"""Scheduling, changing, cancelling and publishing scheduled posts.

A scheduled post is checked like a post when it is scheduled (text, content warning,
visibility, the post it replies to), with the same field errors, so what is waiting is what
will be published. The worker publishes it with `publish` at its minute, exactly once: the
row is claimed with a conditional UPDATE that names the new post's id, in the transaction
that writes the post (the pattern of `confab.chats.actions.post_question`).
"""

import zoneinfo
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account
from confab.core.ids import next_id
from confab.insights.models import ScheduledPost, ScheduledState
from confab.posts import actions as posts
from confab.posts.models import Post, Visibility
from confab.worker.actions import enqueue
from confab.worker.models import Job, JobState

MIN_LEAD = timedelta(minutes=5)
MAX_AHEAD = timedelta(days=366)
MAX_PENDING = 300
JOB_KIND = "insights.publish_scheduled"


def account_zone(account: Account) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(account.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def to_instant(account: Account, local: datetime) -> datetime:
    """Read a wall-clock time in the author's profile time zone as a UTC instant.

    A time the clocks skip (02:30 on the night summer time starts) is refused rather than
    silently moved; a time that happens twice (when summer time ends) means the first one.
    """
    if local.tzinfo is not None:
        return local.astimezone(zoneinfo.ZoneInfo("UTC")).replace(second=0, microsecond=0)
    zone = account_zone(account)
    local = local.replace(second=0, microsecond=0, fold=0)
    instant = local.replace(tzinfo=zone).astimezone(zoneinfo.ZoneInfo("UTC"))
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(
            {
                "scheduled_for": [
                    f"{local:%H:%M} does not exist on {local:%-d %B} in {zone.key}: "
                    "the clocks skip it. Pick another time."
                ]
            }
        )
    return instant


def _check(
    account: Account,
    *,
    text: str,
    spoiler_text: str,
    visibility: str,
    in_reply_to_id: int | None,
    scheduled_at: datetime,
    now: datetime,
    replacing: ScheduledPost | None = None,
) -> dict[str, list[str]]:
    """Check a post-to-be as `posts.post` will, plus its time and the person's quota."""
    errors = posts._check_text(text, spoiler_text, has_media=False)
    if visibility not in Visibility.values:
        errors["visibility"] = ["Choose who can see this post."]
    if in_reply_to_id:
        parent = posts._visible_or_404(account, in_reply_to_id)
        if parent.boost_of_id:
            parent = posts._visible_or_404(account, parent.boost_of_id)
        if (
            parent.visibility in (Visibility.PRIVATE, Visibility.DIRECT)
            and visibility in Visibility.values
            and posts._OPENNESS.index(visibility) < posts._OPENNESS.index(parent.visibility)
        ):
            errors["visibility"] = [
                f"This replies to a {parent.get_visibility_display().lower()} post: "
                "your reply can't be seen by more people than it."
            ]
    if scheduled_at < now + MIN_LEAD:
        errors["scheduled_for"] = ["Pick a time at least 5 minutes from now."]
    elif scheduled_at > now + MAX_AHEAD:
        errors["scheduled_for"] = ["Pick a time within the next year."]
    pending = ScheduledPost.objects.filter(account=account, state=ScheduledState.PENDING)
    if replacing is not None:
        pending = pending.exclude(pk=replacing.pk)
    if pending.count() >= MAX_PENDING:
        errors.setdefault("scheduled_for", []).append(
            f"You have {MAX_PENDING} posts waiting already: cancel one or let it publish first."
        )
    return errors


def _job_key(row: ScheduledPost) -> str:
    return f"scheduled-post:{row.pk}:{int(row.scheduled_at.timestamp())}"


def _enqueue(row: ScheduledPost) -> None:
    enqueue(JOB_KIND, {"scheduled": row.pk}, due_at=row.scheduled_at, key=_job_key(row))


def _drop_job(row: ScheduledPost) -> None:
    # The job would find nothing to do; taking it out keeps the queue honest.
    Job.objects.filter(key=_job_key(row), state=JobState.QUEUED).delete()


def _lock_account(account: Account) -> None:
    """Serialise one person's scheduling on PostgreSQL so the quota holds (SQLite is already)."""
    list(Account.objects.select_for_update().filter(pk=account.pk).values_list("pk"))


@transaction.atomic
def schedule(
    account: Account,
    text: str,
    *,
    scheduled_for: datetime,
    spoiler_text: str = "",
    visibility: str = Visibility.PUBLIC,
    in_reply_to_id: int | None = None,
    now: datetime | None = None,
) -> ScheduledPost:
    """Keep a post to publish at `scheduled_for` (wall clock in the author's zone, or aware)."""
    now = now or timezone.now()
    text = text.replace("\r\n", "\n").strip()
    spoiler_text = spoiler_text.strip()
    scheduled_at = to_instant(account, scheduled_for)
    _lock_account(account)
    errors = _check(
        account,
        text=text,
        spoiler_text=spoiler_text,
        visibility=visibility,
        in_reply_to_id=in_reply_to_id,
        scheduled_at=scheduled_at,
        now=now,
    )
    if errors:
        raise ValidationError(errors)
    row = ScheduledPost.objects.create(
        account=account,
        text=text,
        spoiler_text=spoiler_text,
        visibility=visibility,
        in_reply_to_id=in_reply_to_id or None,
        scheduled_at=scheduled_at,
    )
    _enqueue(row)
    return row


def _own(account: Account, scheduled_id: int) -> ScheduledPost:
    row = ScheduledPost.objects.filter(pk=scheduled_id, account=account).first()
    if row is None:
        raise Http404("No such scheduled post.")
    return row


def _own_pending(account: Account, scheduled_id: int) -> ScheduledPost:
    row = _own(account, scheduled_id)
    if row.state != ScheduledState.PENDING:
        raise ValidationError(
            f"This post is {row.get_state_display().lower()} already: it can't be changed."
        )
    return row


@transaction.atomic
def update(
    account: Account,
    scheduled_id: int,
    text: str,
    *,
    scheduled_for: datetime,
    spoiler_text: str = "",
    visibility: str = Visibility.PUBLIC,
    now: datetime | None = None,
) -> ScheduledPost:
    """Change a waiting post's text, content warning, visibility or time (or all of them).

    A failed post can be given a new time too: it waits again, checked afresh.
    """
    now = now or timezone.now()
    _lock_account(account)
    row = _own(account, scheduled_id)
    if row.state not in (ScheduledState.PENDING, ScheduledState.FAILED):
        raise ValidationError(
            f"This post is {row.get_state_display().lower()} already: it can't be changed."
        )
    text = text.replace("\r\n", "\n").strip()
    spoiler_text = spoiler_text.strip()
    scheduled_at = to_instant(account, scheduled_for)
    try:
        errors = _check(
            account,
            text=text,
            spoiler_text=spoiler_text,
            visibility=visibility,
            in_reply_to_id=row.in_reply_to_id,
            scheduled_at=scheduled_at,
            now=now,
            replacing=row,
        )
    except Http404:
        raise ValidationError(
            "The post this replies to is gone or no longer open to you: cancel this one."
        ) from None
    if errors:
        raise ValidationError(errors)
    _drop_job(row)
    claimed = ScheduledPost.objects.filter(pk=row.pk, state=row.state).update(
        text=text,
        spoiler_text=spoiler_text,
        visibility=visibility,
        scheduled_at=scheduled_at,
        state=ScheduledState.PENDING,
        error="",
        updated_at=now,
    )
    if not claimed:
        raise ValidationError("This post was published meanwhile: it can't be changed.")
    row.refresh_from_db()
    _enqueue(row)
    return row


@transaction.atomic
def cancel(account: Account, scheduled_id: int) -> None:
    """Cancel a waiting (or failed) post; it is never published."""
    row = _own(account, scheduled_id)
    if row.state not in (ScheduledState.PENDING, ScheduledState.FAILED):
        raise ValidationError("This post is published already: delete the post instead.")
    claimed = ScheduledPost.objects.filter(pk=row.pk, state=row.state).update(
        state=ScheduledState.CANCELLED, updated_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This post was published meanwhile: delete the post instead.")
    _drop_job(row)


def _failure_reason(row: ScheduledPost, exc: Exception) -> str:
    if isinstance(exc, Http404):
        if row.in_reply_to_id is None or not Post.objects.filter(pk=row.in_reply_to_id).exists():
            return "The post it replies to was deleted."
        return "You can no longer reply to that post (a block, or it is no longer visible to you)."
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)[:500]
    return str(exc)[:500]


@transaction.atomic
def publish(scheduled_id: int, now: datetime | None = None) -> Post | None:
    """Publish a scheduled post whose minute has come, once; return the post or None.

    None when it is not due, was changed, cancelled or published already, or failed: a
    reply whose parent is gone or may no longer be replied to by its author is marked
    failed with the reason, for the Scheduled page, rather than posted without its context.
    """
    now = now or timezone.now()
    row = ScheduledPost.objects.select_related("account").filter(pk=scheduled_id).first()
    if row is None or row.state != ScheduledState.PENDING or row.scheduled_at > now:
        return None
    post_id = next_id()
    claimed = ScheduledPost.objects.filter(
        pk=row.pk, state=ScheduledState.PENDING, scheduled_at=row.scheduled_at
    ).update(state=ScheduledState.PUBLISHED, post_id=post_id, published_at=now, updated_at=now)
    if not claimed:
        return None
    try:
        with transaction.atomic():
            return posts.post(
                row.account,
                row.text,
                spoiler_text=row.spoiler_text,
                visibility=row.visibility,
                in_reply_to_id=row.in_reply_to_id,
                post_id=post_id,
                created_at=now,
            )
    except (ValidationError, Http404) as exc:
        ScheduledPost.objects.filter(pk=row.pk).update(
            state=ScheduledState.FAILED,
            post_id=None,
            published_at=None,
            error=_failure_reason(row, exc),
            updated_at=now,
        )
        return None
