"""The GitHub workflows, CI script and README agree, and the workflows are valid.

No machine here reaches GitHub, so the workflows are checked by validating them against
GitHub's published schema (vendored in check-jsonschema) and by running their commands
locally elsewhere in the suite (make test, build_archive.py --check, mike deploy).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if not Path(found).exists():
        pytest.fail("check-jsonschema is not installed (it is in the test extra of pyproject.toml)")
    return found


def test_workflows_validate_against_github_schema():
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_validate():
    forms = sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    forms = [f for f in forms if f.name != "config.yml"]
    assert forms, "no issue form in .github/ISSUE_TEMPLATE (readers report errors with one)"
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-issue-forms", *map(str, forms)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block, "README.md must start with a sh block holding the two commands"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_build_and_test_commands():
    commands = _readme_commands()
    assert commands[:2] == ["make site", "make test"]


def test_ci_script_and_workflow_run_the_readme_test_command():
    test_command = _readme_commands()[1]
    ci_script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci_script, re.M)
    ci = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert any(run.strip() == test_command for run in runs)


def test_pages_workflow_checks_docs_and_deploys_with_mike():
    pages = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    runs = "\n".join(step.get("run", "") for job in pages["jobs"].values() for step in job["steps"])
    assert "make check" in runs
    assert "mike deploy --push dev" in runs
    assert "mike deploy --push --update-aliases" in runs
