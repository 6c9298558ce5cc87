"""The five seeds against what a careful editor expects of them (tests/expectations/seeds.yml)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
import yaml

from policy_archive.model import Document
from tests.conftest import ROOT, SEEDS

EXPECTED = yaml.safe_load((ROOT / "tests/expectations/seeds.yml").read_text(encoding="utf-8"))
SENTENCE_RE = re.compile(r"[^。！？]+[。！？][”’」』）]*")


def by_seed(documents: list[Document]) -> dict[str, list[Document]]:
    grouped: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        grouped[doc.seed].append(doc)
    return grouped


def sentences(paragraph: str) -> list[str]:
    return SENTENCE_RE.findall(paragraph) or [paragraph]


def test_every_seed_has_expectations():
    assert sorted(EXPECTED) == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_ten_documents_in_all(built):
    assert len(built.documents) == 10
    assert built.warnings == []


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_articles_per_seed(built, seed):
    assert len(by_seed(built.documents)[seed]) == len(EXPECTED[seed])


def _cases():
    for seed, articles in sorted(EXPECTED.items()):
        for n, expected in enumerate(articles, 1):
            yield pytest.param(seed, n, expected, id=f"{seed[:3]}-{n}")


@pytest.mark.parametrize(("seed", "article", "expected"), list(_cases()))
def test_article_text(built, seed, article, expected):
    doc = by_seed(built.documents)[seed][article - 1]
    assert doc.article == article
    assert len(doc.paragraphs) == expected["paragraphs"]
    assert sentences(doc.paragraphs[0])[0] == expected["first"]
    assert sentences(doc.paragraphs[-1])[-1] == expected["last"]


@pytest.mark.parametrize(("seed", "article", "expected"), list(_cases()))
def test_article_metadata(built, seed, article, expected):
    doc = by_seed(built.documents)[seed][article - 1]
    for field in ("title", "title_source", "kicker", "subtitle", "outlet", "reporters", "date"):
        assert getattr(doc, field) == expected[field], field
    assert doc.date_end == expected.get("date_end")
    assert doc.script == expected.get("script", "zh-Hans")


# What must never be left in a published text.
ARTEFACTS = ["[bookmark", "_GoBack", "分享让更多人看到", "分享讓更多人看到", "- 31 -", "\u200b", "\ufeff"]


def _published_text(doc: Document) -> list[str]:
    return [doc.title, doc.kicker or "", doc.subtitle or "", *doc.paragraphs]


def test_no_artefact_left(built):
    for doc in built.documents:
        for text in _published_text(doc):
            for artefact in ARTEFACTS:
                assert artefact not in text, (doc.id, artefact)


def test_no_break_or_stray_space_inside_text(built):
    stray = re.compile(r"[\n\r\t]| (?=\S)|(?<=\S) ")
    for doc in built.documents:
        for text in _published_text(doc):
            assert not stray.search(text), (doc.id, text[:40])
            assert text == text.strip(" \u3000"), (doc.id, text[:40])


def test_no_half_width_punctuation_next_to_chinese(built):
    half = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")
    for doc in built.documents:
        for text in _published_text(doc):
            assert not half.search(text), (doc.id, half.search(text))


def test_canonical_text_is_simplified(built):
    # 002 is printed in traditional script; its canonical text is simplified, its original kept.
    doc = next(d for d in built.documents if d.seed.startswith("002"))
    assert "会议指出" in doc.paragraphs[1] and "會議" not in "".join(doc.paragraphs)
    assert doc.paragraphs_original is not None
    assert doc.paragraphs_original[1].startswith("會議指出，")
    assert len(doc.paragraphs_original) == len(doc.paragraphs)
    # A line break inside a word before conversion would turn 面 into 麵: none here.
    assert "麵" not in "".join(doc.paragraphs)


def test_dateline_becomes_metadata_not_text(built):
    for doc in built.documents:
        assert not re.match(r"^\S{0,12}讯", doc.paragraphs[0]), doc.id


def test_provenance_lists_the_steps_that_changed_each_article(built):
    steps = {doc.id: doc.cleaning for doc in built.documents}
    assert steps["001_57913b3c0947ebcd-1"] == ["drop_docx_bookmarks"]
    assert "drop_web_footers" in steps["002_9ab9940bbe7d05f2-1"]
    assert "convert_to_simplified" in steps["002_9ab9940bbe7d05f2-1"]
    assert "close_letter_spacing" in steps["003_965f9f73789f87fc-2"]
    assert "close_letter_spacing" not in steps["003_965f9f73789f87fc-1"]
    assert "drop_page_numbers" in steps["004_f562871e1ea2871e-2"]
    assert "drop_page_numbers" not in steps["004_f562871e1ea2871e-1"]
    # 004's lines are already paragraphs: no line was joined.
    assert "join_wrapped_lines" not in steps["004_f562871e1ea2871e-1"]
    assert "join_wrapped_lines" in steps["000_f73564b879444066-1"]


def test_seeds_are_never_modified(tmp_path):
    import hashlib

    from policy_archive.cli import main

    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*")}
    assert main(["--seeds", str(SEEDS), "--docs", str(tmp_path / "docs"), "-q"]) == 0
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*")}
    assert before == after
