"""Search, with the permission rules built in: what someone may not see is never found.

Posts come from the engine for the database in use (`engines.post_index`) and then pass
through the same visibility, block and mute rules as a feed (`posts.visibility.feed_posts`).
Relevance ranks the newest `CANDIDATES` visible matches: a word used in half a million
posts still answers in a few milliseconds, and what someone searching a timeline wants is
nearly always recent (docs/decisions/008-search.md). People, hashtags and chats are small
tables, searched with portable lookups and ranked by where the words matched.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from confab.accounts.models import Account
from confab.accounts.queries import visible_accounts
from confab.chats.models import Chat
from confab.chats.queries import chats_with_people, viewer_zone
from confab.connections.search.engines import Match, post_index
from confab.connections.search.parse import SearchQuery, is_prefix, tokenize
from confab.core.ids import id_for_time
from confab.core.text import normalize_hashtag
from confab.posts.models import Hashtag, Post, PostHashtag, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import feed_posts, following_ids

CANDIDATES = 500  # visible matches ranked by relevance; also the deepest offset served
BATCH = 500  # matches read from the engine at a time
MAX_BATCHES = 4  # stop looking after this many, even if few were visible
ENOUGH = CANDIDATES // 2  # visible matches after which no further batch is read
MAX_OFFSET = CANDIDATES
MAX_WORDS = 6  # words used for people, hashtag and chat search
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


@dataclass
class Results:
    """One page of results, with the offsets of its neighbours (None: there is none)."""

    items: list = field(default_factory=list)
    offset: int = 0
    next_offset: int | None = None
    prev_offset: int | None = None


def _page(items: list, offset: int, size: int) -> Results:
    """Cut a page from `items`, which holds the page's rows plus one more if there are."""
    more = len(items) > size and offset + size < MAX_OFFSET
    return Results(
        items=items[:size],
        offset=offset,
        next_offset=offset + size if more else None,
        prev_offset=max(0, offset - size) if offset > 0 else None,
    )


def clamp_offset(value: int) -> int:
    return min(max(0, value), MAX_OFFSET)


# Posts ------------------------------------------------------------------------------


def _bounded_id(moment: datetime, shift: timedelta) -> int | None:
    """The id of `moment + shift` (None past the calendar's ends: then there is no bound)."""
    try:
        return min(max(id_for_time(moment + shift), _ID_MIN), _ID_MAX)
    except OverflowError:
        return None


def _day_start(day, zone) -> datetime | None:
    try:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _day_after(day, zone) -> datetime | None:
    try:
        return _day_start(day + timedelta(days=1), zone)
    except OverflowError:
        return None


@dataclass
class _PostSearch:
    """The parts of a post search: SQL filters, and what the engine can narrow by itself."""

    posts: QuerySet[Post]
    account_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    min_id: int | None = None
    below_id: int | None = None
    nothing: bool = False  # a filter names something that does not exist

    @cached_property
    def allowed(self) -> tuple[str, tuple]:
        """SQL saying whether the post `m.post_id` passes every filter (compiled once)."""
        allowed = self.posts.filter(pk=RawSQL("m.post_id", ())).values("pk")
        return allowed.query.sql_with_params()


def searchable_posts(viewer: Account | None) -> QuerySet[Post]:
    """Posts search may list for `viewer`: what a feed shows them, boosts aside.

    Unlisted posts stay out of public listings (as on the local and hashtag timelines):
    search finds them only for their author and the author's followers.
    """
    posts = feed_posts(viewer).filter(boost_of__isnull=True)
    if viewer is None:
        return posts.exclude(visibility=Visibility.UNLISTED)
    return posts.filter(
        ~Q(visibility=Visibility.UNLISTED)
        | Q(account=viewer)
        | Q(account_id__in=following_ids(viewer))
    )


def _post_search(viewer: Account | None, query: SearchQuery) -> _PostSearch:
    search = _PostSearch(posts=searchable_posts(viewer))
    if query.authors:
        names = Q()
        for name in query.authors:
            names |= Q(username__iexact=name)
        ids = tuple(visible_accounts(viewer).filter(names).values_list("pk", flat=True))
        if not ids:
            search.nothing = True
        search.account_ids = ids
        search.posts = search.posts.filter(account_id__in=ids)
    if query.tags:
        tags = dict(Hashtag.objects.filter(name__in=query.tags).values_list("name", "pk"))
        if len(tags) < len(query.tags):
            search.nothing = True
        # A join per hashtag, as the hashtag timeline does (its index is tuned for this).
        search.tag_ids = tuple(tags.values())
        for tag_id in search.tag_ids:
            search.posts = search.posts.filter(posthashtag__hashtag_id=tag_id)
    zone = viewer_zone(viewer)
    # Dates are days in the viewer's zone. Ids are time-ordered, so the engine narrows by
    # id (with a day's margin for back-dated posts) and `created_at` decides exactly.
    if query.since is not None:
        start = _day_start(query.since, zone)
        if start is None:
            search.nothing = True
        else:
            search.posts = search.posts.filter(created_at__gte=start)
            search.min_id = _bounded_id(start, -timedelta(days=1))
    if query.until is not None:
        end = _day_after(query.until, zone)
        if end is not None:
            search.posts = search.posts.filter(created_at__lt=end)
            search.below_id = _bounded_id(end, timedelta(days=1))
    return search


