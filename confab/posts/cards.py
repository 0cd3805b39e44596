"""The post card, rendered in Python.

Every timeline page shows twenty of these, and through Django's template engine the card
was most of a page's CPU time (see docs/performance.md). This module writes the same
markup with plain string building: each value that comes from a person is escaped here,
`content_html` is already cleaned by nh3 when the post is saved, and URLs are built from
the URL configuration once (a pattern reversed with placeholders), not per card.

`posts/_post.html` and `posts/_actions.html` remain as the templates' way in (they call
the `post_card` and `post_actions` tags), so a page can still `{% include %}` a card.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from html import escape
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language

from confab.posts.models import Post, Visibility

# reverse() quotes arguments with this safe set; substituting into a reversed pattern
# must produce the same URLs.
_URL_SAFE = "!$&'()*+,;=/~:@"


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


@cache
def _pattern(name: str, kinds: tuple[type, ...]) -> str:
    """The path of `name` with {0}, {1}… where its arguments go.

    Reversed once with stand-ins of the arguments' types (int converters want digits),
    then each stand-in becomes a format field.
    """
    marks = [
        str(918273645546372800 + n) if kind is int else f"confabarg{n}x"
        for n, kind in enumerate(kinds)
    ]
    path = reverse(name, args=marks)
    path = path.replace("{", "{{").replace("}", "}}")
    for n, mark in enumerate(marks):
        path = path.replace(mark, f"{{{n}}}")
    return path


def url(name: str, *args: str | int) -> str:
    pattern = _pattern(name, tuple(int if isinstance(arg, int) else str for arg in args))
    return pattern.format(*(quote(str(arg), safe=_URL_SAFE) for arg in args))


def _time(moment) -> str:
    """A <time> element: machine-readable, the full date on hover, "5 minutes ago" shown."""
    local = timezone.localtime(moment)
    return (
        f'<time datetime="{local.isoformat()}" title="{_full_date(local.replace(tzinfo=None), get_language())}">'
        f"{escape(timesince(moment))} ago</time>"
    )


@lru_cache(maxsize=4096)
def _full_date(wall_clock: datetime, language: str | None) -> str:
    # Formatting a date the locale's way costs ~20 us; the same posts come back page after
    # page, so their dates are kept (by wall-clock time: the text has no zone in it).
    return escape(formats.localize(wall_clock))


def _csrf(token: str) -> str:
    if not token:
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def _avatar(account) -> str:
    if account.avatar:
        return (
            f'<img class="avatar" src="{escape(account.avatar.url)}" alt="" width="48" '
            'height="48" loading="lazy">'
        )
    return f'<span class="avatar placeholder">{escape(account.name[:1].upper())}</span>'


def _media(shown: Post) -> str:
    items = list(shown.media.all())
    if not items:
        return ""
    links = "".join(
        f'<a href="{escape(item.file.url)}"><img src="{escape(item.file.url)}" '
        f'alt="{escape(item.description)}" width="{item.width}" height="{item.height}" '
        'loading="lazy"></a>'
        for item in items
    )
    return f'<div class="media-grid count-{len(items)}">{links}</div>'


def _toggle(action_url: str, shown_id: int, card: CardContext, button: str) -> str:
    return (
        f'<form method="post" action="{action_url}" hx-post="{action_url}" '
        f'hx-target="#actions-{shown_id}" hx-swap="outerHTML">{_csrf(card.csrf_token)}'
        f'<input type="hidden" name="next" value="{escape(card.next_url)}">{button}</form>'
    )


def _pressed(state: bool) -> str:
    return "true" if state else "false"


def render_actions(shown: Post, card: CardContext, *, error: str = "") -> SafeString:
    """The action bar under a card: counts, and boost/favourite/bookmark for a reader."""
    sid = shown.id
    parts = [
        f'<div class="post-actions" id="actions-{sid}">',
        f'<span class="count" title="Replies"><a href="{url("post", shown.account.acct, sid)}" '
        f'aria-label="Replies: {shown.replies_count}">↩ {shown.replies_count}</a></span>',
    ]
    viewer = card.viewer
    if viewer:
        boosted = bool(getattr(shown, "viewer_boosted", False))
        favourited = bool(getattr(shown, "viewer_favourited", False))
        bookmarked = bool(getattr(shown, "viewer_bookmarked", False))
        boostable = shown.visibility in (Visibility.PUBLIC, Visibility.UNLISTED) or (
            shown.account_id == viewer.id and shown.visibility == Visibility.PRIVATE
        )
        if boostable:
            parts.append(
                _toggle(
                    url("unboost" if boosted else "boost", sid),
                    sid,
                    card,
                    f'<button type="submit" aria-pressed="{_pressed(boosted)}">⟲ '
                    f"{'Boosted' if boosted else 'Boost'} "
                    f'<span class="count">{shown.boosts_count}</span></button>',
                )
            )
        parts.append(
            _toggle(
                url("unfavourite" if favourited else "favourite", sid),
                sid,
                card,
                f'<button type="submit" aria-pressed="{_pressed(favourited)}">★ '
                f"{'Favourited' if favourited else 'Favourite'} "
                f'<span class="count">{shown.favourites_count}</span></button>',
            )
        )
        parts.append(
            _toggle(
                url("unbookmark" if bookmarked else "bookmark", sid),
                sid,
                card,
                f'<button type="submit" aria-pressed="{_pressed(bookmarked)}">'
                f"{'Bookmarked' if bookmarked else 'Bookmark'}</button>",
            )
        )
        if shown.account_id == viewer.id:
            parts.append(f'<a href="{url("edit_post", shown.account.acct, sid)}">Edit</a>')
        if error:
            parts.append(f'<p class="field-error" role="alert">{escape(error)}</p>')
    else:
        parts.append(f'<span class="count" aria-label="Boosts">⟲ {shown.boosts_count}</span>')
        parts.append(
            f'<span class="count" aria-label="Favourites">★ {shown.favourites_count}</span>'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


def render_card(
    post: Post, card: CardContext, *, focused: bool = False, depth: int = 0
) -> SafeString:
    """One post (or a boost of one) as an <article>, the markup every timeline shares."""
    shown: Post = post.boost_of if post.boost_of_id and post.boost_of else post
    author = shown.account
    author_url = url("profile", author.acct)
    classes = "post focused" if focused else "post"
    style = f' style="--depth: {depth}"' if depth else ""
    parts = [
        f'<article class="{classes}" id="post-{post.id}" data-shown-id="{shown.id}" '
        f'aria-labelledby="post-{post.id}-author"{style}>'
    ]
    if post.boost_of_id:
        parts.append(
            f'<p class="boosted-by">⟲ <a href="{url("profile", post.account.acct)}">'
            f"{escape(post.account.name)}</a> boosted</p>"
        )
    badge = ""
    if shown.visibility != Visibility.PUBLIC:
        label = escape(shown.get_visibility_display())
        badge = f'<span class="badge" title="{label}">{label}</span>'
    parts.append(
        '<header class="post-header">'
        f'<a class="avatar-link" href="{author_url}" tabindex="-1" aria-hidden="true">'
        f"{_avatar(author)}</a>"
        f'<div class="who"><a id="post-{post.id}-author" class="display-name" '
        f'href="{author_url}">{escape(author.name)}</a> '
        f'<span class="acct">@{escape(author.acct)}</span></div>'
        f'<a class="when" href="{url("post", author.acct, shown.id)}">'
        f"{_time(shown.created_at)}</a>{badge}</header>"
    )
    # The id first: reading the relation of a post that replies to nobody costs nothing.
    replied_to = shown.in_reply_to_account if shown.in_reply_to_account_id and not focused else None
    if replied_to is not None:
        replied = replied_to.acct
        parts.append(
            f'<p class="reply-to">Replying to <a href="{url("profile", replied)}">'
            f"@{escape(replied)}</a></p>"
        )
    body = f'<div class="content">{shown.content_html}</div>{_media(shown)}'
    if shown.spoiler_text:
        parts.append(
            '<details class="cw"><summary><strong>Content warning:</strong> '
            f'{escape(shown.spoiler_text)} <span class="show-more">(show)</span></summary>'
            f"{body}</details>"
        )
    else:
        parts.append(body)
    if shown.edited_at:
        parts.append(
            f'<p class="edited"><a href="{url("post_history", author.acct, shown.id)}">'
            f"Edited {escape(timesince(shown.edited_at))} ago</a></p>"
        )
    parts.append(render_actions(shown, card))
    parts.append("</article>")
    return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped
