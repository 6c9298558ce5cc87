"""The search box's character table: a query typed in either script reaches the page's."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from policy_archive import datafiles, script
from policy_archive.render import render_archive, script_table
from policy_archive.script import to_traditional
from policy_archive.site_contract import SCRIPT_TABLE, TRADITIONAL_LOCALE
from policy_archive.yamlfile import parse_yaml


def _tables(built) -> dict[str, dict[str, str]]:
    return json.loads(render_archive(built.documents)[SCRIPT_TABLE])


def _spellings(text: str, table: dict[str, str]) -> set[str]:
    """Every spelling the search worker tries (hooks/search_worker.js, without its cap)."""
    out = {""}
    for ch in text:
        out = {prefix + option for prefix in out for option in table.get(ch, ch)}
    return out


def test_every_paragraph_typed_in_the_other_script_is_found(built):
    tables = _tables(built)
    for doc in built.documents:
        for paragraph in [doc.title, *doc.paragraphs]:
            traditional = to_traditional(paragraph)
            for start in range(0, len(paragraph), 7):  # every 4-character query of the text
                hans, hant = paragraph[start:start + 4], traditional[start:start + 4]
                assert hans in _spellings(hant, tables["zh-Hans"]), (doc.id, hant)
                assert hant in _spellings(hans, tables[TRADITIONAL_LOCALE]), (doc.id, hans)


def test_ambiguous_characters_give_every_candidate_and_plain_ones_one(built):
    hant = _tables(built)[TRADITIONAL_LOCALE]
    assert set(hant["系"]) >= {"係", "繫"}  # 联系 → 聯繫, 关系 → 關係
    assert hant["国"] == "國"
    hans = _tables(built)["zh-Hans"]
    assert hans["國"] == "国"
    # Only characters written differently in the other script are listed.
    assert all(value != key for table in (hans, hant) for key, value in table.items())



def test_a_line_the_conversion_changes_in_length_is_left_out(monkeypatch):
    # No converter does it to the archive's text today: a phrase fix that did would shift
    # every character after it, so the line is counted nowhere rather than misaligned.
    real = script_table.to_traditional
    lengthening = lambda text: real(text).replace("發展", "發展了")
    # Both paths: the pieces (which then give up) and the line by line conversion.
    monkeypatch.setattr(script, "to_traditional", lengthening)
    monkeypatch.setattr(script_table, "to_traditional", lengthening)
    pairs = script_table.aligned_pairs(["带头发展", "关系", "带头发展的关系"])
    assert pairs == script_table.aligned_pairs(["关系"])
    assert pairs["系", "係"] == 1 and ("带", "帶") not in pairs


def test_pairs_are_counted_per_character_in_context():
    pairs = script_table.aligned_pairs(["联系群众，关系群众", "title: 系统"])
    assert pairs == {("联", "聯"): 1, ("系", "繫"): 1, ("群", "群"): 2, ("众", "眾"): 2,
                     ("关", "關"): 1, ("系", "係"): 1, ("系", "系"): 1, ("统", "統"): 1}


def test_summed_packed_pairs_are_the_sum_of_each_page(built):
    pages = [text for path, text in render_archive(built.documents).items()
             if path.endswith(".md")]
    packed = [script_table.page_pairs(page) for page in pages]
    expected = Counter()
    for entry in packed:
        expected.update(script_table.unpack_pairs(entry))
    assert script_table.sum_packed(packed) == expected
    assert sum(expected.values()) > 1000


# Text that OpenCC's phrases reach into or across (phrases of its dictionaries that hold ·, -,
# capital letters, 〇 or characters beyond the Basic Multilingual Plane), the phrase fixes
# with a separator inside, compatibility ideographs, line breaks of every kind and NUL.
HOSTILE = [
    "大卫·利恩导演，SQL注入攻击、PN结。伯克希尔-哈撒韦公司占〇覆𫗧之忧",
    "带头 发展，带头发展、带头\n发展；更加注\u3000重，更加注重",
    "好干部；做好干部\u2028抓紧系统\x85抓紧系统、对标对表，指明了阐明了新征程",
    "title: 联系群众\n# 联系群众、关系\n- 联系群众: 关系\n<a href=\"x\">发展</a>[系](y)",
    "\U0002f800丽人 \uf900豈 ＡＢＣ发展 Ｘ光 ３Ｄ打印 T恤 卡拉OK 2024年7月",
    "面\x00条面条",
    "",
]


def _by_piece(text: str) -> list | None:
    aligned = script_table._aligned_by_piece(text)
    return None if aligned is None else script_table._packed(*aligned)


def _by_line(text: str) -> list:
    return script_table._packed(*script_table._aligned_by_line(text.splitlines()))


def test_pairs_by_piece_are_the_pairs_line_by_line_on_mixed_text():
    for text in HOSTILE:
        by_piece = _by_piece(text)
        assert by_piece is None or by_piece == _by_line(text), text
    whole = "\n".join(HOSTILE)
    assert script_table.page_pairs(whole) == _by_line(whole)
    pairs = script_table.aligned_pairs(HOSTILE)
    assert pairs["发", "發"] == 5 and ("发", "髮") not in pairs and pairs["干", "幹"] == 2
    # Only the text with a NUL (where OpenCC stops) is left to the line by line conversion.
    assert [text for text in HOSTILE if _by_piece(text) is None] == ["面\x00条面条"]


def test_a_separator_is_in_no_phrase_the_converter_or_a_fix_knows():
    # Each known phrase that holds a character which is not a separator converts whole only
    # while that character stays in its piece.
    for phrase in ("大卫·利恩", "SQL注入", "PN结", "伯克希尔-哈撒韦", "占〇", "覆𫗧之忧"):
        assert len(script.SEPARATOR.split(phrase)) == 1, phrase
    for wrong, _, _ in script.phrase_fixes():
        assert not script.SEPARATOR.search(wrong)
    punctuation = " \t\n，。、；：“”‘’（）《》【】—…！？0123456789abcz:/_."
    assert script.SEPARATOR.fullmatch(punctuation)
    assert not any(script.SEPARATOR.search(c) for c in "-·〇ASQ\x00\x85\u2028丽𫗧")


def test_a_phrase_fix_with_a_character_that_is_not_han_stops_the_build(monkeypatch):
    name = "script_phrase_fixes.yml"
    raw = ("to_traditional:\n  - wrong: 帶頭髮展\n    right: 帶頭發展\n    why: fine\n"
           "  - wrong: 帶頭 髮展\n    right: 帶頭 發展\n    why: reaches across a space\n").encode()
    tree = parse_yaml(raw, f"policy_archive/data/{name}", error_class=datafiles.DataFileError)
    monkeypatch.setitem(datafiles._trees, name, (raw, tree))
    script.phrase_fixes.cache_clear()
    try:
        with pytest.raises(datafiles.DataFileError, match=r"script_phrase_fixes\.yml:5: .*Han"):
            script.phrase_fixes()
    finally:
        script.phrase_fixes.cache_clear()


def test_another_opencc_converts_whole_lines_with_the_same_pairs(monkeypatch):
    # Its dictionaries may hold a phrase across a separator: no piece by piece until checked
    # (scripts/opencc_separators.py).
    text = "\n".join(HOSTILE[:5])
    by_piece = script_table.page_pairs(text)
    monkeypatch.setattr(script, "_converter_version", lambda: "0.0.0")
    assert script.to_traditional_pieces(["关系"]) is None
    assert script_table.page_pairs(text) == by_piece == _by_line(text)
