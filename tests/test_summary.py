"""The pull-request summary (policy_archive.summary) and the documented command-line options."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from policy_archive import summary
from policy_archive.cli import main, parser
from tests.conftest import ROOT, SEEDS

S003 = "003_965f9f73789f87fc"


def _seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEEDS / f"{S003}.txt", folder)
    return folder


def test_summary_shows_fields_notes_and_paragraphs(tmp_path, capsys):
    seeds = _seeds(tmp_path)
    base_docs = tmp_path / "base"
    assert main(["--seeds", str(seeds), "--docs", str(base_docs), "-q"]) == 0
    (seeds / f"{S003}.corrections.yml").write_text(
        "articles:\n"
        "  1:\n"
        "    date: {value: 2024-06-13, reason: 见报日期}\n"
        "    fixes:\n"
        "      - {find: 实绩实效。, replace: 实绩成效。, reason: 测试}\n",
        encoding="utf-8",
    )
    code = summary.main(["--base-file", str(base_docs), "--seeds", str(seeds)])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 → 3 documents; 0 added, 0 removed, 1 changed, 2 unchanged." in out
    assert f"### Changed: `{S003}-1`" in out
    assert "| date | 2024-06-12 | 2024-06-13 |" in out
    assert "| date_inferred | true | false |" in out
    assert "- new: date: 2024-06-12 → 2024-06-13 — 见报日期" in out
    assert "p-3: …托，推动各项工作取得实绩[-实-]{+成+}效。" in out


def test_summary_added_removed_and_unchanged(tmp_path, capsys):
    seeds = _seeds(tmp_path)
    empty = tmp_path / "empty.json"
    empty.write_text('{"schema_version": 1, "documents": []}\n', encoding="utf-8")
    assert summary.main(["--base-file", str(empty), "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "0 → 3 documents; 3 added" in out and "### Added" in out
    base = tmp_path / "docs"
    assert main(["--seeds", str(seeds), "--docs", str(base), "-q"]) == 0
    assert summary.main(["--base-file", str(base), "--seeds", str(seeds)]) == 0
    assert "The archive's documents are unchanged." in capsys.readouterr().out
    (seeds / f"{S003}.txt").unlink()
    shutil.copy(SEEDS / "001_57913b3c0947ebcd.txt", seeds)
    assert summary.main(["--base-file", str(base), "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "3 removed" in out and f"- `{S003}-2`" in out


def test_summary_against_a_git_revision(capsys, monkeypatch):
    # HEAD of this repository holds docs/data/documents.json; the build is the working tree.
    monkeypatch.chdir(ROOT)
    assert main(["--summary", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Archive changes · 档案变更\n")
    assert "Compared with `HEAD`:" in out


def test_summary_bad_revision_is_an_error(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert summary.main(["--base", "no-such-revision-xyz"]) == 1
    assert capsys.readouterr().err.startswith("error: git show no-such-revision-xyz:")


def test_every_option_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for p in (parser(), summary.parser()):
        for action in p._actions:
            for option in action.option_strings:
                if option in ("-h", "--help"):
                    continue
                assert re.search(rf"`{re.escape(option)}[ `]", readme), f"{p.prog} {option}"
