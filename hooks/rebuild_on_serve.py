"""While ``mkdocs serve`` runs, rebuild docs/ from the seeds when a seed, a corrections file
or a lexicon changes, so a contributor sees a correction on the page as soon as it is saved.

Only for ``serve``: ``mkdocs build`` (and CI, and mike) publish the committed docs/, which
``build_archive.py --check`` keeps in step with the seeds. The pipeline runs only when docs/
is out of date, so the files it writes do not set off another rebuild. A bad corrections
file is reported in the serve log (file, line, what is wrong) and the last good pages stay.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from policy_archive.errors import EXPECTED_ERRORS
from policy_archive.pipeline import build_documents
from policy_archive.registry import load
from policy_archive.render import render_archive
from policy_archive.render.output import differences, write_docs

log = logging.getLogger("mkdocs.plugins.rebuild_on_serve")

# Inputs of the pipeline, relative to the folder of mkdocs.yml.
WATCHED = ("seeds", "policy_archive/data")

_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    # MkDocs hooks are module functions: the command (serve or build) is module state.
    global _serving
    _serving = command == "serve"


def _project(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    """Watch the pipeline's inputs too, not only docs/."""
    if _serving:
        for name in WATCHED:
            path = _project(config) / name
            if path.is_dir() and str(path) not in config.watch:
                config.watch.append(str(path))
    return config


def rebuild_docs(seeds: Path, docs: Path) -> str | None:
    """Bring docs/ up to date with the seeds; return the build's error message, if any.

    One build in this process: the pages are rendered once, and written only when they
    differ from docs/, so an unchanged docs/ sets off no second rebuild.
    """
    try:
        published = load(docs)
        files = render_archive(build_documents(seeds, published=published).documents, published)
        if differences(docs, files):
            write_docs(docs, files)
    except EXPECTED_ERRORS as exc:
        return str(exc)
    return None


def on_pre_build(*, config: Any) -> None:
    if not _serving:
        return
    error = rebuild_docs(_project(config) / "seeds", Path(config.docs_dir))
    if error:
        log.error("docs/ not rebuilt: %s", error)
