"""Make every document page citable: a citation box, Zotero's meta tags, JSON-LD, og: tags.

The pipeline writes each document's CSL-JSON record into its front matter (``csl``,
``policy_archive.render.citation.csl_record``); this hook only completes it with what the
published site knows (the page's permanent URL from ``site_url``, the release from
``extra.release``) and places it into the page: rendered citations in a box under the
metadata, Highwire ``citation_*`` meta tags, a schema.org JSON-LD record and ``og:`` tags
in the head. Every value goes through ``policy_archive.render.escape`` (``escape`` for text
and attributes, ``json_script`` for JSON inside ``<script>``).
"""

from __future__ import annotations

import html as html_text
import json
from typing import Any

from mkdocs.plugins import event_priority

from policy_archive.render.citation import bibtex, published_record, render_style, ris
from policy_archive.render.escape import escape, json_script
from policy_archive.script import to_traditional
from policy_archive.site_contract import TRADITIONAL_LOCALE

FORMATS = (("gbt7714", "GB/T 7714—2015"), ("chicago", "Chicago"), ("bibtex", "BibTeX"),
           ("ris", "RIS"), ("csl", "CSL-JSON"))
_META_END = "</dl>"


def _record(page: Any, config: Any) -> dict[str, Any] | None:
    record = page.meta.get("csl")
    if not isinstance(record, dict) or not page.canonical_url:
        return None
    return published_record(record, page.canonical_url, str(config.extra.get("release", "")))


def citations(record: dict[str, Any]) -> dict[str, str]:
    """Every format of the citation box, as plain text."""
    return {
        "gbt7714": render_style(record, "gbt7714"),
        "chicago": render_style(record, "chicago"),
        "bibtex": bibtex(record),
        "ris": ris(record),
        "csl": json.dumps([record], ensure_ascii=False, indent=1),
    }


def citation_box(record: dict[str, Any], traditional: bool = False) -> str:
    """The box of citations (closed until opened); archive.js adds copying and paragraphs.

    Added after traditional_script converted the page, so its own words are converted here.
    """
    words = to_traditional if traditional else str
    texts = citations(record)
    out = [f'<details class="doc-cite" id="cite" data-url="{escape(record["URL"])}">',
           f"<summary>{words('引用本文')}</summary>",
           f'<p class="doc-cite-scope">{words("引用全文；引用某一段，点该段旁的“引”。")}</p>']
    for key, label in FORMATS:
        out.append(f'<div class="doc-cite-format" data-format="{key}"><p>{escape(label)}'
                   f'<button type="button" class="doc-cite-copy">{words("复制")}</button></p>'
                   f"<pre><code>{escape(texts[key])}</code></pre></div>")
    out.append("</details>")
    return "\n".join(out)


def head_tags(record: dict[str, Any], description: str, locale: str) -> str:
    """Highwire ``citation_*`` tags (Zotero), JSON-LD (schema.org) and ``og:`` tags."""
    date = record.get("issued", {}).get("date-parts", [[]])[0]
    authors = [a.get("literal", "") for a in record.get("author", [])]
    meta = [("citation_title", record["title"])]
    meta += [("citation_author", name) for name in authors]
    if date:
        meta.append(("citation_publication_date", "/".join(f"{p:02d}" for p in date)))
    if record.get("type") == "article-newspaper":
        meta.append(("citation_journal_title", record["container-title"]))
    meta += [("citation_publisher", record["publisher"]), ("citation_language", "zh"),
             ("citation_public_url", record["URL"]), ("citation_technical_report_number",
                                                      record["id"])]
    tags = [f'<meta name="{name}" content="{escape(value)}">' for name, value in meta]
    og = [("og:type", "article"), ("og:title", record["title"]), ("og:url", record["URL"]),
          ("og:description", description), ("og:site_name", record["publisher"]),
          ("og:locale", "zh_TW" if locale == "zh-Hant" else "zh_CN")]
    tags += [f'<meta property="{name}" content="{escape(value)}">' for name, value in og]
    tags.append(f'<script type="application/ld+json">{json_script(json_ld(record))}</script>')
    return "\n".join(tags)


def json_ld(record: dict[str, Any]) -> dict[str, Any]:
    """The schema.org description of a document (a news article, or an archive page)."""
    newspaper = record.get("type") == "article-newspaper"
    date = record.get("issued", {}).get("date-parts", [[]])[0]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if newspaper else "WebPage",
        "headline": record["title"],
        "identifier": record["id"],
        "url": record["URL"],
        "inLanguage": "zh-CN",
        "version": record.get("version"),
        "isPartOf": {"@type": "WebSite", "name": record["publisher"]},
    }
    if date:
        data["datePublished"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date))
    if newspaper:
        data["publisher"] = {"@type": "Organization", "name": record["container-title"]}
    data["author"] = [{"@type": "Person" if newspaper else "Organization", "name": a["literal"]}
                      for a in record.get("author", []) if a.get("literal")]
    return data


@event_priority(-100)
def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str:
    """Put the citation box under the document's metadata block."""
    record = _record(page, config)
    if record is None or _META_END not in html:
        return html
    at = html.index(_META_END) + len(_META_END)
    plugin = config.plugins.get("i18n")
    traditional = getattr(plugin, "current_language", None) == TRADITIONAL_LOCALE
    return html[:at] + "\n" + citation_box(record, traditional) + html[at:]


def on_post_page(output: str, *, page: Any, config: Any) -> str:
    """Add the citation meta tags, JSON-LD and og: tags to the document's head."""
    record = _record(page, config)
    if record is None or "</head>" not in output:
        return output
    # literal_titles escaped the description for the theme; the tag escapes it itself.
    description = html_text.unescape(str(page.meta.get("description") or ""))
    locale = str(config.theme.get("language", ""))
    tags = head_tags(record, description, "zh-Hant" if locale == "zh-Hant" else "zh-Hans")
    return output.replace("</head>", tags + "\n</head>", 1)
