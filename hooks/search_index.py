"""Everything the site does to search, in one place: a Pagefind index per script behind
Material's own search box.

Why this hook exists:

- Material's search ships its whole index to the reader before the first result (4.9 MB
  gzip and 27 s at 1,000 documents) and cannot segment a Chinese query into the words its
  index holds. Pagefind (npm ``pagefind``, pinned in package-lock.json, installed by
  ``npm ci``) writes a chunked index that segments Chinese, so a reader downloads only the
  chunks a query needs. ``on_post_build`` runs it once per language build on the pages that
  build wrote: ``site/pagefind/`` for the simplified site and ``site/zh-Hant/pagefind/``
  for the traditional one, so results are always in the reader's script. Pagefind's memory
  grows with the pages of a run (about 1.2 MB each), so it runs on parts of at most
  ``search_part_pages`` pages (mkdocs.yml ``extra``, or the environment's
  ``SEARCH_PART_PAGES``; 500 by default), one after the other, and
  ``hooks/pagefind_bundle.py`` merges the parts into one bundle in Pagefind's own format.
- Material's search box, its keyboard shortcut and its result list stay: every page's
  theme configuration points at ``search/worker.js`` of its language root
  (``hooks/search_worker.js``, copied there), a small worker that speaks Material's
  message protocol and loads Pagefind on the first query. Material still fetches
  ``search/search_index.json`` for its highlighter; that file holds only the configuration,
  because every page is excluded from Material's own index.
- What Pagefind reads is marked here, on the rendered page: a document is indexed by its
  headline and paragraphs (the metadata block, provenance and 校勘记 are left out, so
  snippets come from the text); an index page (bodies, dates, people, initiatives, cited)
  by its title only, not by the sentences it quotes from documents. Filters (year, issuing
  body, outlet, initiative) come from the page's front matter, in the page's script,
  written through ``policy_archive.render.escape``.
- A query typed in the other script is converted by the worker with the character table
  the pipeline wrote (``docs/data/search_script_table.json``); each site gets its
  direction.

Paths are relative everywhere (the worker finds Pagefind next to itself), so the search
works under a ``/REPO/`` prefix and inside a ``mike`` version folder.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pagefind_bundle  # hooks/pagefind_bundle.py: MkDocs puts a hook's folder on sys.path
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from policy_archive.render.escape import escape
from policy_archive.script import to_traditional
from policy_archive.site_contract import (
    GENERATED_ROOTS,
    PAGEFIND_BIN,
    SCRIPT_TABLE,
    SEARCH_FILTERS,
    TRADITIONAL_LOCALE,
)

log = logging.getLogger("mkdocs.plugins.search_index")

WORKER_SOURCE = Path(__file__).with_name("search_worker.js")
WORKER = "search/worker.js"
WORKER_CONFIG = "search/worker.json"
INDEX = "search/search_index.json"
BUNDLE = "pagefind"
# Pagefind's own search interfaces, which the site does not use (Material's box is the
# interface): not published, so each version folder does not carry ~0.4 MB of unused code.
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                       "pagefind-modular-ui.css", "pagefind-component-ui.js",
                       "pagefind-component-ui.css", "pagefind-highlight.js")
# Folders whose pages are searched: every generated folder that holds pages.
SEARCHED_ROOTS = tuple(root for root in GENERATED_ROOTS if root != "data")
DOCUMENTS_ROOT = "documents"
DOCUMENT_KIND = "document"
# Where on_page_content leaves a page's kind (page_kind) for on_post_page.
_KIND = "pagefind_kind"
# Elements of a document page whose text is the document: its headline with kicker and
# subtitle, section headings and numbered paragraphs. Everything else in the article
# (metadata block, provenance, 校勘记) is left out of the index.
_DOCUMENT_TEXT = re.compile(
    r'<h1\b|<h2\b[^>]*\bid="s-\d+"|<p\b[^>]*\bid="p-\d+"|<p class="doc-(?:kicker|subtitle)"')
_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.DOTALL
)
_ARTICLE = '<article class="md-content__inner md-typeset">'
# Pagefind cuts its word index into chunks of ~20,000 word locations, so most chunks of a
# bundle weigh alike (13–15 KB at 2,000 and 10,000 documents), but a common word's locations
# go into one chunk, which grows with the archive (国家: 24 KB at 2,000 documents, 83 KB at
# 10,000). A chunk this many times the median is a common word's; the worker leaves such
# words out of a query that holds a rarer one.
HEAVY_CHUNK_FACTOR = 1.6
# Pages per Pagefind run (mkdocs.yml extra.search_part_pages, or the environment's
# SEARCH_PART_PAGES; hooks/pagefind_bundle.py merges the parts into one bundle).
PART_PAGES_KEY = "search_part_pages"


def _build_locale(config: Any) -> str | None:
    """The locale of the build running now; None without mkdocs-static-i18n."""
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) if plugin else None


def _default_locale(config: Any) -> str | None:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return None
    return next(lang.locale for lang in plugin.config.languages if lang.default)


def _language_root(config: Any) -> str:
    """Folder of the site the build running now writes: "" or "zh-Hant/"."""
    locale = _build_locale(config)
    return "" if locale in (None, _default_locale(config)) else f"{locale}/"


def _page_root(page: Any, config: Any) -> str:
    """The language root a page belongs to, from its URL."""
    plugin = config.plugins.get("i18n")
    url = page.url or ""
    if plugin is not None:
        for lang in plugin.config.languages:
            if not lang.default and (url == f"{lang.locale}/" or url.startswith(f"{lang.locale}/")):
                return f"{lang.locale}/"
    return ""


def page_kind(src_uri: str, meta: dict[str, Any] | None = None) -> str | None:
    """``document``, ``index`` (a generated index page) or None (not searched).

    Not searched: a folder's list of documents, a part of an index page (its year pages,
    ``bodies/x/2024.md``: titled like the entry, whose own page is searched) and a page
    whose front matter keeps it out of the search (``search: {exclude: true}``: the
    uncurated formulations, whose contexts would crowd out the documents).

    >>> page_kind("documents/000_ab-1.md"), page_kind("initiatives/x.md")
    ('document', 'index')
    >>> page_kind("documents/index.md"), page_kind("about.md"), page_kind("bodies/index.md")
    (None, None, 'index')
    >>> page_kind("initiatives/x/2024.md"), page_kind("initiatives/f-1.md", {"search": {"exclude": True}})
    (None, None)
    """
    folder, _, name = src_uri.partition("/")
    if folder not in SEARCHED_ROOTS or not name:
        return None
    if folder == DOCUMENTS_ROOT:
        return None if name == "index.md" else DOCUMENT_KIND
    excluded = isinstance((meta or {}).get("search"), dict) and meta["search"].get("exclude")
    return None if "/" in name or excluded is True else "index"


# A comment, or a start or end tag (attribute values quoted or not), as HTMLParser reads
# them; the content of script and style elements is text.
_TAG = re.compile(r"""<!--.*?-->|<(/)?([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']|"[^"]*"|'[^']*')*>""",
                  re.DOTALL)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source"})
_RAW_TEXT = ("script", "style")


def top_level_starts(html: str) -> list[tuple[int, str]]:
    """Offsets and texts of the top-level start tags of an HTML fragment (a page's content).

    A scan of the tags alone: an HTML parser reading every character of the page took a
    tenth of the site build's time.

    >>> top_level_starts('<h1 id="a">题</h1>\\n<!-- <p> -->\\n<p title="a>b">文<br>x</p><hr/><div>')
    [(0, '<h1 id="a">'), (31, '<p title="a>b">'), (56, '<hr/>'), (61, '<div>')]
    >>> top_level_starts('<script>if (a<b) {"<p>"}</script><p>')
    [(0, '<script>'), (33, '<p>')]
    """
    depth, starts, at = 0, [], 0
    while (match := _TAG.search(html, at)) is not None:
        at = match.end()
        name = (match.group(2) or "").lower()
        if not name:  # a comment
            continue
        if match.group(1):
            depth = depth if name in _VOID else max(0, depth - 1)
            continue
        if depth == 0:
            starts.append((match.start(), match.group(0)))
        if name in _RAW_TEXT:
            end = re.compile(f"</{name}", re.IGNORECASE).search(html, at)
            at = end.start() if end else len(html)
        if name not in _VOID and not match.group(0).endswith("/>"):
            depth += 1
    return starts


def mark_ignored(html: str, keep: re.Pattern[str]) -> str:
    """Add ``data-pagefind-ignore`` to every top-level element whose start tag ``keep``
    does not match, so Pagefind indexes only the kept ones.

    >>> mark_ignored('<h1>题</h1>\\n<dl class="doc-meta"><dt>日期</dt></dl>\\n<p id="p-1">文</p>',
    ...              _DOCUMENT_TEXT)
    '<h1>题</h1>\\n<dl data-pagefind-ignore class="doc-meta"><dt>日期</dt></dl>\\n<p id="p-1">文</p>'
    """
    out, last = [], 0
    for offset, tag_text in top_level_starts(html):
        if keep.match(tag_text):
            continue
        name_end = offset + len(re.match(r"<[\w-]+", tag_text).group(0))
        out += [html[last:name_end], " data-pagefind-ignore"]
        last = name_end
    return "".join([*out, html[last:]])


def _values(meta: dict[str, Any], key: str) -> list[str]:
    """Front-matter values of one filter: a year, an outlet, names of bodies or initiatives."""
    if key == "year":
        date = meta.get("date")
        return [str(date)[:4]] if date else []
    value = meta.get(key)
    if key in ("bodies", "initiatives"):
        return [str(item["name"]) for item in value or [] if isinstance(item, dict)]
    return [str(value)] if value else []


def filters_block(meta: dict[str, Any], kind: str) -> str:
    """Hidden elements carrying the page's filters for Pagefind, values escaped.

    Only an index page carries the ``kind`` filter: the worker finds documents as the pages
    without it, so the filter a query loads lists the few index pages, not every document.

    >>> filters_block({"title": "题", "date": "2024-03-13", "outlet": "四川<日报>",
    ...                "bodies": [{"name": "省委"}]}, "document")
    '<div hidden data-pagefind-ignore><span data-pagefind-meta="title">题</span><span data-pagefind-filter="year">2024</span><span data-pagefind-filter="body">省委</span><span data-pagefind-filter="outlet">四川&#60;日报&#62;</span></div>'
    >>> filters_block({"title": "机构"}, "index")
    '<div hidden data-pagefind-ignore><span data-pagefind-meta="title">机构</span><span data-pagefind-filter="kind">index</span></div>'
    """
    # The theme's title, already escaped by hooks/literal_titles.py: the headline alone,
    # without the badges the heading shows.
    spans = [f'<span data-pagefind-meta="title">{meta.get("title", "")}</span>']
    if kind != DOCUMENT_KIND:
        spans.append(f'<span data-pagefind-filter="kind">{kind}</span>')
    for name, (key, _labels) in SEARCH_FILTERS.items():
        spans += [f'<span data-pagefind-filter="{name}">{escape(v)}</span>'
                  for v in _values(meta, key)]
    return f"<div hidden data-pagefind-ignore>{''.join(spans)}</div>"


@event_priority(50)  # before Material's search plugin reads the page (on_page_context)
def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str:
    """Mark what Pagefind indexes on this page; keep every page out of Material's index."""
    kind = page_kind(page.file.src_uri, page.meta)
    page.meta[_KIND] = kind  # for on_post_page: the front matter's own "search" goes next
    page.meta["search"] = {"exclude": True}
    if kind is None:
        return html
    if kind == DOCUMENT_KIND:
        marked = mark_ignored(html, _DOCUMENT_TEXT)
    else:
        marked = mark_ignored(html, re.compile(r"<h1\b"))
    # The page's front matter, already in the page's script (traditional_script hook).
    return marked + filters_block(page.meta, kind)


def _json_for_html(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element, escaped the way Jinja's tojson does."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return text


@event_priority(-200)
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    """Let Pagefind index the article; point the theme at this language's search worker."""
    if page.meta.get(_KIND) is not None:
        output = output.replace(_ARTICLE, _ARTICLE[:-1] + " data-pagefind-body>", 1)
    match = _CONFIG_SCRIPT.search(output)
    if match is None:
        msg = f"search_index: no Material __config script in {page.file.src_uri}"
        raise PluginError(msg)
    app = json.loads(match.group("json"))
    base = app["base"].rstrip("/")
    root = _page_root(page, config)
    # base is the relative path to the site root ("../.."); Material fetches
    # search/search_index.json and resolves result links against it, so a page of another
    # language gets its language root, where that language's index and worker are.
    base = f"{base}/{root}" if base not in ("", ".") else root
    app["base"] = base or "."
    app["search"] = f"{base}{WORKER}" if base else WORKER
    return output[: match.start("json")] + _json_for_html(app) + output[match.end("json") :]


def _pagefind(config: Any) -> Path:
    """The Pagefind binary npm installed for this project (package.json)."""
    import policy_archive

    roots = [Path(config.config_file_path).parent, Path(policy_archive.__file__).parents[1]]
    for root in roots:
        if (root / PAGEFIND_BIN).is_file():
            return root / PAGEFIND_BIN
    msg = f"search_index: {PAGEFIND_BIN} not found; run `npm ci` in {roots[-1]}"
    raise PluginError(msg)


@functools.cache
def _script_tables(path: str) -> dict[str, dict[str, str]]:
    if not Path(path).is_file():
        msg = f"search_index: {path} not found; run build_archive.py first"
        raise PluginError(msg)
    return json.loads(Path(path).read_text(encoding="utf-8"))


def worker_config(locale: str, table: dict[str, str],
                  heavy: list[list[str]] | None = None) -> dict[str, Any]:
    """What the worker reads on the first query: the page language, the character table
    into it, the reader's words for each filter (in both scripts), the facets it shows
    (each with its word in the page's script) and the word ranges of heavy index chunks.

    >>> config = worker_config(TRADITIONAL_LOCALE, {})
    >>> config["filters"]["机构"], config["filters"]["機構"], config["facets"][1]
    ('body', 'body', ['body', '機構'])
    """
    filters = {label: name for name, (_key, labels) in SEARCH_FILTERS.items() for label in labels}
    convert = to_traditional if locale == TRADITIONAL_LOCALE else str
    facets = [[name, convert(labels[0])] for name, (_key, labels) in SEARCH_FILTERS.items()]
    return {"lang": locale, "table": table, "filters": filters, "facets": facets,
            "heavy": heavy or []}


def index_chunks(bundle: Path) -> list[tuple[str, str, Path]]:
    """The index chunks of a Pagefind bundle: ``(from, to, file)``, ``from`` and ``to``
    being the shortest prefixes that tell chunks apart (Pagefind's names for their ranges).

    Read as the merge reads a bundle (hooks/pagefind_bundle.py: its entry file, then each
    language's metadata, checked against Pagefind 1.6's format): a Pagefind that writes it
    otherwise stops the build.
    """
    try:
        entry = pagefind_bundle.read_entry(bundle)
        chunks = []
        for language in sorted(entry["languages"]):
            _path, meta = pagefind_bundle.read_meta(bundle, language, entry)
            chunks += [(str(first), str(last), bundle / "index" / f"{name}.pf_index")
                       for first, last, name in meta[2]]
    except (pagefind_bundle.BundleError, KeyError, ValueError, TypeError) as error:
        msg = f"search_index: cannot read the Pagefind bundle {bundle}: {error}"
        raise PluginError(msg) from error
    return chunks


def chunk_holds(word: str, first: str, last: str) -> bool:
    """Whether a word sorts into the chunk named ``first``–``last`` (as the worker reads it).

    >>> chunk_holds("国家", "国内", "国家"), chunk_holds("国家级", "国内", "国家")
    (True, True)
    >>> chunk_holds("腹地", "国内", "国家")
    False
    """
    return word[: len(first)] >= first and word[: len(last)] <= last


def heavy_chunks(bundle: Path, factor: float = HEAVY_CHUNK_FACTOR) -> list[list[str]]:
    """Ranges ``[from, to]`` of the bundle's index chunks over ``factor`` times the median
    chunk, in bytes as served."""
    sizes = [(first, last, file.stat().st_size) for first, last, file in index_chunks(bundle)]
    if not sizes:
        return []
    median = statistics.median(size for _, _, size in sizes)
    return [[first, last] for first, last, size in sizes if size > factor * median]


@dataclass
class PagefindRun:
    """hooks/pagefind_bundle.py indexing one language's site folder with Pagefind in parts,
    in a process of its own (so the merge does not take the GIL from MkDocs building the
    next language), its messages kept in a file (a pipe nobody reads until it ends could
    fill up and stop it)."""

    site: Path
    process: subprocess.Popen[bytes]
    messages: IO[bytes]
    # The worker's configuration, less what only the finished index tells (heavy chunks).
    locale: str
    table: dict[str, str]

    def finish(self) -> None:
        self.process.wait()
        self.messages.seek(0)
        errors = self.messages.read().decode("utf-8", "replace").strip()
        self.messages.close()
        if self.process.returncode != 0:
            msg = f"search_index: Pagefind indexing failed on {self.site}: {errors}"
            raise PluginError(msg)
        for name in UNUSED_BUNDLE_FILES:
            (self.site / BUNDLE / name).unlink(missing_ok=True)
        # Only now: the chunks' sizes are known once Pagefind has written them.
        heavy = heavy_chunks(self.site / BUNDLE)
        (self.site / WORKER_CONFIG).write_text(
            json.dumps(worker_config(self.locale, self.table, heavy), ensure_ascii=False,
                       separators=(",", ":")),
            encoding="utf-8",
        )

    def kill(self) -> None:
        """Stop the indexing and the Pagefind it runs (one process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.messages.close()


# Runs of language builds that have finished, still indexing while MkDocs builds the next.
_running: list[PagefindRun] = []


def part_pages(config: Any) -> int:
    """Pages per Pagefind run: Pagefind's memory grows with the pages of one run."""
    value = config.extra.get(PART_PAGES_KEY) or os.environ.get("SEARCH_PART_PAGES")
    try:
        pages = int(value) if value is not None else pagefind_bundle.PART_PAGES
    except ValueError:
        pages = 0
    if pages < 1:
        msg = f"search_index: {PART_PAGES_KEY} must be a whole number of pages, got {value!r}"
        raise PluginError(msg)
    return pages


def start_pagefind(config: Any, site: Path, locale: str, table: dict[str, str]) -> PagefindRun:
    command = [sys.executable, str(Path(pagefind_bundle.__file__)), str(_pagefind(config)),
               str(site), str(site / BUNDLE), "--roots", ",".join(SEARCHED_ROOTS),
               "--part-pages", str(part_pages(config))]
    messages = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=messages,
                               start_new_session=True)
    return PagefindRun(site, process, messages, locale, table)


def _later_builds(config: Any) -> bool:
    """Whether mkdocs-static-i18n builds another language after the one building now
    (it builds the default language first, then the others in their listed order)."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return False
    first = _default_locale(config)
    order = [first, *(locale for locale in plugin.build_languages if locale != first)]
    return _build_locale(config) != order[-1]


def run_pagefind(config: Any, site: Path, locale: str, table: dict[str, str]) -> None:
    """Index the site folder a language build wrote, then write its worker's configuration.

    Pagefind reads written pages only, so one language is indexed while MkDocs builds the
    next (both cores instead of one); the last language waits for its own. One indexing
    runs at a time in this process (the two processes of hooks/parallel_languages.py index
    at once unless ``extra.search_one_indexing_at_a_time`` has their parts take turns under
    ``pagefind_bundle.LOCK_ENV``), on a part of the pages at a time: Pagefind takes about
    1.2 MB per page it indexes (hooks/pagefind_bundle.py merges the parts).
    """
    while _running:
        _running.pop(0).finish()
    run = start_pagefind(config, site, locale, table)
    if _later_builds(config):
        _running.append(run)
    else:
        run.finish()


def on_build_error(error: Exception) -> None:
    """A failed build leaves no Pagefind running behind it."""
    while _running:
        _running.pop().kill()


@event_priority(-50)  # after Material's search plugin wrote its (empty) index, before
# mkdocs-static-i18n (-100) starts the next language's build
def on_post_build(config: Any) -> None:
    """Index the pages this language build wrote and install the worker beside them."""
    root = _language_root(config)
    site = Path(config.site_dir) / root
    locale = _build_locale(config) or "zh-Hans"
    tables = _script_tables(str(Path(config.docs_dir) / SCRIPT_TABLE))
    table = tables[TRADITIONAL_LOCALE if locale == TRADITIONAL_LOCALE else "zh-Hans"]
    (site / "search").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WORKER_SOURCE, site / WORKER)
    run_pagefind(config, site, locale, table)
    search = config.plugins["material/search"].config
    stub = {"config": {"lang": search.lang, "separator": search.separator,
                       "pipeline": search.pipeline, "fields": search.fields}, "docs": []}
    (site / INDEX).write_text(json.dumps(stub, ensure_ascii=False), encoding="utf-8")
    log.debug("search_index: Pagefind index and worker in %s", site)
