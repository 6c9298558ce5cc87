"""The built site in headless Chromium: Chinese search in both scripts, across them and under
a path prefix, highlighting, filters and facets, screenshots.

Screenshots go to tests/_artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from policy_archive.script import to_traditional
from tests.conftest import load_hook, serve_folder
from tests.site.conftest import FACET, result_paths, type_query, wait_for_facets

pytestmark = [pytest.mark.site, pytest.mark.browser]

HANT = "zh-Hant"
# Queries a researcher types, in simplified script (read off the seeds): a rare term (one
# document, 3×), a name, a word one document holds 13 times and another once, a
# formulation, lexicon names, and 联系, whose 系 is ambiguous in traditional script
# (係/繫/系). Each is typed in both scripts on both sites; the documents holding it must
# come first, and where one holds it far more often than the others, that one.
QUERIES = ["大运会", "常晓勇", "新能源", "国家战略腹地", "新质生产力", "天府粮仓", "外事工作", "联系"]
MUST_BE_FIRST = {"大运会": "001_57913b3c0947ebcd-1", "新能源": "000_f73564b879444066-2",
                 "外事工作": "003_965f9f73789f87fc-3", "联系": "004_f562871e1ea2871e-2"}
PREFIX = "REPO/"  # the site served below a path, as GitHub Pages serves a project site


def _holding(documents: list[dict], phrase: str) -> set[str]:
    return {
        d["id"]
        for d in documents
        if phrase in d["title"] or any(phrase in p for p in d["paragraphs"])
    }


@pytest.fixture(scope="module")
def prefixed_url(site):
    """The site served at /REPO/, so every search path must be relative."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / PREFIX.strip("/")).symlink_to(site, target_is_directory=True)
        with serve_folder(Path(folder)) as url:
            yield url + PREFIX


def _search(page, url: str, query: str) -> list[str]:
    """Type a query into the search box like a reader; return the result links' paths."""
    type_query(page, url, query)
    return result_paths(page)


def _doc_ids(paths: list[str], prefix: str) -> list[str]:
    """Document ids in result order (a result's paragraph links to the same page)."""
    ids: list[str] = []
    for path in paths:
        match = re.fullmatch(rf"/{re.escape(prefix)}documents/([^/]+)/", path)
        if match and match.group(1) not in ids:
            ids.append(match.group(1))
    return ids


@pytest.mark.parametrize("site_locale", ["zh-Hans", HANT])
@pytest.mark.parametrize("typed_in", ["zh-Hans", HANT])
@pytest.mark.parametrize("query", QUERIES)
def test_query_finds_its_document_first(
    page, prefixed_url: str, documents: list[dict], query: str, typed_in: str,
    site_locale: str,
) -> None:
    prefix = PREFIX + ("" if site_locale == "zh-Hans" else f"{HANT}/")
    typed = query if typed_in == "zh-Hans" else to_traditional(query)
    paths = _search(page, prefixed_url + prefix.removeprefix(PREFIX), typed)
    assert paths, f"no results for {typed}"
    # Results only in the reader's script, under the site's own path.
    assert all(p.startswith(f"/{prefix}") for p in paths), paths
    if site_locale == "zh-Hans":
        assert not [p for p in paths if p.startswith(f"/{PREFIX}{HANT}/")], paths
    found = _doc_ids(paths, prefix)
    holding = _holding(documents, query)
    assert found[0] == MUST_BE_FIRST.get(query, found[0]), (typed, found)
    # Every document holding the phrase comes before any holding only some of its words.
    assert set(found[: len(holding)]) == holding, (typed, found)


@pytest.mark.parametrize("prefix", ["", f"{HANT}/"])
def test_documents_come_before_index_pages(page, prefixed_url: str, prefix: str) -> None:
    query = "成渝地区双城经济圈" if not prefix else to_traditional("成渝地区双城经济圈")
    paths = _search(page, prefixed_url + prefix, query)
    kinds = ["document" if "/documents/" in p else "index" for p in paths]
    assert "index" in kinds, paths  # the initiative's page is found, by its title …
    assert kinds.index("index") > max(i for i, k in enumerate(kinds) if k == "document")
    # … and it is the formulation's page, not a page quoting documents that name it.
    assert f"/{PREFIX}{prefix}initiatives/chengyu-economic-circle/" in paths


