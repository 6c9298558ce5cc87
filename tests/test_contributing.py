"""The contributor's path: guide, pull-request template and issue form exist and agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_guide_has_the_section_edit_buttons_point_to():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert '<a id="corrections-file"></a>' in guide  # hooks/edit_links.py GUIDE
    for topic in ("改错字", "改日期", "改标题", "增删机构", "新增种子", "events.yml",
                  "A typo", "A date", "A title", "A new seed", "Lexicons and dated events"):
        assert topic in guide, topic


def test_issue_form_is_valid():
    # GitHub's issue-form schema, vendored in check-jsonschema (no network needed).
    tool = Path(sys.executable).with_name("check-jsonschema")
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / "report-error.yml"
    done = subprocess.run([str(tool), "--builtin-schema", "vendor.github-issue-forms", str(form)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pull_request_template_names_the_corrections_file():
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "corrections.yml" in template and "build_archive.py" in template
