"""policy_archive.render.citation: an entry written from its record's shape is the entry
citeproc-py writes for the record, for every kind of record and value the site cites."""

from __future__ import annotations

import itertools

import pytest

from policy_archive.render import citation
from policy_archive.script import to_traditional

TITLES = [
    "省委常委会召开（扩大）会议，研究我省贯彻落实意见",
    "研究部署“四好农村路”建设等工作",  # quotation marks inside Chicago's quotes
    '研究"四好"建设',
    "推进5G Network建设 the end",  # ASCII letters: no case changed
    "会议强调？", "会议。", "第9876号文件",  # the placeholder year's digits in a value
    "甲&乙<b>丙</b>", "题——甲\u3000乙", "《规定》（试行）", "Title: sub.",
]
AUTHORS = [[], [{"literal": "周家夷"}], [{"literal": "甲"}, {"literal": "乙丙"}]]
DATES = [None, [2024], [2019, 3], [2024, 3, 13], [2016, 12, 31], [2023, 11, 1]]
URLS = ["http://127.0.0.1:8000/documents/a-1/", "https://h.example/repo/1.0/documents/a-1/"]


def record(kind: str, title: str, authors: list, date: list | None, url: str) -> dict:
    out = {"id": "00001_ab-1", "type": kind, "title": title, "publisher": "川渝政策会议档案",
           "language": "zh-CN", "URL": url, "version": "1.0"}
    if kind == "article-newspaper":
        out["container-title"] = "四川日报"
    if authors:
        out["author"] = authors
    if date:
        out["issued"] = {"date-parts": [date]}
    return out


RECORDS = [record(*values) for values in itertools.product(
    ["article-newspaper", "webpage"], TITLES[:3], AUTHORS, DATES, URLS[:1])]
RECORDS += [record("article-newspaper", title, AUTHORS[1], [2024, 3, 13], url)
            for title, url in itertools.product(TITLES, URLS)]


@pytest.mark.parametrize("style", sorted(citation.STYLES))
def test_shaped_entries_are_citeprocs(style: str) -> None:
    for rec in RECORDS + [{k: to_traditional(v) if isinstance(v, str) else v
                           for k, v in rec.items()} for rec in RECORDS[:20]]:
        assert citation.record_shape(rec) is not None, rec
        assert citation.render_style(rec, style) == citation._render(rec, style), rec


@pytest.mark.parametrize("change", [
    {"title": " 题"}, {"title": "题\n"}, {"title": "题\ue000"}, {"URL": "javascript:x"},
    {"author": [{"family": "张", "given": "三"}]}, {"issued": {"raw": "2024"}},
    {"issued": {"date-parts": [[24, 3]]}}, {"title": 5}, {"author": [{"literal": "Zhang San"}]},
    {"container-title": "China Daily"}, {"publisher": "Archive"},
])
def test_records_without_a_shape_are_rendered_as_they_are(change: dict) -> None:
    rec = {**RECORDS[0], **change}
    assert citation.record_shape(rec) is None
    for style in citation.STYLES:
        assert citation.render_style(rec, style) == citation._render(rec, style)