def test_filters_narrow_the_results(page, prefixed_url: str, documents: list[dict]) -> None:
    paths = _search(page, prefixed_url, "天府粮仓 年份:2022")
    found = _doc_ids(paths, PREFIX)
    dates = {d["id"]: d["date"] for d in documents}
    assert found and all(dates[i].startswith("2022") for i in found), found
    assert set(found) == {i for i in _holding(documents, "天府粮仓") if dates[i].startswith("2022")}
    # A filter typed in the other script, on the traditional site.
    paths = _search(page, prefixed_url + f"{HANT}/", "天府粮仓 年:2023")
    assert _doc_ids(paths, f"{PREFIX}{HANT}/") == ["001_57913b3c0947ebcd-1"]


def _pick(page, chip) -> None:
    """Pick a facet value with the mouse; return when the narrowed results have arrived."""
    pressed = chip.get_attribute("aria-pressed") == "true"
    facet, value = chip.get_attribute("data-facet"), chip.get_attribute("data-value")
    chip.click()
    wait_for_facets(page, facet, value, pressed=not pressed)


@pytest.mark.parametrize("prefix", ["", f"{HANT}/"])
def test_picking_a_facet_narrows_the_results(page, prefixed_url: str, documents: list[dict],
                                            prefix: str, artifacts) -> None:
    typed = "天府粮仓" if not prefix else to_traditional("天府粮仓")
    _search(page, prefixed_url + prefix, typed)
    wait_for_facets(page)
    holding = _holding(documents, "天府粮仓")
    dates = {d["id"]: d["date"] for d in documents}
    years = Counter(dates[i][:4] for i in holding)
    assert len(years) > 1, years  # else picking a year would narrow nothing
    year = min(years, key=lambda y: (years[y], y))
    chip = page.locator(FACET.format(facet="year", value=year))
    # The facet lists the results' years with how many documents hold each.
    shown = page.locator(".archive-facet[data-group=year] .archive-facet__value").evaluate_all(
        "els => els.map(e => [e.dataset.value, e.querySelector('.archive-facet__count').innerText])")
    assert dict(shown) == {y: str(n) for y, n in years.items()}
    _pick(page, chip)
    box = page.locator("input.md-search__input")
    assert box.input_value() == f"{typed} 年份:{year}"  # the typed syntax, written for the reader
    found = _doc_ids(result_paths(page), PREFIX + prefix)
    assert set(found) == {i for i in holding if dates[i].startswith(year)}, found
    page.screenshot(path=artifacts / f"search-facet-picked-{prefix.strip('/') or 'zh-Hans'}.png")
    # Picking it again takes the filter out.
    _pick(page, page.locator(FACET.format(facet="year", value=year)))
    assert box.input_value() == typed
    assert set(_doc_ids(result_paths(page), PREFIX + prefix)) == holding


def test_a_filter_that_finds_nothing_shows_and_can_be_taken_out(page, prefixed_url: str,
                                                               documents: list[dict]) -> None:
    _search(page, prefixed_url, "天府粮仓 年:2099")
    assert result_paths(page) == []
    chip = page.locator(FACET.format(facet="year", value="2099"))
    assert chip.get_attribute("aria-pressed") == "true"
    assert chip.locator(".archive-facet__count").inner_text() == "0"
    chip.click()
    chip.wait_for(state="detached")  # the facets of the query without it: no 2099 there
    wait_for_facets(page)
    assert page.locator("input.md-search__input").input_value() == "天府粮仓"
    assert set(_doc_ids(result_paths(page), PREFIX)) == _holding(documents, "天府粮仓")


