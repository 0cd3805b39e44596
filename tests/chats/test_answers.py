"""Answer labels: the spellings people use, what only looks like one, and which question a
post answers. Properties for any number, spelling and text after the label."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confab.chats.answers import (
    MAX_ANSWER_NUMBER,
    AnswerLabel,
    assign_question,
    parse_answer_label,
    strip_mentions_prefix,
)


@pytest.mark.parametrize(
    "text",
    [
        "A1 yes",
        "A1: yes",
        "a1) yes",
        "A1. yes",
        "A 1 - yes",
        "A1 - yes",
        "A1 -yes",
        "A1- yes",
        "A1– yes",
        "A1 — yes",
        "A1/ yes",
        "A1/yes",
        "[A1] yes",
        "[A1]: yes",
        "(A1) yes",
        "(a1)yes",
        "( A1 ) yes",
        "A1, yes",
        "A1:yes",
        "A1 -- yes",
        "A1... yes",
        "A1… yes",
        "Ａ１ yes",
        "Ａ１：yes",
        "ａ１） yes",
        "【A1】yes",
        "A01 yes",
        "A001: yes",
        "  A1: yes  ",
        "A1\nyes",
        "A1:\n\nyes",
    ],
)
def test_it_recognises_the_usual_spellings(text):
    assert parse_answer_label(text) == AnswerLabel(number=1, rest="yes")


@pytest.mark.parametrize(
    ("text", "number", "rest"),
    [
        ("A1", 1, ""),
        ("A1:", 1, ""),
        ("A 1.", 1, ""),
        ("A 1 -", 1, ""),
        ("A9 nine", 9, "nine"),
        ("A12: twelve", 12, "twelve"),
        ("A99 the last one", 99, "the last one"),
        ("A1: 30 minutes a day #EdChat", 1, "30 minutes a day #EdChat"),
        ("A1 5 ideas", 1, "5 ideas"),
        ("A1 (see the thread)", 1, "(see the thread)"),
        ("A2: A1 was easier", 2, "A1 was easier"),
        ("A3: yes\n\nand also no", 3, "yes\n\nand also no"),
    ],
)
def test_it_reads_the_number_and_keeps_the_rest(text, number, rest):
    assert parse_answer_label(text) == AnswerLabel(number=number, rest=rest)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Awesome chat tonight",
        "A",
        "A:",
        "A0",
        "A00: nothing",
        "A100",
        "A100: too far",
        "A1C levels are up",  # a letter glued to the number: a word, not a label
        "A10x faster",
        "A1st place",
        "A1's point",
        "A1! great",
        "AI is great",  # the letter I, not the digit 1
        "Al said so",
        "A 2 hour chat is too long",  # the article "a"
        "a 1-hour meeting",
        "a 1:1 meeting",
        "A 1 yes",
        "A1.5 is the version",
        "A1,000 people",
        "A1:30 tomorrow",
        "Q1 What do you read?",
        "B1 yes",
        "(A1 yes",
        "[A1) yes",
        "(A1",
        "The A1: no",
        "#EdChat A1: yes",
        "@ann's A1 was great",
        "A١ Arabic-Indic digit",
        "Ａ１Ｃ",
    ],
)
def test_it_ignores_what_only_looks_like_a_label(text):
    assert parse_answer_label(text) is None


def test_it_skips_leading_mentions_in_a_reply():
    assert parse_answer_label("@ann A2: yes") == AnswerLabel(number=2, rest="yes")
    assert parse_answer_label("@host @ann@example.org A3 - sure") == AnswerLabel(3, "sure")
    assert parse_answer_label("@host: A4 ok") == AnswerLabel(4, "ok")
    assert parse_answer_label("@host\n@ann\nA5 ok") == AnswerLabel(5, "ok")


def test_it_does_not_look_for_a_label_after_other_words():
    assert parse_answer_label("@ann thanks! A2: yes") is None


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("@host @other A1 yes", "A1 yes"),
        ("  @host   A1", "A1"),
        ("@host@remote.example @other_1 hi @ann", "hi @ann"),
        ("@host, @other: hi", "hi"),
        ("@host", ""),
        ("no mentions", "no mentions"),
        ("  leading spaces", "leading spaces"),
        ("@ann's point", "@ann's point"),
        ("@ hello", "@ hello"),
        ("email@example.org hi", "email@example.org hi"),
    ],
)
def test_it_strips_leading_mentions(text, stripped):
    assert strip_mentions_prefix(text) == stripped


def test_it_survives_huge_numbers():
    assert parse_answer_label("A" + "9" * 10_000) is None
    assert parse_answer_label("A" + "0" * 10_000 + "7 ok") == AnswerLabel(7, "ok")


class TestAssignQuestion:
    def assign(self, text, *, reply_to=None, current=3, max_question=5):
        return assign_question(
            text=text,
            reply_to_question=reply_to,
            current_question=current,
            max_question=max_question,
        )

    def test_it_follows_the_label(self):
        assert self.assign("A2: late but here") == 2

    def test_it_gives_a_bare_answer_to_the_current_question(self):
        assert self.assign("I read on the train") == 3

    def test_it_gives_a_bare_answer_nothing_before_the_first_question(self):
        assert self.assign("Hello from Ohio!", current=None) is None

    def test_a_reply_to_the_question_wins_over_the_label(self):
        assert self.assign("A2: oops, meant this for Q1", reply_to=1) == 1
        assert self.assign("no label", reply_to=4) == 4

    def test_it_accepts_a_planned_question_not_posted_yet(self):
        assert self.assign("A5 answering ahead", current=3, max_question=5) == 5

    def test_it_links_a_label_beyond_the_plan_to_nothing(self):
        assert self.assign("A6 what?", max_question=5) is None
        assert self.assign("A1 anything", max_question=0) is None

    def test_it_trusts_the_label_when_there_is_no_plan(self):
        assert self.assign("A42 sure", max_question=None) == 42

    def test_it_reads_the_label_after_mentions(self):
        assert self.assign("@host @ann A4 agreed") == 4


# Properties

SPELLINGS = [
    "{a}{n}",
    "{a}{n}:",
    "{a}{n} :",
    "{a}{n})",
    "{a}{n}.",
    "{a}{n},",
    "{a}{n}/",
    "{a}{n}-",
    "{a}{n} -",
    "{a}{n} --",
    "{a}{n}–",
    "{a}{n} –",
    "{a}{n}—",
    "{a}{n}...",
    "{a} {n} -",
    "{a} {n}:",
    "{a} {n})",
    "[{a}{n}]",
    "[{a}{n}]:",
    "({a}{n})",
    "( {a} {n} )",
    "【{a}{n}】",
]
# What the label's own end might swallow if the rest started with it.
SEPARATOR_LIKE = set(":).-–—/,…。、：）．－，／")


def full_width(text: str) -> str:
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


@st.composite
def labels(draw):
    n = draw(st.integers(1, MAX_ANSWER_NUMBER))
    zeros = "0" * draw(st.integers(0, 2))
    spelling = draw(st.sampled_from(SPELLINGS))
    label = spelling.format(a=draw(st.sampled_from("Aa")), n=zeros + str(n))
    if draw(st.booleans()):
        label = full_width(label)
    return n, label


mentions = st.lists(st.from_regex(r"@[A-Za-z0-9_]{1,15}(@[a-z]{1,8}\.[a-z]{2,4})?", fullmatch=True))
rests = st.text().map(str.strip).filter(lambda s: not s or s[0] not in SEPARATOR_LIKE)


@settings(max_examples=500, deadline=None)
@given(labels(), rests, mentions)
def test_any_label_with_any_text_parses_to_its_number_and_text(label, rest, mentioned):
    n, label_text = label
    text = " ".join([*mentioned, label_text, rest])
    assert parse_answer_label(text) == AnswerLabel(number=n, rest=rest)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z'’-]+", fullmatch=True), st.text())
def test_a_text_that_starts_with_a_word_is_never_an_answer(word, after):
    assert parse_answer_label(word + " " + after) is None
    assert parse_answer_label(word + after) is None


DIGITS = "0123456789０１２３４５６７８９"
glued = st.one_of(
    st.characters(categories=["L", "N"]).filter(lambda c: c not in DIGITS),
    st.sampled_from("_'’%°!?#@&*+=<>"),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["A", "a", "Ａ"]), st.integers(0, 10**6), glued, st.text())
def test_a_number_glued_to_anything_but_a_separator_is_never_an_answer(a, n, glued, after):
    assert parse_answer_label(f"{a}{n}{glued}{after}") is None


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 99), st.from_regex(r"[A-Za-z][A-Za-z ]*", fullmatch=True))
def test_the_article_a_before_a_number_is_never_an_answer(n, words):
    assert parse_answer_label(f"A {n} {words}") is None
    assert parse_answer_label(f"a {n}-{words}") is None


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="Aa0123456789 \n:).-–—/,…[]()【】@_ＡＡ１０：　xI"),
    )
)
def test_it_never_raises_and_returns_a_label_in_range_with_a_stripped_tail(text):
    label = parse_answer_label(text)
    if label is not None:
        assert 1 <= label.number <= MAX_ANSWER_NUMBER
        assert label.rest == label.rest.strip()
        assert text.rstrip().endswith(label.rest)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.from_regex(r"@[A-Za-z0-9_]{1,15}", fullmatch=True))
def test_a_leading_mention_never_changes_the_label(text, mention):
    assert parse_answer_label(f"{mention} {text}") == parse_answer_label(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(),
    st.one_of(st.none(), st.integers(1, 99)),
    st.one_of(st.none(), st.integers(1, 99)),
    st.one_of(st.none(), st.integers(0, 99)),
)
def test_assignment_is_the_reply_the_label_or_the_current_question(
    text, reply_to, current, max_question
):
    question = assign_question(
        text=text,
        reply_to_question=reply_to,
        current_question=current,
        max_question=max_question,
    )
    label = parse_answer_label(text)
    if reply_to is not None:
        assert question == reply_to
    elif label is None:
        assert question == current
    elif max_question is None or label.number <= max_question:
        assert question == label.number
    else:
        assert question is None
