"""The post card, rendered in Python, its unchanging part drawn once.

Every timeline page shows twenty of these, and through Django's template engine the card
was most of a page's CPU time (see docs/performance.md). This module writes the same
markup with plain string building: each value that comes from a person is escaped here,
`content_html` is already cleaned by nh3 when the post is saved, and URLs are built from
the URL configuration once (a pattern reversed with placeholders), not per card.

A card has three kinds of content (decision 023):

- its face, what the post and its people show (`Face`): the same for every reader and
  every request until the post, its attachments or its author's name or picture change;
- what the clock changes: "5 minutes ago";
- what the reader changes: the action bar (counts, the reader's boosted / favourited /
  bookmarked marks, the CSRF token, the page to come back to).

The face is drawn once and kept in a bounded in-process cache whose key is the `Face`
itself, every value drawn from, so a changed post is a different key and never needs
invalidating; the other two are written for each card. Pages load `CardRow`s straight
from the database (confab.posts.queries.card_rows); anything that has a `Post` instance
(a thread, a live event) goes through `card_row(post)` to the same code.

`posts/_post.html` and `posts/_actions.html` remain as the templates' way in (they call
the `post_card` and `post_actions` tags), so a page can still `{% include %}` a card.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property, lru_cache
from html import escape
from typing import Any, NamedTuple
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language

from confab.accounts.models import Account
from confab.posts.models import MediaAttachment, Post, Visibility

# reverse() quotes arguments with this safe set; substituting into a reversed pattern
# must produce the same URLs.
_URL_SAFE = "!$&'()*+,;=/~:@"

# Faces kept per process: a few pages' worth for each of many readers. An entry is the
# markup and its key (mostly the post's HTML), a few kilobytes.
FACES_KEPT = 4096


@dataclass(frozen=True)
class CardContext:
    """What a card needs to know about the page it is on, shared by all its cards."""

    viewer: Any = None  # an Account, a stand-in with an `id`, or None when signed out
    csrf_token: str = ""
    next_url: str = ""

    @classmethod
    def from_template(cls, context) -> "CardContext":
        token = str(context.get("csrf_token") or "")
        if token == "NOTPROVIDED":  # noqa: S105 — Django's marker for "no token here"
            token = ""
        request = context.get("request")
        next_url = ""
        if request is not None:
            htmx = getattr(request, "htmx", None)
            next_url = (htmx and htmx.current_url_abs_path) or request.get_full_path()
        return cls(viewer=context.get("viewer"), csrf_token=token, next_url=next_url)

    # Worked out once per page, not per card (cached_property writes past `frozen`).
    @cached_property
    def form_fields(self) -> str:
        """The hidden fields every action form of the page carries."""
        token = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(self.csrf_token)}">'
            if self.csrf_token
            else ""
        )
        return f'{token}<input type="hidden" name="next" value="{escape(self.next_url)}">'

    @cached_property
    def place(self) -> tuple[str, str | None, str, str | None]:
        """What drawn markup depends on besides the post: the time zone and language
        dates are written in, and the script prefix and URLconf links are built from."""
        return (
            timezone.get_current_timezone_name(),
            get_language(),
            get_script_prefix(),
            get_urlconf(),
        )

    @cached_property
    def minute(self) -> datetime:
        """Now, to the minute: "ago" is written to the minute, so cards can share it."""
        return timezone.now().replace(second=0, microsecond=0)


@cache
def _pattern(name: str, kinds: tuple[type, ...], prefix: str, urlconf: str | None) -> str:
    """The path of `name` with {0}, {1}… where its arguments go.

    Reversed once with stand-ins of the arguments' types (int converters want digits),
    then each stand-in becomes a format field.
    """
    marks = [
        str(918273645546372800 + n) if kind is int else f"confabarg{n}x"
        for n, kind in enumerate(kinds)
    ]
    path = reverse(name, args=marks, urlconf=urlconf)
    path = path.replace("{", "{{").replace("}", "}}")
    for n, mark in enumerate(marks):
        path = path.replace(mark, f"{{{n}}}")
    return path


def url(name: str, *args: str | int) -> str:
    kinds = tuple(int if isinstance(arg, int) else str for arg in args)
    pattern = _pattern(name, kinds, get_script_prefix(), get_urlconf())
    return pattern.format(*(quote(str(arg), safe=_URL_SAFE) for arg in args))


def acct(username: str, domain: str) -> str:
    """What Account.acct says, from the two columns."""
    return f"{username}@{domain}" if domain else username


class Media(NamedTuple):
    file: str  # the stored file's name
    width: int
    height: int
    description: str


class Face(NamedTuple):
    """Everything a card's face is drawn from; as a whole, the key its markup is kept by."""

    post_id: int
    booster: tuple[str, str] | None  # (acct, name) of the person who boosted it, if a boost
    shown_id: int  # the post shown: the original of a boost, else the post itself
    author_acct: str
    author_name: str
    avatar: str  # the picture's stored file name; "" for none
    visibility: str
    created_at: datetime
    edited_at: datetime | None
    reply_to: str | None  # the acct it replies to
    content_html: str
    spoiler_text: str
    media: tuple[Media, ...]


