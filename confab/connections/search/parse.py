"""Turn what someone typed into a search box into a structured query.

Nothing typed is ever handed to a search engine as syntax: the text is cut into tokens
here, with the same rule FTS5's unicode61 tokenizer uses (a token is a run of letters,
digits and symbols; punctuation, spaces, marks and control characters separate tokens),
and each engine quotes those tokens itself. Operators people know from other services are
read first:

- `from:ann` (or `from:@ann`): posts by that person (several: any of them);
- `#tag`: posts with that hashtag (several: all of them);
- `since:2025-01-31`, `until:2025-02-28`: posts written on or after / on or before a day;
- `"exact words"`: the words next to each other, in that order.

Everything else is words that must all appear. When whole words find nothing, the last
word of each group also matches longer words it begins ("teach" finds "teachers"; see
`queries._ranked_matches`). Input of any size is cut to a few
thousand characters and a few dozen tokens, so a 10,000-character query costs no more
than a short one.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from confab.accounts.models import USERNAME_PATTERN
from confab.core.text import is_valid_hashtag, normalize_hashtag

MAX_INPUT = 2000  # characters of the query that are read at all
MAX_PHRASES = 12
MAX_TOKENS_PER_PHRASE = 8
MAX_TOKEN_LENGTH = 64
MAX_AUTHORS = 5
MAX_TAGS = 4
PREFIX_MIN_LENGTH = 3  # shorter words match only themselves (cheap on both engines)

_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search. `phrases` are groups of tokens that must appear in this order."""

    phrases: tuple[tuple[str, ...], ...] = ()
    authors: tuple[str, ...] = ()  # usernames, as typed (matched ignoring case)
    tags: tuple[str, ...] = ()  # normalised hashtag names
    since: date | None = None
    until: date | None = None
    raw: str = field(default="", compare=False)

    @property
    def words(self) -> list[str]:
        """Every token of the text part, in order (for people, hashtag and chat search)."""
        return [token for phrase in self.phrases for token in phrase]

    @property
    def has_filters(self) -> bool:
        return bool(self.authors or self.tags or self.since or self.until)

    @property
    def is_empty(self) -> bool:
        return not self.phrases and not self.has_filters


def _is_token_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNS" or category == "Co"


def tokenize(text: str) -> list[str]:
    """Cut text into tokens the way the search index does (each engine folds case)."""
    tokens: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_token_char(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return [token[:MAX_TOKEN_LENGTH] for token in tokens]


def is_prefix(token: str) -> bool:
    """Whether a phrase ending in `token` also matches longer words beginning with it.

    Short Latin words match only themselves (a prefix of one or two letters matches half
    the dictionary); two CJK characters are a word, and scripts without spaces need it.
    """
    return len(token) >= PREFIX_MIN_LENGTH or not token.isascii()


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse(raw: str) -> SearchQuery:
    """Read a query; never raises, whatever the input."""
    text = (raw or "")[:MAX_INPUT]
    phrases: list[tuple[str, ...]] = []
    authors: list[str] = []
    tags: list[str] = []
    since = until = None
    for match in _CHUNK.finditer(text):
        quoted, word = match.group(1), match.group(2)
        if quoted is None:
            lowered = word.lower()
            if lowered.startswith("from:"):
                name = word[5:].lstrip("@")
                if _USERNAME.match(name):
                    if len(authors) < MAX_AUTHORS and name.lower() not in authors:
                        authors.append(name.lower())
                    continue
            elif word.startswith("#") and is_valid_hashtag(word[1:]):
                name = normalize_hashtag(word[1:])
                if len(tags) < MAX_TAGS and name not in tags:
                    tags.append(name)
                continue
            elif lowered.startswith(("since:", "until:")):
                day = _day(word[6:])
                if day is not None:
                    if lowered.startswith("since:"):
                        since = day
                    else:
                        until = day
                    continue
            # A word of several tokens ("foo_bar", "e-mail") is a phrase, as in the index.
            quoted = word
        tokens = tokenize(quoted)[:MAX_TOKENS_PER_PHRASE]
        if tokens and len(phrases) < MAX_PHRASES and tuple(tokens) not in phrases:
            phrases.append(tuple(tokens))
    return SearchQuery(
        phrases=tuple(phrases),
        authors=tuple(authors),
        tags=tuple(tags),
        since=since,
        until=until,
        raw=raw or "",
    )
