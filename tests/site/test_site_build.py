"""The real site built from docs/: pages per script, conversion, switcher, home, search index."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy_archive.script import detect_script, to_traditional
from tests.conftest import copy_project

pytestmark = pytest.mark.site

HANT = "zh-Hant"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _article_text(page_html: str) -> str:
    """Visible text of the page's article (tags stripped), where the document lives."""
    match = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.DOTALL)
    assert match, "no <article> in page"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def _doc_page(site: Path, doc_id: str, locale: str | None = None) -> Path:
    base = site / locale if locale else site
    return base / "documents" / doc_id / "index.html"


def test_a_page_per_document_per_script(site: Path, documents: list[dict]) -> None:
    assert documents, "dataset is empty"
    for doc in documents:
        assert doc["url"] == f"documents/{doc['id']}/"
        assert _doc_page(site, doc["id"]).is_file(), doc["id"]
        assert _doc_page(site, doc["id"], HANT).is_file(), doc["id"]
    for page in ("index.html", "documents/index.html", "about/index.html"):
        assert (site / page).is_file()
        assert (site / HANT / page).is_file()
    n_hans = len(list((site / "documents").glob("*/index.html")))
    n_hant = len(list((site / HANT / "documents").glob("*/index.html")))
    assert n_hans == n_hant == len(documents)


def test_pages_are_in_their_script(site: Path, documents: list[dict]) -> None:
    for doc in documents:
        hans = _read(_doc_page(site, doc["id"]))
        hant = _read(_doc_page(site, doc["id"], HANT))
        assert detect_script(_article_text(hans)) == "zh-Hans", doc["id"]
        assert detect_script(_article_text(hant)) == "zh-Hant", doc["id"]
        assert '<html lang="zh"' in hans
        assert '<html lang="zh-Hant"' in hant
        # Title from the front matter: the <title>, the heading and the paragraphs convert.
        title = html.escape(to_traditional(doc["title"]), quote=False)
        assert f"<title>{title}" in hant, doc["id"]
        first = html.escape(to_traditional(doc["paragraphs"][0]), quote=False)
        assert first in hant, doc["id"]
        assert html.escape(doc["paragraphs"][0], quote=False) in hans, doc["id"]


def test_zh_hant_chrome_is_traditional(site: Path) -> None:
    """Navigation, site name and the theme's messages, not only the Markdown."""
    home = _read(site / HANT / "index.html")
    for text in ("川渝政策會議檔案", "首頁", "關於"):
        assert text in home
    for simplified in ("档案", "首页", "关于", "个符合"):
        assert simplified not in home, simplified


def _switcher_links(page_html: str) -> dict[str, str]:
    return {
        lang: href
        for href, lang in re.findall(
            r'<a href="([^"]*)" hreflang="([^"]+)" class="md-select__link"', page_html
        )
    }


def test_language_switch_stays_on_the_document(site: Path, documents: list[dict]) -> None:
    for doc in documents:
        for locale, other in ((None, HANT), (HANT, "zh-Hans")):
            path = _doc_page(site, doc["id"], locale)
            links = _switcher_links(_read(path))
            target = (path.parent / links[other]).resolve()
            expected = _doc_page(site, doc["id"], None if locale else HANT).parent.resolve()
            assert target == expected, (doc["id"], locale, links)


def _home_entries(page_html: str) -> list[tuple[str, str]]:
    block = re.search(r'<div class="archive-latest">(.*?)</div>', page_html, re.DOTALL)
    assert block, "home page has no latest-documents list"
    found = re.findall(r'archive-latest-date" datetime="([^"]*)">[^<]*</time>\s*<a href="([^"]+)"',
                       block.group(1))
    # Attribute values are written with character references (render.escape): read them
    # as a browser does.
    return [(html.unescape(date), html.unescape(href)) for date, href in found]


