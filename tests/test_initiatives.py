"""Initiatives: lexicon matching with variants, no generic phrases, curator notes."""

from __future__ import annotations

from pathlib import Path

from policy_archive.cli import main
from policy_archive.extract.initiatives import (
    document_initiatives,
    find_initiatives,
    initiatives,
)
from policy_archive.model import Span


def names(text: str) -> list[str]:
    return [m.initiative.name for m in find_initiatives(text)]


def test_variants_resolve_to_the_canonical_name():
    assert names("为重庆及双城经济圈提供人才支撑") == ["成渝地区双城经济圈"]
    assert names("推动城乡融合、五区共兴") == ["四化同步、城乡融合、五区共兴"]


def test_longest_form_wins_so_a_mention_counts_once():
    found = find_initiatives("推动成渝地区双城经济圈建设")
    assert [(m.printed, m.initiative.slug) for m in found] == [
        ("成渝地区双城经济圈", "chengyu-economic-circle")
    ]


def test_no_false_hits_on_generic_phrases():
    for text in ("推进城乡融合发展", "建设都市圈和经济圈", "发展新质量", "一带发展", "加快粮仓建设",
                 "天府第二粮仓", "十大行动", "四好", "新通道建设"):
        assert find_initiatives(text) == [], text


def test_document_initiatives_lists_paragraphs():
    found = document_initiatives(["发展新质生产力。", "无。", "培育新质生产力，建设天府粮仓。"])
    assert [(m.name, m.slug, m.paragraphs) for m in found] == [
        ("新质生产力", "new-quality-productive-forces", [1, 3]),
        ("天府粮仓", "tianfu-granary", [3]),
    ]
    # Where each mention stands, so the index pages quote it without matching again.
    assert found[0].spans == (Span(1, 2, 7), Span(3, 2, 7))


def test_seed_initiatives(built):
    by_id = {d.id: {i.name for i in d.initiatives} for d in built.documents}
    assert {"新质生产力", "聚源兴川", "三强计划", "枫桥经验", "成渝地区双城经济圈"} <= by_id[
        "000_f73564b879444066-1"
    ]
    assert {"成渝健康圈", "成渝地区双城经济圈"} <= by_id["000_f73564b879444066-3"]
    assert "天府粮仓" in by_id["001_57913b3c0947ebcd-1"]
    assert {"四好农村路", "千万工程", "一带一路", "西部陆海新通道"} <= by_id["003_965f9f73789f87fc-2"]
    assert {"四化同步、城乡融合、五区共兴", "碳达峰十大行动"} <= by_id["004_f562871e1ea2871e-1"]
    # The lexicon names only what the seeds name, plus nothing generic.
    used = set().union(*by_id.values())
    assert used <= {i.name for i in initiatives()}


def test_build_prints_notes_in_a_fixed_order(tmp_path: Path, capsys):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert main(["--seeds", str(seeds), "--docs", str(tmp_path / "a")]) == 0
    first = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert main(["--seeds", str(seeds), "--docs", str(tmp_path / "b")]) == 0
    second = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert first == second and first
    assert len(first) == 1 and "--candidates" in first[0] and "“美丽四川” 4×" in first[0]
    assert not any("天府粮仓" in line for line in first)
