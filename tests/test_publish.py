"""Publishing with mike: real `mike deploy` into a real local git repository.

What a citing reader relies on: a released version keeps its own folder (/1.0/…), both
scripts exist inside it, the language switch stays inside the version, and the root sends
readers to the default version.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project

pytestmark = pytest.mark.site

DOC_ID = "003_965f9f73789f87fc-3"


def _run(cmd: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{cmd}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A git repository holding the project's site files, with version 1.0 deployed by mike."""
    repo = copy_project(tmp_path_factory.mktemp("repo"), "mkdocs.yml", "docs", "hooks")
    _run(["git", "init", "-q", "-b", "main"], repo)
    _run(["git", "add", "-A"], repo)
    _run(["git", "commit", "-q", "-m", "site"], repo)
    _run([str(Path(sys.executable).with_name("mike")), "deploy", "--update-aliases", "1.0", "latest"], repo)
    _run([str(Path(sys.executable).with_name("mike")), "set-default", "latest"], repo)
    pages = tmp_path_factory.mktemp("gh-pages")
    _run(["git", "--work-tree", str(pages), "checkout", "gh-pages", "--", "."], repo)
    return pages


def test_versions_json_lists_the_release_with_its_alias(published):
    versions = json.loads((published / "versions.json").read_text(encoding="utf-8"))
    assert versions == [{"version": "1.0", "title": "1.0", "aliases": ["latest"]}]


def test_root_redirects_to_the_default_version(published):
    root = (published / "index.html").read_text(encoding="utf-8")
    assert re.search(r'url=latest/|window\.location.*latest', root), root[:300]


def test_both_scripts_exist_inside_the_version(published):
    hans = published / "1.0" / "documents" / DOC_ID / "index.html"
    hant = published / "1.0" / "zh-Hant" / "documents" / DOC_ID / "index.html"
    assert "外事工作" in hans.read_text(encoding="utf-8")
    assert "外事工作" in hant.read_text(encoding="utf-8")  # same characters in both scripts
    assert "審議" in hant.read_text(encoding="utf-8")


def test_language_switch_stays_inside_the_version(published):
    page = (published / "1.0" / "documents" / DOC_ID / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" hreflang="zh-Hant"', page)
    assert links, "no zh-Hant link in the language switch"
    # A relative link resolved from /1.0/documents/<id>/ must land in /1.0/zh-Hant/.
    from urllib.parse import urljoin

    target = urljoin(f"https://example.invalid/1.0/documents/{DOC_ID}/", links[0])
    assert target.startswith("https://example.invalid/1.0/zh-Hant/documents/"), target


def test_search_index_and_worker_inside_the_version(published):
    for root in (published / "1.0", published / "1.0" / "zh-Hant"):
        assert (root / "pagefind" / "pagefind-entry.json").is_file(), root
        assert (root / "search" / "worker.js").is_file(), root


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_search_works_inside_the_version_folder(published, browser, prefix):
    from tests.conftest import serve_folder
    from tests.site.conftest import result_paths, type_query

    context = browser.new_context()
    page = context.new_page()
    try:
        with serve_folder(published) as url:
            type_query(page, f"{url}1.0/{prefix}", "外事工作")
            paths = result_paths(page)
    finally:
        context.close()
    assert paths and paths[0] == f"/1.0/{prefix}documents/{DOC_ID}/", paths
    assert all(p.startswith(f"/1.0/{prefix}") for p in paths), paths
