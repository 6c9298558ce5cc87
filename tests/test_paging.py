"""Index pages do not grow with the archive: past a size they split by year and into parts,
and every link on every page still reaches a generated page.

The archive here is the real seeds' documents copied under new ids and dates, rendered
with the real render stage; the split thresholds are lowered so a few hundred documents
show what ten thousand would.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

import pytest

from policy_archive.render import indexes, listing, render_archive

MARKDOWN_LINK = re.compile(r"\]\(([^)#]+\.md)(#[^)]*)?\)")
HTML_LINK = re.compile(r'href="([^"#]+)/(#[^"]*)?"')


@pytest.fixture
def archive(built):
    """240 documents over six years: the seeds' documents under new ids and dates."""
    out = []
    for n in range(24):
        for doc in built.documents:
            year = 2018 + n % 6
            date = f"{year}{doc.date[4:]}" if doc.date else None
            out.append(replace(doc, id=f"{n:03d}_{doc.id}", date=date,
                               date_end=None, citations=[]))
    return out


def resolve(page: str, target: str, *, directory_url: bool) -> str:
    """The generated file a link on ``page`` reaches (MkDocs: .md links are relative to the
    file, HTML links to the page's directory URL)."""
    base = posixpath.splitext(page)[0] if directory_url else posixpath.dirname(page)
    path = posixpath.normpath(posixpath.join(base, target))
    return path if path.endswith(".md") else path + ".md"


def test_big_indexes_split_by_year_and_part_and_every_link_resolves(archive, monkeypatch):
    monkeypatch.setattr(indexes, "SPLIT_AT", 20)
    monkeypatch.setattr(indexes, "PART_BYTES", 20_000)
    monkeypatch.setattr(listing, "NEWEST", 30)
    files = render_archive(archive)
    year_pages = [p for p in files if re.fullmatch(r"initiatives/[\w-]+/\d{4}(-\d+)?\.md", p)]
    assert year_pages, "a frequent initiative should have moved to year pages"
    assert any(re.search(r"/\d{4}-2\.md$", p) for p in year_pages), "and one year into parts"
    for page, text in files.items():
        if not page.endswith(".md"):
            continue
        # A part is cut at PART_BYTES unless one document alone is larger.
        if page in year_pages:
            assert len(text.encode()) < 2 * 20_000, page
        for target, _ in MARKDOWN_LINK.findall(text):
            assert resolve(page, target, directory_url=False) in files, (page, target)
        for target, _ in HTML_LINK.findall(text):
            assert resolve(page, target, directory_url=True) in files, (page, target)
    # The listing shows the newest only, with the years a click away.
    assert files["documents/index.md"].count("](") == 30 + 6
    assert "## 最新 30 篇" in files["documents/index.md"]


def test_small_indexes_stay_on_one_page(built):
    files = render_archive(built.documents)
    assert not [p for p in files if re.search(r"/\d{4}(-\d+)?\.md$", p)
                and not p.startswith("dates/")]
    assert "共 10 篇，按日期由新到旧排列。" in files["documents/index.md"]