Source = Callable[[int | None], tuple[str, list]]


def _visible_matches(search: _PostSearch, source: Source) -> list[Match]:
    """Return the visible matches among the newest, newest first (at most CANDIDATES).

    `source(below_id)` gives SQL selecting (post_id, score) newest first, BATCH at most.
    Batches are read until ENOUGH are visible, the source has no more, or MAX_BATCHES
    were read (a search whose matches are nearly all hidden stops there).
    """
    # Each batch is one statement: the source's rows, each with whether the viewer may
    # see it, decided by the feed rules compiled once (correlated on the row's id).
    allowed_sql, allowed_params = search.allowed
    found: list[Match] = []
    below = search.below_id
    for _ in range(MAX_BATCHES):
        match_sql, match_params = source(below)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.post_id, m.score, EXISTS ({allowed_sql}) FROM ({match_sql}) AS m",  # noqa: S608
                [*allowed_params, *match_params],
            )
            rows = cursor.fetchall()
        found.extend(Match(post_id, float(score)) for post_id, score, ok in rows if ok)
        if len(rows) < BATCH or len(found) >= ENOUGH:
            break
        below = min(post_id for post_id, _, _ in rows)
    return found[:CANDIDATES]


def _text_source(
    search: _PostSearch, phrases: tuple[tuple[str, ...], ...], *, prefix: bool
) -> Source:
    index = post_index()
    return lambda below: index.statement(
        phrases,
        account_ids=search.account_ids,
        min_id=search.min_id,
        below_id=below,
        limit=BATCH,
        prefix=prefix,
    )


def _hashtag_source(search: _PostSearch, hashtag_id: int) -> Source:
    """A hashtag's posts newest first, straight from the (hashtag, post) index."""

    def source(below: int | None) -> tuple[str, list]:
        sql = ["SELECT post_id, 0 AS score FROM posts_posthashtag WHERE hashtag_id = %s"]
        params: list = [hashtag_id]
        if search.min_id is not None:
            sql.append("AND post_id >= %s")
            params.append(search.min_id)
        if below is not None:
            sql.append("AND post_id < %s")
            params.append(below)
        sql.append("ORDER BY post_id DESC LIMIT %s")
        params.append(BATCH)
        return " ".join(sql), params

    return source


def _ranked_matches(search: _PostSearch, query: SearchQuery) -> list[Match]:
    """Return up to CANDIDATES visible matches, most relevant first (then newest).

    Whole words first. Only when they find nothing does the search run again with the
    last word of each group as a prefix ("teach" finds "teachers"). A prefix the index
    has no entry for (longer than 5 characters) merges every word it begins, so doing it
    only when whole words found nothing keeps a common word as cheap as a rare one.
    """
    phrases = query.phrases
    # A hashtag's words are in the text of a post that carries it: let the engine narrow
    # by them (only for ASCII names, where its case folding and ours agree).
    for tag in query.tags:
        if tag.isascii():
            phrases += (tuple(tokenize(tag)),)
    ranked = _visible_matches(search, _text_source(search, phrases, prefix=False))
    if not ranked and any(is_prefix(tokens[-1]) for tokens in query.phrases):
        ranked = _visible_matches(search, _text_source(search, phrases, prefix=True))
    ranked.sort(key=lambda m: (-m.score, -m.post_id))
    return ranked


def search_posts(
    viewer: Account | None, query: SearchQuery, *, offset: int = 0, size: int | None = None
) -> Results:
    """Posts the viewer may see that match: by relevance with words, else newest first."""
    size = size or settings.PAGE_SIZE
    offset = clamp_offset(offset)
    if query.is_empty:
        return Results(offset=offset)
    search = _post_search(viewer, query)
    if search.nothing:
        return Results(offset=offset)
    if query.phrases:
        ranked = _ranked_matches(search, query)
        ids = [m.post_id for m in ranked[offset : offset + size + 1]]
    elif search.tag_ids and not search.account_ids:
        # Newest first from the hashtag's own index (the rarest would be better; any works).
        newest = _visible_matches(search, _hashtag_source(search, search.tag_ids[0]))
        ids = [m.post_id for m in newest[offset : offset + size + 1]]
    else:
        # By author (their (account, id) index) or by dates alone (an id range).
        posts = search.posts
        if search.min_id is not None:
            posts = posts.filter(pk__gte=search.min_id)
        if search.below_id is not None:
            posts = posts.filter(pk__lt=search.below_id)
        ids = list(posts.order_by("-id").values_list("pk", flat=True)[offset : offset + size + 1])
    found = {p.pk: p for p in decorate(Post.objects.filter(pk__in=ids[:size]), viewer)}
    page = _page([found[i] for i in ids[:size] if i in found], offset, size)
    if len(ids) <= size or offset + size >= MAX_OFFSET:
        page.next_offset = None
    else:
        page.next_offset = offset + size
    return page


