"""Formulations (提法) found by their shape: the hand-marked cases, variants reaching one
entry, the lexicon's authority, the model round trip, the pages, the curator's report, and
the index measured against what a reader marks in the seeds."""

from __future__ import annotations

import re

import pytest
import yaml

from benchmarks.formulations import case_found, read_cases, seed_scores
from policy_archive import model
from policy_archive.cli import main
from policy_archive.extract.formulations import (
    document_formulations,
    find_formulations,
    formulation_slug,
    normalise,
)
from policy_archive.extract.initiatives import document_initiatives
from policy_archive.ids import is_segment
from policy_archive.render import render_archive
from tests.conftest import SEEDS


def _cases() -> list:
    return [
        pytest.param(c, id=c["label"], marks=pytest.mark.xfail(strict=True, reason=c["xfail"]))
        if c.get("xfail") else pytest.param(c, id=c["label"])
        for c in read_cases()
    ]


@pytest.mark.parametrize("case", _cases())
def test_formulation_case(case):
    assert case_found(case) == {normalise(str(m)) for m in case["marked"]}


def test_every_found_formulation_says_which_rule_found_it():
    found = find_formulations("坚定“四个自信”，落实十五条硬措施，打好蓝天、碧水、净土保卫战，"
                              "实施种业振兴行动，建设平安四川")
    assert [(f.rule, f.evidence) for f in found] == [
        ("quoted", "引号"), ("numbered", "数词 十五条"), ("series", "并列，共用中心词 保卫战"),
        ("programme", "中心词 行动"), ("brand", "品牌词加地名")]


def test_variants_reach_one_entry():
    # Quotation marks, script and spacing: one name, one slug, one page.
    names = {normalise(p) for p in ("“两个结合”", "「兩個結合」", "两个 结合", "『两个结合』")}
    assert names == {"两个结合"}
    slugs = {formulation_slug(p) for p in ("“两个结合”", "「兩個結合」", "两个　结合")}
    assert len(slugs) == 1 and is_segment(slugs.pop())
    found, _ = document_formulations(["坚持“两个结合”。", "深刻领会「兩個結合」。"], [])
    assert [(f.name, f.paragraphs) for f in found] == [("两个结合", [1, 2])]


def test_the_lexicon_is_the_authority():
    # A found phrase that is a lexicon form, or its abbreviation, or the form with a head
    # noun, joins the lexicon entry; nothing is counted twice.
    paragraphs = ["推动成渝地区 双城经济圈建设。", "大力实施乡村振兴战略，推进大院大所“聚源兴川”行动。"]
    found, lexicon = document_formulations(paragraphs, document_initiatives(paragraphs))
    assert found == []
    by_slug = {m.slug: m.spans for m in lexicon}
    assert by_slug["chengyu-economic-circle"] == (model.Span(1, 7, 12),)
    assert set(by_slug) == {"chengyu-economic-circle", "rural-revitalisation",
                            "juyuan-xingchuan"}
    # A phrase that holds a lexicon form and more is a formulation of its own.
    found, _ = document_formulations(["建设新时代更高水平“天府粮仓”示范区。"],
                                     document_initiatives(["建设新时代更高水平“天府粮仓”示范区。"]))
    assert [f.name for f in found] == ["天府粮仓示范区"]


def test_the_stoplist_rejects_a_found_phrase():
    assert find_formulations("适时开展“回头看”，确保“开门红”") == []
    assert [f.name for f in find_formulations("适时开展“回头审”")] == ["回头审"]


def test_members_link_to_their_set():
    paragraphs = ["两地印发《甲乙卫生协同三项行动》。", "第一，机制健全行动。包括……",
                  "第二，“一老一小”服务提质行动。", "第三，毗邻地区协作行动。"]
    found, _ = document_formulations(paragraphs, [])
    whole = next(f for f in found if f.rule == "programme")
    assert whole.name == "甲乙卫生协同三项行动" and "成套" in whole.evidence
    members = [f for f in found if f.rule == "member"]
    assert [m.name for m in members] == ["机制健全行动", "一老一小服务提质行动", "毗邻地区协作行动"]
    assert {m.member_of for m in members} == {whole.slug}


def test_formulations_survive_the_build_cache_round_trip(built):
    doc = next(d for d in built.documents if d.formulations)
    again = model.from_data(model.Document, model.to_data(doc))
    assert again.formulations == doc.formulations
    assert isinstance(again.formulations[0], model.FormulationMention)
    assert isinstance(again.formulations[0].spans[0], model.Span)


@pytest.fixture(scope="module")
def files(built):
    return render_archive(built.documents)


