"""Reading the search box: operators, tokens, limits; never an error, whatever is typed."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from confab.connections.search.engines import PostgreSQLIndex, SQLiteIndex
from confab.connections.search.parse import (
    MAX_PHRASES,
    MAX_TOKEN_LENGTH,
    is_prefix,
    parse,
    tokenize,
)


def test_operators():
    query = parse('from:@Ann #EduMatch since:2025-01-02 until:2025-02-03 "maker space" tips')
    assert query.authors == ("ann",)
    assert query.tags == ("edumatch",)
    assert query.since == date(2025, 1, 2)
    assert query.until == date(2025, 2, 3)
    assert query.phrases == (("maker", "space"), ("tips",))


def test_what_is_not_an_operator_is_words():
    query = parse("from:not-a-name since:someday # #- col:x")
    assert query.authors == ()
    assert query.since is None
    assert query.phrases == (("from", "not", "a", "name"), ("since", "someday"), ("col", "x"))


def test_tokens_follow_the_index():
    assert tokenize("snake_case e-mail 3.5 ann@example.org") == [
        "snake",
        "case",
        "e",
        "mail",
        "3",
        "5",
        "ann",
        "example",
        "org",
    ]
    assert tokenize("東京タワー, مرحبا!") == ["東京タワー", "مرحبا"]


def test_prefixes():
    assert is_prefix("tea") and not is_prefix("te")
    assert is_prefix("東京")


def test_limits():
    query = parse("word " * 5000 + " ".join(f"w{n}" for n in range(100)))
    assert len(query.phrases) <= MAX_PHRASES
    assert all(len(t) <= MAX_TOKEN_LENGTH for p in query.phrases for t in p)
    assert parse("x" * 10_000).phrases == (("x" * MAX_TOKEN_LENGTH,),)


def test_engine_syntax_quotes_every_token():
    phrases = parse('say "hi there" don\'t').phrases
    assert SQLiteIndex.expression(phrases, (7,)) == (
        '{text spoiler_text} : "say"* AND {text spoiler_text} : "hi there"*'
        ' AND {text spoiler_text} : "don t" AND account_id : ("7")'
    )
    assert PostgreSQLIndex.expression(phrases) == (
        "('say':*) & ('hi' <-> 'there':*) & ('don' <-> 't')"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_into_quoted_tokens(raw):
    query = parse(raw)
    for phrase in query.phrases:
        for token in phrase:
            assert token and '"' not in token and "'" not in token and " " not in token
    SQLiteIndex.expression(query.phrases)
    PostgreSQLIndex.expression(query.phrases)
