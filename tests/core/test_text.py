"""Text → safe HTML: recognition rules, counting, rendering, and properties for any input."""

import unicodedata
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from confab.core.text import (
    Hashtag,
    Mention,
    count_characters,
    is_valid_hashtag,
    normalize_hashtag,
    parse,
    render,
)


def mention_url(m: Mention) -> str:
    return f"/@{m.username}" if m.domain is None else f"https://{m.domain}/@{m.username}"


def tag_url(name: str) -> str:
    return f"/tags/{name}"


def html(text: str) -> str:
    return render(text, mention_url=mention_url, tag_url=tag_url)


class Elements(HTMLParser):
    """Collect every start tag, its attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def elements(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser


ALLOWED = {"p": set(), "br": set(), "a": {"href", "rel", "class", "target"}, "span": {"class"}}


def assert_only_allowed_markup(markup: str) -> None:
    for tag, attrs in elements(markup).tags:
        assert tag in ALLOWED, markup
        assert set(attrs) <= ALLOWED[tag], markup
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "/")), markup


# --- hashtags -------------------------------------------------------------------------


def test_it_normalizes_hashtags():
    # "\uff33\uff34\uff25\uff2d" is "STEM" in full-width letters.
    assert normalize_hashtag("#EduMatch") == "edumatch"
    assert normalize_hashtag("\uff33\uff34\uff25\uff2d") == "stem"
    assert normalize_hashtag("Straße") == "strasse"
    assert normalize_hashtag("cafe\u0301") == normalize_hashtag("café") == "café"


@pytest.mark.parametrize(
    "tag", ["#EduMatch", "edumatch", "#教育", "#café", "#2024goals", "#a_b", "#l·l"]
)
def test_it_accepts_valid_hashtags(tag):
    assert is_valid_hashtag(tag)


@pytest.mark.parametrize(
    "tag", ["#123", "#a-b", "#", "", "#_", "#a b", "#·ab", "#ab·", "#" + "a" * 101]
)
def test_it_rejects_invalid_hashtags(tag):
    assert not is_valid_hashtag(tag)


def test_it_rejects_a_hashtag_whose_normalised_name_breaks_the_rules():
    # NFKC turns U+FDFA into four words with spaces, and "¼" into "1", U+2044, "4".
    assert not is_valid_hashtag("#\ufdfa")
    assert not is_valid_hashtag("#x\u00bc")
    assert not is_valid_hashtag("#" + "\u3300" * 30)  # each one becomes four under NFKC


def test_it_accepts_a_hashtag_of_exactly_100_chars():
    assert is_valid_hashtag("#" + "a" * 100)


def test_it_dedups_hashtags_by_name_keeping_the_first_display():
    parsed = parse("#EduMatch tonight! #edumatch #EDUMATCH")
    assert parsed.hashtags == (Hashtag("edumatch", "EduMatch"),)


def test_it_finds_hashtags_in_other_scripts():
    parsed = parse("#教育 #café #हिन्दी #\uff33\uff34\uff25\uff2d")
    assert parsed.hashtags == (
        Hashtag("教育", "教育"),
        Hashtag("café", "café"),
        Hashtag("हिन्दी", "हिन्दी"),
        Hashtag("stem", "\uff33\uff34\uff25\uff2d"),
    )


def test_it_treats_composed_and_decomposed_cafe_as_one_tag():
    parsed = parse("#café #cafe\u0301")
    assert [h.name for h in parsed.hashtags] == ["café"]


def test_it_ignores_things_that_look_like_hashtags():
    assert parse("#123 C# a#b ##x &#39; &#x27; x/#y").hashtags == ()


def test_it_does_not_take_a_too_long_hashtag():
    assert parse("#" + "a" * 101).hashtags == ()


def test_it_stops_a_hashtag_at_punctuation():
    assert parse("(#a-b, #c.)").hashtags == (Hashtag("a", "a"), Hashtag("c", "c"))


def test_it_does_not_end_a_hashtag_with_a_middle_dot():
    assert parse("#l·l· ok").hashtags == (Hashtag("l·l", "l·l"),)


def test_it_does_not_take_a_url_fragment_as_a_hashtag():
    parsed = parse("https://x.org/#top and https://x.org/page#tag")
    assert parsed.hashtags == ()
    assert parsed.links == ("https://x.org/#top", "https://x.org/page#tag")


# --- mentions --------------------------------------------------------------------------


def test_it_finds_local_and_remote_mentions():
    parsed = parse("hi @ann and @Bob@Example.ORG!")
    assert parsed.mentions == (Mention("ann", None), Mention("Bob", "example.org"))


def test_it_dedups_mentions_ignoring_username_case():
    parsed = parse("@Ann @ann @ANN@x.org @ann@X.org")
    assert parsed.mentions == (Mention("Ann", None), Mention("ANN", "x.org"))


def test_it_does_not_take_an_email_address_as_a_mention():
    assert parse("mail ann@example.org").mentions == ()


@pytest.mark.parametrize(
    "text", ["@@ann", "x/@ann", "@" + "a" * 31, "@ann@localhost", "@annë", "@ann@x.org-"]
)
def test_it_ignores_things_that_look_like_mentions(text):
    assert parse(text).mentions == ()


def test_it_leaves_a_trailing_dot_out_of_a_mention_domain():
    assert parse("thanks @ann@example.org.").mentions == (Mention("ann", "example.org"),)


def test_it_does_not_find_mentions_inside_urls():
    assert parse("https://example.org/@ann").mentions == ()


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("see https://x.org.", "https://x.org"),
        ("see https://x.org/a?b=1, ok", "https://x.org/a?b=1"),
        ('"https://x.org/a"', "https://x.org/a"),
        ("(https://x.org/a)", "https://x.org/a"),
        ("(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("[https://x.org/a]!?", "https://x.org/a"),
        ("<https://x.org/a>", "https://x.org/a"),
        ("http://x.org:8080/p", "http://x.org:8080/p"),
    ],
)
def test_it_trims_trailing_punctuation_from_links(text, link):
    assert parse(text).links == (link,)


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "www.example.org",
        "ftp://x.org",
        "https://",
        "https://...",
        "xhttps://x.org",
        "https://1.2.3.999",
        "https://[::1",
    ],
)
def test_it_links_only_http_urls_with_a_host(text):
    assert parse(text).links == ()


def test_it_dedups_links():
    assert parse("https://x.org https://y.org https://x.org").links == (
        "https://x.org",
        "https://y.org",
    )


# --- counting --------------------------------------------------------------------------


def test_it_counts_code_points_after_nfc():
    assert count_characters("cafe\u0301") == 4
    assert count_characters("😀 教育") == 4


def test_it_counts_every_link_as_23():
    url = "https://example.org/" + "a" * 100
    assert count_characters(f"read {url} now") == len("read  now") + 23
    assert count_characters("https://x.org") == 23
    assert count_characters("https://x.org", url_weight=5) == 5


def test_it_counts_only_the_user_part_of_a_remote_mention():
    assert count_characters("hi @ann@example.org") == len("hi @ann")
    assert count_characters("hi @ann") == len("hi @ann")


def test_it_counts_a_windows_line_break_as_one():
    assert count_characters("a\r\nb") == 3


def test_it_counts_an_email_address_in_full():
    assert count_characters("ann@example.org") == len("ann@example.org")


# --- rendering -------------------------------------------------------------------------


def test_it_renders_a_hashtag_mention_and_link():
    assert html("Hi @ann, join #EduMatch: https://x.org/chat") == (
        '<p>Hi <a href="/@ann" class="mention">@<span>ann</span></a>, join '
        '<a href="/tags/edumatch" class="hashtag" rel="tag">#<span>EduMatch</span></a>: '
        '<a href="https://x.org/chat" rel="nofollow noopener noreferrer" target="_blank">'
        "x.org/chat</a></p>"
    )


def test_it_keeps_a_remote_mention_as_written():
    assert html("@Ann@Example.org") == (
        '<p><a href="https://example.org/@Ann" class="mention">@<span>Ann@Example.org</span></a></p>'
    )


def test_it_leaves_an_unknown_mention_as_text():
    assert render("hi @nobody", mention_url=lambda m: None, tag_url=tag_url) == "<p>hi @nobody</p>"


def test_it_asks_for_each_mention_and_tag_url_once():
    asked: list[object] = []

    def mentions(m):
        asked.append(m)
        return "/@x"

    def tags(name):
        asked.append(name)
        return "/t"

    render("@ann @Ann @ann #a #A #a", mention_url=mentions, tag_url=tags)
    assert asked == [Mention("ann", None), "a"]


def test_it_shortens_long_link_text_but_keeps_the_href():
    url = "https://example.org/a/very/long/path/that/goes/on"
    assert html(url) == (
        f'<p><a href="{url}" rel="nofollow noopener noreferrer" target="_blank">'
        "example.org/a/very/long/path/t…</a></p>"
    )


def test_it_escapes_an_ampersand_in_a_link():
    assert 'href="https://x.org/?a=1&amp;b=2"' in html("https://x.org/?a=1&b=2")


def test_it_makes_paragraphs_and_line_breaks():
    assert html("one\ntwo\n\n\nthree\r\nfour\n") == "<p>one<br>two</p><p>three<br>four</p>"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\x00\x01"])
def test_it_renders_empty_text_as_nothing(text):
    assert html(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        'https://x.org/"><script>alert(1)</script>',
        "https://x.org/'onmouseover='alert(1)",
        "#tag<script>",
        "@ann<img/onerror=alert(1)>",
        "<a href=javascript:alert(1)>x</a>",
        "&lt;script&gt; &#x3C;script",
    ],
)
def test_it_neutralises_markup_in_text(text):
    out = html(text)
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert_only_allowed_markup(out)
    for _tag, attrs in elements(out).tags:
        assert not any(name.startswith("on") for name in attrs)


def test_it_escapes_markup_rather_than_removing_it():
    assert html("<b>bold</b> & 'quoted'") == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; 'quoted'</p>"


def test_it_drops_a_javascript_url_from_a_callback():
    out = render("@ann", mention_url=lambda m: "javascript:alert(1)", tag_url=tag_url)
    assert "javascript" not in out
    assert_only_allowed_markup(out)


def test_it_survives_control_characters_and_lone_surrogates():
    out = html("a\x00b\x1b[31mc\x7f\u0085d \ud800 e")
    assert out == "<p>ab[31mcd \ufffd e</p>"


def test_it_keeps_rtl_text_and_emoji():
    text = "שלום #עברית 👩🏽‍💻 مرحبا"
    out = html(text)
    assert "שלום" in out and "👩🏽‍💻" in out and "مرحبا" in out
    assert parse(text).hashtags == (Hashtag("עברית", "עברית"),)


def test_it_does_not_let_a_bidi_override_into_a_link():
    assert parse("https://evil.org/\u202egro.elgoog").links == ("https://evil.org/",)


def test_it_handles_a_huge_text():
    text = ("word #tag @ann https://x.org/p <b> " * 5000) + "#" * 50_000 + ")" * 50_000
    out = html(text)
    assert out.startswith("<p>word ")
    assert count_characters(text) > 0


# --- properties ------------------------------------------------------------------------

# Characters a post might contain, weighted towards the ones the scanner cares about.
interesting = st.sampled_from(
    [*"@#:/.()[]<>&;'\"-_·\n ", "\u200c", "https://", "http://", "x.org", "&#39;", "<script>"]
)
scripts = st.sampled_from("aZ9é教ह\u0301\u202e")


def texts(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(interesting, scripts, characters), max_size=80).map("".join)


# Control characters are dropped before scanning, so the invariants use text without them;
# the safety property gets them too.
post_text = texts(st.characters(blacklist_categories=("Cs", "Cc")))
hostile_text = st.one_of(st.text(), texts(st.characters(blacklist_categories=("Cs",))))


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_render_emits_only_allowed_markup_for_any_text(text):
    assert_only_allowed_markup(html(text))


@settings(max_examples=200, deadline=None)
@given(post_text)
def test_render_keeps_every_visible_character(text):
    # With no links (which render shortened), the visible text is the input, up to
    # whitespace.
    assume("://" not in text)
    visible = "".join(elements(html(text)).text)
    expected = unicodedata.normalize("NFC", text)
    assert "".join(visible.split()) == "".join(expected.split())


@settings(max_examples=200, deadline=None)
@given(post_text)
def test_count_never_exceeds_length_without_links(text):
    assume("://" not in text)
    n = len(unicodedata.normalize("NFC", text))
    assert count_characters(text) <= n
    if "@" not in text:
        assert count_characters(text) == n


@settings(max_examples=200, deadline=None)
@given(post_text)
def test_every_parsed_tag_is_valid_and_stable(text):
    for tag in parse(text).hashtags:
        assert is_valid_hashtag(tag.display)
        assert is_valid_hashtag(tag.name)
        assert normalize_hashtag(tag.name) == tag.name
        assert f"#{tag.display}" in unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_hashtag_is_idempotent(text):
    once = normalize_hashtag(text)
    assert normalize_hashtag(once) == once


@settings(max_examples=200, deadline=None)
@given(post_text)
def test_every_parsed_link_is_rendered_as_a_link(text):
    hrefs = {attrs.get("href") for tag, attrs in elements(html(text)).tags if tag == "a"}
    for link in parse(text).links:
        assert link in hrefs
    assert None not in hrefs


hosts = st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}", fullmatch=True)
paths = st.from_regex(r"(/[A-Za-z0-9_~%=&?#.-]*)*/[A-Za-z0-9]", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "HTTPS://"]),
    hosts,
    paths,
    st.sampled_from(["", ".", ")", "!?", "'", '"']),
)
def test_a_generated_url_is_one_link_counted_once(scheme, host, path, trailing):
    url = scheme + host + path
    parsed = parse(f"see {url}{trailing} ok")
    assert parsed.links == (url,)
    assert parsed.hashtags == parsed.mentions == ()
    assert count_characters(f"{url}{trailing}") == 23 + len(trailing)
