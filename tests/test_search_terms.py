"""Search: lexicon names are whole search terms, and a part of one still finds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policy_archive.render import render_archive

ROOT = Path(__file__).resolve().parent.parent
WORD_BREAK = "\u200b"


def test_user_dictionary_holds_the_lexicon_names(built):
    text = render_archive(built.documents)["data/jieba_userdict.txt"]
    words = {line.split(" ")[0] for line in text.splitlines()}
    assert {"成渝地区双城经济圈", "新质生产力", "中共四川省委常委会", "王晓晖"} <= words
    assert "省委" not in words  # short forms stay ordinary words


def test_jieba_keeps_a_lexicon_name_whole_with_the_user_dictionary(built, tmp_path: Path):
    import jieba

    path = tmp_path / "userdict.txt"
    path.write_text(render_archive(built.documents)["data/jieba_userdict.txt"], encoding="utf-8")
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(path))
    assert "成渝地区双城经济圈" in list(tokenizer.cut("推动成渝地区双城经济圈建设走深走实"))


def _found(entries: list[dict], query: str) -> set[str]:
    """Pages where a query finds a term, as Material's search does (prefix of a term)."""
    hits = set()
    for entry in entries:
        text = entry["title"] + WORD_BREAK + entry["text"]
        terms = [t for t in text.replace(" ", WORD_BREAK).split(WORD_BREAK) if t]
        if any(t.startswith(query) for t in terms):
            hits.add(entry["location"].split("#")[0])
    return hits


@pytest.mark.site
def test_built_search_index_has_whole_names_and_finds_parts(tmp_path: Path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", str(site)], cwd=ROOT,
                   check=True, env=env)
    for index, circle in ((site / "search" / "search_index.json", "成渝地区双城经济圈"),
                          (site / "zh-Hant" / "search" / "search_index.json", "成渝地區雙城經濟圈")):
        entries = json.loads(index.read_text(encoding="utf-8"))["docs"]
        page = next(e for e in entries
                    if e["location"].startswith("documents/000_f73564b879444066-1/"))
        assert f"{WORD_BREAK}{circle}{WORD_BREAK}" in page["text"] + WORD_BREAK
        # A search for the whole name finds the documents and the initiative page …
        assert "initiatives/chengyu-economic-circle/" in _found(entries, circle)
        assert "documents/000_f73564b879444066-1/" in _found(entries, circle)
    # … and a search for a part (经济圈) still finds the initiative, which lists them all.
    entries = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "initiatives/chengyu-economic-circle/" in _found(entries["docs"], "经济圈")