def test_uncurated_page_is_marked_and_quotes_every_mention(files, built):
    slug = formulation_slug("蓝天、碧水、净土保卫战")
    page = files[f"initiatives/{slug}.md"]
    assert "未收录词表" in page and "并列，共用中心词 保卫战" in page
    # Out of the site's search: its contexts would crowd out the documents it quotes.
    assert "search:\n  exclude: true\n---" in page
    assert "search:" not in files["initiatives/two-establishes.md"]
    assert "English" not in page
    # Every mention in context, linking to its paragraph; first and last; years; bodies.
    assert page.count("<mark>蓝天、碧水、净土保卫战</mark>") == 2 + 2
    assert "../../documents/001_57913b3c0947ebcd-1/#p-4" in page
    assert "2022年 1 篇 1 处，2023年 1 篇 1 处" in page
    assert '<a href="../../bodies/sc-party-standing-committee/">' in page


def test_uncurated_page_shows_the_printed_forms_it_collapses(files):
    page = files[f"initiatives/{formulation_slug('一老一小服务提质行动')}.md"]
    assert "# 一老一小服务提质行动" in page
    assert "<dt>原文写法</dt><dd>“一老一小”服务提质行动</dd>" in page


def test_curated_page_shows_english_description_and_bodies(files):
    page = files["initiatives/two-establishes.md"]
    assert "<dt>English</dt><dd>the “Two Establishes”</dd>" in page
    assert "十九届六中全会" in page and "<dt>使用机构</dt>" in page


def test_set_and_members_link_each_other(files, built):
    whole = formulation_slug("卫生健康一体化发展十项行动")
    member = formulation_slug("公共卫生协同行动")
    assert f'<dt>所属</dt><dd><a href="../{whole}/">' in files[f"initiatives/{member}.md"]
    members = re.search(r"<dt>成员</dt><dd>(.*)</dd>", files[f"initiatives/{whole}.md"])
    assert members and members.group(1).count("<a href=") == 10
    assert members.group(1).index("工作机制健全完善行动") < members.group(1).index("毗邻地区")


def test_index_lists_curated_and_uncurated_apart_by_frequency(files):
    index = files["initiatives/index.md"]
    assert "## 词表收录" in index and "## 未收录词表" in index
    assert "](uncurated.md)" in index
    listing = files["initiatives/uncurated.md"]
    rows = [line for line in listing.splitlines() if line.startswith("| [")]
    counts = [int(row.split(" | ")[1]) for row in rows]  # 篇数, the column after the name
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert not any("两个确立" in row for row in rows)  # curated, so listed with the lexicon
    assert "[两个确立](two-establishes.md)" in index


def test_document_page_links_its_uncurated_formulations(files):
    page = files["documents/001_57913b3c0947ebcd-1.md"]
    slug = formulation_slug("美丽四川")
    row = re.search(r"<dt>提法（未收录词表）</dt><dd>(.*)</dd>", page)
    assert row and f'<a href="../../initiatives/{slug}/">美丽四川</a>' in row.group(1)


def test_candidates_print_entries_to_paste(tmp_path, capsys):
    docs = tmp_path / "docs"
    assert main(["--seeds", str(SEEDS), "--docs", str(docs), "--candidates", "--no-cache",
                 "-q"]) == 0
    out = capsys.readouterr().out
    assert not docs.exists()  # writes nothing
    entries = yaml.safe_load(out)
    names = [e["name"] for e in entries]
    assert names[0] == "美丽四川" and "两个确立" not in names
    assert all(e["english"] == "TODO" and e["slug"].startswith("TODO-f-") for e in entries)
    first_comment = next(line for line in out.splitlines() if line.startswith("  #"))
    assert "4×" in first_comment and "【美丽四川】" in first_comment


def test_index_on_the_seeds_holds_what_a_reader_marks(built):
    """Done when: four in five marked formulations are in the index, six in seven of the
    index's entries are formulations (figures: benchmarks/formulations.py)."""
    score = seed_scores(built.documents)
    assert score.recall >= 4 / 5, score.misses
    assert score.precision >= 6 / 7, score.false


def test_numbered_pattern_matches_as_written_with_the_lookbehind_first():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policy_archive.extract import formulations

    c = formulations.cues()
    han = formulations._HAN
    ends = "|".join(map(re.escape, c.numbered_tail_ends))
    written = re.compile(  # the lookbehind where it reads naturally: before the numeral
        f"(?<![第{c.numerals}0-9])([{c.numerals.replace('一', '')}][{c.numerals}]*)"
        f"([{c.measures}])([{han}]{{2,4}}?)(?=$|[^{han}]|{ends})")
    alphabet = "第一二两三四五十百个项条大确立硬措施0123，。“”" + c.measures[:8]

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=14))
    def check(text):
        def spans(pattern):
            return [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert spans(formulations._numbered()) == spans(written)

    check()