def test_facets_are_reached_and_picked_with_the_keyboard(page, prefixed_url: str,
                                                         documents: list[dict]) -> None:
    _search(page, prefixed_url, "天府粮仓")
    wait_for_facets(page)
    # Material's arrow keys move from the query through the facets to the results.
    for _ in range(40):
        page.keyboard.press("ArrowDown")
        active = page.evaluate("({...document.activeElement.dataset})")
        if active.get("facet") == "body" and "value" in active:
            break
    else:
        pytest.fail("no body value reached with the arrow keys")
    page.keyboard.press("Enter")
    wait_for_facets(page, "body", active["value"], pressed=True)
    assert page.locator("input.md-search__input").input_value() == f"天府粮仓 机构:{active['value']}"
    found = _doc_ids(result_paths(page), PREFIX)
    bodies = {d["id"]: {b["name"] for b in d["bodies"]} for d in documents}
    assert found and all(active["value"] in bodies[i] for i in found), found
    # The search stays open, the keyboard on the value just picked.
    assert page.locator(".md-search-result__list").is_visible()
    assert page.evaluate("document.activeElement.dataset.value") == active["value"]


def test_common_words_are_not_downloaded_when_a_rarer_one_is_typed(
    site: Path, documents: list[dict], tmp_path: Path, page
) -> None:
    # At 10,000 documents the index chunk of a common word (国家) is 83 KB, where most chunks
    # are 13–15 KB; the search hook lists the heavy chunks and the worker leaves their words
    # out of a query holding a rarer one. Here the chunks of 国家 and 战略 are made heavy.
    hook = load_hook("search_index")
    chunks = hook.index_chunks(site / "pagefind")
    chunk = {w: next(c for c in chunks if hook.chunk_holds(w, c[0], c[1]))
             for w in ("国家", "战略", "腹地")}
    assert chunk["腹地"] not in (chunk["国家"], chunk["战略"]), "the words share a chunk"
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    config_file = copy / "search" / "worker.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["heavy"] = [list(chunk[w][:2]) for w in ("国家", "战略")]
    config_file.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(urlsplit(request.url).path))
    with serve_folder(copy) as url:
        found = _doc_ids(_search(page, url, "國家戰略腹地"), "")
    assert [p.rsplit("/", 1)[1] for p in fetched if p.endswith(".pf_index")] == [
        chunk["腹地"][2].name]
    holding = _holding(documents, "国家战略腹地")
    assert holding and set(found[: len(holding)]) == holding, found


@pytest.mark.parametrize("prefix", ["", f"{HANT}/"])
def test_opening_a_result_highlights_and_scrolls_to_the_paragraph(
    page, prefixed_url: str, prefix: str, artifacts
) -> None:
    query = "外事工作" if not prefix else to_traditional("外事工作")
    _search(page, prefixed_url + prefix, query)
    paragraph = page.locator(".md-search-result__item a.md-search-result__link[href*='#p-']")
    href = paragraph.first.get_attribute("href")
    anchor = urlsplit(href).fragment
    assert re.fullmatch(r"p-\d+", anchor), href
    paragraph.first.click()
    page.wait_for_url(re.compile(rf"#{anchor}$"))
    mark = page.locator(f"p#{anchor} mark[data-md-highlight]").first
    mark.wait_for(timeout=10000)
    assert mark.inner_text() == query
    assert mark.is_visible() and mark.evaluate("e => e.getBoundingClientRect().top") < 900
    page.screenshot(path=artifacts / f"opened-result-{prefix.strip('/') or 'zh-Hans'}.png")


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
        type_query(page, f"{site_url}{prefix}", query)
        page.screenshot(path=artifacts / f"search-{tag}.png", full_page=False)
        # Typed in the other script: found all the same, shown in the page's script.
        other = to_traditional("国家战略腹地") if tag == "zh-Hans" else "国家战略腹地"
        type_query(page, f"{site_url}{prefix}", other)
        page.screenshot(path=artifacts / f"search-other-script-{tag}.png", full_page=False)
