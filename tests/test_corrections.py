"""Corrections files (seeds/<stem>.corrections.yml): each kind of correction, each error.

The seeds are copied into a scratch folder with a corrections file written by the test, so
the real seeds/ and docs/ are never touched. Errors are checked by their whole message:
a contributor reads nothing else, so the file, the line and the problem must all be there.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest

from policy_archive.cli import main
from policy_archive.corrections import (
    CorrectionsError,
    apply_overrides,
    parse_corrections,
)
from policy_archive.ingest import SeedError, declared_encoding
from policy_archive.model import BodyRole, Document, InitiativeMention
from policy_archive.pipeline import build_documents
from policy_archive.render.markdown import document_page
from tests.conftest import SEEDS

S003 = "003_965f9f73789f87fc"
S002 = "002_9ab9940bbe7d05f2"
S004 = "004_f562871e1ea2871e"


def seeds_with(tmp_path: Path, files: dict[str, str], seeds: tuple[str, ...] = (S003,)) -> Path:
    """A scratch seeds folder: copies of real seeds plus the given corrections files."""
    folder = tmp_path / "seeds"
    folder.mkdir(parents=True, exist_ok=True)
    for stem in seeds:
        shutil.copy(SEEDS / f"{stem}.txt", folder / f"{stem}.txt")
    for stem, text in files.items():
        path = folder / f"{stem}.corrections.yml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def build(tmp_path: Path, files: dict[str, str], seeds: tuple[str, ...] = (S003,)) -> dict:
    result = build_documents(seeds_with(tmp_path, files, seeds))
    return {doc.id: doc for doc in result.documents}


def error_of(tmp_path: Path, files: dict[str, str], seeds: tuple[str, ...] = (S003,)) -> str:
    # SeedError too: ingest reads the file first, for its encoding key, and stops on bad YAML.
    with pytest.raises((CorrectionsError, SeedError)) as caught:
        build(tmp_path, files, seeds)
    return str(caught.value)


def notes(doc: Document) -> list[dict]:
    return [note.record() for note in doc.corrections]


# --- each kind of correction ------------------------------------------------------------


def test_title_correction_marks_the_title_as_corrected(tmp_path):
    docs = build(tmp_path, {S003: """
        articles:
          1:
            title:
              value: 吃透精神实质　把握重点任务
              reason: 版面上第三行是另一篇的标题
              evidence: 原报 2024年6月13日 第 2 版
        """})
    doc = docs[f"{S003}-1"]
    assert doc.title == "吃透精神实质　把握重点任务"
    assert doc.title_source == "corrected"
    assert notes(doc)[0] == {
        "field": "title",
        "before": "吃透精神实质　把握重点任务　推动各项工作取得实绩实效",
        "after": "吃透精神实质　把握重点任务",
        "reason": "版面上第三行是另一篇的标题",
        "evidence": "原报 2024年6月13日 第 2 版",
    }
    assert notes(doc)[1]["field"] == "title_source"
    page = document_page(doc)
    assert "## 校勘记 {#corrections}" in page
    assert "校订标题" in page
    assert "<del>吃透精神实质　把握重点任务　推动各项工作取得实绩实效</del>" in page
    assert "理由：版面上第三行是另一篇的标题" in page


def test_headline_fields_outlet_reporters_and_dateline(tmp_path):
    docs = build(tmp_path, {S003: """
        articles:
          2:
            reason: 核对原报版面
            kicker: 永川区委常委会召开会议（扩大）
            subtitle: null
            outlet: 渝西都市报社
            reporters: [彭禹乔, 张三]
            dateline: 本报讯（渝西都市报记者彭禹乔　张三）
        """})
    doc = docs[f"{S003}-2"]
    assert doc.kicker == "永川区委常委会召开会议（扩大）"
    assert doc.subtitle is None
    assert doc.outlet == "渝西都市报社"
    assert doc.reporters == ["彭禹乔", "张三"]
    assert doc.dateline == "本报讯（渝西都市报记者彭禹乔　张三）"
    assert doc.title_source == "printed"  # only a corrected title changes it
    assert {n["field"] for n in notes(doc)} == {"kicker", "subtitle", "outlet", "reporters",
                                                "dateline"}
    assert all(n["reason"] == "核对原报版面" for n in notes(doc))


def test_corrected_date_is_no_longer_inferred_and_drops_the_automatic_evidence(tmp_path):
    docs = build(tmp_path, {S003: """
        articles:
          1:
            date:
              value: 2024-06-13
              reason: 会议次日见报，电头日期有误
        """})
    doc = docs[f"{S003}-1"]
    assert (doc.date, doc.date_precision, doc.date_inferred, doc.date_evidence) == (
        "2024-06-13", "day", False, None)
    fields = [n["field"] for n in notes(doc)]
    assert fields == ["date", "date_inferred", "date_evidence"]
    assert notes(doc)[1] == {"field": "date_inferred", "before": True, "after": False,
                             "reason": "会议次日见报，电头日期有误"}


def test_date_range_month_precision_and_stated_inference(tmp_path):
    docs = build(tmp_path, {S003: """
        articles:
          3:
            date: {value: "2024-06", reason: 只能确定月份}
            date_inferred: {value: true, reason: 由同版报道推定}
            date_evidence: {value: 同版报道均为6月, reason: 推定依据}
          2:
            date: {value: 2024-06-11, reason: 会议开了两天}
            date_end: {value: 2024-06-12, reason: 会议开了两天}
        """})
    third = docs[f"{S003}-3"]
    assert (third.date, third.date_precision, third.date_inferred, third.date_evidence) == (
        "2024-06", "month", True, "同版报道均为6月")
    second = docs[f"{S003}-2"]
    assert (second.date, second.date_end) == ("2024-06-11", "2024-06-12")


def test_fixes_apply_before_extraction(tmp_path):
    # The date is read from the corrected lead: a fix of the printed date moves the date.
    docs = build(tmp_path, {S003: """
        articles:
          1:
            fixes:
              - find: 6月12日，永川区委副书记
                replace: 6月11日，永川区委副书记
                reason: 测试：日期在正文中改正
              - find: 会议
                replace: 会　议
                count: 2
                paragraph: 2
                reason: 测试：限定段落
        """})
    doc = docs[f"{S003}-1"]
    assert doc.date == "2024-06-11"
    assert doc.paragraphs[1].count("会　议") == 2
    assert notes(doc)[0] == {"fix": "text", "paragraphs": [1], "before": "6月12日，永川区委副书记",
                             "after": "6月11日，永川区委副书记", "reason": "测试：日期在正文中改正"}
    assert notes(doc)[1]["count"] == 2
    page = document_page(doc)
    assert '正文第 <a href="#p-2">2</a> 段' in page and "（共 2 处）" in page


def test_fix_can_join_paragraphs_and_delete_text(tmp_path):
    docs = build(tmp_path, {S003: """
        articles:
          1:
            fixes:
              - find: "列席会议。\\n会议指出"
                replace: "列席会议。会议指出"
                reason: 测试：误分的段落
              - find: "（送审稿）"
                replace: ""
                reason: 测试：删除
        """})
    doc = docs[f"{S003}-1"]
    assert len(doc.paragraphs) == 5
    assert "（送审稿）" not in doc.paragraphs[0]
    assert "→ 删去" in document_page(doc)


def test_fix_in_the_original_script(tmp_path):
    docs = build(tmp_path, {S002: """
        articles:
          1:
            fixes:
              - find: 牽掛著
                replace: 牽掛着
                in: original
                reason: 测试：繁体原文
        """}, seeds=(S002,))
    doc = docs[f"{S002}-1"]
    assert "牽掛着" in doc.paragraphs_original[1]
    assert notes(doc)[0]["fix"] == "original"


def test_bodies_and_initiatives_against_the_lexicons(tmp_path):
    # The real lexicons: a body named by its slug, an initiative by its name.
    docs = build(tmp_path, {S003: """
        articles:
          3:
            bodies_add:
              value: [{name: yc-party-standing-committee, role: held}]
              reason: 区委外事工作委员会会议由区委召开
            initiatives_add: [川渝通办]
            reason: 测试
        """})
    doc = docs[f"{S003}-3"]
    added = [b for b in doc.bodies if b.name == "中共重庆市永川区委常委会"]
    assert added == [BodyRole("中共重庆市永川区委常委会", "yc-party-standing-committee", "held", "",
                              surface="")]
    assert InitiativeMention("川渝通办", "sichuan-chongqing-services") in doc.initiatives
    assert notes(doc)[0] == {"field": "bodies", "before": None,
                             "after": "中共重庆市永川区委常委会（role: held）",
                             "reason": "区委外事工作委员会会议由区委召开"}
    # Removing: what the correction removes must be there.
    seeds = seeds_with(tmp_path / "b", {S003: """
        articles:
          3:
            bodies_remove: {value: [yc-party-standing-committee], reason: 测试}
        """})
    spec = parse_corrections(seeds / f"{S003}.corrections.yml")
    doc.bodies = [BodyRole("中共重庆市永川区委常委会", "yc-party-standing-committee", "held", "")]
    doc.corrections = []
    apply_overrides(spec, doc)
    assert doc.bodies == []
    assert doc.corrections[0].before == "中共重庆市永川区委常委会"
    with pytest.raises(CorrectionsError, match="is not among the bodies of article 3"):
        apply_overrides(spec, doc)


def test_split_names_article_starts_and_headline_lines(tmp_path):
    # 003's second and third reports made one article; the headline of the third kept as
    # body text: a wrong split a person can still describe.
    docs = build(tmp_path, {S003: """
        split:
          reason: 测试：合并两篇
          articles:
            - 1
            - {start: 108, headline: [268-273]}
        """})
    assert sorted(docs) == [f"{S003}-1", f"{S003}-2"]  # ids stay <stem>-<position>
    second = docs[f"{S003}-2"]
    assert second.lines == (108, 371)
    assert second.kicker == "永川区委常委会召开会议"
    assert notes(second)[0] == {"field": "lines", "before": {"lines": [108, 274]},
                                "after": {"lines": [108, 371]}, "reason": "测试：合并两篇"}
    assert not notes(docs[f"{S003}-1"])  # article 1 is as the automatic split made it
    assert "第 108–371 行" in document_page(second)


def test_split_without_headline_infers_the_title(tmp_path):
    docs = build(tmp_path, {S004: """
        split:
          reason: 测试：第 28 行不当作标题
          articles: [1, {start: 28, headline: []}]
        """}, seeds=(S004,))
    doc = docs[f"{S004}-2"]
    assert doc.title_source == "inferred"
    assert notes(doc)[0]["after"] == {"lines": [28, 143], "headline": []}
    assert "第 28–143 行，无标题行" in document_page(doc)


def test_corrections_survive_a_rebuild_and_check(tmp_path, capsys):
    seeds = seeds_with(tmp_path, {S003: """
        articles:
          2:
            subtitle: {value: 区委书记张智奎主持, reason: 测试}
        """})
    docs = tmp_path / "docs"
    args = ["--seeds", str(seeds), "--docs", str(docs), "-q"]
    assert main(args) == 0
    assert main(args) == 0  # the second build finds everything in place
    page = (docs / "documents" / f"{S003}-2.md").read_text(encoding="utf-8")
    assert "## 校勘记 {#corrections}" in page and "subtitle: 区委书记张智奎主持" in page
    assert main([*args, "--check"]) == 0
    (seeds / f"{S003}.corrections.yml").write_text(
        "articles:\n  2:\n    subtitle: {value: 区委书记主持, reason: 测试}\n", encoding="utf-8")
    assert main([*args, "--check"]) == 3
    assert f"differs: docs/documents/{S003}-2.md" in capsys.readouterr().err
    assert main([*args, "--dry-run"]) == 0
    assert f"would update: docs/documents/{S003}-2.md" in capsys.readouterr().out
    assert "subtitle: 区委书记张智奎主持" in (docs / "documents" / f"{S003}-2.md").read_text(
        encoding="utf-8")  # --check and --dry-run wrote nothing


def test_corrections_fit_the_dataset_schema(tmp_path):
    import json

    import jsonschema

    from policy_archive.render.dataset import dataset_json
    from tests.conftest import ROOT

    seeds = seeds_with(tmp_path, {S003: """
        articles:
          1:
            title: {value: 新标题, reason: 测试, evidence: 原报}
            fixes: [{find: 会议, replace: 会　议, count: 8, reason: 测试}]
        split: {reason: 测试, articles: [1, 108]}
        """})
    schema = json.loads((ROOT / "schema" / "documents.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(dataset_json(build_documents(seeds).documents)), schema)


def test_error_body_added_without_role(tmp_path):
    message = error_of(tmp_path, {S003: "articles:\n  1:\n    bodies_add: {value: "
                                        "[中共重庆市永川区委常委会], reason: x}\n"})
    assert message == (f"{_path(tmp_path)}:3: articles.1.bodies_add.value[0]: a body added needs "
                       "its role: {name: …, role: …}, role one of held, issued, presided")


# --- each error, with its message --------------------------------------------------------


def _path(tmp_path: Path, stem: str = S003) -> str:
    return (tmp_path / "seeds" / f"{stem}.corrections.yml").as_posix()


def test_error_fix_count(tmp_path):
    message = error_of(tmp_path, {S003: """
        # a comment line
        articles:
          2:
            fixes:
              - find: 会议
                replace: 会　议
                count: 1
                reason: 测试
        """})
    assert message == (f'{_path(tmp_path)}:5: articles.2.fixes[0]: find "会议" matches 10 times '
                       "in article 2, count says 1")


def test_error_fix_matches_nowhere(tmp_path):
    message = error_of(tmp_path, {S003: """
        articles:
          1:
            fixes:
              - {find: 不存在的词, replace: 词, reason: 测试}
        """})
    assert message.endswith('articles.1.fixes[0]: find "不存在的词" matches 0 times in article 1, '
                            "count says 1")


# Each error a corrections file can hold: (the file, the message after "seeds/…yml:", and
# whether the message must be exactly that or only start with it, where it goes on to quote
# the YAML parser or list the known fields).
SIMPLE_ERRORS = [
    pytest.param("articles:\n  1:\n    titel: 标题\n    reason: 测试\n",
                 "3: articles.1.titel: unknown field 'titel'", False, id="unknown-field"),
    pytest.param("articles:\n  1:\n    date_precision: month\n",
                 "3: articles.1.date_precision: date_precision cannot be set: it follows from the "
                 "form of date (YYYY, YYYY-MM or YYYY-MM-DD)", True, id="derived-field"),
    pytest.param("articles:\n  4:\n    title: {value: 标题, reason: 测试}\n",
                 "2: articles.4: article 4 does not exist; the seed has 3 articles", True,
                 id="no-such-article"),
    pytest.param("articles:\n  1:\n    title: [未闭合\n    reason: x\n",
                 "4: invalid YAML:", False, id="invalid-yaml"),
    pytest.param("articles:\n  1:\n    title: 新标题\n",
                 "3: articles.1.title: every correction needs a reason (why is it right?)", True,
                 id="missing-reason"),
    pytest.param("articles:\n  1:\n    date: {value: 2024-02-30, reason: x}\n",
                 "3: articles.1.date.value: date must be YYYY, YYYY-MM or YYYY-MM-DD, "
                 "not '2024-02-30'", True, id="bad-date"),
    pytest.param("articles:\n  1:\n    outlet: {value: 渝西都市报, reason: x}\n",
                 "3: articles.1.outlet: outlet of article 1 is already '渝西都市报' without this "
                 "correction; remove it", True, id="changes-nothing"),
    pytest.param("split:\n  reason: x\n  articles: [1, 500]\n",
                 "3: split.articles[1]: line 500 is past the end of the seed (371 lines)", True,
                 id="split-past-the-end"),
    pytest.param("articles:\n  1:\n    reason: x\n    reason: y\n",
                 "4: duplicate key 'reason'", True, id="duplicate-key"),
]


@pytest.mark.parametrize(("corrections", "expected", "exact"), SIMPLE_ERRORS)
def test_error_names_file_line_and_problem(tmp_path, corrections, expected, exact):
    message = error_of(tmp_path, {S003: corrections})
    expected = f"{_path(tmp_path)}:{expected}"
    assert message == expected if exact else message.startswith(expected), message


def test_error_unknown_lexicon_name(tmp_path):
    # 永川区委常委会 is an alias in the real bodies.yml: the message names the entry.
    message = error_of(tmp_path, {S003: """
        articles:
          1:
            bodies_add: [{name: 永川区委常委会, role: held}]
            reason: x
        """})
    assert message == (f"{_path(tmp_path)}:3: articles.1.bodies_add[0]: '永川区委常委会' is not "
                       "in policy_archive/data/bodies.yml (did you mean '中共重庆市永川区委常委会'?)")


def test_error_corrections_file_without_seed(tmp_path):
    folder = seeds_with(tmp_path, {"003_typo": "articles: {}\n"})
    with pytest.raises(CorrectionsError, match=r"003_typo\.corrections\.yml:1: no seed "
                                               r"003_typo\.txt beside it"):
        build_documents(folder)


def test_error_stops_the_build_and_leaves_docs_untouched(tmp_path, capsys):
    docs = tmp_path / "docs"
    seeds = seeds_with(tmp_path, {})
    assert main(["--seeds", str(seeds), "--docs", str(docs), "-q"]) == 0
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.rglob("*")
              if p.is_file()}
    (seeds / f"{S003}.corrections.yml").write_text(
        "articles:\n  1:\n    fixes:\n      - {find: 没有, replace: 有, reason: x}\n",
        encoding="utf-8")
    assert main(["--seeds", str(seeds), "--docs", str(docs)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and ".corrections.yml:4: articles.1.fixes[0]" in err
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.rglob("*")
             if p.is_file()}
    assert before == after


# --- encoding ----------------------------------------------------------------------------


def test_declared_encoding(tmp_path):
    seed = tmp_path / "x.txt"
    seed.write_bytes("会议".encode("gb18030"))
    assert declared_encoding(seed) is None
    (tmp_path / "x.corrections.yml").write_text("encoding: gb18030\n", encoding="utf-8")
    assert declared_encoding(seed) == "gb18030"
    (tmp_path / "x.corrections.yml").write_text("encoding: gb-nonsense\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"x\.corrections\.yml:1: encoding: 'gb-nonsense' "
                                               "is not a text encoding the archive reads"):
        declared_encoding(seed)


def test_declared_encoding_is_how_the_seed_is_read(tmp_path):
    # policy_archive.ingest decodes a seed with the encoding its corrections file declares.
    folder = seeds_with(tmp_path, {})
    text = (SEEDS / f"{S003}.txt").read_text(encoding="utf-8")
    (folder / f"{S003}.txt").write_bytes(text.encode("gb18030"))
    (folder / f"{S003}.corrections.yml").write_text("encoding: gb18030\n", encoding="utf-8")
    docs = {d.id: d for d in build_documents(folder).documents}
    assert docs[f"{S003}-1"].title.startswith("吃透精神实质")


# --- the real seeds ----------------------------------------------------------------------


def test_every_seed_has_a_corrections_file():
    # The edit button of every document page opens this file (hooks/edit_links.py).
    for seed in SEEDS.glob("*.txt"):
        assert seed.with_name(f"{seed.stem}.corrections.yml").is_file(), seed.name


def test_traditional_particle_zhe_becomes_simplified_zhe(built):
    # 002 writes the particle as 著 (牽掛著, 沿著, 著力); the conversion must give 着 without
    # any correction, and the original-script paragraphs keep 著.
    doc = next(d for d in built.documents if d.id == f"{S002}-1")
    text = "".join(doc.paragraphs)
    assert "著" not in text.replace("显著", "")
    assert "牵挂着" in text and "沿着" in text and text.count("着力") == 2
    assert doc.corrections == []
    assert "著" in "".join(doc.paragraphs_original)


def test_a_fix_names_the_paragraph_by_its_number_on_the_page(tmp_path, built):
    # Section headings take no paragraph number: `paragraph: N` is the page's #p-N.
    from policy_archive.render.markdown import paragraph_anchors

    doc = next(d for d in built.documents if d.id == f"{S004}-2")
    anchors = paragraph_anchors(doc.paragraphs)
    index = next(i for i, a in enumerate(anchors) if a.startswith("p-") and "s-1" in anchors[:i])
    number = int(anchors[index][2:])
    assert number != index + 1  # a heading comes before it
    find = doc.paragraphs[index][:6]
    docs = build(tmp_path, {S004: f"""
        articles:
          2:
            fixes:
              - find: {find}
                replace: {find}〔测〕
                paragraph: {number}
                reason: 测试：段号不计小标题
        """}, seeds=(S004,))
    fixed = docs[f"{S004}-2"]
    assert fixed.paragraphs[index].startswith(f"{find}〔测〕")
    page = document_page(fixed)
    assert f'正文第 <a href="#p-{number}">{number}</a> 段' in page
