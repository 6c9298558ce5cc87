"""Date, page chrome and body extraction on their case files (tests/cases/*_cases.yml)."""

from __future__ import annotations

import pytest
import yaml

from policy_archive.extract.bodies import document_bodies
from policy_archive.extract.dates import NoDateEvidenceError, date_document
from policy_archive.extract.published import credited_source, find_published, original_title
from tests.conftest import ROOT


def _cases(name: str) -> list:
    cases = yaml.safe_load((ROOT / "tests/cases" / name).read_text(encoding="utf-8"))
    return [
        pytest.param(c, id=c["label"], marks=pytest.mark.xfail(strict=True, reason=c["xfail"]))
        if c.get("xfail") else pytest.param(c, id=c["label"])
        for c in cases
    ]


@pytest.mark.parametrize("case", _cases("dates_cases.yml"))
def test_date_case(case):
    args = (case["paragraphs"], None, case.get("published"), case.get("dateline"))
    if case["date"] is None:
        with pytest.raises(NoDateEvidenceError, match=case["error"]):
            date_document(*args)
        return
    found = date_document(*args)
    assert found.date == case["date"]
    assert case.get("evidence", "") in (found.evidence or "")


@pytest.mark.parametrize("case", _cases("published_cases.yml"))
def test_published_case(case):
    before, after = case.get("before", []), case.get("after", [])
    found = find_published(before, after)
    if "date" in case:
        assert (found.date if found else None) == case["date"]
    if case.get("time"):
        assert found and found.time == case["time"]
    if case.get("kind_of_date"):
        assert found and found.kind == case["kind_of_date"]
    if "source" in case:
        assert credited_source(before, after) == case["source"]
    if "original_title" in case:
        assert original_title(before + after) == case["original_title"]


@pytest.mark.parametrize("case", _cases("bodies_cases.yml"))
def test_bodies_case(case):
    paragraphs = [case["lead"], *case.get("later", [])]
    found = document_bodies(case.get("title", ""), None, None, paragraphs, case.get("place"))
    assert [[b["name"], b["role"]] for b in found] == case["bodies"]
    if case.get("surface"):
        assert found[0]["surface"] == case["surface"]
