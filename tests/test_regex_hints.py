"""The regex hints (a lookahead of first characters, a guard of preceding characters, the
literals a match holds) must change no match of any pattern they are given (the lexicon
patterns of people and bodies above all), and leave alone a pattern they cannot read."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive import datafiles
from policy_archive.extract import bodies, people
from policy_archive.extract.regex_hints import (
    Literals,
    _opens_with_literals,
    required_literals,
    with_first_characters,
    with_preceding_characters,
)

PLACES = [("四川省",), ("重庆市永川区", "重庆市"), ("某某市甲乙区", "甲乙区")]


def data_patterns() -> list[tuple[str, str]]:
    """(pattern as compiled, with its hints; pattern as written) of people and bodies."""
    titled = people._patterns()[0].pattern
    organs = [p.pattern for named in PLACES for _, p, _ in bodies._organ_patterns(named)]
    cues = zip([p.pattern for p, _ in bodies._place_cues()],
               datafiles.require("bodies.yml", "place_cues"), strict=True)
    return [(p, without_lookahead(p)) for p in [titled, *organs]] + list(cues)


def without_lookahead(pattern: str) -> str:
    """The pattern as the data file wrote it (the lookahead and its group taken off)."""
    match = re.fullmatch(r"\(\?=\[.*?\]\)\(\?:(.*)\)", pattern, re.DOTALL)
    return match.group(1) if match else pattern


def found(pattern: str, text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in re.finditer(pattern, text, re.MULTILINE)]


# Characters the patterns name, and others, so that random texts hold matches and misses.
ALPHABET = ("省市区县委常会议书记长副主任席政协人大党组中共国产第届次一二三十四川重庆永甲乙某"
            "召开举行主持在，。、：\n 0123456789（）扩大我校公司理论学习心")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_hints_change_no_match(text):
    for pattern, written in data_patterns():
        assert found(pattern, text) == found(written, text), pattern


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_a_match_holds_a_required_literal(text):
    for pattern, written in data_patterns():
        literals = required_literals(written)
        if literals and found(pattern, text):
            assert any(literal in text for literal in literals), pattern


def test_required_literals_of_the_data():
    organs = {o.key: lits for (o, _, lits) in bodies._organ_patterns(("四川省",))}
    assert organs["government-head-office-meeting"] == ("长办公会",)
    assert organs["party-committee-study-group"] == ("中心组",)
    assert [lits for _, lits in bodies._place_cues()][2] == ("届人民代表大会",)


def test_real_phrases_match_alike():
    texts = ["永川区委副书记、区长常晓勇主持召开区政府第58次常务会议",
             "中共四川省委十二届三次全体会议", "决定召开中国共产党某某市第十四次代表大会",
             "某某科技召开党委理论学习中心组会议", "甲乙区政协在常委会议室召开会议"]
    for pattern, written in data_patterns():
        # Every data pattern got its first characters, or opens with literals that the
        # engine scans for itself.
        assert "(?=[" in pattern or (pattern == written and _opens_with_literals(written))
        for text in texts:
            assert found(pattern, text) == found(written, text)


@pytest.mark.parametrize("pattern", [
    "a*",  # matches the empty string: anywhere
    "[^a]b",  # a negated class
    ".x",  # any character
    "(?i)ab",  # case folding
    r"\bword",  # \b consumes nothing, w starts: allowed
])
def test_patterns_it_cannot_read_are_left_alone(pattern):
    out = with_first_characters(pattern)
    if pattern == r"\bword":
        assert out == r"(?=[w])(?:\bword)"
    else:
        assert out == pattern


def test_alternation_is_kept_whole():
    pattern = with_first_characters("甲?乙|丙丁")
    assert re.findall(pattern, "丙丁甲乙") == ["丙丁", "甲乙"]
    assert pattern == "(?=[甲乙丙])(?:甲?乙|丙丁)"


@pytest.mark.parametrize("pattern", ["甲|乙丙", "(?:中共|中国共产党)甲", "(?P<x>政协)乙", "会议?"])
def test_patterns_opening_with_literals_are_left_to_the_engine(pattern):
    assert with_first_characters(pattern) == pattern


def test_a_literal_after_an_optional_part_gets_the_lookahead():
    assert with_first_characters("(?:甲|乙?)丙") == "(?=[甲乙丙])(?:(?:甲|乙?)丙)"



def test_a_guard_of_preceding_characters():
    cue = bodies._place_cues()[3][0].pattern
    assert "(?:^|(?<=[，,讯電电）\\)]))" in cue  # the place cue that opens with lookbehinds
    guarded = with_preceding_characters("(?:^|(?<=日，)|(?<=讯))(?P<p>某市)")
    text = "某市\n3月4日，某市。本报讯某市，日前某市"
    assert found(guarded, text) == found("(?:^|(?<=日，)|(?<=讯))(?P<p>某市)", text)
    assert [m.start() for m in re.finditer(guarded, text, re.MULTILINE)] == [0, 8, 14]


WORDS = ["十九届六中全会", "六中全会", "全会", "中全", "四川省", "川省", "省", "a.b", "(", "[会]"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "会议", "，", "a", "b", "届"]), max_size=10).map("".join))
def test_literals_found_in_one_search_are_those_in_the_text(text):
    # Overlapping words, words inside others and regex metacharacters included.
    assert Literals(WORDS).in_text(text) == {w for w in WORDS if w in text}
