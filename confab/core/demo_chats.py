"""Chats for the demo community: a few weekly chats in different time zones, and one
that goes live a few minutes after `make run` so a newcomer can walk straight into a room.
"""

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