@pytest.mark.parametrize("locale", [None, HANT])
def test_home_lists_documents_newest_first(
    site: Path, documents: list[dict], locale: str | None
) -> None:
    home = site / locale / "index.html" if locale else site / "index.html"
    entries = _home_entries(_read(home))
    assert len(entries) == min(20, len(documents))
    dates = [date for date, _ in entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(d["date"] for d in documents)
    assert dates[0] == newest
    for _, href in entries:
        assert (home.parent / href / "index.html").resolve().is_file(), href
    ids = [href.strip("/").split("/")[-1] for _, href in entries]
    assert set(ids) <= {d["id"] for d in documents}
    assert 'href="documents/"' in _read(home)  # the link to the full list


def _entry(site: Path, locale: str | None = None) -> dict:
    base = site / locale if locale else site
    return json.loads(_read(base / "pagefind" / "pagefind-entry.json"))


def test_a_pagefind_index_per_script(site: Path, documents: list[dict]) -> None:
    """One index per language root, holding that language's pages only (results in the
    reader's script): documents and index pages, not the home, listing or about pages."""
    hans, hant = _entry(site), _entry(site, HANT)
    assert list(hans["languages"]) == ["zh"]
    assert list(hant["languages"]) == ["zh-hant"]
    for root, entry in ((site, hans), (site / HANT, hant)):
        marked = [p for p in root.rglob("index.html")
                  if (root == site) != (HANT in p.relative_to(site).parts[:1])
                  and "data-pagefind-body" in _read(p)]
        assert len(marked) > len(documents)
        assert next(iter(entry["languages"].values()))["page_count"] == len(marked)


def _config(page_html: str) -> dict:
    return json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', page_html).group(1))


def test_each_page_searches_its_own_script(site: Path) -> None:
    config = _config(_read(_doc_page(site, "000_f73564b879444066-1", HANT)))
    assert config["base"] == "../../../zh-Hant/"
    assert config["search"] == "../../../zh-Hant/search/worker.js"
    config = _config(_read(_doc_page(site, "000_f73564b879444066-1")))
    assert config["base"] == "../../"
    assert config["search"] == "../../search/worker.js"
    for root in (site, site / HANT):
        assert (root / "search" / "worker.js").is_file()
        # Material's own index holds its configuration only: every page is Pagefind's.
        assert json.loads(_read(root / "search" / "search_index.json"))["docs"] == []


def test_worker_maps_queries_into_the_page_script(site: Path) -> None:
    hans = json.loads(_read(site / "search" / "worker.json"))
    hant = json.loads(_read(site / HANT / "search" / "worker.json"))
    assert hans["lang"] == "zh-Hans" and hant["lang"] == HANT
    assert hans["table"]["國"] == "国" and hant["table"]["国"] == "國"
    assert set(hant["table"]["系"]) >= {"係", "繫"}  # ambiguous: every candidate searched
    assert hans["filters"]["年份"] == hant["filters"]["年份"] == "year"
    # Facets are labelled in the page's script.
    assert dict(hans["facets"])["body"] == "机构" and dict(hant["facets"])["body"] == "機構"


def _marked(page_html: str) -> str:
    match = re.search(r"<article[^>]*data-pagefind-body[^>]*>(.*?)</article>", page_html, re.S)
    assert match, "no data-pagefind-body article"
    return match.group(1)


def test_documents_are_indexed_by_their_text_with_filters(site: Path) -> None:
    article = _marked(_read(_doc_page(site, "000_f73564b879444066-1")))
    assert '<dl data-pagefind-ignore class="doc-meta">' in article
    assert '<p id="p-1" class="doc-p"' in article  # paragraphs are indexed (not ignored)
    filters = dict(re.findall(r'data-pagefind-filter="(\w+)">([^<]*)<', article))
    assert filters["year"] == "2024" and filters["outlet"] == "四川日报"
    # Only index pages carry "kind": documents are the pages without it (a small filter).
    assert "kind" not in filters
    hant = _marked(_read(_doc_page(site, "000_f73564b879444066-1", HANT)))
    assert 'data-pagefind-filter="outlet">四川日報<' in hant  # in the page's script


def test_index_pages_are_indexed_by_their_title_only(site: Path) -> None:
    page = _read(site / "initiatives" / "new-quality-productive-forces" / "index.html")
    article = _marked(page)
    kept = re.findall(r"<(\w+)(?![^>]*data-pagefind-ignore)[^>]*>", article)
    # Top-level elements other than the title are ignored: the quoted contexts (kwic) too.
    assert 'class="kwic"' in article and '<p data-pagefind-ignore class="kwic">' in article
    assert "h1" in kept
    assert re.search(r'data-pagefind-filter="kind">index<', article)
    for name in ("index.html", "about/index.html", "documents/index.html"):
        assert "data-pagefind-body" not in _read(site / name), name
    # An uncurated formulation's page keeps out of the search, as its front matter says.
    uncurated = sorted(site.glob("initiatives/f-*/index.html"))
    assert uncurated and all("data-pagefind-body" not in _read(p) for p in uncurated)


def _scratch_project(root: Path, tmp_path: Path, index_md: str, with_dataset: bool) -> Path:
    """The real mkdocs.yml and hooks over a tiny docs/ of our own."""
    project = tmp_path / "project"
    (project / "docs" / "documents").mkdir(parents=True)
    copy_project(project, "mkdocs.yml", "hooks")  # with the theme overrides
    shutil.copytree(root / "docs" / "stylesheets", project / "docs" / "stylesheets")
    (project / "docs" / "index.md").write_text(index_md, encoding="utf-8")
    (project / "docs" / "about.md").write_text("# 关于\n", encoding="utf-8")
    (project / "docs" / "documents" / "index.md").write_text("# 文件\n", encoding="utf-8")
    if with_dataset:
        (project / "docs" / "data").mkdir()
        (project / "docs" / "data" / "documents.json").write_text(
            json.dumps({"schema_version": 1, "documents": []}), encoding="utf-8"
        )
    return project


@pytest.mark.parametrize(
    ("marker", "with_dataset", "message"),
    [
        ("latest-docs", True, "unknown marker archive:latest-docs"),  # a typo in the marker
        ("latest-documents", False, "documents.json not found"),  # the build never ran
    ],
)
def test_home_page_marker_problems_fail_the_build(
    tmp_path: Path, project_root, mkdocs_build, marker: str, with_dataset: bool, message: str
) -> None:
    index = f"# 首页\n\n<!-- archive:{marker} -->\n"
    project = _scratch_project(project_root, tmp_path, index, with_dataset)
    result = mkdocs_build(tmp_path / "out", project / "mkdocs.yml")
    assert result.returncode != 0
    assert message in result.stderr + result.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_build_the_one_process_site(
    tmp_path: Path, site: Path, scratch_project: Path
) -> None:
    """hooks/parallel_languages.py: zh-Hant built in a second process gives the site that
    mkdocs-static-i18n builds in one, file for file, but the zh-Hant 404 page's alternate
    links, which now go to the home pages as the zh-Hans 404 page's do."""
    one_process = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_SITE_PROCESSES": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(one_process)],
        cwd=scratch_project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "building zh-Hant in process" not in result.stderr
    expected, built = _files(one_process), _files(site)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == [f"{HANT}/404.html"]
    alternates = re.findall(r'<link rel="alternate" href="([^"]*)" hreflang',
                            _read(site / HANT / "404.html"))
    assert alternates == re.findall(r'<link rel="alternate" href="([^"]*)" hreflang',
                                    _read(site / "404.html")) == ["/", "/zh-Hant/"]
    # No folder of the second process is left beside the site.
    assert [p.name for p in site.parent.iterdir()] == [site.name]


def test_a_failed_second_process_fails_the_build(tmp_path: Path, scratch_project: Path,
                                                 mkdocs_build) -> None:
    """A zh-Hant build that fails in its own process fails `mkdocs build`, and leaves no
    folder or lock of its own behind (the indexings taking turns, so there is a lock)."""
    project = tmp_path / "project"
    shutil.copytree(scratch_project, project, ignore=shutil.ignore_patterns("site"))
    (project / "hooks" / "fails_in_zh_hant.py").write_text(
        "def on_post_build(*, config):\n"
        "    if config.plugins['i18n'].current_language == 'zh-Hant':\n"
        "        raise RuntimeError('zh-Hant broke')\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(_read(config).replace(
        "hooks:\n", "hooks:\n  - hooks/fails_in_zh_hant.py\n", 1).replace(
        "extra:\n", "extra:\n  search_one_indexing_at_a_time: true\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = mkdocs_build(out / "site", config)
    assert result.returncode != 0
    assert "the build of zh-Hant failed" in result.stderr
    assert [p.name for p in out.iterdir()] == ["site"]


_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.DOTALL)
# A relative link (the 404 page's links start at the site's root).
_LIST_LINK = re.compile(r'<li>[^\n]*?<a href="([^"#?/][^"#?]*)">')


def _list_links(site: Path) -> list[tuple[Path, str]]:
    """Each link of a list item on a page of the site (index pages' lists of documents,
    which hooks/raw_html.py writes without Markdown) with the page it is on."""
    found = []
    for page in sorted(site.rglob("*.html")):
        article = _ARTICLE.search(_read(page))
        found += [(page, href) for href in _LIST_LINK.findall(article.group(1) if article else "")]
    return found


def _unresolved(links: list[tuple[Path, str]]) -> list[str]:
    missing = []
    for page, href in links:
        target = page.parent / html.unescape(href)
        if not (target / "index.html" if href.endswith("/") else target).is_file():
            missing.append(f"{page}: {href}")
    return missing


def test_every_list_link_resolves(site: Path) -> None:
    """MkDocs checks no link of raw HTML: each list link goes to a page of the site, in
    both scripts (the zh-Hant pages link zh-Hant pages)."""
    links = _list_links(site)
    assert {page.relative_to(site).parts[0] == HANT for page, _ in links} == {True, False}
    assert any("documents/" in href for _, href in links)
    assert _unresolved(links) == []


def test_list_links_resolve_without_directory_urls(tmp_path: Path, scratch_project: Path,
                                                   mkdocs_build) -> None:
    """The list links are MkDocs' own addresses: pages named ``x.html`` without
    ``use_directory_urls``."""
    project = tmp_path / "project"
    shutil.copytree(scratch_project, project, ignore=shutil.ignore_patterns("site"))
    config = project / "mkdocs.yml"
    config.write_text(_read(config).replace("use_directory_urls: true",
                                            "use_directory_urls: false"), encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", config)
    assert result.returncode == 0, result.stderr
    links = _list_links(tmp_path / "site")
    assert any(href.endswith(".html") and "documents/" in href for _, href in links)
    assert _unresolved(links) == []