@dataclass(slots=True)
class CardRow:
    """A card as a page loads it: its face, and what the reader's action bar shows."""

    id: int  # the post's own id (a boost's, for a boost): the page's key
    face: Face
    author_id: int  # of the post shown
    replies_count: int
    boosts_count: int
    favourites_count: int
    boosted: bool = False
    favourited: bool = False
    bookmarked: bool = False

    @property
    def pk(self) -> int:
        return self.id


def card_row(post: Post) -> CardRow:
    """The CardRow of a post instance (its account, original and media loaded or not)."""
    shown: Post = post.boost_of if post.boost_of_id and post.boost_of else post
    author = shown.account
    booster = (post.account.acct, post.account.name) if post.boost_of_id else None
    # The id first: reading the relation of a post that replies to nobody costs nothing.
    replied = shown.in_reply_to_account if shown.in_reply_to_account_id else None
    reply_to = replied.acct if replied is not None else None
    media = tuple(
        Media(item.file.name or "", item.width, item.height, item.description)
        for item in shown.media.all()
    )
    face = Face(
        post.id,
        booster,
        shown.id,
        author.acct,
        author.name,
        author.avatar.name or "",
        shown.visibility,
        shown.created_at,
        shown.edited_at,
        reply_to,
        shown.content_html,
        shown.spoiler_text,
        media,
    )
    return CardRow(
        post.id,
        face,
        shown.account_id,
        shown.replies_count,
        shown.boosts_count,
        shown.favourites_count,
        # `decorate` marks the loaded post (a boost's marks are for its original).
        bool(getattr(post, "viewer_boosted", False)),
        bool(getattr(post, "viewer_favourited", False)),
        bool(getattr(post, "viewer_bookmarked", False)),
    )


@lru_cache(maxsize=1)
def _storages():
    return (
        Account._meta.get_field("avatar").storage,  # type: ignore[attr-defined]
        MediaAttachment._meta.get_field("file").storage,  # type: ignore[attr-defined]
    )


@lru_cache(maxsize=4096)
def _full_date(wall_clock: datetime, language: str | None) -> str:
    # Formatting a date the locale's way costs ~20 us; the same posts come back page after
    # page, so their dates are kept (by wall-clock time: the text has no zone in it).
    return escape(formats.localize(wall_clock))


@lru_cache(maxsize=8192)
def _ago(moment: datetime, minute: datetime) -> str:
    """How long before `minute` the moment was ("5 minutes"), escaped."""
    return escape(timesince(moment, now=minute))


def _avatar(face: Face) -> str:
    if face.avatar:
        avatar_url = escape(_storages()[0].url(face.avatar))
        return (
            f'<img class="avatar" src="{avatar_url}" alt="" width="48" height="48" loading="lazy">'
        )
    return f'<span class="avatar placeholder">{escape(face.author_name[:1].upper())}</span>'


