"""Show front-matter text as text: escape the page metadata the theme writes as raw HTML.

The pipeline's front matter is data (``title: 会议<script>…</script>`` is what the seed
printed, and the dataset and other tools read it back as is). Material's templates write
``page.meta.title`` into ``<title>`` and the header, and ``meta.subtitle`` into the
navigation, without escaping (MkDocs' Jinja environment has no autoescape), so a hostile
seed headline would become markup and run script. This hook HTML-escapes those values for
the site only, after every hook that reads or converts them (traditional_script at -50).
``page.title`` reads ``meta["title"]``, so the search index and navigation get the escaped
title too, which is what they expect: titles there are HTML, as a heading's would be.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from policy_archive.render.escape import escape

# Front-matter keys Material renders as HTML.
THEME_TEXT_KEYS = ("title", "subtitle", "description")


def escape_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata with the theme's text keys HTML-escaped (other keys unchanged).

    >>> escape_meta({"title": "会议<script>x</script>", "id": "a<b"})
    {'title': '会议&#60;script&#62;x&#60;&#47;script&#62;', 'id': 'a<b'}
    """
    out = dict(meta)
    for key in THEME_TEXT_KEYS:
        if isinstance(out.get(key), str):
            out[key] = escape(out[key])
    return out


@event_priority(-90)  # after traditional_script (-50) converted the metadata
def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Escape the page's title and subtitle before the theme renders them."""
    page.meta = escape_meta(page.meta)
    return markdown
