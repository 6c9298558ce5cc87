"""hooks/rebuild_on_serve.py: under `mkdocs serve`, a saved correction reaches docs/."""

from __future__ import annotations

from mkdocs.config import load_config

from policy_archive.cli import main
from tests.conftest import copy_project, load_hook

S003 = "003_965f9f73789f87fc"


def _hook():
    return load_hook("rebuild_on_serve")


def _project(tmp_path):
    project = copy_project(tmp_path / "project", "mkdocs.yml", "hooks", "seeds",
                           hand_written_docs=True)
    assert main(["--seeds", str(project / "seeds"), "--docs", str(project / "docs"), "-q"]) == 0
    return project


def test_serve_watches_seeds_and_rebuilds_docs_after_a_correction(tmp_path):
    project = _project(tmp_path)
    hook = _hook()
    hook.on_startup(command="serve", dirty=False)
    config = hook.on_config(load_config(str(project / "mkdocs.yml")))
    assert str((project / "seeds").resolve()) in config.watch

    page = project / "docs" / "documents" / f"{S003}-3.md"
    (project / "seeds" / f"{S003}.corrections.yml").write_text(
        "articles:\n  3:\n    date: {value: 2024-06-11, reason: 测试}\n", encoding="utf-8"
    )
    hook.on_pre_build(config=config)
    assert "date: '2024-06-11'" in page.read_text(encoding="utf-8")
    assert "校勘记" in page.read_text(encoding="utf-8")

    # Up to date: a second pass writes nothing (no rebuild loop under serve).
    before = page.stat().st_mtime_ns
    hook.on_pre_build(config=config)
    assert page.stat().st_mtime_ns == before


def test_a_bad_correction_is_logged_and_pages_stay(tmp_path, caplog):
    project = _project(tmp_path)
    hook = _hook()
    hook.on_startup(command="serve", dirty=False)
    config = hook.on_config(load_config(str(project / "mkdocs.yml")))
    page = project / "docs" / "documents" / f"{S003}-3.md"
    before = page.read_text(encoding="utf-8")
    (project / "seeds" / f"{S003}.corrections.yml").write_text(
        "articles:\n  3:\n    titel: 标题\n    reason: 测试\n", encoding="utf-8"
    )
    hook.on_pre_build(config=config)
    assert "unknown field 'titel'" in caplog.text
    assert page.read_text(encoding="utf-8") == before


def test_build_never_runs_the_pipeline(tmp_path):
    project = _project(tmp_path)
    hook = _hook()
    hook.on_startup(command="build", dirty=False)
    config = hook.on_config(load_config(str(project / "mkdocs.yml")))
    (project / "seeds" / f"{S003}.corrections.yml").write_text(
        "articles:\n  3:\n    date: {value: 2024-06-11, reason: 测试}\n", encoding="utf-8"
    )
    hook.on_pre_build(config=config)
    page = project / "docs" / "documents" / f"{S003}-3.md"
    assert "2024-06-11" not in page.read_text(encoding="utf-8")
