"""Split, headline and dateline cases (tests/cases/{split,headline,dateline}_cases.yml), each
run through the whole pipeline of one seed: repair, split, extraction."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policy_archive.ingest import Seed
from policy_archive.pipeline import Document, process_seed
from tests.conftest import ROOT

KINDS = ("wild", "synthetic", "negative")


def _cases(name: str) -> list:
    cases = yaml.safe_load((ROOT / "tests" / "cases" / name).read_text(encoding="utf-8"))
    params = []
    for case in cases:
        assert case["kind"] in KINDS, case["label"]
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["label"], marks=marks))
    return params


def _documents(text: str) -> list[Document]:
    seed = Seed(Path("/nonexistent/case.txt"), "case.txt", "case", "0" * 64, text, "utf-8")
    return process_seed(seed, [])  # also runs the nothing-lost check


# What a case may expect of one document, by field name.
FIELDS = {
    "first": lambda d: d.paragraphs[0] if d.paragraphs else None,
    "last": lambda d: d.paragraphs[-1] if d.paragraphs else None,
    "title": lambda d: d.title,
    "kicker": lambda d: d.kicker,
    "subtitle": lambda d: d.subtitle,
    "title_source": lambda d: d.title_source,
    "dateline": lambda d: d.dateline,
    "outlet": lambda d: d.outlet,
    "credit": lambda d: d.credit,
    "reporters": lambda d: d.reporters,
}


@pytest.mark.parametrize("case", _cases("split_cases.yml"))
def test_split_case(case):
    documents = _documents(case["original"])
    expected = case["expected"]
    assert len(documents) == expected["articles"]
    for field, values in expected.items():
        if field == "articles":
            continue
        got = [FIELDS[field](d) for d in documents]
        assert got == values if isinstance(values, list) else got[-1] == values, field


@pytest.mark.parametrize("case", _cases("headline_cases.yml") + _cases("dateline_cases.yml"))
def test_headline_and_dateline_case(case):
    (doc,) = _documents(case["original"])
    got = {field: FIELDS[field](doc) for field in case["expected"]}
    assert got == case["expected"]
