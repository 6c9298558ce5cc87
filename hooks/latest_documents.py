"""Fill hand-written pages with lists drawn from the pipeline's dataset.

A hand-written page (docs/index.md) carries a marker such as
``<!-- archive:latest-documents -->``; this hook replaces it with the newest documents from
``docs/data/documents.json``. The page text stays hand-written and reviewable, the list
stays in step with the data, and the home page is capped (``LATEST_LIMIT``) so its weight
does not grow with the archive: the full list is documents/.

Failing loudly is deliberate: an unknown ``archive:`` marker (a typo) or a missing or
malformed dataset raises, because a home page that silently shows nothing is worse than a
failed build.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# The pipeline's one escaping and link function and its date wording, so the home page and
# the full list agree and no value reaches the page unescaped.
from policy_archive.render.escape import escape, markdown_link, url
from policy_archive.render.markdown import format_date
from policy_archive.site_contract import DATASET, SCHEMA_VERSION

log = logging.getLogger("mkdocs.plugins.latest_documents")

LATEST_LIMIT = 20

# Any HTML comment naming an archive: marker, so that typos are caught too.
MARKER = re.compile(r"<!--\s*archive:(?P<name>[\w-]+)\s*-->")


def load_documents(docs_dir: str | Path) -> list[dict[str, Any]]:
    """Read the documents from the dataset, newest first.

    Sorted here instead of trusting the file order: dates are ISO strings of different
    precision (YYYY-MM-DD, YYYY-MM), which compare correctly as strings; the id breaks
    ties so the order is stable.
    """
    path = Path(docs_dir) / DATASET
    if not path.is_file():
        msg = f"latest_documents: dataset {path} not found; run build_archive.py first"
        raise PluginError(msg)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema_version") != SCHEMA_VERSION:
        msg = (
            f"latest_documents: {path} has schema_version {data.get('schema_version')!r},"
            f" expected {SCHEMA_VERSION}"
        )
        raise PluginError(msg)
    documents = data.get("documents")
    if not isinstance(documents, list):
        msg = f"latest_documents: {path} has no 'documents' list"
        raise PluginError(msg)
    by_id = sorted(documents, key=lambda d: d["id"])
    return sorted(by_id, key=lambda d: str(d.get("date") or ""), reverse=True)


def render_latest(documents: list[dict[str, Any]], limit: int = LATEST_LIMIT) -> str:
    """Markdown for the newest ``limit`` documents and a link to the full list.

    Markdown links to .md files (inside an md_in_html block for the class) so MkDocs
    validates them and rewrites them per language: raw HTML links are left untouched.

    >>> print(render_latest([{"id": "a-1", "title": "标题[一]", "date": "2024-03",
    ...                       "date_precision": "month", "outlet": "四川日报"}]))
    <div class="archive-latest" markdown>
    <BLANKLINE>
    - <time class="archive-latest-date" datetime="2024&#45;03">2024年3月</time> [标题&#91;一&#93;](documents/a-1.md) <span class="archive-latest-outlet">四川日报</span>
    <BLANKLINE>
    [全部 1 篇文件](documents/index.md)
    <BLANKLINE>
    </div>
    """
    items = []
    for doc in documents[:limit]:
        outlet = doc.get("outlet") or ""
        outlet_html = (
            f' <span class="archive-latest-outlet">{escape(outlet)}</span>' if outlet else ""
        )
        # datetime= keeps the ISO date machine-readable (and sortable) beside the display form.
        iso = escape(doc.get("date") or "")
        shown = escape(format_date(doc.get("date"), doc.get("date_precision")))
        target = url("documents", doc["id"], page=True)
        items.append(
            f'- <time class="archive-latest-date" datetime="{iso}">{shown}</time>'
            f" {markdown_link(doc['title'], target)}{outlet_html}"
        )
    return "\n".join(
        [
            '<div class="archive-latest" markdown>',
            "",
            *items,
            "",
            markdown_link(f"全部 {len(documents)} 篇文件", url("documents", "index", page=True)),
            "",
            "</div>",
        ]
    )


RENDERERS = {"latest-documents": render_latest}


@event_priority(50)  # before traditional_script converts the page
def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Replace every archive: marker in the page with its generated Markdown."""
    if "archive:" not in markdown:
        return markdown
    documents: list[dict[str, Any]] | None = None

    def replace(match: re.Match[str]) -> str:
        nonlocal documents
        name = match.group("name")
        if name not in RENDERERS:
            msg = (
                f"latest_documents: unknown marker archive:{name} in {page.file.src_uri};"
                f" known: {', '.join(sorted(RENDERERS))}"
            )
            raise PluginError(msg)
        if documents is None:
            documents = load_documents(config.docs_dir)
        return RENDERERS[name](documents)

    return MARKER.sub(replace, markdown)
