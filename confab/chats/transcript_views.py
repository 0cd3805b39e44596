"""After a session: its transcript page and exports, the people you met, the hosts' trend.

Kept apart from `views.py` because they read ended sessions only; the rules for what each
reader sees are in `confab.chats.transcript`.
"""

import zoneinfo
from html import escape

from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from confab.chats import exports, queries, transcript
from confab.chats.models import Chat, ChatSession
from confab.chats.transcript import ShownPost
from confab.chats.views import _render
from confab.core.decorators import account_required
from confab.curation.queries import owned_lists

EXPORTS = {
    "md": ("text/markdown; charset=utf-8", exports.to_markdown),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "json": ("application/json", exports.to_json),
}


def _room_url(chat: Chat, session: ChatSession) -> str:
    # The live room is built alongside this page; until its address exists, the chat's
    # page is the nearest place to wait for the end of the session.
    try:
        return reverse("chats:room", args=[chat.hashtag.name, session.pk])
    except NoReverseMatch:
        return chat.get_absolute_url()


def _not_over(request, chat: Chat, session: ChatSession) -> HttpResponse:
    context = {"chat": chat, "session": session, "room_url": _room_url(chat, session)}
    return _render(request, "chats/transcript_not_over.html", context)


class PostRenderer:
    """Render a transcript's posts as HTML in Python, not one template include per post.

    A 5,000-post transcript spent a second in `{% include %}` and `{% url %}`; this keeps
    the same markup (see chats/_transcript_post.html, which documents it) at a few
    microseconds a post. Addresses are reversed once per author.
    """

    def __init__(self, zone: zoneinfo.ZoneInfo, host_ids: set[int]) -> None:
        self.zone = zone
        self.host_ids = host_ids
        self.profiles: dict[int, str] = {}
        # Per author, everything of a post's HTML before its id: the <article> with its class,
        # the byline and the start of the post's link (a transcript has ~200 authors, 5,000
        # posts: the escaping and reversing is done 200 times, not 5,000).
        self.heads: dict[int, tuple[str, str]] = {}

    def profile_url(self, author: transcript.Author) -> str:
        url = self.profiles.get(author.id)
        if url is None:
            url = self.profiles[author.id] = reverse("profile", args=[author.acct])
        return url

    def _head(self, post: ShownPost) -> tuple[str, str]:
        author = post.account
        head = self.heads.get(author.id)
        if head is None:
            profile = escape(self.profile_url(author))
            is_host = author.id in self.host_ids
            host_class, badge = (
                (" host", ' <span class="badge">Host</span>') if is_host else ("", "")
            )
            head = self.heads[author.id] = (
                f'<article class="transcript-post{host_class}" id="post-',
                f'"><p class="meta"><a class="display-name" href="{profile}">'
                f'{escape(author.name)}</a> <span class="acct">@{escape(author.acct)}</span>'
                # A post's address is its author's profile and its id (confab/config/urls.py).
                f'{badge} · <a href="{profile}/',
            )
        return head

    def post(self, post: ShownPost) -> str:
        """Return one post's HTML; every value in it is escaped here, or cleaned already.

        `html.escape` escapes the same five characters as Django's, without its lazy-string
        wrapper (which cost more than the escaping).
        """
        opening, byline = self._head(post)
        # content_html was cleaned by nh3 when the post was written; post cards print it
        # with |safe the same way.
        content = f'<div class="content">{post.content_html}</div>'
        if post.spoiler_text:
            content = (
                '<details class="cw"><summary><strong>Content warning:</strong> '
                f"{escape(post.spoiler_text)}</summary>{content}</details>"
            )
        local = post.created_at.astimezone(self.zone)
        return (
            f'{opening}{post.pk}{byline}{post.pk}"><time datetime="{local.isoformat()}">'
            f"{local:%H:%M}</time></a></p>{content}</article>"
        )

    def participants(self, people: list[transcript.Author]) -> SafeString:
        """The participants list, without a `{% url %}` per person."""
        items = [
            f'<li><a href="{escape(self.profile_url(person))}">{escape(person.name)}</a> '
            f'<span class="acct">@{escape(person.acct)}</span></li>'
            for person in people
        ]
        return mark_safe("".join(items))  # noqa: S308

    def answers(self, answers: list[transcript.Answer]) -> SafeString:
        parts = []
        for answer in answers:
            parts.append(f'<div class="answer">{self.post(answer.post)}')
            if answer.replies:
                replies = "".join(self.post(reply) for reply in answer.replies)
                parts.append(f'<div class="replies">{replies}</div>')
            parts.append("</div>\n")
        # Plain strings, not format_html, for speed: `post` escapes every value it prints.
        return mark_safe("".join(parts))  # noqa: S308


