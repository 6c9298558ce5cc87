"""Pass the pages' HTML blocks through Markdown without Python-Markdown reading them.

The pipeline writes most of a generated page as HTML blocks (a document's metadata list and
numbered paragraphs, the contexts quoted on an index page); Markdown would copy each one to
the page unchanged, but only after two HTML parsers have read the whole page character by
character (``md_in_html``'s, which finds the blocks, and MkDocs', which collects their
``id``s for its anchor check): most of the site build's Markdown time at 2,000 documents.

So a block that Markdown would copy unchanged is set aside before Markdown runs, a
placeholder paragraph standing in for it, and put back in place of the placeholder once the
page is HTML: the same HTML, with the block's ids added to the anchors MkDocs checks links
against. Set aside is only what is certainly copied unchanged: a run of lines between blank
lines (or the page's ends) that is one whole block-level element, from its start tag at the
start of a line to its own end tag at the end of the run, without a ``markdown`` attribute
(``md_in_html`` would read inside it); on a page with a fenced code block nothing is set
aside (a fence may hold HTML as text), nor from the first element whose ``markdown``
attribute has Markdown read inside it on (an HTML block there is read as Markdown too; the
blocks before it are read as they are: a document page's paragraphs before its list of
same-day documents).

The index pages' lists of documents (about 60,000 list items at 10,000 documents) are
written here as Markdown would write them, for the same reason: a run of lines that is
only list items of plain text and links to pages (``- 2024年1月6日 · [题](../x.md) · 召开``)
becomes ``<ul>`` with each link's address found as MkDocs finds it (the target page's URL
relative to this page's: right for either script and either ``use_directory_urls``). Only
what Markdown reads as nothing but text and links is converted: text in which escaped
punctuation is a character reference (``policy_archive.render.escape``), links without
title, fragment or query, to a page MkDocs builds; a list beside another list (which
Markdown would join to it) and a link MkDocs would warn about are left to Markdown.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.plugins.raw_html")

# Block-level elements the generated pages write at the start of a line; others are left to
# Markdown.
_BLOCK_START = re.compile(r"<(?P<tag>p|dl|div|ul|ol|table|details|section|figure)\b[^>]*>")
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\b")
_MARKDOWN_INSIDE = re.compile(r"<[a-zA-Z][^>]*\smarkdown\b")
_BLANK_LINES = re.compile(r"(\n[ \t]*\n)")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']+)["']""")
# A character of Unicode's private use area: no page text holds it, and Markdown copies it
# as text (unlike STX and ETX, which it strips from its input).
_MARK = "\ue000"
_PLACEHOLDER = re.compile(f"<p>{_MARK}raw-html-(\\d+){_MARK}</p>")
# Text of a list item that Markdown copies as it is: no ASCII punctuation Markdown or HTML
# reads (a character reference stands for it), no tab, no run of spaces (a line break).
_PLAIN = r"(?:[^\x00-\x1f\\`*_{}\[\]()#+\-.!|<>&~^=:$%'\"@/ ]|&#[0-9]{1,7};| (?! ))"
_LINK = re.compile(f"\\[(?P<label>{_PLAIN}+)\\]\\((?P<target>[A-Za-z0-9_./-]+\\.md)\\)")
_LIST_ITEM = re.compile(f"- (?:{_PLAIN}|{_LINK.pattern})+")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|[0-9]+[.)])(?:[ \t]|$)", re.MULTILINE)
# Finds the address of a page linked from this one (None: MkDocs would warn).
Resolve = Callable[[str], "str | None"]
# Each page's Markdown and blocks, from on_page_markdown to on_page_content (by source path).
_pages: dict[str, tuple[str, list[str]]] = {}


