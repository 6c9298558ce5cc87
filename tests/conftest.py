"""Shared fixtures: the real build of the real seeds, run once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_archive.pipeline import BuildResult, build_documents

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """All documents of the seeds in seeds/, built once."""
    return build_documents(SEEDS)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, one per test session.

    One Playwright instance for the whole session: a second sync_playwright() started while
    the first runs fails, so every browser test (tests/site/, tests/test_hostile.py) uses
    this fixture.
    """
    from tests.site.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure-system-packages")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Hand-written pages of docs/: what a scratch project needs around generated docs.
HAND_WRITTEN_DOCS = ("index.md", "about.md", "stylesheets")


def copy_project(dest: Path, *names: str, hand_written_docs: bool = False) -> Path:
    """Copy parts of this project (files or folders, by name) into a scratch project.

    With ``hand_written_docs`` also the hand-written pages of docs/, so a build of generated
    docs made elsewhere gets the real home and about pages around it.
    """
    sources = [(ROOT / name, dest / name) for name in names]
    if hand_written_docs:
        sources += [(ROOT / "docs" / name, dest / "docs" / name) for name in HAND_WRITTEN_DOCS]
    for source, target in sources:
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target)
    return dest
