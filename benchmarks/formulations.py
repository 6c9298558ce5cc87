#!/usr/bin/env python3
"""Recall and precision of the formulation finder and of the 提法 index, measured.

Two sets, both hand-marked and kept in the tests:

- ``tests/cases/formulations_cases.yml``: short paragraphs written for the tests in the shapes
  of the seeds and of real reports, with negative cases; the finder alone
  (``find_formulations``) is compared with the formulations marked in each, name by name;
- ``tests/cases/formulations_seeds.yml``: the named formulations a reader marks in the seeds;
  the index built from the seeds (lexicon entries and formulations found by shape) is
  compared with it, entry by entry, and so is the lexicon alone (what the index held before
  the finder).

    .venv/bin/python benchmarks/formulations.py            # figures
    .venv/bin/python benchmarks/formulations.py --show     # and the misses and false finds
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policy_archive.extract.formulations import find_formulations, normalise
from policy_archive.model import Document

CASES = ROOT / "tests/cases/formulations_cases.yml"
SEEDS_MARKED = ROOT / "tests/cases/formulations_seeds.yml"


@dataclass
class Score:
    """Counts for recall (marked that were found) and precision (found that were marked)."""

    marked: int = 0
    found_marked: int = 0  # marked items the system holds
    found: int = 0
    found_right: int = 0  # held items that are marked
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_marked / self.marked if self.marked else 1.0

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0


def read_cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def case_found(case: dict) -> set[str]:
    """The names the finder finds in a case's paragraph."""
    return {f.name for f in find_formulations(case["text"])}


def case_scores() -> Score:
    """The finder on every hand-marked paragraph (known misses included)."""
    score = Score()
    for case in read_cases():
        marked = {normalise(str(m)) for m in case["marked"]}
        found = case_found(case)
        score.marked += len(marked)
        score.found_marked += len(marked & found)
        score.found += len(found)
        score.found_right += len(found & marked)
        score.misses += [f"{case['label']}: {m}" for m in sorted(marked - found)]
        score.false += [f"{case['label']}: {f}" for f in sorted(found - marked)]
    return score


def seed_marks() -> list[set[str]]:
    """Each formulation marked in the seeds, as the set of its names."""
    data = yaml.safe_load(SEEDS_MARKED.read_text(encoding="utf-8"))
    return [{normalise(n) for n in (item if isinstance(item, list) else [item])}
            for item in data["marked"]]


def index_names(documents: list[Document], *, lexicon_only: bool = False) -> set[str]:
    """The names of the 提法 index built from ``documents`` (normalised)."""
    names = {normalise(i.name) for doc in documents for i in doc.initiatives}
    if not lexicon_only:
        names |= {f.name for doc in documents for f in doc.formulations}
    return names


def seed_scores(documents: list[Document], *, lexicon_only: bool = False) -> Score:
    """The index against the formulations marked in the seeds, entry by entry."""
    marks = seed_marks()
    held = index_names(documents, lexicon_only=lexicon_only)
    every_mark = set().union(*marks)
    score = Score(marked=len(marks), found=len(held))
    score.found_marked = sum(1 for names in marks if names & held)
    score.found_right = len(held & every_mark)
    score.misses = sorted(min(names) for names in marks if not names & held)
    score.false = sorted(held - every_mark)
    return score


def _print(title: str, score: Score, show: bool) -> None:
    print(f"{title}: recall {score.recall:.3f} ({score.found_marked}/{score.marked}), "
          f"precision {score.precision:.3f} ({score.found_right}/{score.found})")
    if show:
        for line in score.misses:
            print(f"  missed: {line}")
        for line in score.false:
            print(f"  not marked: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and false finds")
    args = parser.parse_args()
    from policy_archive.pipeline import build_documents

    _print("finder on hand-marked paragraphs", case_scores(), args.show)
    documents = build_documents(ROOT / "seeds").documents
    _print("index on the seeds (lexicon and finder)", seed_scores(documents), args.show)
    _print("lexicon alone on the seeds", seed_scores(documents, lexicon_only=True), False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