def passes_through(chunk: str) -> bool:
    """Whether Markdown copies this run of lines (between blank lines) unchanged: one whole
    block-level element, without a ``markdown`` attribute.

    >>> passes_through('<p id="p-1" class="doc-p">正文<a href="x/">链接</a></p>')
    True
    >>> passes_through('<dl class="doc-meta">\\n<dt>日期</dt><dd>2024年</dd>\\n</dl>')
    True
    >>> passes_through('<div class="x" markdown>\\n- 列表\\n</div>')  # Markdown inside
    False
    >>> passes_through('<p>甲</p>\\n<p>乙</p>')  # two elements: left to Markdown
    False
    >>> passes_through('<p>甲</p> 尾')  # text after the element
    False
    >>> passes_through('<div><div>甲</div>')  # not closed
    False
    >>> passes_through('- [链接](a.md)'), passes_through('<p>\\t甲</p>')
    (False, False)
    """
    start = _BLOCK_START.match(chunk)
    # Markdown expands tabs and drops STX, ETX and CR of its input, in HTML blocks too.
    if start is None or any(char in chunk for char in "\t\r\x02\x03"):
        return False
    if _MARKDOWN_ATTRIBUTE.search(start.group(0)):
        return False
    tag = start.group("tag")
    end_tag = f"</{tag}>"
    if not chunk.endswith(end_tag):
        return False
    # The first start tag must be closed by the last end tag: every end tag of this name
    # before the last closes one opened after the first.
    depth = 0
    for match in re.finditer(f"<{tag}\\b[^>]*>|</{tag}>", chunk):
        depth += -1 if match.group(0) == end_tag else 1
        if depth == 0 and match.end() != len(chunk):
            return False
    return depth == 0


def list_html(chunk: str, resolve: Resolve) -> str | None:
    """The ``<ul>`` Markdown writes for a run of list items of plain text and page links;
    None when the run is anything else or a link's target is not a page.

    >>> list_html('- 2024年1月6日 · [公报&#91;一&#93;](../d/a.md) · 召开\\n- [乙](b.md)：3 篇',
    ...           lambda target: target.replace(".md", "/"))
    '<ul>\\n<li>2024年1月6日 · <a href="../d/a/">公报&#91;一&#93;</a> · 召开</li>\\n<li><a href="b/">乙</a>：3 篇</li>\\n</ul>'
    >>> list_html('- [甲](a.md#p-1)', str), list_html('- *甲*', str), list_html('- 甲  ', str)
    (None, None, None)
    >>> list_html('- [甲](gone.md)', lambda target: None) is None
    True
    """
    failed: list[str] = []

    def link(match: re.Match[str]) -> str:
        href = resolve(match.group("target"))
        if href is None:
            failed.append(match.group("target"))
        return f'<a href="{href}">{match.group("label")}</a>'

    items = []
    for line in chunk.split("\n"):
        # Markdown drops the spaces around an item's text (and around nothing else here).
        if not _LIST_ITEM.fullmatch(line) or line[2:3] == " " or line.endswith(" "):
            return None
        items.append(f"<li>{_LINK.sub(link, line[2:])}</li>")
        if failed:
            return None
    return "\n".join(["<ul>", *items, "</ul>"])


def page_resolver(page: Any, files: Any) -> Resolve:
    """A page link's address from ``page``, as MkDocs writes it (``path_to_url``)."""

    def resolve(target: str) -> str | None:
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), target))
        found = files.get_file_from_path(uri.lstrip("/"))
        if found is None or found.inclusion.is_excluded() or not found.is_documentation_page():
            return None
        href = get_relative_url(found.url, page.file.url)
        return href if re.fullmatch(r"[A-Za-z0-9_./%-]+", href) else None

    return resolve


def _is_list(chunk: str) -> bool:
    return bool(_LIST_MARKER.search(chunk)) or chunk[:1] in (" ", "\t")