# People, hashtags, chats ------------------------------------------------------------


def _words(query: SearchQuery) -> list[str]:
    """The words a people, hashtag or chat search looks for (`from:ann` counts as "ann")."""
    words = [*query.words, *query.authors, *query.tags]
    return list(dict.fromkeys(w for w in words if w))[:MAX_WORDS]


def _points(condition, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def search_people(
    viewer: Account | None, query: SearchQuery, *, offset: int = 0, size: int | None = None
) -> Results:
    """People whose username, name, bio, interests or city hold every word.

    A username that is the word ranks first, then one that begins with it, then a name,
    interests, city and bio; ties go to the more followed person.
    """
    size = size or settings.PAGE_SIZE
    offset = clamp_offset(offset)
    words = _words(query)
    if not words:
        return Results(offset=offset)
    people = visible_accounts(viewer)
    score: Expression = Value(0, output_field=IntegerField())
    for word in words:
        interest = Exists(
            Account.interests.through.objects.filter(
                account_id=OuterRef("pk"), hashtag__name__startswith=normalize_hashtag(word)
            )
        )
        people = people.filter(
            Q(username__istartswith=word)
            | Q(display_name__icontains=word)
            | Q(note__icontains=word)
            | Q(city_label__icontains=word)
            | Q(interest)
        )
        score = (
            score
            + Case(
                When(username__iexact=word, then=Value(100)),
                When(username__istartswith=word, then=Value(40)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + Case(
                When(display_name__istartswith=word, then=Value(30)),
                When(display_name__icontains=word, then=Value(20)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + _points(Q(interest), 15)
            + _points(Q(city_label__icontains=word), 10)
            + _points(Q(note__icontains=word), 5)
        )
    rows = list(
        people.select_related("user")
        .annotate(score=score)
        .order_by("-score", "-followers_count", "id")[offset : offset + size + 1]
    )
    return _page(rows, offset, size)


def search_hashtags(
    viewer: Account | None, query: SearchQuery, *, offset: int = 0, size: int | None = None
) -> Results:
    """Hashtags in public use (on a public post, a chat or someone's interests).

    A hashtag that is the words run together ranks first ("edu chat" finds #EduChat first),
    then one that begins with them or a word, then one that contains them; shorter first.
    """
    size = size or settings.PAGE_SIZE
    offset = clamp_offset(offset)
    words = query.words[:MAX_WORDS]
    terms = [*query.tags, normalize_hashtag("".join(words)), *map(normalize_hashtag, words)]
    terms = [t for t in dict.fromkeys(terms) if t]
    if not terms:
        return Results(offset=offset)
    matching = Q()
    for term in terms:
        matching |= Q(name__contains=term)
    public_post = Exists(
        PostHashtag.objects.filter(hashtag_id=OuterRef("pk"), post__visibility=Visibility.PUBLIC)
    )
    chat = Exists(Chat.objects.filter(hashtag_id=OuterRef("pk")))
    interest = Exists(Account.interests.through.objects.filter(hashtag_id=OuterRef("pk")))
    score: Expression = Value(0, output_field=IntegerField())
    for term in terms:
        score = score + Case(
            When(name=term, then=Value(100)),
            When(name__startswith=term, then=Value(50)),
            When(name__contains=term, then=Value(10)),
            default=Value(0),
            output_field=IntegerField(),
        )
    rows = list(
        Hashtag.objects.filter(matching)
        .filter(public_post | chat | interest)
        .annotate(score=score, has_chat=chat, length=Length("name"))
        .order_by("-score", "length", "name")[offset : offset + size + 1]
    )
    return _page(rows, offset, size)


def search_chats(
    viewer: Account | None, query: SearchQuery, *, offset: int = 0, size: int | None = None
) -> Results:
    """Chats whose hashtag, title, interests or description hold every word."""
    size = size or settings.PAGE_SIZE
    offset = clamp_offset(offset)
    words = _words(query)
    if not words:
        return Results(offset=offset)
    chats = chats_with_people()
    score: Expression = Value(0, output_field=IntegerField())
    for word in words:
        tag = normalize_hashtag(word)
        interest = Exists(
            Chat.interests.through.objects.filter(
                chat_id=OuterRef("pk"), hashtag__name__startswith=tag
            )
        )
        chats = chats.filter(
            Q(hashtag__name__contains=tag)
            | Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(interest)
        )
        score = (
            score
            + Case(
                When(hashtag__name=tag, then=Value(100)),
                When(hashtag__name__startswith=tag, then=Value(50)),
                When(hashtag__name__contains=tag, then=Value(20)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + _points(Q(title__icontains=word), 30)
            + _points(Q(interest), 15)
            + _points(Q(description__icontains=word), 5)
        )
    rows = list(
        chats.annotate(score=score).order_by("-score", "title", "id")[offset : offset + size + 1]
    )
    return _page(rows, offset, size)


SEARCHES = {
    "posts": search_posts,
    "people": search_people,
    "hashtags": search_hashtags,
    "chats": search_chats,
}
