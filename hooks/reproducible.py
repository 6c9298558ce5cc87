"""Make two builds of the same sources byte-identical, whatever day they run.

MkDocs stamps the build date into the site in two places: every ``<lastmod>`` of
``sitemap.xml`` and the gzip header time of ``sitemap.xml.gz`` (both from
``mkdocs.utils.get_build_datetime``, which honours ``SOURCE_DATE_EPOCH``, the
reproducible-builds.org convention). Everything else MkDocs, Material, static-i18n and our
hooks write depends on the sources only (checked by tests/test_reproducible.py).

So this hook sets ``SOURCE_DATE_EPOCH``, when the caller did not, to the time of the last
commit of the project's repository: the same sources give the same site, and lastmod says
when the sources last changed, which is what a sitemap's lastmod means. Outside a git
checkout (a source tarball) the variable stays unset and MkDocs uses today's date.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.reproducible")


def last_commit_time(directory: Path) -> str | None:
    """Seconds since the epoch of the repository's last commit, or None without git."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],  # read-only
            cwd=directory, capture_output=True, text=True, check=False, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return value if result.returncode == 0 and value.isdigit() else None


def on_config(config: Any) -> Any:
    """Fix the build date, unless the caller already did (their value wins)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return config
    epoch = last_commit_time(Path(config.config_file_path).resolve().parent)
    if epoch is None:
        log.info("reproducible: no git history; the sitemap carries today's date")
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    return config
