"""The search box's character table: a query typed in either script reaches the page's."""

from __future__ import annotations

import json

from policy_archive.render import render_archive
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