def _media(face: Face) -> str:
    if not face.media:
        return ""
    storage = _storages()[1]
    links = []
    for item in face.media:
        src = escape(storage.url(item.file))
        links.append(
            f'<a href="{src}"><img src="{src}" alt="{escape(item.description)}" '
            f'width="{item.width}" height="{item.height}" loading="lazy"></a>'
        )
    return f'<div class="media-grid count-{len(face.media)}">{"".join(links)}</div>'


_VISIBILITY_LABELS = dict(Visibility.choices)


@lru_cache(maxsize=FACES_KEPT)
def _drawn(face: Face, place: tuple, focused: bool, depth: int) -> tuple[str, str, str]:
    """A face's markup, in the three pieces around its two "… ago" texts:
    opening + ago(created) + middle [+ ago(edited) + closing when edited] + action bar."""
    author_url = url("profile", face.author_acct)
    classes = "post focused" if focused else "post"
    style = f' style="--depth: {depth}"' if depth else ""
    parts = [
        f'<article class="{classes}" id="post-{face.post_id}" data-shown-id="{face.shown_id}" '
        f'aria-labelledby="post-{face.post_id}-author"{style}>'
    ]
    if face.booster is not None:
        booster_acct, booster_name = face.booster
        parts.append(
            f'<p class="boosted-by">⟲ <a href="{url("profile", booster_acct)}">'
            f"{escape(booster_name)}</a> boosted</p>"
        )
    local = timezone.localtime(face.created_at)
    parts.append(
        '<header class="post-header">'
        f'<a class="avatar-link" href="{author_url}" tabindex="-1" aria-hidden="true">'
        f"{_avatar(face)}</a>"
        f'<div class="who"><a id="post-{face.post_id}-author" class="display-name" '
        f'href="{author_url}">{escape(face.author_name)}</a> '
        f'<span class="acct">@{escape(face.author_acct)}</span></div>'
        f'<a class="when" href="{url("post", face.author_acct, face.shown_id)}">'
        f'<time datetime="{local.isoformat()}" '
        f'title="{_full_date(local.replace(tzinfo=None), place[1])}">'
    )
    opening = "".join(parts)
    parts = [" ago</time></a>"]
    if face.visibility != Visibility.PUBLIC:
        label = escape(str(_VISIBILITY_LABELS.get(face.visibility, face.visibility)))
        parts.append(f'<span class="badge" title="{label}">{label}</span>')
    parts.append("</header>")
    if face.reply_to is not None and not focused:
        parts.append(
            f'<p class="reply-to">Replying to <a href="{url("profile", face.reply_to)}">'
            f"@{escape(face.reply_to)}</a></p>"
        )
    body = f'<div class="content">{face.content_html}</div>{_media(face)}'
    if face.spoiler_text:
        parts.append(
            '<details class="cw"><summary><strong>Content warning:</strong> '
            f'{escape(face.spoiler_text)} <span class="show-more">(show)</span></summary>'
            f"{body}</details>"
        )
    else:
        parts.append(body)
    closing = ""
    if face.edited_at:
        history = url("post_history", face.author_acct, face.shown_id)
        parts.append(f'<p class="edited"><a href="{history}">Edited ')
        closing = " ago</a></p>"
    return opening, "".join(parts), closing


@lru_cache(maxsize=8192)
def _action_urls(shown_id: int, author_acct: str, place: tuple) -> tuple[str, ...]:
    """The URLs of a post's action bar: its six toggles, its page and its edit form
    (`place` is only part of the key: the URLs follow the script prefix)."""
    toggles = ("boost", "unboost", "favourite", "unfavourite", "bookmark", "unbookmark")
    return (
        *(url(name, shown_id) for name in toggles),
        url("post", author_acct, shown_id),
        url("edit_post", author_acct, shown_id),
    )


