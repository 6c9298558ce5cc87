"""Shared fixtures for the site tests: one real build, one local server, one browser.

The site is built once per test session (``mkdocs build --strict`` with the real
mkdocs.yml, hooks and the docs/ the pipeline wrote) because a build of both scripts takes
seconds and the machine has two cores. Browser tests serve that build with
``python -m http.server`` on 127.0.0.1 and drive Debian's Chromium through Playwright (no
browser is ever downloaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policy_archive.site_contract import DATASET
from tests.conftest import copy_project, serve_folder

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "_artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# Pages per Pagefind run in the test builds: the test site's ~80 pages per script are indexed
# in several parts and merged (hooks/pagefind_bundle.py), so every search test reads a
# merged bundle, as a reader of a large archive does.
TEST_PART_PAGES = "20"


def build_site(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """Run the real MkDocs CLI, as a reader's build would."""
    # Material's banner is not a warning
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SEARCH_PART_PAGES": TEST_PART_PAGES}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(site_dir),
        ],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def mkdocs_build():
    """``build_site`` for tests that build a scratch project of their own."""
    return build_site


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def scratch_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real configuration, hooks and hand-written pages, with docs/ built from the seeds
    by the pipeline as it is now: site tests never build in (or read) the working tree."""
    from policy_archive.cli import main

    project = copy_project(tmp_path_factory.mktemp("project"), "mkdocs.yml", "hooks",
                           hand_written_docs=True)
    assert main(["--seeds", str(ROOT / "seeds"), "--docs", str(project / "docs"), "-q"]) == 0
    return project


@pytest.fixture(scope="session")
def documents(scratch_project: Path) -> list[dict]:
    """The pipeline's dataset, as the site build reads it."""
    dataset = scratch_project / "docs" / DATASET
    return json.loads(dataset.read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, scratch_project: Path) -> Path:
    """The site built once for the whole session."""
    site_dir = tmp_path_factory.mktemp("site") / "site"
    result = build_site(site_dir, scratch_project / "mkdocs.yml")
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return site_dir


@pytest.fixture(scope="session")
def site_url(site: Path):
    """Serve the built site on a free loopback port for the session."""
    with serve_folder(site) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page per test; requests leaving the machine are refused, not attempted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def type_query(page, url: str, query: str) -> None:
    """Open ``url`` and type a query into the header's search box as a reader does; return
    when the search worker has answered and fetched all it needs."""
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the search box is in the header
    # Han text arrives as committed IME input, with no key events; Material searches on
    # keyup, so a key press follows, as a reader's next key would.
    box.fill(query)
    box.press("End")
    # The result count replaces the placeholder once the worker has answered …
    page.wait_for_function(
        "() => /[0-9]|没有|沒有/.test(document.querySelector('.md-search-result__meta').innerText)",
        timeout=30000,
    )
    # … first with the first result, then with the rest, last with the facets: wait for those
    # (docs/javascripts/search_facets.js marks them busy until the last answer, and marks the
    # last answer to a query as answered: the empty box's answer, which Material may show
    # after the query was typed, is not it).
    page.wait_for_function(
        "() => { const box = document.querySelector('.archive-facets');"
        " return box !== null && !box.hasAttribute('aria-busy')"
        " && box.hasAttribute('data-answered'); }",
        timeout=30000,
    )


def result_paths(page) -> list[str]:
    """Paths of the result links, in the order shown."""
    from urllib.parse import urlsplit

    links = ".md-search-result__item > a.md-search-result__link"
    return [urlsplit(h).path for h in page.eval_on_selector_all(links, "els => els.map(e => e.href)")]


# A value of a facet in the search results (docs/javascripts/search_facets.js).
FACET = '.archive-facet__value[data-facet="{facet}"][data-value="{value}"]'
_FACET_SHOWN = """([facet, value, pressed]) => {
  const box = document.querySelector('.archive-facets');
  if (!box || box.hidden || box.hasAttribute('aria-busy')) return false;
  return [...box.querySelectorAll('.archive-facet__value')].some(e => facet === null
    || (e.dataset.facet === facet && e.dataset.value === value
        && e.getAttribute('aria-pressed') === pressed));
}"""


def wait_for_facets(page, facet: str | None = None, value: str | None = None,
                    pressed: bool = False) -> None:
    """Wait for the facets of the query in the box, the worker's last answer; with a facet
    and value, until that value shows as picked (``pressed``) or not."""
    page.wait_for_function(_FACET_SHOWN, arg=[facet, value, "true" if pressed else "false"],
                           timeout=30000)
    page.wait_for_load_state("networkidle")
