"""Point each page's edit button at the file a reader should change.

MkDocs gives every page an edit link to its own Markdown source. For a generated document
page that is the wrong file: ``docs/documents/<id>.md`` is rewritten by every build, and the
seed beside it is never edited. A reader who finds a wrong date or an OCR error must edit
the seed's corrections file, ``seeds/<seed stem>.corrections.yml`` (see CONTRIBUTING.md).
So this hook sets ``page.edit_url`` per page:

- a document page (front matter ``source.seed``) → its seed's corrections file; every seed
  in this repository has one (tests/test_edit_links.py checks it). For a seed that has none
  yet (a fork, a new seed) the link goes to the section of CONTRIBUTING.md that says how to
  create it, rather than to a 404 page: a "new file" link cannot carry the template;
- a generated page that declares the data file it comes from (front matter
  ``edit_source: policy_archive/data/bodies.yml``, for the lexicon index pages) → that file;
- any other generated page (listed in ``docs/data/manifest.json``, e.g. the list of all
  documents) → no edit button: there is nothing a person should edit there;
- a hand-written page → MkDocs' own link to its source, unchanged.

Links are built from ``repo_url`` and ``edit_uri`` in mkdocs.yml: ``edit_uri`` ends with the
docs folder (``edit/main/docs/``), so the repository root is ``edit_uri`` without it.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from policy_archive.ids import check_segment
from policy_archive.render.output import OutputError, read_manifest
from policy_archive.site_contract import corrections_file

log = logging.getLogger("mkdocs.plugins.edit_links")

# Where CONTRIBUTING.md explains the corrections file (an explicit anchor in that file).
GUIDE = "CONTRIBUTING.md#corrections-file"

_state: dict[str, Any] = {}


def repository_links(repo_url: str | None, edit_uri: str | None, docs_rel: str) -> dict[str, str]:
    """Edit and view prefixes for files anywhere in the repository (not only in docs/).

    >>> repository_links("https://github.com/OWNER/REPO", "edit/main/docs/", "docs")
    {'edit': 'https://github.com/OWNER/REPO/edit/main/', 'view': 'https://github.com/OWNER/REPO/blob/main/'}
    """
    if not repo_url or not edit_uri:
        return {}
    base = repo_url.rstrip("/") + "/"
    root = edit_uri.lstrip("/")
    suffix = docs_rel.strip("/") + "/"
    if docs_rel and root.endswith(suffix):
        root = root[: -len(suffix)]
    view = root.replace("edit/", "blob/", 1) if root.startswith("edit/") else root
    return {"edit": base + root, "view": base + view}


def on_config(config: Any) -> None:
    """Work out the repository root links and where seeds and the manifest are."""
    if not config.repo_url:
        # A local build names no repository (mkdocs.yml: repo_url from the environment): no
        # edit buttons, rather than MkDocs' relative edit_uri links that lead nowhere.
        config.edit_uri = None
    project = Path(config.config_file_path).resolve().parent
    docs_dir = Path(config.docs_dir).resolve()
    try:
        docs_rel = docs_dir.relative_to(project).as_posix()
    except ValueError:
        docs_rel = ""
    _state.clear()
    _state.update(
        project=project,
        docs_dir=docs_dir,
        links=repository_links(config.repo_url, config.edit_uri, docs_rel),
    )


def _generated() -> set[str]:
    """Pages the pipeline wrote (read once per build; a missing manifest means none)."""
    if "generated" not in _state:
        try:
            _state["generated"] = set(read_manifest(_state["docs_dir"]))
        except OutputError as exc:
            msg = f"edit_links: {exc}"
            raise PluginError(msg) from exc
    return _state["generated"]


def edit_url_for(src_uri: str, meta: dict[str, Any], default: str | None) -> str | None:
    """The edit link of one page (see the module docstring for the rules)."""
    links = _state.get("links")
    if not links:
        return default
    source = meta.get("source")
    if isinstance(source, dict) and isinstance(source.get("seed"), str):
        # Material writes edit_url into href= unescaped: the link is built from the seed's
        # stem only after it is checked against the one pattern names must match.
        stem = check_segment(posixpath.splitext(source["seed"])[0], f"{src_uri}: source.seed")
        rel = corrections_file(stem)
        if (_state["project"] / rel).is_file():
            return links["edit"] + rel
        log.debug("%s: %s does not exist yet; edit link points to %s", src_uri, rel, GUIDE)
        return links["view"] + GUIDE
    declared = meta.get("edit_source")
    if isinstance(declared, str) and (_state["project"] / declared).is_file():
        return links["edit"] + declared
    if src_uri in _generated() or declared is not None:
        return None
    return default


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Set the page's edit link once its front matter is read (it names the seed)."""
    page.edit_url = edit_url_for(page.file.src_uri, page.meta, page.edit_url)
    return markdown
