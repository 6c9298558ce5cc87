"""Shared fixtures: the real build of the real seeds, run once per test session."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from policy_archive.pipeline import BuildResult, build_documents

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Hypothesis profiles, chosen with --hypothesis-profile. `ci` (`make test`, and the default) is
# deterministic, so that a test never passes or fails by chance: the same examples on every
# run (derandomize), none replayed from a local database. `fuzz` (`make fuzz`) explores at
# random and keeps what it finds in .hypothesis/ (git-ignored) to replay first next time; a
# failure it finds becomes an explicit @example.
settings.register_profile(
    "ci", derandomize=True, max_examples=200, database=None, deadline=None, print_blob=True
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")),
    database=DirectoryBasedExampleDatabase(ROOT / ".hypothesis" / "examples"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def pytest_configure(config: pytest.Config) -> None:
    # A hook, not module code: test modules import this file again as tests.conftest, and a
    # second load_profile at import would undo the profile given on the command line.
    if not config.getoption("--hypothesis-profile"):
        settings.load_profile("ci")


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
HAND_WRITTEN_DOCS = ("index.md", "about.md", "stylesheets", "javascripts")


def copy_project(dest: Path, *names: str, hand_written_docs: bool = False) -> Path:
    """Copy parts of this project (files or folders, by name) into a scratch project.

    With ``hand_written_docs`` also the hand-written pages of docs/, so a build of generated
    docs made elsewhere gets the real home and about pages around it.
    """
    # The theme's template overrides (mkdocs.yml: theme.custom_dir) go with the configuration.
    names += ("overrides",) if "mkdocs.yml" in names else ()
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


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site over HTTP on a free loopback port; yield its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def load_hook(name: str):
    """A module of hooks/ loaded by path, as MkDocs loads it."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    # As MkDocs does: the module is registered, and the hook's folder is on sys.path while
    # it loads (a hook imports its sibling modules, as search_index imports pagefind_bundle).
    sys.modules[name] = module
    saved = sys.path.copy()
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module
