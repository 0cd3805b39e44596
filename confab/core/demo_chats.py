"""Chats for the demo community: a few weekly chats in different time zones, and one
that goes live a few minutes after `make run` so a newcomer can walk straight into a room.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from confab.accounts.models import Account
from confab.chats import actions as chat_actions
from confab.chats.recurrence import Pattern, build_rrule


@dataclass(frozen=True)
class DemoChat:
    hashtag: str
    title: str
    host: str
    cohosts: tuple[str, ...]
    time_zone: str
    pattern: str
    weekday: int  # 0 Monday … 6 Sunday
    local_time: tuple[int, int]
    duration: int
    interests: tuple[str, ...]
    description: str
    nth: int = 1


CODE_OF_CONDUCT = (
    "Be kind and assume good intent. Answer with A1, A2… so others can follow. "
    "Disagree with ideas, never with people. Hosts may hide posts that break this."
)

CHATS = (
    DemoChat(
        hashtag="EduMatch",
        title="EduMatch: educators meeting educators",
        host="marcus_edtech",
        cohosts=("leticia_reads",),
        time_zone="America/New_York",
        pattern=Pattern.WEEKLY,
        weekday=1,
        local_time=(20, 0),
        duration=60,
        interests=("EduMatch", "EdTech", "K12"),
        description="Every Tuesday at 8 pm Eastern: six questions, an hour, and people "
        "from every kind of school. Newcomers welcome — say hi with A0!",
    ),
    DemoChat(
        hashtag="SciTeachChat",
        title="Science teachers' chat",
        host="ada",
        cohosts=(),
        time_zone="America/Los_Angeles",
        pattern=Pattern.BIWEEKLY,
        weekday=3,
        local_time=(18, 30),
        duration=45,
        interests=("STEM", "SciComm"),
        description="Every other Thursday: labs that worked, labs that exploded, and how "
        "to get thirty teenagers to write a hypothesis.",
    ),
    DemoChat(
        hashtag="LibChat",
        title="School and public librarians",
        host="leticia_reads",
        cohosts=(),
        time_zone="America/Chicago",
        pattern=Pattern.MONTHLY,
        weekday=2,
        nth=2,
        local_time=(19, 0),
        duration=60,
        interests=("Libraries", "SchoolLibraries", "DigitalLiteracy"),
        description="The second Wednesday of each month: collections, makerspaces, "
        "information literacy and the joy of a quiet reading corner.",
    ),
    DemoChat(
        hashtag="LDchat",
        title="Learning & development chat",
        host="niamh_ld",
        cohosts=(),
        time_zone="Europe/Dublin",
        pattern=Pattern.WEEKLY,
        weekday=4,
        local_time=(12, 30),
        duration=45,
        interests=("LearningAndDevelopment", "TalentDev"),
        description="Fridays at lunchtime in Dublin: onboarding, coaching, skills maps "
        "and what actually changes behaviour at work.",
    ),
)

LIVE_SOON = DemoChat(
    hashtag="NewcomersChat",
    title="Newcomers' welcome chat",
    host="ada",
    cohosts=("marcus_edtech",),
    time_zone="America/Los_Angeles",
    pattern=Pattern.ONCE,
    weekday=0,
    local_time=(0, 0),
    duration=30,
    interests=("EduMatch",),
    description="A short chat to try Confab's live room: three questions, ten minutes "
    "apart. Answer with A1, A2, A3.",
)
LIVE_SOON_QUESTIONS = (
    ("Introduce yourself: where do you teach or work, and what do you love about it?", 0),
    ("What is one thing you'd like to learn from this community this year?", 10),
    ("Which hashtag or chat should a newcomer follow first, and why?", 20),
)
LIVE_SOON_DELAY = timedelta(minutes=5)


def _details(chat: DemoChat, starts_at_local: datetime) -> chat_actions.ChatDetails:
    return chat_actions.ChatDetails(
        title=chat.title,
        time_zone=chat.time_zone,
        starts_at_local=starts_at_local,
        duration=chat.duration,
        rrule=build_rrule(chat.pattern, chat.weekday, chat.nth),
        description=chat.description,
        code_of_conduct=CODE_OF_CONDUCT,
        interests=chat.interests,
    )


def create_chats(accounts: list[Account], now: datetime | None = None) -> int:
    """Create the demo chats and their followers; return how many chats were made."""
    now = now or timezone.now()
    by_name = {a.username: a for a in accounts}
    made = 0
    for chat in CHATS:
        zone = ZoneInfo(chat.time_zone)
        # Start the schedule last month, on the wall clock of the host's zone.
        first = (
            (now - timedelta(days=35))
            .astimezone(zone)
            .replace(
                hour=chat.local_time[0],
                minute=chat.local_time[1],
                second=0,
                microsecond=0,
                tzinfo=None,
            )
        )
        made += _create(chat, by_name, _details(chat, first), accounts)
    zone = ZoneInfo(LIVE_SOON.time_zone)
    soon = (now + LIVE_SOON_DELAY).astimezone(zone).replace(second=0, microsecond=0, tzinfo=None)
    made += _create(LIVE_SOON, by_name, _details(LIVE_SOON, soon), accounts)
    return made


def _create(
    chat: DemoChat,
    by_name: dict[str, Account],
    details: chat_actions.ChatDetails,
    accounts: list[Account],
) -> int:
    host = by_name[chat.host]
    created = chat_actions.create_chat(host, chat.hashtag, details)
    for name in chat.cohosts:
        chat_actions.add_cohost(host, created, by_name[name])
    # Followers: everyone who names one of the chat's interests, with a few reminder habits.
    interests = {i.lower() for i in chat.interests}
    followers = [
        a for a in accounts if {t.name for t in a.interests.all()} & interests and a.pk != host.pk
    ]
    for number, account in enumerate(followers):
        chat_actions.follow_chat(account, created, remind_minutes=(15, 30, 60)[number % 3])
    if chat is LIVE_SOON:
        (session,) = created.sessions.all()[:1]
        chat_actions.plan_session(
            created,
            host,
            session.starts_at,
            topic="Welcome to Confab",
            questions=LIVE_SOON_QUESTIONS,
        )
    return 1


# --- Past sessions, so the directory, rooms and transcripts have history ---------------

PAST_SESSIONS = {
    "EduMatch": (
        (
            "Feedback that students actually read",
            (
                ("How do you give feedback today, and what happens to it?", 0),
                ("What is one feedback routine that changed your classroom?", 10),
                ("How do you get students to act on feedback, not just read the grade?", 20),
                ("What tools help — and which ones got in the way?", 30),
            ),
        ),
        (
            "Hybrid learning, honestly",
            (
                ("What does hybrid learning look like in your school this year?", 0),
                ("What worked better online than in the room?", 12),
                ("What should we never do again?", 24),
            ),
        ),
    ),
    "LDchat": (
        (
            "Onboarding that sticks",
            (
                ("What does a new starter's first week look like where you work?", 0),
                ("Who owns onboarding: L&D, managers or the team?", 12),
                ("One thing you'd change tomorrow?", 24),
            ),
        ),
    ),
}

ANSWERS = (
    "Short written comments, then five minutes in class to respond to them.",
    "Honestly? Too much of it ends up in the recycling bin.",
    "Audio notes. Students listen more than they read, it turns out.",
    "We tried peer review with a checklist and it was a game changer.",
    "A shared doc per learner, so the history is in one place.",
    "Small steps: one thing to keep, one thing to try next time.",
    "Checklists for the routine parts, conversations for the rest.",
    "Our pilot worked because managers were in it from day one.",
    "Less slides, more doing. Every time.",
    "Asking 'what will you do with this?' before moving on.",
)
REPLIES = (
    "Love this — stealing it for Monday.",
    "Same here. How long did it take to become a habit?",
    "Do you have an example you could share?",
    "This matches what we saw in our pilot.",
)


def create_past_sessions(accounts: list[Account], now: datetime | None = None) -> int:
    """Replay a few ended sessions of the demo chats: questions, answers, replies.

    Everything goes through the actions with back-dated times, so rooms, question links
    and transcripts are exactly what a live session would have left.
    """
    from confab.chats.models import Chat, HostRole, SessionState
    from confab.core.ids import id_for_time
    from confab.posts import actions as post_actions

    now = now or timezone.now()
    made = 0
    for hashtag, sessions in PAST_SESSIONS.items():
        chat = Chat.objects.select_related("hashtag").get(hashtag__name=hashtag.lower())
        host = chat.hosts.get(role=HostRole.HOST).account
        people = [f.account for f in chat.follows.select_related("account").order_by("id")]
        # A small chat borrows a few more voices from the community.
        people += [a for a in accounts if a.pk != host.pk and a not in people][
            : max(0, 8 - len(people))
        ]
        rng = random.Random(f"{hashtag}-past")
        starts = chat.schedule.occurrences(now - timedelta(days=8 * len(sessions)), limit=10)
        past = [s for s in starts if s + timedelta(minutes=chat.duration) < now][-len(sessions) :]
        for start, (topic, questions) in zip(past, sessions, strict=False):
            session = chat_actions.plan_session(
                chat,
                host,
                start,
                topic=topic,
                questions=questions,
                now=start - timedelta(days=2),
            )
            sequence = 0
            for question in session.questions.order_by("number"):
                asked_at = start + timedelta(minutes=question.offset_minutes)
                chat_actions.post_question(question.pk, now=asked_at)
                answered = []
                for number, person in enumerate(rng.sample(people, min(len(people), 6))):
                    sequence += 1
                    at = asked_at + timedelta(minutes=1 + number)
                    answered.append(
                        post_actions.post(
                            person,
                            f"A{question.number}: {rng.choice(ANSWERS)} #{chat.hashtag.display_name}",
                            created_at=at,
                            post_id=id_for_time(at, sequence),
                        )
                    )
                for answer in rng.sample(answered, min(len(answered), 2)):
                    replier = rng.choice([p for p in people if p.pk != answer.account_id])
                    sequence += 1
                    at = answer.created_at + timedelta(minutes=2)
                    post_actions.post(
                        replier,
                        f"@{answer.account.username} {rng.choice(REPLIES)}",
                        in_reply_to_id=answer.pk,
                        created_at=at,
                        post_id=id_for_time(at, sequence),
                    )
            chat_actions.set_session_state(session.pk, SessionState.ENDED, now=now)
            made += 1
    return made
