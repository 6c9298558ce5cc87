"""Every document page can be cited: meta tags for Zotero, JSON-LD, og:, a citation box."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.site


def _page(site, doc_id: str, script: str = "") -> str:
    return (site / script / "documents" / doc_id / "index.html").read_text(encoding="utf-8")


def _meta(page: str, name: str) -> list[str]:
    found = re.findall(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)">', page)
    return [html.unescape(v) for v in found]


def _json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


def _box(page: str) -> dict[str, str]:
    formats = re.findall(r'data-format="(\w+)">.*?<pre><code>(.*?)</code></pre>', page, re.S)
    return {key: html.unescape(text) for key, text in formats}


def test_every_document_has_its_own_citation_record(site, documents):
    descriptions = set()
    for doc in documents:
        for script in ("", "zh-Hant"):
            page = _page(site, doc["id"], script)
            url = _meta(page, "citation_public_url")[0]
            assert url.endswith(f"/documents/{doc['id']}/")
            assert f'<link rel="canonical" href="{url}">' in page
            assert _meta(page, "og:url") == [url]
            record = _json_ld(page)
            assert record["identifier"] == doc["id"] and record["url"] == url
            box = _box(page)
            assert set(box) == {"gbt7714", "chicago", "bibtex", "ris", "csl"}
            assert all(url in text for text in box.values())
            assert json.loads(box["csl"])[0]["version"] == "dev"
        page = _page(site, doc["id"])
        assert _meta(page, "citation_title") == [doc["title"]]
        # A document with no outlet names the archive as its author.
        authors = doc["reporters"] if doc["outlet"] else ["川渝政策会议档案"]
        assert _meta(page, "citation_author") == authors
        descriptions.add(_meta(page, "og:description")[0])
    assert len(descriptions) == len(documents)  # one description per document


def test_a_newspaper_report_cites_its_outlet(site, documents):
    doc = next(d for d in documents if d["outlet"] and d["reporters"] and d["date"])
    page = _page(site, doc["id"])
    assert _meta(page, "citation_journal_title") == [doc["outlet"]]
    gbt = _box(page)["gbt7714"]
    assert gbt.startswith(f"{doc['reporters'][0]}")
    assert f"[N/OL]. {doc['outlet']}, {doc['date']}." in gbt
    assert _json_ld(page)["publisher"]["name"] == doc["outlet"]


def test_a_document_without_outlet_is_cited_as_a_page_of_the_archive(site, documents):
    doc = next(d for d in documents if not d["outlet"])
    page = _page(site, doc["id"])
    box = _box(page)
    assert box["gbt7714"].startswith(f"川渝政策会议档案. {doc['title']}[EB/OL].")
    assert "TY  - ELEC" in box["ris"]
    assert _meta(page, "citation_journal_title") == []
    assert _json_ld(page)["@type"] == "WebPage"


def test_body_paragraphs_are_numbered_and_headings_are_not(site, documents):
    doc = max(documents, key=lambda d: d["paragraph_anchors"].count("s-1") and
              len(d["paragraph_anchors"]))
    page = _page(site, doc["id"])
    assert len(doc["paragraph_anchors"]) == len(doc["paragraphs"])
    for anchor in doc["paragraph_anchors"]:
        if anchor.startswith("s-"):
            assert re.search(rf'<h2 class="doc-section" id="{anchor}">', page), anchor
        else:
            assert f'<p id="{anchor}" class="doc-p" data-n="{anchor[2:]}">' in page, anchor
    body = [a for a in doc["paragraph_anchors"] if a.startswith("p-")]
    assert body == [f"p-{n}" for n in range(1, len(body) + 1)]


def test_feed_lists_documents_newest_added_first(site, documents):
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    ids = [html.unescape(i).rstrip("/").rsplit("/", 1)[1]
           for i in re.findall(r"<entry>.*?<id>(.*?)</id>", feed, re.S)]
    assert ids == sorted((d["id"] for d in documents), reverse=True)
    assert (site / "zh-Hant" / "feed.xml").is_file()


def test_a_recorded_redirect_is_served_in_both_scripts(tmp_path, scratch_project, mkdocs_build):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(scratch_project, project)
    path = project / "docs" / "data" / "permanent_ids.json"
    registry = json.loads(path.read_text(encoding="utf-8"))
    target = registry["documents"][0]["id"]
    # As if an article published earlier had been merged into the first one.
    registry["documents"].append({"id": "old_seed-1", "url": "documents/old_seed-1/",
                                  "added": len(registry["documents"]) + 1,
                                  "seed_sha256": "0" * 64, "lines": "1-9",
                                  "redirect": target, "reason": "并入"})
    path.write_text(json.dumps(registry, ensure_ascii=False), encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr[-2000:]
    for script in ("", "zh-Hant/"):
        page = (tmp_path / "site" / script / "documents" / "old_seed-1" / "index.html")
        refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"',
                            page.read_text(encoding="utf-8"))
        assert refresh, script
        landing = urljoin(f"http://127.0.0.1:8000/{script}documents/old_seed-1/",
                          refresh.group(1))
        assert landing == f"http://127.0.0.1:8000/{script}documents/{target}/", landing
