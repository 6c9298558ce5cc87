"""Page chrome through the whole build: the raw lines around an article give its page's
publication date, the credited source and the year of a 月日 or the day of a 昨天."""

from __future__ import annotations

from pathlib import Path

from policy_archive.model import to_data
from policy_archive.pipeline import build_documents
from policy_archive.render.dataset import document_record


def _build(tmp_path: Path, text: str):
    (tmp_path / "009_chrome.txt").write_text(text, encoding="utf-8")
    return build_documents(tmp_path)


def test_issue_date_dates_yesterday_and_the_masthead_is_the_outlet(tmp_path: Path):
    result = _build(tmp_path, "2021年01月06日 星期三\n县委常委会召开会议\n\n"
                              "本报讯 昨天下午，县委常委会召开会议，研究部署有关工作。\n"
                              "会议还研究了其他事项。\n\n某某日报\n")
    [doc] = result.documents
    assert to_data(doc.published) == {"date": "2021-01-06", "time": None,
                             "evidence": "2021年01月06日 星期三", "kind": "issue"}
    assert (doc.date, doc.date_inferred) == ("2021-01-05", True)
    assert "昨天" in (doc.date_evidence or "")
    assert doc.outlet == "某某日报"


def test_a_page_without_chrome_has_no_published_date(tmp_path: Path):
    result = _build(tmp_path, "2020年5月6日，县委常委会召开会议。\n")
    [doc] = result.documents
    assert doc.published is None and doc.outlet is None
    assert document_record(doc)["published"] is None
    assert doc.date == "2020-05-06"


def test_original_title_is_kept(tmp_path: Path):
    result = _build(tmp_path, "2020年5月6日，县委常委会召开会议。\n原标题：县委常委会召开会议\n")
    [doc] = result.documents
    assert doc.original_title == "县委常委会召开会议"


def test_chrome_values_are_escaped_on_the_page(tmp_path: Path):
    from policy_archive.render.escape import escape
    from policy_archive.render.markdown import document_page

    result = _build(tmp_path, "发布时间：2020-05-07 <b>09:00</b>\n\n"
                              "5月6日，县委常委会召开会议。\n原标题：<script>alert(1)</script>{{ x }}\n")
    [doc] = result.documents
    body = document_page(doc).split("---", 2)[2]  # front matter is data, not markup
    assert "<script>" not in body and "{{" not in body and "<b>" not in body
    assert escape("<script>alert(1)</script>") in body
    assert doc.published and doc.published.time is None  # <b>09:00</b> is no time
