"""Year inference from each kind of evidence, the evidence a reader can check, and the warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_archive import datafiles
from policy_archive.extract.dates import NoDateEvidenceError, date_document, events
from policy_archive.pipeline import build_documents


def test_explicit_year_in_the_text():
    found = date_document(["5月6日，区委常委会召开会议，审议2024年永川区外事工作要点。"])
    assert (found.date, found.inferred) == ("2024-05-06", True)
    assert found.evidence == "审议2024年（文中写明年份）"


def test_anniversary_counts_from_the_founding_year():
    found = date_document(["3月13日，省委常委会召开会议。", "今年是新中国成立75周年。"])
    assert found.date == "2024-03-13"
    assert found.evidence == "新中国成立75周年（1949＋75＝2024）"


def test_known_event_gives_the_nearest_year():
    found = date_document(["7月29日下午，省委常委会召开会议。", "在成都大运会开幕式前，……"])
    assert found.date == "2023-07-29"
    assert found.evidence == "成都大运会（2023年7月28日开幕）"


def test_numbered_meeting_gives_the_year():
    found = date_document(["6月12日，区政府召开常务会议，认真落实市委六届五次全会部署。"])
    assert found.date == "2024-06-12"
    assert "市委六届五次全会（中国共产党重庆市第六届委员会第五次全体会议，2024年5月24日召开）" in (
        found.evidence or ""
    )


def test_first_anniversary_of_a_visit():
    found = date_document(["在去年来川视察一周年之际，省委常委会于7月12日召开会议。"])
    assert found.date == "2024-07-12"
    assert "2023＋1＝2024" in (found.evidence or "")


def test_multi_day_meeting_has_date_and_date_end():
    found = date_document(["全会于2022年11月28日至29日在成都举行。"])
    assert (found.date, found.date_end, found.inferred) == ("2022-11-28", "2022-11-29", False)


def test_no_evidence_is_an_error_not_a_guess():
    with pytest.raises(NoDateEvidenceError):
        date_document(["5月6日，区委常委会召开会议，研究有关工作。"])


def test_the_build_warns_and_names_the_document(tmp_path: Path):
    (tmp_path / "009_nodate.txt").write_text(
        "5月6日，区委常委会召开会议，研究有关工作。\n", encoding="utf-8"
    )
    result = build_documents(tmp_path)
    [doc] = result.documents
    assert doc.date is None
    assert any("009_nodate-1" in w and "no date" in w for w in result.warnings)


def test_every_event_has_a_source_and_a_unique_alias():
    aliases = [a for e in events() for a in e.aliases]
    assert len(aliases) == len(set(aliases))
    for entry in datafiles.require("events.yml", "events"):
        assert entry.get("source"), entry["name"]


SEED_DATES = {
    "000_f73564b879444066-1": ("2024-03-13", None, "新中国成立75周年（1949＋75＝2024）"),
    "000_f73564b879444066-2": ("2024-03-13", None, "2024年春季学期（文中写明年份）"),
    "000_f73564b879444066-3": ("2024-03", None, "同一来源文件中其他报道的日期为2024年3月13日"),
    "001_57913b3c0947ebcd-1": ("2023-07-29", None, "成都大运会（2023年7月28日开幕）"),
    "002_9ab9940bbe7d05f2-1": ("2024-07-12", None, "2023＋1＝2024"),
    "003_965f9f73789f87fc-1": ("2024-06-12", None, "2024年5月24日召开"),
    "003_965f9f73789f87fc-2": ("2024-06-12", None, "中共中央政治局第十四次集体学习（2024年5月27日）"),
    "003_965f9f73789f87fc-3": ("2024-06-12", None, "中央外事工作会议（2023年12月27日至28日召开）"),
    "004_f562871e1ea2871e-1": ("2022-11-28", "2022-11-29", None),
    "004_f562871e1ea2871e-2": ("2022-11-28", "2022-11-29", "2022年11月28日至29日召开"),
}


def test_seed_dates_and_their_evidence(built):
    assert {d.id for d in built.documents} == set(SEED_DATES)
    for doc in built.documents:
        date, end, evidence = SEED_DATES[doc.id]
        assert (doc.date, doc.date_end) == (date, end), doc.id
        if evidence is None:
            assert not doc.date_inferred
        else:
            assert evidence in (doc.date_evidence or ""), doc.id
            assert "→" not in (doc.date_evidence or "")  # no machine shorthand left


def test_aliases_found_in_one_search_are_those_standing_in_the_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policy_archive.extract.dates import _aliases

    aliases = sorted({a for e in events() for a in (*e.aliases, *e.anniversary_aliases)})
    pieces = st.sampled_from([*aliases, "会议", "传达", "，", "以来", "省委", "十二届"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(pieces, max_size=8).map("".join))
    def check(text):
        assert _aliases().in_text(text) == {a for a in aliases if a in text}

    check()


def test_an_adopted_at_match_holds_one_of_its_required_literals():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policy_archive.extract.dates import _adopted_at

    pieces = st.sampled_from(["省委十二届三次全会", "全体会议", "全会", "进行了研究，作出如下决定",
                              "审议通过", "进行了研究", "审议", "，", "。", "会议"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=6).map("".join))
    def check(text):
        for pattern, literals in _adopted_at():
            assert literals  # each pattern of the data has some
            if pattern.search(text):
                assert any(literal in text for literal in literals)

    check()
