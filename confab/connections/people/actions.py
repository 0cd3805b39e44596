"""Everything that writes people-worth-meeting and introduction rows.

Connected (decision 010): two people are connected when each follows the other. Only
connected people can be introduced to each other, by someone connected to both.
"""

import inspect
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.accounts.models import Account, Block, Follow, FollowRequest
from confab.connections.models import (
    Dismissal,
    Introduction,
    IntroductionAnswer,
    IntroductionState,
    Recommendation,
)
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.posts import actions as post_actions
from confab.posts.models import Visibility
from confab.worker.actions import enqueue

MAX_PENDING = 20
EXPIRY = timedelta(days=30)
NOTE_MAX = 500


@transaction.atomic
def dismiss(account: Account, candidate: Account) -> None:
    """ "Not interested": drop the recommendation now and never offer them again."""
    if candidate.pk == account.pk:
        raise ValidationError("That's you.")
    Dismissal.objects.get_or_create(account=account, candidate=candidate)
    Recommendation.objects.filter(account=account, candidate=candidate).delete()


def connected(a: Account, b: Account) -> bool:
    """Whether each follows the other."""
    return Follow.objects.filter(Q(source=a, target=b) | Q(source=b, target=a)).count() == 2


def _blocked(*people: Account) -> bool:
    ids = [p.pk for p in people]
    return Block.objects.filter(source_id__in=ids, target_id__in=ids).exists()


def _link(introduction: Introduction) -> str:
    return reverse("connections:introduction", args=[introduction.pk])


@transaction.atomic
def introduce(introducer: Account, first: Account, second: Account, note: str) -> Introduction:
    """Introduce two of your connections to each other, with a note saying why."""
    note = note.replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    if not note:
        errors["note"] = ["Say in a few words why they should meet."]
    elif len(note) > NOTE_MAX:
        errors["note"] = [f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."]
    if first.pk == second.pk:
        errors["second"] = ["Pick two different people."]
    elif introducer.pk in (first.pk, second.pk):
        errors["second"] = ["You can't introduce yourself: pick two of your connections."]
    else:
        for field, person in (("first", first), ("second", second)):
            if not connected(introducer, person):
                errors[field] = [
                    f"You and {person.name} are not connected (you follow each other)."
                ]
    if errors:
        raise ValidationError(errors)
    if _blocked(introducer, first, second):
        raise ValidationError({"second": ["These two can't be introduced."]})
    if connected(first, second):
        raise ValidationError(
            {"second": [f"{first.name} and {second.name} are connected already."]}
        )
    pending = Introduction.objects.filter(introducer=introducer, state=IntroductionState.PENDING)
    if pending.count() >= MAX_PENDING:
        raise ValidationError(
            f"You have {MAX_PENDING} introductions waiting for answers: "
            "wait for some of them before making more."
        )
    low, high = sorted((first, second), key=lambda person: person.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                introducer=introducer,
                first=low,
                second=high,
                note=note,
                created_at=now,
                expires_at=now + EXPIRY,
            )
    except IntegrityError:
        raise ValidationError(
            {"second": [f"An introduction of {first.name} and {second.name} is waiting already."]}
        ) from None
    enqueue(
        "connections.expire_introduction",
        {"introduction": introduction.pk},
        due_at=introduction.expires_at,
        key=f"introduction-expiry:{introduction.pk}",
    )
    for person, other in ((low, high), (high, low)):
        notifications.notify(
            person,
            Kind.INTRODUCTION,
            introducer,
            link=_link(introduction),
            detail=f"{introducer.name} would like you to meet {other.name}"[:200],
        )
    return introduction


def _for_party(account: Account, introduction_id: int) -> Introduction:
    """The introduction as one of the two introduced may answer it, or 404 for anyone else."""
    try:
        return (
            Introduction.objects.select_for_update()
            .select_related("introducer", "first", "second")
            .get(Q(first=account) | Q(second=account), pk=introduction_id)
        )
    except Introduction.DoesNotExist:
        raise Http404("No such introduction.") from None


def _close(introduction: Introduction, state: str) -> None:
    introduction.state = state
    introduction.closed_at = timezone.now()
    introduction.save(update_fields=["state", "closed_at", "first_answer", "second_answer"])


def _follow(source: Account, target: Account) -> None:
    """Follow as the introduction agreed, past a locked account's approval (they said yes)."""
    extra = {}
    if "origin" in inspect.signature(account_actions.follow).parameters:
        extra["origin"] = "introduction"
    outcome = account_actions.follow(source, target, **extra)
    if outcome == "requested":
        request = FollowRequest.objects.get(source=source, target=target)
        account_actions.accept_follow_request(target, request.pk)


def _connect(introduction: Introduction) -> None:
    first, second, introducer = introduction.first, introduction.second, introduction.introducer
    _follow(first, second)
    _follow(second, first)
    conversation = post_actions.post(
        introducer,
        f"@{first.acct} @{second.acct} meet each other! {introduction.note}"[:500],
        visibility=Visibility.DIRECT,
    )
    introduction.conversation = conversation
    introduction.save(update_fields=["conversation"])
    _close(introduction, IntroductionState.CONNECTED)
    link = _link(introduction)
    notifications.notify(
        introducer,
        Kind.INTRODUCTION,
        first,
        link=link,
        detail=f"{first.name} and {second.name} are connected"[:200],
    )
    for person, other in ((first, second), (second, first)):
        notifications.notify(
            person,
            Kind.INTRODUCTION,
            other,
            link=link,
            detail=f"You and {other.name} are connected"[:200],
        )


@transaction.atomic
def answer(account: Account, introduction_id: int, accept: bool) -> Introduction:
    """Say yes or "not now" to an introduction made to you.

    "Not now" ends it quietly: the introducer and the other person only ever see that it
    didn't happen, the same words as when it expires, so nobody learns who declined.
    """
    introduction = _for_party(account, introduction_id)
    # Past its time counts as closed even before the expiry job has run.
    if not introduction.is_open:
        raise ValidationError("This introduction is closed.")
    value = IntroductionAnswer.ACCEPTED if accept else IntroductionAnswer.DECLINED
    if account.pk == introduction.first_id:
        introduction.first_answer = value
    else:
        introduction.second_answer = value
    if not accept:
        _close(introduction, IntroductionState.DECLINED)
        return introduction
    if _blocked(introduction.introducer, introduction.first, introduction.second):
        _close(introduction, IntroductionState.CANCELLED)
        return introduction
    introduction.save(update_fields=["first_answer", "second_answer"])
    if introduction.first_answer == introduction.second_answer == IntroductionAnswer.ACCEPTED:
        _connect(introduction)
    return introduction


@transaction.atomic
def expire(introduction_id: int) -> bool:
    """Close an introduction nobody finished answering in 30 days; return whether it was."""
    introduction = (
        Introduction.objects.select_for_update()
        .filter(pk=introduction_id, state=IntroductionState.PENDING, expires_at__lte=timezone.now())
        .first()
    )
    if introduction is None:
        return False
    _close(introduction, IntroductionState.EXPIRED)
    return True


def cancel_for_block(source_id: int, target_id: int) -> int:
    """A block between any two of the three ends their pending introductions."""
    people = Q(introducer_id=source_id) | Q(first_id=source_id) | Q(second_id=source_id)
    others = Q(introducer_id=target_id) | Q(first_id=target_id) | Q(second_id=target_id)
    return Introduction.objects.filter(people & others, state=IntroductionState.PENDING).update(
        state=IntroductionState.CANCELLED, closed_at=timezone.now()
    )