def _toggle(action_url: str, shown_id: int, card: CardContext, button: str) -> str:
    return (
        f'<form method="post" action="{action_url}" hx-post="{action_url}" '
        f'hx-target="#actions-{shown_id}" hx-swap="outerHTML">{card.form_fields}{button}</form>'
    )


def _pressed(state: bool) -> str:
    return "true" if state else "false"


def _actions(row: CardRow, card: CardContext, error: str = "") -> str:
    face = row.face
    sid = face.shown_id
    boost, unboost, favourite, unfavourite, bookmark, unbookmark, post_url, edit_url = _action_urls(
        sid, face.author_acct, card.place
    )
    parts = [
        f'<div class="post-actions" id="actions-{sid}">',
        f'<span class="count" title="Replies"><a href="{post_url}" '
        f'aria-label="Replies: {row.replies_count}">↩ {row.replies_count}</a></span>',
    ]
    viewer = card.viewer
    if viewer:
        boosted, favourited, bookmarked = row.boosted, row.favourited, row.bookmarked
        own = row.author_id == viewer.id
        if face.visibility in (Visibility.PUBLIC, Visibility.UNLISTED) or (
            own and face.visibility == Visibility.PRIVATE
        ):
            parts.append(
                _toggle(
                    unboost if boosted else boost,
                    sid,
                    card,
                    f'<button type="submit" aria-pressed="{_pressed(boosted)}">⟲ '
                    f"{'Boosted' if boosted else 'Boost'} "
                    f'<span class="count">{row.boosts_count}</span></button>',
                )
            )
        parts.append(
            _toggle(
                unfavourite if favourited else favourite,
                sid,
                card,
                f'<button type="submit" aria-pressed="{_pressed(favourited)}">★ '
                f"{'Favourited' if favourited else 'Favourite'} "
                f'<span class="count">{row.favourites_count}</span></button>',
            )
        )
        parts.append(
            _toggle(
                unbookmark if bookmarked else bookmark,
                sid,
                card,
                f'<button type="submit" aria-pressed="{_pressed(bookmarked)}">'
                f"{'Bookmarked' if bookmarked else 'Bookmark'}</button>",
            )
        )
        if own:
            parts.append(f'<a href="{edit_url}">Edit</a>')
        if error:
            parts.append(f'<p class="field-error" role="alert">{escape(error)}</p>')
    else:
        parts.append(f'<span class="count" aria-label="Boosts">⟲ {row.boosts_count}</span>')
        parts.append(f'<span class="count" aria-label="Favourites">★ {row.favourites_count}</span>')
    parts.append("</div>")
    return "".join(parts)


def render_actions(shown: Post | CardRow, card: CardContext, *, error: str = "") -> SafeString:
    """The action bar under a card: counts, and boost/favourite/bookmark for a reader."""
    row = shown if isinstance(shown, CardRow) else card_row(shown)
    return mark_safe(_actions(row, card, error))  # noqa: S308 — every value is escaped


def _card(row: CardRow, card: CardContext, focused: bool, depth: int) -> str:
    face = row.face
    opening, middle, closing = _drawn(face, card.place, focused, depth)
    minute = card.minute
    created = _ago(face.created_at, minute)
    if face.edited_at:
        edited = _ago(face.edited_at, minute)
        return f"{opening}{created}{middle}{edited}{closing}{_actions(row, card)}</article>"
    return f"{opening}{created}{middle}{_actions(row, card)}</article>"


def render_card(
    post: Post | CardRow, card: CardContext, *, focused: bool = False, depth: int = 0
) -> SafeString:
    """One post (or a boost of one) as an <article>, the markup every timeline shares."""
    row = post if isinstance(post, CardRow) else card_row(post)
    return mark_safe(_card(row, card, focused, depth))  # noqa: S308 — every value is escaped


def render_cards(rows, card: CardContext) -> SafeString:
    """A page's cards, one after another."""
    return mark_safe(  # noqa: S308 — every value is escaped
        "".join(
            _card(row if isinstance(row, CardRow) else card_row(row), card, False, 0)
            for row in rows
        )
    )
