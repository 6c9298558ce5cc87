"""The search box's character table: a query typed in either script reaches the page's."""

from __future__ import annotations

import json
from collections import Counter

from policy_archive.render import render_archive, script_table
from policy_archive.script import to_traditional
from policy_archive.site_contract import SCRIPT_TABLE, TRADITIONAL_LOCALE


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
    monkeypatch.setattr(script_table, "to_traditional",
                        lambda text: real(text).replace("發展", "發展了"))
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
