"""Shared fixtures: the real build of the real seeds, run once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_archive.pipeline import BuildResult, build_documents

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """All documents of the seeds in seeds/, built once."""
    return build_documents(SEEDS)
