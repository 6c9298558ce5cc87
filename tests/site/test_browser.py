"""The built site in headless Chromium: Chinese search in both scripts, screenshots.

Screenshots go to tests/_artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit

import pytest

from policy_archive.script import to_traditional

pytestmark = [pytest.mark.site, pytest.mark.browser]

HANT = "zh-Hant"
QUERIES = ["新质生产力", "天府粮仓", "外事工作"]
# Read off the seeds: 新质生产力 is in articles of 000 and 002, 天府粮仓 in 001, 外事工作 in
# the third article of 003. The test also compares with every document holding the phrase.
MUST_FIND = {
    "新质生产力": {"000_f73564b879444066-1", "002_9ab9940bbe7d05f2-1"},
    "天府粮仓": {"001_57913b3c0947ebcd-1"},
    "外事工作": {"003_965f9f73789f87fc-3"},
}
RESULT_META = ".md-search-result__meta"


def _holding(documents: list[dict], phrase: str) -> set[str]:
    return {
        d["id"]
        for d in documents
        if phrase in d["title"] or any(phrase in p for p in d["paragraphs"])
    }


def _search(page, site_url: str, prefix: str, query: str) -> list[str]:
    """Type a query into the search box like a reader; return the result links' paths."""
    page.goto(f"{site_url}{prefix}")
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box is in the header
    # Han text arrives as committed IME input, with no key events; Material searches on
    # keyup, so a key press follows, as a reader's next key would.
    box.fill(query)
    box.press("End")
    # The result count replaces the placeholder once the worker has answered.
    page.wait_for_function(
        """sel => /[0-9]|没有|沒有/.test(document.querySelector(sel).innerText)""",
        arg=RESULT_META,
        timeout=15000,
    )
    links = ".md-search-result__item > a.md-search-result__link"
    hrefs = page.eval_on_selector_all(links, "els => els.map(e => e.href)")
    return [urlsplit(h).path for h in hrefs]


def _doc_ids(paths: list[str], prefix: str) -> list[str]:
    """Document ids in result order (a document's sections link to the same page)."""
    ids: list[str] = []
    for path in paths:
        match = re.fullmatch(rf"/{re.escape(prefix)}documents/([^/]+)/", path)
        if match and match.group(1) not in ids:
            ids.append(match.group(1))
    return ids


def _assert_phrase_first(found: list[str], holding: set[str], must: set[str]) -> None:
    """Every document holding the phrase is listed, ahead of partial matches.

    Material's search matches any of the query's words (新质, 生产力), so documents with
    only some of them may follow; the documents with the phrase must come first.
    """
    assert must <= holding
    assert set(found[: len(holding)]) == holding, found


@pytest.mark.parametrize("query", QUERIES)
def test_search_zh_hans(page, site_url: str, documents: list[dict], query: str) -> None:
    paths = _search(page, site_url, "", query)
    assert paths, f"no results for {query}"
    assert not [p for p in paths if p.startswith(f"/{HANT}/")], "zh-Hant pages in zh-Hans results"
    _assert_phrase_first(_doc_ids(paths, ""), _holding(documents, query), MUST_FIND[query])


@pytest.mark.parametrize("query", QUERIES)
def test_search_zh_hant_in_traditional(
    page, site_url: str, documents: list[dict], query: str
) -> None:
    traditional = to_traditional(query)
    paths = _search(page, site_url, f"{HANT}/", traditional)
    assert paths, f"no results for {traditional}"
    assert all(p.startswith(f"/{HANT}/") for p in paths), paths
    found = _doc_ids(paths, f"{HANT}/")
    _assert_phrase_first(found, _holding(documents, query), MUST_FIND[query])


@pytest.mark.parametrize(("prefix", "name", "part"), [
    ("", "成渝地区双城经济圈", "经济圈"),
    (f"{HANT}/", "成渝地區雙城經濟圈", "經濟圈"),
])
def test_lexicon_names_are_found_whole_and_by_a_part(
    page, site_url: str, site, documents: list[dict], prefix: str, name: str, part: str
) -> None:
    # The name is one word in the index (jieba user dictionary from the lexicons): the
    # documents holding it come first for the whole name …
    holding = _holding(documents, "成渝地区双城经济圈")
    paths = _search(page, site_url, prefix, name)
    # Material renders ten results before the reader scrolls: the initiative's page is among them.
    assert f"/{prefix}initiatives/chengyu-economic-circle/" in paths[:10], paths[:10]
    whole = _doc_ids(paths, prefix)
    # Material renders ten results before the reader scrolls; among the documents shown,
    # none without the name may come before one with it.
    shown_holding = [i for i, d in enumerate(whole) if d in holding]
    shown_other = [i for i, d in enumerate(whole) if d not in holding]
    assert len(shown_holding) >= 3, whole
    assert not shown_other or max(shown_holding) < min(shown_other), whole
    # … and a part of it still finds results. Material cuts a query against the index's
    # words and never takes the whole query as one word, so 经济圈 is searched as 经济*:
    # documents holding the name are among the results but cannot be ranked first.
    assert _search(page, site_url, prefix, part)
    # Every document holding the name carries the part as a search term of its own
    # (Material lists them after scrolling; ranking by a part cannot favour them).
    index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    with_part = {
        e["location"].split("/")[1]
        for e in index["docs"]
        if e["location"].startswith("documents/") and part in e.get("keywords", "").split("\u200b")
    }
    assert holding <= with_part, holding - with_part


def test_screenshots(page, site_url: str, artifacts) -> None:
    """Pages a reader sees, in both scripts; look at them in tests/_artifacts/."""
    doc = "001_57913b3c0947ebcd-1"
    for prefix, tag in (("", "zh-Hans"), (f"{HANT}/", "zh-Hant")):
        page.goto(f"{site_url}{prefix}")
        page.screenshot(path=artifacts / f"home-{tag}.png", full_page=False)
        page.goto(f"{site_url}{prefix}documents/{doc}/")
        assert page.locator("h1").first.is_visible()
        assert page.locator("dl.doc-meta").is_visible()
        page.screenshot(path=artifacts / f"document-{tag}.png", full_page=False)
        query = "天府粮仓" if tag == "zh-Hans" else to_traditional("天府粮仓")
        page.goto(f"{site_url}{prefix}?q={quote(query)}")
        page.wait_for_function(
            """sel => /[0-9]/.test(document.querySelector(sel).innerText)""",
            arg=RESULT_META,
            timeout=15000,
        )
        page.screenshot(path=artifacts / f"search-{tag}.png", full_page=False)