def transcript_page(request, name: str, session_id: int):
    chat = queries.get_chat(name)
    session = transcript.get_session(chat, session_id)
    if not transcript.is_over(session):
        return _not_over(request, chat, session)
    found = transcript.transcript(request.account, chat, session)
    renderer = PostRenderer(queries.viewer_zone(request.account), found.host_ids)
    base = reverse("chats:transcript", args=[chat.hashtag.name, session.pk])
    context = {
        "chat": chat,
        "session": session,
        "transcript": found,
        "sections": [(block, renderer.answers(block.answers)) for block in found.questions],
        "participants_html": renderer.participants(found.participants),
        "exports": [(extension.upper(), f"{base}.{extension}") for extension in EXPORTS],
        "is_host": queries.is_host(request.account, chat),
    }
    return _render(request, "chats/transcript.html", context)


def transcript_export(request, name: str, session_id: int, extension: str):
    if extension not in EXPORTS:
        raise Http404("No such format.")
    chat = queries.get_chat(name)
    session = transcript.get_session(chat, session_id)
    if not transcript.is_over(session):
        raise Http404("This session has not ended yet.")
    found = transcript.transcript(request.account, chat, session)

    def url_for(post: ShownPost) -> str:
        return request.build_absolute_uri(post.get_absolute_url())

    content_type, render = EXPORTS[extension]
    response = HttpResponse(render(found, url_for), content_type=content_type)
    filename = exports.filename(found, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@account_required
def people(request, name: str, session_id: int):
    chat = queries.get_chat(name)
    session = transcript.get_session(chat, session_id)
    if not transcript.is_over(session):
        return _not_over(request, chat, session)
    took_part = transcript.took_part(request.account, session)
    met = transcript.people_met(request.account, chat, session) if took_part else []
    lists = list(owned_lists(request.account)) if met else []
    context = {
        "chat": chat,
        "session": session,
        "took_part": took_part,
        "met": met,
        "lists": lists,
    }
    return _render(request, "chats/people_met.html", context)


# The bar chart's geometry, in SVG user units.
BAR_WIDTH = 14
BAR_GAP = 4
GROUP_GAP = 16
CHART_HEIGHT = 160


@account_required
def trend(request, name: str):
    chat = queries.get_chat(name)
    if not queries.is_host(request.account, chat):
        raise Http404("No such chat.")
    counts = transcript.trend(chat)
    tallest = max((c.participants for c in counts), default=0) or 1
    bars = []
    for n, count in enumerate(counts):
        x = n * (2 * BAR_WIDTH + BAR_GAP + GROUP_GAP)
        for offset, value, kind in (
            (0, count.participants, "participants"),
            (BAR_WIDTH + BAR_GAP, count.first_timers, "first-timers"),
        ):
            height = round(value * CHART_HEIGHT / tallest)
            bars.append(
                {
                    "x": x + offset,
                    "y": CHART_HEIGHT - height,
                    "height": height,
                    "kind": kind,
                    "value": value,
                    "session": count.session,
                }
            )
    width = max(len(counts) * (2 * BAR_WIDTH + BAR_GAP + GROUP_GAP), 1)
    context = {
        "chat": chat,
        "counts": counts,
        "bars": bars,
        "chart": {"width": width, "height": CHART_HEIGHT},
    }
    return _render(request, "chats/trend.html", context)
