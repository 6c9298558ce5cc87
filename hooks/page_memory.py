"""Let go of each page's Markdown and HTML once the page is written.

MkDocs converts every page before it writes any, and keeps each page's Markdown source and
HTML afterwards; mkdocs-static-i18n starts the zh-Hant build from the zh-Hans build's
``on_post_build``, so without this the process holds both scripts' pages at once, and
still holds them while Pagefind (hooks/search_index.py) indexes the site in another
process. Nothing reads them after the page is written: MkDocs checks anchors with the ids
it collected while converting, Material's search reads the page before it is rendered,
and the site's hooks keep what they need (URLs) themselves.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority


@event_priority(-1000)  # after every hook and plugin that reads the finished page
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    page.markdown = None
    page.content = None
    return output
