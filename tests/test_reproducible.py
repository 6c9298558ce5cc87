"""Reproducible builds: the same inputs give byte-identical docs/, dataset and site/.

What MkDocs itself makes non-deterministic is the build date: ``<lastmod>`` in sitemap.xml
and the gzip header time of sitemap.xml.gz (both the day of the build). hooks/reproducible.py
sets ``SOURCE_DATE_EPOCH`` to the last commit's time when the caller did not; its tests
check that, and the site test compares two full builds byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT, SEEDS, copy_project, load_hook


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _build_docs(docs: Path) -> None:
    # A fresh interpreter each time, so hash randomisation differs between the two builds.
    subprocess.run([sys.executable, str(ROOT / "build_archive.py"), "--seeds", str(SEEDS),
                    "--docs", str(docs), "-q"], cwd=ROOT, check=True, capture_output=True)


def _differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_two_builds_give_identical_docs(tmp_path):
    _build_docs(tmp_path / "a")
    _build_docs(tmp_path / "b")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert "data/documents.json" in a
    assert _differing(a, b) == []


def _load_hook():
    return load_hook("reproducible")


def test_hook_fixes_the_build_date_from_git(monkeypatch):
    hook = _load_hook()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"))
    hook.on_config(config)
    expected = hook.last_commit_time(ROOT)
    assert os.environ.get("SOURCE_DATE_EPOCH") == expected
    # A value the caller set wins.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    hook.on_config(config)
    assert os.environ["SOURCE_DATE_EPOCH"] == "86400"


def test_hook_outside_git_leaves_the_date_alone(monkeypatch, tmp_path):
    hook = _load_hook()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    hook.on_config(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml")))
    assert "SOURCE_DATE_EPOCH" not in os.environ


@pytest.mark.site
def test_two_site_builds_are_byte_identical(tmp_path, monkeypatch):
    """Two full ``mkdocs build --strict`` runs of the real config, on different "days"."""
    from tests.site.conftest import build_site

    project = copy_project(tmp_path / "project", "mkdocs.yml", "hooks", hand_written_docs=True)
    _build_docs(project / "docs")
    # The copy is no git checkout: give the date explicitly, as CI outside git would, so
    # the two builds only agree if nothing else in the site depends on the clock.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718150400")
    first = build_site(tmp_path / "site1", project / "mkdocs.yml")
    assert first.returncode == 0, first.stderr
    second = build_site(tmp_path / "site2", project / "mkdocs.yml")
    assert second.returncode == 0, second.stderr
    a, b = tree(tmp_path / "site1"), tree(tmp_path / "site2")
    assert "sitemap.xml.gz" in a
    assert _differing(a, b) == []
    assert b"<lastmod>2024-06-12</lastmod>" in a["sitemap.xml"]