def set_aside(markdown: str, resolve: Resolve | None = None) -> tuple[str, list[str]]:
    """The Markdown with each block that passes through replaced by a placeholder
    paragraph, and the blocks as Markdown would copy them (with the line end it keeps when
    a blank line follows).

    >>> text, blocks = set_aside('# 题\\n\\n<p id="p-1">文</p>\\n\\n- [链](a.md)')
    >>> blocks, text == '# 题\\n\\n\\ue000raw-html-0\\ue000\\n\\n- [链](a.md)'
    (['<p id="p-1">文</p>\\n'], True)
    >>> set_aside('题\\n\\n- [链](a.md)', lambda target: "a/")[1]
    ['<ul>\\n<li><a href="a/">链</a></li>\\n</ul>']
    >>> set_aside('- 甲\\n\\n- [链](a.md)', lambda target: "a/")[1]  # one list to Markdown
    []
    >>> set_aside('```\\n\\n<p>代码里的 HTML</p>\\n\\n```')[1]
    []
    >>> set_aside('<div markdown>\\n\\n<p>读作 *Markdown*</p>\\n\\n</div>')[1]
    []
    >>> set_aside('<p>甲</p>\\n\\n<div markdown>\\n\\n<p>读作 *Markdown*</p>\\n\\n</div>')[1]
    ['<p>甲</p>\\n']
    """
    if _MARK in markdown or _FENCE.search(markdown):
        return markdown, []
    parts = _BLANK_LINES.split(markdown)
    blocks: list[str] = []
    # Even indices are the runs of lines, odd ones the blank lines between them.
    chunks = parts[::2]
    for number, index in enumerate(range(0, len(parts), 2)):
        if _MARKDOWN_INSIDE.search(parts[index]):
            break
        # Line ends before the page's first line or after its last one.
        chunk = parts[index].strip("\n")
        before = parts[index][: len(parts[index]) - len(parts[index].lstrip("\n"))]
        after = parts[index][len(before) + len(chunk) :]
        block = None
        if passes_through(chunk):
            block = chunk + ("\n" if index + 1 < len(parts) else "")
        elif resolve is not None and chunk.startswith("- "):
            # Markdown joins a list to a list (or indented lines) beside it.
            beside = chunks[max(0, number - 1) : number] + chunks[number + 1 : number + 2]
            if not any(_is_list(chunk) for chunk in beside):
                block = list_html(chunk, resolve)
        if block is not None:
            blocks.append(block)
            parts[index] = f"{before}{_MARK}raw-html-{len(blocks) - 1}{_MARK}{after}"
    return "".join(parts), blocks


def put_back(html: str, blocks: list[str]) -> str | None:
    """The HTML with each placeholder paragraph replaced by its block; None if a
    placeholder is not a paragraph of its own (Markdown read it inside another block: an
    HTML element or comment open across blank lines).

    >>> put_back('<h1>题</h1>\\n<p>\\ue000raw-html-0\\ue000</p>', ['<p id="p-1">文</p>\\n'])
    '<h1>题</h1>\\n<p id="p-1">文</p>\\n'
    >>> put_back('<div>\\n\\ue000raw-html-0\\ue000\\n</div>', ['<p>文</p>\\n']) is None
    True
    """
    found: list[int] = []

    def block(match: re.Match[str]) -> str:
        found.append(int(match.group(1)))
        return blocks[found[-1]]

    out = _PLACEHOLDER.sub(block, html)
    return out if found == list(range(len(blocks))) and _MARK not in out else None


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ``id``s the blocks give their elements (MkDocs checks links to them).

    >>> sorted(anchor_ids(['<p id="p-1">文<span id=\\'s\\'>x</span></p>']))
    ['p-1', 's']
    """
    return {found for block in blocks for found in _ID.findall(block)}


@event_priority(-1000)  # after every hook that changes the Markdown (traditional_script: -50)
def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    text, blocks = set_aside(markdown, page_resolver(page, files))
    if blocks:
        _pages[page.file.src_uri] = (markdown, blocks)
    return text


@event_priority(1000)  # before every hook that reads the page's HTML
def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str:
    """Put the blocks back; should Markdown have read a placeholder inside another block,
    convert the page again as it was (the same HTML as without this hook)."""
    aside = _pages.pop(page.file.src_uri, None)
    if aside is None:
        return html
    markdown, blocks = aside
    out = put_back(html, blocks)
    if out is None:
        log.debug("raw_html: %s converted again with its HTML blocks", page.file.src_uri)
        page.markdown = markdown
        page.render(config, files)
        return page.content
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= anchor_ids(blocks)
    return out
