"""Post and bio text: find mentions, hashtags and links, count characters, render safe HTML.

Pure Python on purpose (no models, no settings) so it is unit-testable without a database.
Everything the author typed is escaped; the only markup is what `render` builds itself, and
the result goes through nh3 with a small allowlist as a second line of defence.

One scanner (`_tokens`) decides what is a link, a mention or a hashtag, and `parse`,
`count_characters` and `render` all use it, so they never disagree about the same text.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import nh3

MAX_HASHTAG_LENGTH = 100
URL_DISPLAY_LENGTH = 30

ALLOWED_TAGS = frozenset({"p", "br", "a", "span"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "rel", "class", "target"},
    "span": {"class"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow noopener noreferrer"


@dataclass(frozen=True)
class Mention:
    username: str
    domain: str | None  # lowercased; None for a local account


@dataclass(frozen=True)
class Hashtag:
    name: str  # normalize_hashtag(display)
    display: str  # as the author wrote it, without '#'


@dataclass(frozen=True)
class Parsed:
    mentions: tuple[Mention, ...]
    hashtags: tuple[Hashtag, ...]
    links: tuple[str, ...]


# Joiners allowed inside a hashtag but not at either end: the middle dot (Catalan "l·l")
# and ZWNJ (Persian, Indic scripts).
_TAG_JOINERS = "\u00b7\u200c"

# A URL runs to the next whitespace. It also stops at characters that are never literal in a
# URL and that people put around links (<https://…>, "https://…"), and at bidi controls,
# which could make the displayed link read differently from where it goes.
_URL = re.compile(r"https?://[^\s<>\"\u200e\u200f\u202a-\u202e\u2066-\u2069]+", re.IGNORECASE)
_URL_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\")]"
_BRACKETS = {")": "(", "]": "["}

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_MENTION = re.compile(
    rf"@(?P<username>[A-Za-z0-9_]{{1,30}})(?:@(?P<domain>{_LABEL}(?:\.{_LABEL})+))?"
)

# Where a token may start; the scanner checks the rest by hand.
_CANDIDATE = re.compile(r"https?://|[@#]", re.IGNORECASE)

# Control characters other than tab and newline, and lone surrogates (which cannot be
# encoded as UTF-8 at all).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _is_word(char: str) -> bool:
    # Python's \w leaves out combining marks, which would cut Devanagari or Thai words in
    # half, so marks count as word characters too.
    return char == "_" or char.isalnum() or unicodedata.category(char)[0] == "M"


def _is_tag_char(char: str) -> bool:
    return _is_word(char) or char in _TAG_JOINERS


def normalize_hashtag(tag: str) -> str:
    """Return the stored form of a hashtag: no '#', NFKC, case-folded."""
    # The outer NFKC makes the function idempotent: case folding can produce text that is
    # not in NFKC (e.g. "\u0345" folds to a bare iota that composes differently). Every
    # leading '#' goes, after normalising, so "##" or a full-width "＃" cannot leave one.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())
    return folded.lstrip("#")


def _is_valid_tag_body(body: str) -> bool:
    if not 1 <= len(body) <= MAX_HASHTAG_LENGTH:
        return False
    if body[0] in _TAG_JOINERS or body[-1] in _TAG_JOINERS:
        return False
    if not all(_is_tag_char(c) for c in body) or not any(c.isalpha() for c in body):
        return False
    # The normalised name is what gets stored and put in URLs and stream names, so it has
    # to obey the same rules: NFKC turns "ﷺ" into words with spaces, and "¼" into "1", a
    # fraction slash and "4".
    name = normalize_hashtag(body)
    return len(name) <= MAX_HASHTAG_LENGTH and all(_is_tag_char(c) for c in name)


def is_valid_hashtag(tag: str) -> bool:
    """Say whether `tag` (with or without a leading '#') is a hashtag Confab recognises."""
    return _is_valid_tag_body(tag.removeprefix("#"))


@dataclass(frozen=True)
class _Url:
    text: str


@dataclass(frozen=True)
class _MentionToken:
    text: str  # as written, with the leading '@'
    mention: Mention


@dataclass(frozen=True)
class _TagToken:
    text: str  # as written, with the leading '#'
    hashtag: Hashtag


_Token = str | _Url | _MentionToken | _TagToken


def _match_url(text: str, start: int) -> str | None:
    if start > 0 and _is_word(text[start - 1]):
        return None  # "xhttps://…" is not a link
    match = _URL.match(text, start)
    if match is None:
        return None
    url = match.group()
    # Count brackets once; trimming one closing bracket at a time must stay linear.
    opened = {opener: url.count(opener) for opener in _BRACKETS.values()}
    closed = {closer: url.count(closer) for closer in _BRACKETS}
    end = len(url)
    while end > 0:
        last = url[end - 1]
        if last in _BRACKETS:
            if closed[last] <= opened[_BRACKETS[last]]:
                break  # balanced, as in https://en.wikipedia.org/wiki/Foo_(bar)
            closed[last] -= 1
        elif last not in _URL_TRAILING:
            break
        end -= 1
    url = url[:end]
    return url if _is_linkable(url) else None


@functools.lru_cache(maxsize=1024)
def _is_linkable(url: str) -> bool:
    # nh3 drops an href whose URL it cannot parse (a bad port, "https://1.2.3.999", a host
    # that fails IDNA), which would leave an <a> that goes nowhere. Its URL parser is not
    # Python's, so ask nh3 itself: text is a link exactly when the sanitiser keeps it.
    try:
        if not urlsplit(url).hostname:
            return False
    except ValueError:
        return False
    kept = nh3.clean(
        f'<a href="{escape(url)}"></a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
    )
    return "href=" in kept


def _match_mention(text: str, start: int) -> _MentionToken | None:
    if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "@/"):
        return None  # an email address, "@@x" or a path such as /@ann
    match = _MENTION.match(text, start)
    if match is None:
        return None
    end = match.end()
    following = text[end] if end < len(text) else ""
    if following and (_is_word(following) or following in "@-"):
        return None  # too long a username, or "@ann@localhost", or "@ann@host-"
    domain = match.group("domain")
    return _MentionToken(
        match.group(), Mention(match.group("username"), domain.lower() if domain else None)
    )


def _match_hashtag(text: str, start: int) -> _TagToken | None:
    if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "#&/"):
        return None  # "C#", "##x", "&#39;", a path fragment
    end = start + 1
    while end < len(text) and _is_tag_char(text[end]):
        end += 1
    while end > start + 1 and text[end - 1] in _TAG_JOINERS:
        end -= 1
    body = text[start + 1 : end]
    if not _is_valid_tag_body(body):
        return None
    return _TagToken("#" + body, Hashtag(normalize_hashtag(body), body))


def _tokens(text: str) -> Iterator[_Token]:
    """Split `text` into plain strings, links, mentions and hashtags, in order."""
    position = 0
    plain_from = 0
    while True:
        candidate = _CANDIDATE.search(text, position)
        if candidate is None:
            break
        start = candidate.start()
        token: _Url | _MentionToken | _TagToken | None
        if text[start] == "@":
            token = _match_mention(text, start)
        elif text[start] == "#":
            token = _match_hashtag(text, start)
        else:
            url = _match_url(text, start)
            token = _Url(url) if url is not None else None
        if token is None:
            position = start + 1
            continue
        if plain_from < start:
            yield text[plain_from:start]
        yield token
        position = plain_from = start + len(token.text)
    if plain_from < len(text):
        yield text[plain_from:]


def _prepare(text: str) -> str:
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def parse(text: str) -> Parsed:
    """Return the mentions, hashtags and links in `text`, each once, in first-seen order."""
    mentions: dict[tuple[str, str | None], Mention] = {}
    hashtags: dict[str, Hashtag] = {}
    links: dict[str, None] = {}
    for token in _tokens(_prepare(text)):
        if isinstance(token, _MentionToken):
            m = token.mention
            mentions.setdefault((m.username.lower(), m.domain), m)
        elif isinstance(token, _TagToken):
            hashtags.setdefault(token.hashtag.name, token.hashtag)
        elif isinstance(token, _Url):
            links.setdefault(token.text, None)
    return Parsed(tuple(mentions.values()), tuple(hashtags.values()), tuple(links))


def count_characters(text: str, url_weight: int = 23) -> int:
    """Count `text` the way the post limit does (Mastodon's rule).

    Code points after NFC; every link counts `url_weight` whatever its length; a remote
    mention counts only its "@user" part. The text is first cleaned up the way `render`
    does it, so a browser's CR LF counts as one character and control characters as none.
    """
    text = _prepare(text)
    total = len(text)
    for token in _tokens(text):
        if isinstance(token, _Url):
            total += url_weight - len(token.text)
        elif isinstance(token, _MentionToken) and token.mention.domain is not None:
            total -= len(token.text) - 1 - len(token.mention.username)
    return total


def _render_url(url: str) -> str:
    display = _URL_SCHEME.sub("", url)
    if len(display) > URL_DISPLAY_LENGTH:
        display = display[:URL_DISPLAY_LENGTH] + "…"
    return f'<a href="{escape(url)}" rel="{LINK_REL}" target="_blank">{escape(display)}</a>'


def _render_paragraph(
    paragraph: str,
    mention_url: Callable[[Mention], str | None],
    tag_url: Callable[[str], str],
) -> str:
    parts = []
    for token in _tokens(paragraph):
        if isinstance(token, _Url):
            parts.append(_render_url(token.text))
        elif isinstance(token, _MentionToken):
            href = mention_url(token.mention)
            if href:
                parts.append(
                    f'<a href="{escape(href)}" class="mention">'
                    f"@<span>{escape(token.text[1:])}</span></a>"
                )
            else:
                parts.append(escape(token.text))
        elif isinstance(token, _TagToken):
            href = tag_url(token.hashtag.name)
            parts.append(
                f'<a href="{escape(href)}" class="hashtag" rel="tag">'
                f"#<span>{escape(token.hashtag.display)}</span></a>"
            )
        else:
            parts.append(escape(token).replace("\n", "<br>"))
    return "<p>" + "".join(parts) + "</p>"


def render(
    text: str,
    *,
    mention_url: Callable[[Mention], str | None],
    tag_url: Callable[[str], str],
) -> str:
    """Return `text` as safe HTML: paragraphs, line breaks, links, mentions and hashtags.

    `mention_url` gives the profile URL of a mentioned account, or None when Confab does not
    know it (the mention then stays plain text); `tag_url` gives a hashtag page's URL from
    the normalised name. Both are called at most once per distinct mention or tag.
    """
    text = _prepare(text)
    if not text.strip():
        return ""
    mention_urls: dict[Mention, str | None] = {}
    tag_urls: dict[str, str] = {}

    def cached_mention_url(mention: Mention) -> str | None:
        key = Mention(mention.username.lower(), mention.domain)
        if key not in mention_urls:
            mention_urls[key] = mention_url(mention)
        return mention_urls[key]

    def cached_tag_url(name: str) -> str:
        if name not in tag_urls:
            tag_urls[name] = tag_url(name)
        return tag_urls[name]

    paragraphs = (p.strip("\n") for p in _PARAGRAPH_BREAK.split(text))
    html = "".join(
        _render_paragraph(p, cached_mention_url, cached_tag_url) for p in paragraphs if p.strip()
    )
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
    )
