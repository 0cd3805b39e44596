"""Which question a post in a chat room answers: "A1: …", "a1)", "[A1]", "Ａ１" and friends.

Pure Python (no models) so the rules can be tested exhaustively, with hypothesis too.

Labels are typed fast, on phones, by people who learned the convention from each other, so
many spellings count. A post is labelled An when, after any leading @mentions, it starts with

- an optional opening bracket, `[`, `(` or `【`, closed by its partner after the number;
- `A` or `a`, then the number n, 1 to 99, leading zeros allowed (`A01`, `A001`);
- then one of: the end, whitespace, or a separator (optionally after spaces) from
  `: ) . - – — / , … 。 、`, or a run of one of them (`A1:`, `a1)`, `A1 -`, `A1–`,
  `A1 --`, `A1...`, `[A1]:`).

Full-width forms from CJK keyboards (`Ａ１：`) count as their ASCII twins.

What reads as an ordinary word or number does not count:

- a letter, digit or other character glued to the number: `A1C levels are up`, `A10x`,
  `A1's`, `A100` (not A10 followed by 0);
- `AI is great` (a letter I), `Awesome`, `A` alone, `A0`;
- a decimal or a time: `A1.5`, `A1,000`, `A1:30`;
- `A 2 hour chat` and `A 1-hour meeting`: with a space between the A and the number (the
  article "a") the label needs a separator followed by a space or the end: `A 1 - yes`.
"""

import re
from dataclasses import dataclass

MAX_ANSWER_NUMBER = 99


@dataclass(frozen=True)
class AnswerLabel:
    number: int
    rest: str  # the text after the label, stripped


# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, folded one character for one
# so that positions in the folded text are positions in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# A reply starts "@host @other@example.org ", sometimes "@host: ". Strict enough that
# "@ann's A1 was great" is not a mention followed by a label.
_LEADING_MENTION = re.compile(r"@[A-Za-z0-9_]+(?:@[A-Za-z0-9.-]+)?[,:]?(?=\s|\Z)")

_HEAD = re.compile(r"(?P<open>[\[(【]?)[^\S\n]*[Aa](?P<gap>[^\S\n]*)(?P<digits>[0-9]+)")
_CLOSE = {"[": "]", "(": ")", "【": "】"}
_SEPARATORS = frozenset(":).-–—/,…。、")
# A digit straight after one of these makes the whole thing a number: 1.5, 1,000, 1:30.
_NUMBER_JOINERS = frozenset(".,:")


def strip_mentions_prefix(text: str) -> str:
    """Return the text after any leading @mentions, without leading whitespace."""
    rest = text.lstrip()
    while match := _LEADING_MENTION.match(rest):
        rest = rest[match.end() :].lstrip()
    return rest


def _number(digits: str) -> int | None:
    # Strip zeros before int(): a run of thousands of digits would make int() raise.
    significant = digits.lstrip("0")
    if not significant or len(significant) > len(str(MAX_ANSWER_NUMBER)):
        return None
    number = int(significant)
    return number if number <= MAX_ANSWER_NUMBER else None


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _separator_end(text: str, pos: int) -> int | None:
    if pos >= len(text) or text[pos] not in _SEPARATORS:
        return None
    # A run of the same separator is one separator: "A1 -- yes", "A1... yes".
    end = pos + 1
    while end < len(text) and text[end] == text[pos]:
        end += 1
    return end


def parse_answer_label(text: str) -> AnswerLabel | None:
    """Return the answer label the post starts with (after @mentions), or None."""
    original = strip_mentions_prefix(text)
    folded = original.translate(_FOLD)
    head = _HEAD.match(folded)
    if head is None:
        return None
    number = _number(head["digits"])
    if number is None:
        return None

    pos = head.end()
    bracket = head["open"]
    if bracket:
        pos = _skip_spaces(folded, pos)
        if not folded.startswith(_CLOSE[bracket], pos):
            return None
        pos += 1
    # "A 1" could be the article: "A 1-hour meeting", "A 2 hour chat".
    spaced = bool(head["gap"]) and not bracket

    after_spaces = _skip_spaces(folded, pos)
    separator_end = _separator_end(folded, after_spaces)
    following = folded[separator_end : separator_end + 1] if separator_end is not None else ""
    if separator_end is not None:
        if folded[after_spaces] in _NUMBER_JOINERS and following.isdigit() and not bracket:
            return None
        if spaced and following and not following.isspace():
            return None
        pos = separator_end
    elif spaced:
        return None
    elif bracket or after_spaces > pos or pos == len(folded):
        pos = after_spaces
    else:
        return None  # glued to the number: A1C, A10x, A1's
    return AnswerLabel(number=number, rest=original[pos:].strip())


def assign_question(
    *,
    text: str,
    reply_to_question: int | None,
    current_question: int | None,
    max_question: int | None,
) -> int | None:
    """Return the question number a post in the room answers, or None if it answers none.

    `reply_to_question` is n when the post replies to the Qn post; that wins over any label,
    because choosing "reply" on a question is the most deliberate signal there is.
    `max_question` is the highest question number in the session's plan (None when there
    is no plan to check against). A label may name a planned question that is not posted
    yet: people answer ahead, and the worker's clock and theirs disagree by a few seconds.
    A label beyond the plan is a typo or a joke, and filing it under the current question
    would be wrong too, so the post answers nothing. A post without a label answers the
    current question (None before Q1 is posted).
    """
    if reply_to_question is not None:
        return reply_to_question
    label = parse_answer_label(text)
    if label is None:
        return current_question
    if max_question is not None and label.number > max_question:
        return None
    return label.number
