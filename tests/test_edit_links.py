"""Edit buttons (hooks/edit_links.py): a document page opens its seed's corrections file."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, copy_project

REPO = "https://github.com/OWNER/REPO/"
DOC_ID = "003_965f9f73789f87fc-2"


def _hook():
    spec = importlib.util.spec_from_file_location("edit_links", ROOT / "hooks" / "edit_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Config:
    def __init__(self, project: Path):
        self.config_file_path = str(project / "mkdocs.yml")
        self.docs_dir = str(project / "docs")
        self.repo_url = REPO.rstrip("/")
        self.edit_uri = "edit/main/docs/"


@pytest.fixture
def hook(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_a.corrections.yml").write_text("articles: {}\n", encoding="utf-8")
    (tmp_path / "docs" / "data").mkdir(parents=True)
    (tmp_path / "docs" / "data" / "manifest.json").write_text(
        '{"generated": ["documents/index.md", "documents/000_a-1.md"]}', encoding="utf-8")
    (tmp_path / "policy_archive" / "data").mkdir(parents=True)
    (tmp_path / "policy_archive" / "data" / "bodies.yml").write_text("bodies: []\n",
                                                                     encoding="utf-8")
    module = _hook()
    module.on_config(_Config(tmp_path))
    return module


def test_document_page_opens_its_corrections_file(hook):
    meta = {"id": "000_a-1", "source": {"seed": "000_a.txt"}}
    url = hook.edit_url_for("documents/000_a-1.md", meta, REPO + "edit/main/docs/documents/x.md")
    assert url == REPO + "edit/main/seeds/000_a.corrections.yml"


def test_missing_corrections_file_points_to_the_guide(hook):
    meta = {"id": "001_b-1", "source": {"seed": "001_b.txt"}}
    assert hook.edit_url_for("documents/001_b-1.md", meta, None) == (
        REPO + "blob/main/CONTRIBUTING.md#corrections-file")


def test_generated_pages(hook):
    # The listing has no source a person edits; a lexicon page edits its data file.
    assert hook.edit_url_for("documents/index.md", {"title": "全部文件"}, "x") is None
    meta = {"edit_source": "policy_archive/data/bodies.yml"}
    assert hook.edit_url_for("bodies/index.md", meta, "x") == (
        REPO + "edit/main/policy_archive/data/bodies.yml")


def test_hand_written_page_keeps_its_own_link(hook):
    own = REPO + "edit/main/docs/about.md"
    assert hook.edit_url_for("about.md", {}, own) == own


def test_hook_is_registered_with_edit_uri():
    config = yaml.safe_load(
        re.sub(r"!!python/\S+|!ENV", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert "hooks/edit_links.py" in config["hooks"]
    assert config["edit_uri"] == "edit/main/docs/"
    assert "content.action.edit" in config["theme"]["features"]


@pytest.mark.site
def test_built_site_edit_links(tmp_path):
    # A copy of the project with docs/ rebuilt from its seeds, so the test sees this tree's
    # pages whatever state the committed docs/ is in.
    project = copy_project(tmp_path / "project", "mkdocs.yml", "docs", "hooks", "seeds")
    # The Pages workflow sets the repository from GitHub; a local build has none.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPO_URL": REPO.rstrip("/")}
    for command in ([str(ROOT / "build_archive.py"), "-q"],
                    ["-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")]):
        done = subprocess.run([sys.executable, *command], cwd=project, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
    site = tmp_path / "site"

    def edit_link(page: str) -> str | None:
        html = (site / page).read_text(encoding="utf-8")
        found = re.search(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"[^>]*'
                          r'rel="edit"', html)
        return found.group(1) if found else None

    corrections = REPO + "edit/main/seeds/003_965f9f73789f87fc.corrections.yml"
    assert edit_link(f"documents/{DOC_ID}/index.html") == corrections
    assert edit_link(f"zh-Hant/documents/{DOC_ID}/index.html") == corrections
    assert edit_link("about/index.html") == REPO + "edit/main/docs/about.md"
    assert edit_link("documents/index.html") is None
