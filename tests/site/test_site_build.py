"""The real site built from docs/: pages per script, conversion, switcher, home, search index."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from policy_archive.script import detect_script, to_traditional
from tests.conftest import copy_project

pytestmark = pytest.mark.site

HANT = "zh-Hant"
WORD_BREAK = "\u200b"


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


def _index(site: Path, locale: str | None = None) -> dict:
    base = site / locale if locale else site
    return json.loads(_read(base / "search" / "search_index.json"))


def test_search_index_per_language(site: Path, documents: list[dict]) -> None:
    hans, hant = _index(site), _index(site, HANT)
    for entries in (hans["docs"], hant["docs"]):
        locations = {e["location"] for e in entries}
        assert not any(loc.startswith(f"{HANT}/") for loc in locations)
        for doc in documents:
            assert doc["url"] in locations, doc["id"]
    hans_text = "".join(e["text"] for e in hans["docs"])
    hant_text = "".join(e["text"] for e in hant["docs"])
    assert detect_script(hans_text) == "zh-Hans"
    assert detect_script(hant_text) == "zh-Hant"


def _words(index: dict) -> set[str]:
    # Every field the search indexes: title, text and the hidden keywords (name parts).
    text = WORD_BREAK.join(
        e["title"] + WORD_BREAK + e["text"] + WORD_BREAK + e.get("keywords", "")
        for e in index["docs"]
    )
    return set(re.split(r"[\s\u200b]+", re.sub(r"<[^>]+>", " ", text)))


def test_search_index_is_segmented(site: Path) -> None:
    """Fails when jieba did not run: Chinese would then be indexed as whole paragraphs."""
    assert "\\u200b" in _index(site)["config"]["separator"]
    hans, hant = _words(_index(site)), _words(_index(site, HANT))
    for word in ("新质", "生产力", "天府", "粮仓", "外事", "工作", "习近平"):
        assert word in hans, word
    # zh-Hant words follow the simplified segmentation (jieba alone cuts 學習習近平 wrongly).
    for word in ("新質", "生產力", "糧倉", "習近平", "總書記"):
        assert word in hant, word
    longest = max(len(w) for w in hans if re.fullmatch(r"[\u4e00-\u9fff]+", w))
    assert longest < 20, ("an unsegmented run of Han characters is in the index",
                          [w for w in hans if len(w) >= 20 and re.fullmatch(r"[\u4e00-\u9fff]+", w)])


def test_each_zh_hant_page_searches_its_own_index(site: Path) -> None:
    page = _read(_doc_page(site, "000_f73564b879444066-1", HANT))
    config = json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', page).group(1))
    assert config["base"] == "../../../zh-Hant/"
    root_page = _read(_doc_page(site, "000_f73564b879444066-1"))
    config = json.loads(re.search(r'<script id="__config"[^>]*>(.*?)</script>', root_page).group(1))
    assert config["base"] == "../.."


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
