"""Messages, introductions and people worth meeting for the demo community (`confab demo`).

Written through the actions after the people, follows and posts exist: a conversation
someone starts with ada and that waits for her (unread), one introduction made to ada that
waits for her answer and one both sides accepted (which connects them and opens a
conversation), and finally everyone's recommendations, computed as the nightly job does,
so /people is full from the first login. People are drawn from a seeded generator over
lists read in a fixed order, so the same seed gives the same choices.
"""

import random
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from confab.accounts.models import Account, Follow, FollowRequest
from confab.connections.conversations import actions as conversation_actions
from confab.connections.models import ConversationParticipant, Introduction, Recommendation
from confab.connections.people import actions as people_actions
from confab.connections.people import refresh
from confab.core.ids import id_for_time
from confab.posts import actions as post_actions
from confab.posts.models import Visibility

# (speaker, words): 0 is the friend who writes first, 1 is ada. The last word is the
# friend's, so the conversation waits for ada with an unread message.
UNREAD_SCRIPT = (
    (
        0,
        "Saw your post about the lab swap. Could I bring my density column demo, or is that too basic?",
    ),
    (1, "Not basic at all, bring it! Half the room will want the handout."),
    (0, "Great, I'll print twenty. Also: any chance you could look over my rubric before Friday?"),
)
PENDING_NOTE = (
    "You both run maker projects with almost no budget and keep writing about it. "
    "I think you'd swap a lot of ideas."
)
ACCEPTED_NOTE = "You two keep answering the same questions in #EduMatch: time you met properly!"
# Sequence numbers for back-dated message ids, clear of the posts `confab demo` makes.
ID_SEQUENCE = 3_000_000


def _friends(account: Account) -> QuerySet[Account]:
    """People `account` follows who follow back (connected), in a fixed order."""
    return (
        Account.objects.filter(
            pk__in=Follow.objects.filter(source=account).values("target_id"),
            user__is_staff=False,
        )
        .filter(pk__in=Follow.objects.filter(target=account).values("source_id"))
        .order_by("username")
    )


def _links(a: Account, b: Account) -> int:
    """How many follows there are between two people (2: connected), or 3 when one has
    asked to follow the other (an introduction would settle a request that waits)."""
    pair = Q(source=a, target=b) | Q(source=b, target=a)
    if FollowRequest.objects.filter(pair).exists():
        return 3
    return Follow.objects.filter(pair).count()


def create_conversations(
    accounts: list[Account], rng: random.Random, now: datetime | None = None
) -> int:
    """Have one of ada's friends write to her (the last message unread); return how many."""
    now = now or timezone.now()
    ada = next((a for a in accounts if a.username == "ada"), None)
    if ada is None:
        return 0
    talking = ConversationParticipant.objects.filter(
        conversation__participants__account=ada
    ).values("account_id")
    friends = list(_friends(ada).exclude(pk__in=talking))
    if not friends:
        return 0
    friend = rng.choice(friends)
    speakers = (friend, ada)
    start = now - timedelta(hours=20)
    previous = None
    for number, (who, words) in enumerate(UNREAD_SCRIPT):
        author, other = speakers[who], speakers[1 - who]
        at = start + timedelta(minutes=35 * number)
        previous = post_actions.post(
            author,
            f"@{other.username} {words}",
            visibility=Visibility.DIRECT,
            in_reply_to_id=previous.pk if previous else None,
            created_at=at,
            post_id=id_for_time(at, ID_SEQUENCE + number),
        )
    return 1


def _introducible(ada: Account, rng: random.Random, taken: set[int]) -> tuple[Account, Account]:
    """A friend of ada's, and a friend of theirs ada has no link with yet; or raise LookupError."""
    friends = [f for f in _friends(ada) if f.pk not in taken]
    rng.shuffle(friends)
    # Strangers first; in a small, close community, someone who follows only one way.
    for wanted in (0, 1):
        for introducer in friends:
            others = [
                other
                for other in _friends(introducer)
                if other.pk != ada.pk and other.pk not in taken and _links(ada, other) == wanted
            ]
            if others:
                return introducer, rng.choice(others)
    raise LookupError("nobody to introduce")


def create_introductions(accounts: list[Account], rng: random.Random) -> int:
    """One introduction to ada both accepted (they are connected now), one waiting for her."""
    ada = next((a for a in accounts if a.username == "ada"), None)
    if ada is None:
        return 0
    made = 0
    taken: set[int] = set()
    for note, accepted in ((ACCEPTED_NOTE, True), (PENDING_NOTE, False)):
        try:
            introducer, other = _introducible(ada, rng, taken)
        except LookupError:
            break
        taken.update((introducer.pk, other.pk))
        introduction = people_actions.introduce(introducer, ada, other, note)
        made += 1
        if accepted:
            people_actions.answer(other, introduction.pk, accept=True)
            people_actions.answer(ada, introduction.pk, accept=True)
            # Ada has read the introducer's "meet each other!" message already.
            introduction.refresh_from_db()
            conversation = ConversationParticipant.objects.filter(
                account=ada, conversation__posts__post=introduction.conversation_id
            ).values_list("conversation_id", flat=True)
            for conversation_id in conversation[:1]:
                conversation_actions.mark_read(ada, conversation_id)
        else:
            # The other side said yes already; it waits for ada.
            people_actions.answer(other, introduction.pk, accept=True)
    return made


def create_recommendations() -> int:
    """Compute everyone's people worth meeting now, as the nightly job does."""
    return refresh.refresh_everyone()


def counts() -> dict[str, int]:
    return {
        "introductions": Introduction.objects.count(),
        "recommendations": Recommendation.objects.count(),
    }
