"""Attack cases a pull request could carry, run through the real command line.

Each case writes a hostile corrections file, lexicon or seed into a scratch project and runs
``build_archive.py`` as CI would. Whatever the input, the build must end in one line naming
the file (and the line where there is one), exit 1, no traceback, and docs/ unchanged.
(Hostile seed names, symlinked seeds and declared codecs are in test_attacks_ingest.py; the
docs/ swap and manifest in test_atomic.py; script in a reader's browser in test_hostile.py.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from policy_archive import pipeline
from policy_archive.yamlfile import MAX_BYTES, MAX_DEPTH
from tests.conftest import ROOT, SEEDS

S003 = "003_965f9f73789f87fc"

# A "billion laughs": nine levels of ten aliases each. PyYAML would expand it into 10⁹ items.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

CORRECTIONS_ATTACKS = {
    "alias bomb": (ALIAS_BOMB, ":1: invalid YAML: anchors and aliases (& and *) are not allowed"),
    "list containing itself": ("articles: &a [*a]\n",
                               ":1: invalid YAML: anchors and aliases (& and *) are not allowed"),
    "merge key": ("base: &b {title: x}\narticles:\n  1:\n    <<: *b\n",
                  ":1: invalid YAML: anchors and aliases (& and *) are not allowed"),
    "deep nesting": ("articles: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
                     f":1: invalid YAML: nested deeper than {MAX_DEPTH} levels"),
    "deeper than Python's recursion": ("x: " + "[" * 5000 + "]" * 5000 + "\n",
                                       f"nested deeper than {MAX_DEPTH} levels"),
    "huge file": ("# " + "x" * MAX_BYTES + "\n", f"over the limit of {MAX_BYTES:,} for a YAML file"),
    "lone surrogate": ('articles:\n  1:\n    title:\n      value: "\\ud800"\n      reason: r\n',
                       ":4: a lone surrogate"),
    "escape control": ('articles:\n  1:\n    title:\n      value: "\\x1b[31m"\n      reason: r\n',
                       ":4: control character U+001B is not allowed (written as an escape)"),
    "escape NEL": ('articles:\n  1:\n    title:\n      value: "a\\x85b"\n      reason: r\n',
                   ":4: control character U+0085 is not allowed (written as an escape)"),
    "typed NUL": ("articles:\n  1:\n    title:\n      value: a\x00b\n",
                  ":4: column 15: control character U+0000 is not allowed"),
    "typed bidi override": ("articles:\n  1:\n    title:\n      value: 会议\u202e通过\n",
                            ":4: column 16: bidirectional control U+202E is not allowed"),
    "not UTF-8": (b"articles:\n  1: \xff\n", ":2: not valid UTF-8"),
    "a tag that builds an object": ("x: !!python/object/apply:os.system ['true']\n",
                                    ":1: invalid YAML: tags (! and !!) are not allowed"),
}


def run_build(seeds: Path, docs: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_archive.py"), "-q", "--seeds",
                           str(seeds), "--docs", str(docs), *extra],
                          cwd=seeds.parent, capture_output=True, text=True, timeout=120,
                          check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    """A scratch project with one real seed, built once."""
    root = tmp_path_factory.mktemp("attacks")
    seeds = root / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{S003}.txt", seeds)
    assert run_build(seeds, root / "docs").returncode == 0
    return seeds, root / "docs"


@pytest.mark.parametrize("case", list(CORRECTIONS_ATTACKS))
def test_a_hostile_corrections_file_stops_the_build_with_its_line(project, case):
    seeds, docs = project
    text, expected = CORRECTIONS_ATTACKS[case]
    path = seeds / f"{S003}.corrections.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = tree(docs)
    try:
        result = run_build(seeds, docs)
    finally:
        path.unlink()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: seeds/{S003}.corrections.yml:"), lines[0]
    assert expected in lines[0]
    assert tree(docs) == before


def test_a_seed_that_splits_into_too_many_articles_is_refused_before_processing(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    line = "本报讯（记者张三）会议指出，要做好工作。\n"
    (seeds / "many.txt").write_text(line * (pipeline.MAX_DOCUMENTS_PER_SEED + 50),
                                    encoding="utf-8")
    result = run_build(seeds, tmp_path / "docs")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {(seeds / 'many.txt').as_posix()}:{pipeline.MAX_DOCUMENTS_PER_SEED + 1}: "
        f"splits into {pipeline.MAX_DOCUMENTS_PER_SEED + 50} articles, over the limit of "
        f"{pipeline.MAX_DOCUMENTS_PER_SEED} per seed; a page with more articles goes into "
        "several seeds")
    assert not (tmp_path / "docs").exists()


def test_a_fix_with_a_large_count_applies_everywhere_it_says(tmp_path):
    # Linear in the count (the paragraph of each match is found by bisection): every one of
    # the matches is replaced and the note lists each paragraph once.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    paragraphs = ["会议强调，要抓好落实工作。" * 40 for _ in range(60)]
    (seeds / "long.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    count = 40 * 60
    (seeds / "long.corrections.yml").write_text(textwrap.dedent(f"""
        articles:
          1:
            fixes:
              - find: 落实
                replace: 贯彻
                count: {count}
                reason: 测试
        """), encoding="utf-8")
    result = pipeline.build_documents(seeds)
    (doc,) = result.documents
    assert "落实" not in "".join(doc.paragraphs)
    assert "".join(doc.paragraphs).count("贯彻") == count
    note = doc.corrections[0]
    assert note.paragraphs == tuple(range(1, len(doc.paragraphs) + 1))


@pytest.mark.parametrize(("data_file", "edit", "expected"), [
    ("initiatives.yml", ("  - slug: ", '  - slug: "x)<img src=x onerror=alert(1)>"  # '),
     "initiatives[0].slug: slug 'x)<img src=x onerror=alert(1)>' may hold only ASCII"),
    ("bodies.yml", ("  - name: ", "  - name: 会议\u202e"),
     "bidirectional control U+202E is not allowed"),
])
def test_a_hostile_lexicon_entry_stops_the_build_with_its_file_and_line(tmp_path, data_file,
                                                                         edit, expected):
    # The lexicons are read from the package, so the test builds a copy of the project.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "policy_archive", project / "policy_archive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build_archive.py", project)
    shutil.copytree(SEEDS, project / "seeds")
    path = project / "policy_archive/data" / data_file
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "build_archive.py", "-q"], cwd=project,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert expected in line
    assert line.startswith(f"error: policy_archive/data/{data_file}:")
    assert not (project / "docs").exists()


def test_a_date_the_calendar_has_not_is_a_warning_not_a_traceback(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad_date.txt").write_text("全会于2022年2月28日至30日在成都举行。\n会议强调，要抓好落实。\n",
                                        encoding="utf-8")
    result = run_build(seeds, tmp_path / "docs")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "not a calendar date" in result.stderr


def test_a_symlinked_registry_of_permanent_ids_is_refused(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{S003}.txt", seeds)
    (tmp_path / "docs" / "data").mkdir(parents=True)
    (tmp_path / "docs" / "data" / "permanent_ids.json").symlink_to("/etc/passwd")
    result = run_build(seeds, tmp_path / "docs")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("permanent_ids.json: a symbolic link; docs/ holds files only")
    assert "root:" not in result.stderr
