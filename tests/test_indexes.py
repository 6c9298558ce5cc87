"""The generated index pages (bodies, dates, initiatives, people, cited) for the seeds."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from policy_archive.extract.citations import citation_slug
from policy_archive.extract.people import person_slug
from policy_archive.render import render_archive
from policy_archive.site_contract import GENERATED_ROOTS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def files(built):
    return render_archive(built.documents)


def test_index_roots_are_generated_and_in_the_nav(files):
    for root in ("bodies", "dates", "initiatives", "people", "cited"):
        assert root in GENERATED_ROOTS
        assert f"{root}/index.md" in files
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[
        "nav"
    ]
    targets = {next(iter(item.values())) for item in nav}
    assert {"bodies/index.md", "dates/index.md", "initiatives/index.md",
            "people/index.md", "cited/index.md"} <= targets
    order = [next(iter(item.values())) for item in nav]
    assert order.index("cited/index.md") == order.index("initiatives/index.md") + 1


def test_body_pages_list_documents_by_date(files):
    index = files["bodies/index.md"]
    assert "[中共四川省委常委会](sc-party-standing-committee.md)" in index
    page = files["bodies/sc-party-standing-committee.md"]
    dates = re.findall(r"^- (\d{4}年\d+月\d+日)", page, flags=re.MULTILINE)
    assert dates == ["2022年11月28日", "2023年7月29日", "2024年3月13日", "2024年3月13日",
                     "2024年7月12日"]
    assert "主持" in page  # 004-1: 全会由省委常委会主持
    yongchuan = files["bodies/yc-government.md"]
    assert "003_965f9f73789f87fc-1.md" in yongchuan and "上级" in yongchuan


def test_dates_index_counts_by_month_and_links_years(files):
    index = files["dates/index.md"]
    assert "[2024年](2024.md)：共 7 篇（3月 3 篇，6月 3 篇，7月 1 篇）" in index
    year = files["dates/2024.md"]
    june = year.split("## 6月")[1].split("## 7月")[0]
    assert june.count("003_965f9f73789f87fc-") == 3


def test_initiative_page_has_first_mention_counts_and_anchors(files):
    page = files["initiatives/new-quality-productive-forces.md"]
    first = page.split("## 首次与最后出现")[1].split("## 文件")[0]
    assert first.index("../../documents/000_f73564b879444066-1/#p-3") < first.index(
        "../../documents/002_9ab9940bbe7d05f2-1/#p-4"
    )
    assert "<mark>新质生产力</mark>" in first
    assert "2024年 3 篇 6 处" in page
    # Under each document, every place it names the initiative.
    mentions = page.split("## 文件与出处")[1]
    assert mentions.count('<p class="kwic">') == 6
    assert mentions.count("- 2024年") == 3
    # The search index (Pagefind) segments names itself: no search terms on the page.
    assert "检索分词" not in files["initiatives/chengyu-economic-circle.md"]


def test_every_initiative_anchor_exists(files, built):
    paragraphs = {d.id: len(d.paragraphs) for d in built.documents}
    for path, text in files.items():
        if path.startswith("initiatives/"):
            for doc_id, number in re.findall(r"\.\./\.\./documents/([^/]+)/#p-(\d+)", text):
                assert 1 <= int(number) <= paragraphs[doc_id]


def test_people_pages_use_stable_hash_names(files):
    index = files["people/index.md"]
    assert f"[王晓晖]({person_slug('王晓晖')}.md) · 省委书记 · 5 篇" in index
    page = files[f"people/{person_slug('常晓勇')}.md"]
    assert page.count("区委副书记、区长") >= 3


def test_document_pages_link_their_metadata(files):
    page = files["documents/003_965f9f73789f87fc-2.md"]
    assert '<a href="../../bodies/yc-party-standing-committee/">中共重庆市永川区委常委会</a>（召开）' in page
    assert f'<a href="../../people/{person_slug("张智奎")}/">张智奎</a>（区委书记）' in page
    assert '<a href="../../initiatives/four-good-rural-roads/">四好农村路</a>' in page
    rules = citation_slug("防范化解金融风险问责规定（试行）")
    assert f'<a href="../../cited/{rules}/">《防范化解金融风险问责规定（试行）》</a>' in page
    decision = files["documents/004_f562871e1ea2871e-1.md"]
    assert '<a href="../../cited/c-' in decision
    assert '（<a href="../004_f562871e1ea2871e-2/">本站全文</a>）' in decision


def test_cited_page_lists_citing_documents_with_kwic(files):
    slug = citation_slug("防范化解金融风险问责规定（试行）")
    assert re.fullmatch(r"c-[0-9a-f]{8}", slug)
    page = files[f"cited/{slug}.md"]
    assert "# 《防范化解金融风险问责规定（试行）》" in page
    assert "<dt>本站全文</dt><dd>未收录</dd>" in page
    kwic = re.findall(r'<p class="kwic"><a href="([^"]+)">', page)
    assert kwic == ["../../documents/003_965f9f73789f87fc-2/#p-3"]
    assert "<mark>《防范化解金融风险问责规定（试行）》</mark>" in page
    title = "中共四川省委关于深入学习贯彻党的二十大精神在全面建设社会主义现代化国家新征程上奋力谱写四川发展新篇章的决定"
    decision = files[f"cited/{citation_slug(title)}.md"]
    assert '<dt>本站全文</dt><dd><a href="../../documents/004_f562871e1ea2871e-2/">' in decision


def test_cited_index_lists_each_title_once(files, built):
    cited = {c.title for d in built.documents for c in d.citations}
    index = files["cited/index.md"]
    rows = re.findall(r"^\| \[《(.+?)》\]\((c-[0-9a-f]{8})\.md\) \| (\d+) \|", index,
                      flags=re.MULTILINE)
    titles = [html.unescape(title) for title, _, _ in rows]
    assert len(titles) == len(set(titles)) == len(cited) == 7
    assert set(titles) == cited
    counts = [-int(n) for _, _, n in rows]
    assert counts == sorted(counts)
    for _, slug, _ in rows:
        assert f"cited/{slug}.md" in files
    assert {p for p in files if p.startswith("cited/")} == {
        "cited/index.md", *(f"cited/{slug}.md" for _, slug, _ in rows)}


def test_cited_page_names_hash_the_normalised_title():
    assert citation_slug("牢记领袖嘱托　立足新的奋斗起点") == citation_slug("牢记领袖嘱托立足新的奋斗起点")
    assert citation_slug("甲规定") != citation_slug("乙规定")


def test_index_links_resolve(files, built):
    """Every relative link of the index pages (cited/ included) names a generated page."""
    paragraphs = {d.id: len(d.paragraphs) for d in built.documents}
    for path, text in files.items():
        if path.split("/")[0] not in ("bodies", "dates", "initiatives", "people", "cited"):
            continue
        folder = path.rsplit("/", 1)[0]
        for target in re.findall(r"\]\(([^)#]+\.md)\)", text):
            resolved = posixpath.normpath(posixpath.join(folder, target))
            assert resolved in files, (path, target)
        for doc_id, number in re.findall(r'href="\.\./\.\./documents/([^/]+)/(?:#p-(\d+))?"',
                                         text):
            assert doc_id in paragraphs, (path, doc_id)
            assert not number or 1 <= int(number) <= paragraphs[doc_id]
    for doc in built.documents:
        page = files[f"documents/{doc.id}.md"]
        for root, slug in re.findall(r'href="\.\./\.\./(cited|people|bodies|initiatives)/([^/]+)/"',
                                     page):
            assert f"{root}/{slug}.md" in files, (doc.id, root, slug)


def test_index_pages_are_deterministic(built):
    assert render_archive(built.documents) == render_archive(list(built.documents))
