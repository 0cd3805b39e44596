"""A transcript as files: Markdown to read, CSV for a spreadsheet, JSON for programs.

Each export is built from the same `Transcript` the page shows, so it holds exactly what
the reader may see there (signed out: public and unlisted posts only). `url_for` turns a
post into an absolute address; the caller has the request for that.
"""

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC

from confab.chats.transcript import ShownPost, Transcript, local_start

UrlFor = Callable[[ShownPost], str]


def filename(transcript: Transcript, extension: str) -> str:
    """`edumatch-2027-03-02.md`: the hashtag and the session's date on the chat's clock."""
    day = local_start(transcript.chat, transcript.session).date()
    return f"{transcript.chat.hashtag.name}-{day.isoformat()}.{extension}"


def _iso(post: ShownPost) -> str:
    return post.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _post_data(transcript: Transcript, post: ShownPost, url_for: UrlFor) -> dict:
    return {
        "post_id": str(post.pk),  # a string: snowflake ids overflow JavaScript's numbers
        "url": url_for(post),
        "author": post.account.acct,
        "created_at": _iso(post),
        "text": post.text,
        "in_reply_to": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "is_host": post.account_id in transcript.host_ids,
    }


def _stats_data(transcript: Transcript) -> dict:
    numbers = transcript.stats
    return {
        "posts": numbers.posts,
        "participants": numbers.participants,
        "first_timers": numbers.first_timers,
        "answers_per_question": {
            str(block.number): block.answer_count
            for block in transcript.questions
            if block.number is not None
        },
        "most_replied": [
            {"post_id": str(post.pk), "replies": count} for post, count in transcript.most_replied
        ],
        "links": [{"url": url, "shared": count} for url, count in transcript.links],
    }


def to_json(transcript: Transcript, url_for: UrlFor) -> str:
    session = transcript.session
    data = {
        "chat": {
            "hashtag": transcript.chat.hashtag.display_name,
            "title": transcript.chat.title,
        },
        "session": {
            "starts_at": session.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "topic": session.topic,
        },
        "stats": _stats_data(transcript),
        "questions": [
            {
                "number": block.number,
                "text": block.text,
                "post": _post_data(transcript, block.post, url_for) if block.post else None,
                "answers": [
                    {
                        **_post_data(transcript, answer.post, url_for),
                        "replies": [
                            _post_data(transcript, reply, url_for) for reply in answer.replies
                        ],
                    }
                    for answer in block.answers
                ],
            }
            for block in transcript.questions
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


CSV_COLUMNS = ["question", "post_id", "url", "author", "created_at", "text", "in_reply_to"]


def to_csv(transcript: Transcript, url_for: UrlFor) -> str:
    """One row per post, the questions' own posts included, in the page's order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, "is_host"])
    for block in transcript.questions:
        posts = [block.post] if block.post else []
        for answer in block.answers:
            posts += [answer.post, *answer.replies]
        for post in posts:
            data = _post_data(transcript, post, url_for)
            row = [block.number or "", *(data[c] or "" for c in CSV_COLUMNS[1:])]
            writer.writerow([*row, "true" if data["is_host"] else "false"])
    return out.getvalue()


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def to_markdown(transcript: Transcript, url_for: UrlFor) -> str:
    chat, session, numbers = transcript.chat, transcript.session, transcript.stats
    day = local_start(chat, session)
    lines = [f"# #{chat.hashtag.display_name} · {day:%A} {day.day} {day:%B %Y}"]
    if session.topic:
        lines += ["", f"**{session.topic}**"]
    lines += [
        "",
        f"{numbers.posts} posts · {numbers.participants} participants · "
        f"{numbers.first_timers} first-timers",
    ]
    for block in transcript.questions:
        heading = f"{block.label}. {block.text}" if block.number is not None else block.label
        lines += ["", f"## {heading}", ""]
        if block.number is not None:
            lines += [f"{block.answer_count} answers", ""]
        for answer in block.answers:
            post = answer.post
            host = " (host)" if answer.is_host else ""
            lines += [f"**@{post.account.acct}**{host} · [{_iso(post)}]({url_for(post)})", ""]
            lines += [_quote(post.text), ""]
            for reply in answer.replies:
                lines += [f"- **@{reply.account.acct}** · [{_iso(reply)}]({url_for(reply)})"]
                lines += ["  " + line for line in _quote(reply.text).splitlines()]
            if answer.replies:
                lines.append("")
    if transcript.links:
        lines += ["", "## Links shared", ""]
        lines += [f"- <{url}> ({count})" for url, count in transcript.links]
    if transcript.participants:
        lines += ["", "## Participants", ""]
        lines += [f"- @{account.acct}" for account in transcript.participants]
    return "\n".join(lines).rstrip() + "\n"
