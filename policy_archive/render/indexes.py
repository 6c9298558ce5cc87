"""Cross-reference index pages: bodies/, dates/, initiatives/, people/, cited/, search terms.

Every page name is a stable slug (lexicon ``slug``, a year, or a hash of a person's name or
of a cited title), so a correction that changes a display name never moves a page. Pages
list documents, not their text; the places text is quoted are an initiative's mentions and a
cited title's citations, each a short keyword-in-context line linking to its paragraph
(``../../documents/<id>/#p-N``), so no page carries the archive.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from policy_archive.cache import key_of
from policy_archive.extract import bodies as bodies_lexicon
from policy_archive.extract import initiatives as initiatives_lexicon
from policy_archive.extract.citations import citation_slug, normalise_title
from policy_archive.extract.people import person_slug
from policy_archive.model import Document, Span
from policy_archive.render.anchors import paragraph_anchors
from policy_archive.render.escape import escape, link, markdown_link, url
from policy_archive.render.markdown import dump_yaml, format_date
from policy_archive.site_contract import ROLE_LABELS

LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "district": "区县级"}
# The lexicons the bodies and initiatives pages come from, for their edit buttons.
BODIES_SOURCE = "policy_archive/data/bodies.yml"
INITIATIVES_SOURCE = "policy_archive/data/initiatives.yml"
# Characters of context either side of a keyword-in-context mention.
KWIC_WIDTH = 24


Pages = tuple[str, dict[str, str]]  # a page's text and the year pages it moved documents to


class Memo:
    """Index pages rendered by an earlier build, by what they are made of.

    An index page is a function of the documents it lists and a few values of its own
    (``parts``: names, roles, counts), so its key is those values and the fingerprints of
    its documents (what the index pages read of each: ``cache.index_digest``); a build
    after one changed seed renders only the pages that list one of its documents changed
    in what they show. A page whose documents moved to year
    pages (``_volumes``) keeps each year apart, keyed by that year's documents, and names
    them in its own entry: a change renders its page and its year again, not every year.
    A year page rendered again takes the lines of its unchanged documents from the last
    build (``items``). Without a cache every page is rendered.
    """

    def __init__(self, cache: Any = None, fingerprints: dict[str, str] | None = None,
                 scope: object = None, years: list[str] | None = None) -> None:
        self.cache = cache if fingerprints is not None else None
        self.fingerprints = fingerprints or {}
        self.scope = scope
        self.years = years  # where the keys of year pages made now are noted
        self._making: list[str] | None = None
        self._items: list[str] | None = None  # the keys of ``items`` a page made now used
        # Every entry this memo and its scoped ones read or wrote, as [kind, key]: what a
        # set of pages reused whole must keep for a later build (render's families).
        self.used: list[list[str]] = []

    def scoped(self, kind: str, parts: object) -> Memo:
        """The memo of the year pages of one page (``_volumes``), keyed by that page too."""
        inner = Memo(self.cache, self.fingerprints, [self.scope, kind, parts], self._making)
        inner.used = self.used
        return inner

    def __call__(self, kind: str, parts: object, documents: Iterable[Document],
                 make: Callable[[], Pages]) -> Pages:
        """``make()``, or what it made for the same ``parts`` and documents before."""
        if self.cache is None:
            return make()
        made_of = [self.scope, kind, parts, [self.fingerprints[doc.id] for doc in documents]]
        key = key_of(made_of)
        self.used.append(["index", key])
        if self.years is not None:
            self.years.append(key)
        hit = self._reuse(key)
        if hit is not None:
            return hit
        outer = self._making, self._items
        self._making, self._items = years, items = [], []
        try:
            text, volumes = make()
        finally:
            self._making, self._items = outer
        # Year pages are kept in their own entries (above), a page's entry names them.
        self.cache.put("index", key, [text, {} if years else volumes, years, items])
        return text, volumes

    def items(self, parts: object, documents: list[Document],
              render: Callable[[Document], list[str]]) -> list[list[str]]:
        """``render(doc)`` of each document: the lines a page lists it with. With a cache,
        the lines of a document whose fingerprint is the one they were rendered for on the
        same page by the last build are taken from it (a list page that changed with one
        document renders that document's lines)."""
        if self.cache is None:
            return [render(doc) for doc in documents]
        key = key_of([self.scope, "items", parts])
        self.used.append(["items", key])
        before = dict(self.cache.get("items", key, _checked_items) or [])
        fingerprints = [self.fingerprints[doc.id] for doc in documents]
        out = [before.get(fp) or render(doc) for fp, doc in zip(fingerprints, documents,
                                                                  strict=True)]
        if list(before) != fingerprints or len(before) != len(fingerprints):
            self.cache.put("items", key, [list(pair) for pair in zip(fingerprints, out,
                                                                       strict=True)])
        if self._items is not None:
            self._items.append(key)
        return out

    def _reuse(self, key: str) -> Pages | None:
        hit = self.cache.get("index", key, _checked_pages)
        if hit is None:
            return None
        text, volumes, years, items = hit
        for year in years:
            pages = self.cache.get("index", year, _checked_pages)
            if pages is None:
                return None
            self.used.append(["index", year])
            volumes.update(pages[1])
            for kept in pages[3]:
                self.cache.keep("items", kept)
                self.used.append(["items", kept])
        for kept in items:
            self.cache.keep("items", kept)
            self.used.append(["items", kept])
        return text, volumes


def _checked_pages(entry: Any) -> tuple[str, dict[str, str], list[str], list[str]]:
    text, volumes, years, items = entry
    if not (isinstance(text, str) and all(isinstance(y, str) for y in [*years, *items])
            and all(isinstance(k, str) and isinstance(v, str) for k, v in volumes.items())):
        msg = "not a rendered index page"
        raise TypeError(msg)
    return text, volumes, years, items


def _checked_items(entry: Any) -> list[tuple[str, list[str]]]:
    out = [(fingerprint, lines) for fingerprint, lines in entry]
    if not all(isinstance(f, str) and isinstance(lines, list)
               and all(isinstance(line, str) for line in lines) for f, lines in out):
        msg = "not the lines of a list page"
        raise TypeError(msg)
    return out


DIRECT = Memo()


def _header(title: str, intro: str, edit_source: str | None = None,
            searched: bool = True) -> list[str]:
    """Front matter and heading for ``title`` (raw text); ``intro`` is Markdown already.

    ``edit_source`` names the data file a reader edits to correct the page (the lexicon of
    bodies or initiatives); the site's edit button opens it (hooks/edit_links.py).
    ``searched=False`` keeps the page out of the site's search (Material's
    ``search.exclude``).
    """
    meta = dump_yaml({"title": title, **({"edit_source": edit_source} if edit_source else {}),
                      **({} if searched else {"search": {"exclude": True}})})
    meta = meta.rstrip("\n")
    return ["---", meta, "---", "", f"# {escape(title)}", "", intro, ""]


def by_date(documents: Iterable[Document]) -> list[Document]:
    """Oldest first, undated last, ties in id order (deterministic)."""
    return sorted(documents, key=lambda d: (d.date is None, d.date or "", d.id))


def table_date(doc: Document) -> str:
    """A document's date for a table cell, kept on one line (2022年11月28日, not 11月 / 28日).

    >>> from policy_archive.model import Document
    >>> table_date(Document("s-1", "", None, None, "printed", "2022-11-28", None, "day", False,
    ...                     None, None, [], None, "s.txt", "", 1, "zh-Hans", (1, 1), [], []))
    '<span class="nowrap">2022年11月28日</span>'
    """
    return f'<span class="nowrap">{escape(format_date(doc.date, doc.date_precision))}</span>'


def _doc_line(doc: Document, extra: str = "", depth: int = 1) -> str:
    """A list item linking a document from an index page ``depth`` folders down
    (``bodies/x.md`` is 1, ``bodies/x/2024.md`` 2); ``extra`` is plain text shown after it."""
    return _document_item(doc.id, doc.title, doc.date, doc.date_precision, depth) + (
        escape(extra) if extra else "")


# A document is listed on the page of every term it names: its item is written once.
@functools.lru_cache(maxsize=1 << 14)
def _document_item(doc_id: str, title: str, date: str | None, precision: str | None,
                   depth: int) -> str:
    target = url("documents", doc_id, up=depth, page=True)
    return f"- {escape(format_date(date, precision))} · {markdown_link(title, target)}"


# --- pages that would grow with the archive -------------------------------------------------

# An index page lists its documents itself while they are few (a page stays small and one
# click away); past SPLIT_AT they move to one page per year, ``<folder>/<slug>/<year>.md``,
# and the page keeps the counts. A year with more than PART_SIZE documents is cut into
# numbered parts (``2024-2.md``), so no page grows with the archive.
SPLIT_AT = 100
PART_SIZE = 400
# A year page of an index is also cut where its text passes this many bytes (a document
# may name a term in many paragraphs, each quoted in context).
PART_BYTES = 100_000
UNDATED = "undated"  # the year page of documents without a date


def _parts(items: list, size: int = PART_SIZE) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _volumes(folder: str, slug: str, title: str, documents: list[Document],
             entries: Callable[[Document, int], list[str]],
             memo: Memo = DIRECT) -> tuple[list[str], dict[str, str]]:
    """The lines that list ``documents`` on ``<folder>/<slug>.md``, and the year pages they
    move to when there are many. ``entries(doc, depth)`` renders one document's lines for a
    page ``depth`` folders below docs/."""
    if len(documents) <= SPLIT_AT:
        return [line for doc in documents for line in entries(doc, 1)], {}
    years: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        years[doc.date[:4] if doc.date else UNDATED].append(doc)
    lines, files = [f"共 {len(documents)} 篇，按年份分页：", ""], {}
    for year in sorted(years):
        label = "日期不详" if year == UNDATED else f"{year}年"
        files.update(memo("volume", [folder, slug, title, year], years[year],
                          lambda year=year, label=label: ("", _year_volumes(
                              folder, slug, title, year, label, memo.items(
                                  [folder, slug, title, year], years[year],
                                  lambda doc: entries(doc, 2)))))[1])
        # The first page of a year is named by the year alone (``_year_volumes``).
        lines.append(f"- {markdown_link(label, url(slug, year, page=True))}："
                     f"{len(years[year])} 篇")
    return lines, files


def _year_volumes(folder: str, slug: str, title: str, year: str, label: str,
                  items: list[list[str]]) -> dict[str, str]:
    """The pages of one year of ``<folder>/<slug>``, from each document's lines."""
    files = {}
    parts = _parts_by_size(items)
    names = [year if n == 1 else f"{year}-{n}" for n in range(1, len(parts) + 1)]
    for n, (name, part) in enumerate(zip(names, parts, strict=True)):
        heading = f"{title} · {label}" + (f"（{n + 1}/{len(parts)}）" if len(parts) > 1 else "")
        page = _header(heading, markdown_link(f"返回：{title}", url(slug, up=1, page=True)))
        page += [line for lines_of_doc in part for line in lines_of_doc]
        page += ["", _part_links(names, n)] if len(parts) > 1 else []
        files[f"{folder}/{slug}/{name}.md"] = "\n".join(page).rstrip("\n") + "\n"
    return files


def _parts_by_size(items: list[list[str]]) -> list[list[list[str]]]:
    """Items (each a document's lines) cut into parts of at most PART_SIZE items and, but
    for a single larger item, PART_BYTES bytes of text."""
    parts: list[list[list[str]]] = [[]]
    size = 0
    for item in items:
        item_size = sum(map(len, map(str.encode, item))) + len(item)  # UTF-8, line breaks
        if parts[-1] and (len(parts[-1]) >= PART_SIZE or size + item_size > PART_BYTES):
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += item_size
    return parts


def _paged_index(folder: str, head: list[str], table: list[str], rows: list[str],
                 stem: str = "index") -> dict[str, str]:
    """``<folder>/<stem>.md`` with ``head`` and the first PART_SIZE ``rows`` (under the
    ``table`` header lines, if any); further rows on ``<stem>-2.md``, ``<stem>-3.md`` …"""
    parts = _parts(rows)
    names = [stem if n == 1 else f"{stem}-{n}" for n in range(1, len(parts) + 1)]
    files = {}
    for n, part in enumerate(parts):
        links = [_part_links(names, n), ""] if len(parts) > 1 else []
        page = [*head, *links, *table, *part]
        files[f"{folder}/{names[n]}.md"] = "\n".join(page).rstrip("\n") + "\n"
    return files


def _part_links(names: list[str], current: int) -> str:
    """Links between the parts of one year (from a page beside them)."""
    return " · ".join(f"第 {n + 1} 页" if n == current
                      else markdown_link(f"第 {n + 1} 页", url(name, page=True))
                      for n, name in enumerate(names))


# --- bodies -------------------------------------------------------------------------------


def _documents_by_body(documents: list[Document]) -> dict[str, list[tuple[Document, str]]]:
    out: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    for doc in documents:
        for body in doc.bodies:
            if body.slug:  # a body outside the lexicon has no page
                out[body.slug].append((doc, body.role))
    return out


def bodies_pages(documents: list[Document], memo: Memo = DIRECT) -> dict[str, str]:
    """``bodies/index.md`` and one page per body that acts in some document."""
    acting = _documents_by_body(documents)
    files: dict[str, str] = {}
    out = _header("机构", f"召开会议或发布文件的机构，按辖区排列（共 {len(acting)} 个）。",
                  BODIES_SOURCE)
    for place in bodies_lexicon.jurisdictions().values():
        listed = [b for b in bodies_lexicon.bodies() if b.jurisdiction == place.name
                  and b.slug in acting]
        if not listed:
            continue
        out += [f"## {escape(place.name)}", ""]
        for body in listed:
            count = len({d.id for d, _ in acting[body.slug]})
            out.append(f"- {markdown_link(body.name, url(body.slug, page=True))} · "
                       f"{escape(body.english)} · {count} 篇")
        out.append("")
    files["bodies/index.md"] = "\n".join(out).rstrip("\n") + "\n"
    for slug, acts in sorted(acting.items()):
        body = bodies_lexicon.body_by_slug(slug)
        if body is None:  # a correction named a body the lexicon lacks
            continue
        parts = [slug, [role for _, role in acts], bool(body.parent) and body.parent in acting]
        files[f"bodies/{slug}.md"], volumes = memo(
            "body", parts, [doc for doc, _ in acts],
            lambda body=body, acts=acts, parts=parts: _body_page(
                body, acts, acting, memo.scoped("body", parts)))
        files.update(volumes)
    return files


def _body_page(body: bodies_lexicon.Body, acts: list[tuple[Document, str]],
               acting: dict[str, list[tuple[Document, str]]],
               memo: Memo = DIRECT) -> tuple[str, dict[str, str]]:
    out = _header(body.name, f"*{escape(body.english)}*", BODIES_SOURCE)
    out += ["<dl class=\"doc-meta\">",
            f"<dt>辖区</dt><dd>{escape(body.jurisdiction)}</dd>",
            f"<dt>层级</dt><dd>{escape(LEVEL_LABELS.get(body.level, body.level))}</dd>"]
    parent = bodies_lexicon.body_by_slug(body.parent) if body.parent else None
    if parent:
        shown = (link(parent.name, url(parent.slug, up=1)) if parent.slug in acting
                 else escape(parent.name))
        out.append(f"<dt>上级</dt><dd>{shown}</dd>")
    out += ["</dl>", "", "## 文件", ""]
    roles: dict[str, list[str]] = defaultdict(list)
    for doc, role in acts:
        roles[doc.id].append(ROLE_LABELS.get(role, role))
    docs = by_date({doc.id: doc for doc, _ in acts}.values())
    lines, volumes = _volumes("bodies", body.slug, body.name, docs, lambda doc, depth: [
        _doc_line(doc, f" · {'、'.join(roles[doc.id])}", depth)], memo)
    return "\n".join(out + lines) + "\n", volumes


# --- dates --------------------------------------------------------------------------------


def dates_pages(documents: list[Document], memo: Memo = DIRECT) -> dict[str, str]:
    """``dates/index.md`` (years and months with counts) and ``dates/<year>.md``."""
    years: dict[str, list[Document]] = defaultdict(list)
    undated = []
    for doc in by_date(documents):
        if doc.date:
            years[doc.date[:4]].append(doc)
        else:
            undated.append(doc)
    files: dict[str, str] = {}
    out = _header("日期", "按年、月排列的文件数；点击年份查看该年全部文件。")
    for year in sorted(years):
        months = Counter(int(d.date[5:7]) for d in years[year] if d.date and len(d.date) >= 7)
        detail = "，".join(f"{m}月 {n} 篇" for m, n in sorted(months.items()))
        out.append(f"- {markdown_link(f'{year}年', url(year, page=True))}："
                   f"共 {len(years[year])} 篇（{escape(detail)}）")
        parts = _parts(years[year])
        names = [year if n == 1 else f"{year}-{n}" for n in range(1, len(parts) + 1)]
        for n, part in enumerate(parts):
            total = len(years[year])
            files[f"dates/{names[n]}.md"] = memo(
                "year", [year, names, n, total], part,
                lambda year=year, part=part, names=names, n=n, total=total: (
                    _year_page(year, part, names, n, total), {}))[0]
    if undated:
        out += ["", f"另有 {len(undated)} 篇日期未能确定："]
        out += [_doc_line(doc) for doc in undated]
    files["dates/index.md"] = "\n".join(out) + "\n"
    return files


def _year_page(year: str, documents: list[Document], names: list[str], part: int,
               total: int) -> str:
    """One year's documents (one part of them, when the year has more than PART_SIZE)."""
    heading = f"{year}年" + (f"（{part + 1}/{len(names)}）" if len(names) > 1 else "")
    out = _header(heading, f"{year}年的文件，共 {total} 篇，按日期排列。")
    if len(names) > 1:
        out += [_part_links(names, part), ""]
    month = None
    for doc in documents:
        this = int(doc.date[5:7]) if doc.date and len(doc.date) >= 7 else 0
        if this != month:
            month = this
            out += ["", f"## {this}月" if this else "## 月份不详", ""]
        end = f"至{format_date(doc.date_end, doc.date_precision)}" if doc.date_end else ""
        out.append(_doc_line(doc, end))
    return "\n".join(out) + "\n"


# --- initiatives --------------------------------------------------------------------------


def _in_context(number: int, paragraph: str, start: int, end: int,
                keyword: str) -> tuple[int, str, str, str]:
    """(paragraph, left, keyword, right): ``paragraph[start:end]`` with KWIC_WIDTH either side."""
    left = paragraph[max(0, start - KWIC_WIDTH) : start]
    right = paragraph[end : end + KWIC_WIDTH]
    left = ("…" if start > KWIC_WIDTH else "") + left
    right += "…" if end + KWIC_WIDTH < len(paragraph) else ""
    return (number, left, keyword, right)


_SPAN_ORDER = operator.attrgetter("paragraph", "start")  # where a span stands, at C speed


def _in_contexts(doc: Document, spans: Iterable[Span]) -> list[tuple[int, str, str, str]]:
    """Each span where extraction found a mention, in context (no matcher runs again here)."""
    out = []
    for span in sorted(spans, key=_SPAN_ORDER):
        paragraph = doc.paragraphs[span.paragraph - 1]
        out.append(_in_context(span.paragraph, paragraph, span.start, span.end,
                               paragraph[span.start : span.end]))
    return out


def _kwic(doc: Document, mention: tuple[int, str, str, str], depth: int = 1, *,
          titled: bool = True, anchors: Sequence[str] | None = None,
          page: str | None = None) -> str:
    """A keyword-in-context line linking to its paragraph, from a page ``depth`` folders
    below docs/ (an HTML link: relative to the page's directory URL, one level deeper).
    ``titled=False`` under the document's own list item: the link names the paragraph only.
    ``anchors`` are the document's paragraph anchors, and ``page`` its address from the
    page (``url``), where the caller has them."""
    number, left, keyword, right = mention
    anchor = (anchors or paragraph_anchors(doc.paragraphs))[number - 1]
    # The document's address and the anchor apart: each is checked and cached once (a
    # cache of every document and anchor would not hold an archive's paragraphs).
    target = (page or url("documents", doc.id, up=depth + 1)) + url(fragment=anchor)
    where = f"第{anchor[2:]}段" if anchor.startswith("p-") else "小标题"
    label = (f"{format_date(doc.date, doc.date_precision)} · {doc.title} · {where}" if titled
             else where)
    return (f'<p class="kwic">{link(label, target)}<br>'
            f"{escape(left)}<mark>{escape(keyword)}</mark>{escape(right)}</p>")


def _document_with_contexts(doc: Document, mentions: list[tuple[int, str, str, str]],
                            depth: int, extra: str = "",
                            anchors: Sequence[str] | None = None) -> list[str]:
    """A document's list item and, under it, each place it names the indexed term
    (``anchors``: the document's paragraph anchors, where the caller has them)."""
    lines = [_doc_line(doc, extra, depth), ""]
    if not mentions:
        return lines
    if anchors is None:
        anchors = paragraph_anchors(doc.paragraphs)
    page = url("documents", doc.id, up=depth + 1)
    for mention in mentions:
        lines += [_kwic(doc, mention, depth, titled=False, anchors=anchors, page=page), ""]
    return lines


# What each rule of the formulation finder is called on a page.
RULE_LABELS = {"numbered": "数字概括", "quoted": "引号标出", "series": "并列排比",
               "programme": "中心词", "brand": "品牌词加地名", "member": "成套举措之一"}
UNCURATED = "uncurated"  # initiatives/uncurated.md: the formulations the lexicon lacks


@dataclass
class _Formulation:
    """One entry of the 提法 index: a lexicon initiative, or a formulation found by shape."""

    slug: str
    name: str
    curated: initiatives_lexicon.Initiative | None
    rule: str = ""
    evidence: str = ""
    member_of: str | None = None
    documents: list[Document] = field(default_factory=list)
    mentions: int = 0
    spans: dict[str, list[Span]] = field(default_factory=dict)  # by document id
    # Each document's paragraph anchors, by id, shared by all the entries: a document is
    # quoted on the page of every formulation it names, its anchors worked out once.
    known_anchors: dict[str, list[str]] = field(default_factory=dict)

    def contexts(self, doc: Document) -> list[tuple[int, str, str, str]]:
        """Each place ``doc`` names it, in context (from the spans gathered once)."""
        return _in_contexts(doc, self.spans.get(doc.id, []))

    def anchors(self, doc: Document) -> list[str]:
        """``doc``'s paragraph anchors."""
        anchors = self.known_anchors.get(doc.id)
        if anchors is None:
            anchors = self.known_anchors[doc.id] = paragraph_anchors(doc.paragraphs)
        return anchors


def _formulations(documents: list[Document]) -> dict[str, _Formulation]:
    """Every formulation named in some document, with its documents oldest first."""
    found: dict[str, _Formulation] = {}
    anchors: dict[str, list[str]] = {}
    for doc in by_date(documents):
        # An entry is made the first time its slug is met (not once per mention).
        for item in doc.initiatives:
            entry = found.get(item.slug)
            if entry is None:
                entry = found[item.slug] = _Formulation(
                    item.slug, item.name, initiatives_lexicon.initiative_by_slug(item.slug),
                    known_anchors=anchors)
            entry.documents.append(doc)
            entry.mentions += len(item.spans)
            entry.spans.setdefault(doc.id, []).extend(item.spans)
        for mention in doc.formulations:
            entry = found.get(mention.slug)
            if entry is None:
                entry = found[mention.slug] = _Formulation(
                    mention.slug, mention.name, None, mention.rule, mention.evidence,
                    mention.member_of, known_anchors=anchors)
            if entry.name != mention.name:
                clash = f"{entry.name}, {mention.name} share {mention.slug}: lengthen the slug"
                raise ValueError(clash)
            entry.documents.append(doc)
            entry.mentions += len(mention.spans)
            entry.spans.setdefault(doc.id, []).extend(mention.spans)
    return found


def _by_frequency(entries: Iterable[_Formulation]) -> list[_Formulation]:
    """Most documents first, then most mentions, then earliest first appearance, then name."""
    def first(entry: _Formulation) -> tuple[bool, str]:
        date = entry.documents[0].date
        return (date is None, date or "")

    return sorted(entries, key=lambda e: (-len(e.documents), -e.mentions, first(e), e.name))


def _first_date(entry: _Formulation) -> str:
    return table_date(entry.documents[0])


def initiatives_pages(documents: list[Document], memo: Memo = DIRECT) -> dict[str, str]:
    """``initiatives/index.md`` (the lexicon's formulations), ``initiatives/uncurated.md``
    (those found by shape that the lexicon lacks, paged) and one page per formulation."""
    found = _formulations(documents)
    curated = _by_frequency(e for e in found.values() if e.curated)
    uncurated = _by_frequency(e for e in found.values() if not e.curated)
    files: dict[str, str] = {}
    out = _header("提法", f"文件中出现的战略、工作和提法（共 {len(found)} 项），按出现篇数、"
                  "处数和首次出现排列。", INITIATIVES_SOURCE)
    out += [f"## 词表收录（{len(curated)} 项）", "",
            "经人工核定、有英文名和说明的提法。", "",
            # The English name last: on a phone the columns a reader scans come first.
            "| 提法 | 篇数 | 首次出现 | 处数 | English |", "| --- | --- | --- | --- | --- |"]
    for entry in curated:
        assert entry.curated is not None
        out.append(f"| {markdown_link(entry.name, url(entry.slug, page=True))} | "
                   f"{len(entry.documents)} | {_first_date(entry)} | {entry.mentions} | "
                   f"{escape(entry.curated.english)} |")
    out += ["", f"## 未收录词表（{len(uncurated)} 项）", "",
            "按形式（数字概括、引号、并列排比、中心词等）自动发现、尚未收入词表的提法，"
            "未经人工核定：" + markdown_link("未收录词表的提法一览", url(UNCURATED, page=True))
            + "。"]
    files["initiatives/index.md"] = "\n".join(out) + "\n"
    head = _header("未收录词表的提法", f"按形式自动发现、尚未收入词表的提法（共 {len(uncurated)}"
                   " 项），按出现篇数、处数和首次出现排列；未经人工核定。" + markdown_link(
                       "返回：提法", url("index", page=True)), INITIATIVES_SOURCE)
    # As on the index: the columns a reader scans first, the rule last.
    table = ["| 提法 | 篇数 | 首次出现 | 处数 | 发现依据 |", "| --- | --- | --- | --- | --- |"]
    rows = [f"| {markdown_link(e.name, url(e.slug, page=True))} | {len(e.documents)} | "
            f"{_first_date(e)} | {e.mentions} | {escape(RULE_LABELS.get(e.rule, e.rule))} |"
            for e in uncurated]
    files.update(_paged_index("initiatives", head, table, rows, stem=UNCURATED))
    members_of: dict[str, list[_Formulation]] = defaultdict(list)
    for entry in found.values():
        if entry.member_of:
            members_of[entry.member_of].append(entry)
    for entry in [*curated, *uncurated]:
        whole = found.get(entry.member_of or "")
        members = sorted(members_of.get(entry.slug, []),
                         key=lambda e: (e.documents[0].id, _first_span(e)))
        parts = [entry.slug, entry.name, entry.rule, entry.evidence, entry.member_of,
                 [whole.name, whole.slug] if whole else None, [[m.name, m.slug] for m in members]]
        files[f"initiatives/{entry.slug}.md"], volumes = memo(
            "initiative", parts, entry.documents,
            lambda entry=entry, whole=whole, members=members, parts=parts: _initiative_page(
                entry, whole, members, memo.scoped("initiative", parts)))
        files.update(volumes)
    return files


def _usage_rows(entry: _Formulation) -> list[str]:
    """出现 (documents and mentions by year) and 使用机构 (the bodies of those documents)."""
    years: dict[str, list[Document]] = defaultdict(list)
    for doc in entry.documents:
        years[doc.date[:4] if doc.date else "日期不详"].append(doc)
    per_year = "，".join(
        (f"{y}年" if y[0].isdigit() else y)
        + f" {len(docs)} 篇 {sum(len(entry.spans.get(d.id, [])) for d in docs)} 处"
        for y, docs in sorted(years.items()))
    rows = [f"<dt>出现</dt><dd>{len(entry.documents)} 篇文件，{entry.mentions} 处"
            f"（{escape(per_year)}）</dd>"]
    bodies: dict[str, tuple[str | None, set[str]]] = {}
    for doc in entry.documents:
        for body in doc.bodies:
            bodies.setdefault(body.name, (body.slug, set()))[1].add(doc.id)
    if bodies:
        used = "；".join(
            (link(name, url("bodies", slug, up=2)) if slug else escape(name))
            + escape(f"（{len(ids)} 篇）")
            for name, (slug, ids) in sorted(bodies.items(), key=lambda b: (-len(b[1][1]), b[0])))
        rows.append(f"<dt>使用机构</dt><dd>{used}</dd>")
    return rows


def _initiative_page(entry: _Formulation, whole: _Formulation | None,
                     members: list[_Formulation], memo: Memo = DIRECT) -> Pages:
    """A formulation's page: what it is, where it was first and last named, and every
    mention in context, document by document."""
    item = entry.curated
    if item:
        out = _header(item.name, escape(item.description), INITIATIVES_SOURCE)
        out += ['<dl class="doc-meta">', f"<dt>English</dt><dd>{escape(item.english)}</dd>"]
        if item.variants:
            out.append(f"<dt>其他写法</dt><dd>{escape('、'.join(item.variants))}</dd>")
    else:
        # Found by shape and unchecked, and its contexts repeat the words of the documents:
        # out of search, where it would crowd out the documents and the lexicon's pages
        # (a reader reaches it from the index and from each document naming it).
        out = _header(entry.name, '<span class="doc-badge">未收录词表</span> '
                      "按形式自动发现，尚未经人工核定，没有英文名和说明；"
                      "核定后可加入词表（编辑按钮打开词表文件）。", INITIATIVES_SOURCE,
                      searched=False)
        out += ['<dl class="doc-meta">', "<dt>状态</dt><dd>未收录词表</dd>",
                f"<dt>发现依据</dt><dd>{escape(entry.evidence)}</dd>"]
        # The forms that collapsed into this entry (quotation marks, script, spacing).
        printed = _printed_forms(entry)
        if printed != [entry.name]:
            out.append(f"<dt>原文写法</dt><dd>{escape('、'.join(printed))}</dd>")
    if whole:
        out.append(f"<dt>所属</dt><dd>{link(whole.name, url(whole.slug, up=1))}</dd>")
    if members:
        out.append("<dt>成员</dt><dd>" + "、".join(link(m.name, url(m.slug, up=1))
                                                  for m in members) + "</dd>")
    out += _usage_rows(entry)
    out += ["</dl>", ""]
    ends = _first_and_last(entry)
    if ends:
        out += ["## 首次与最后出现", ""]
        out += [line for doc, mention in ends
                for line in (_kwic(doc, mention, anchors=entry.anchors(doc)), "")]
    out += ["## 文件与出处", ""]

    def entries(doc: Document, depth: int) -> list[str]:
        mentions = entry.contexts(doc)
        return _document_with_contexts(doc, mentions, depth,
                                       anchors=entry.anchors(doc) if mentions else None)

    lines, volumes = _volumes("initiatives", entry.slug, entry.name, entry.documents, entries,
                              memo)
    return "\n".join(out + lines).rstrip("\n") + "\n", volumes


def _printed_forms(entry: _Formulation) -> list[str]:
    """The forms ``entry`` is printed in, in the order the documents first print them."""
    forms = {doc.paragraphs[span.paragraph - 1][span.start : span.end]
             for doc in entry.documents for span in entry.spans.get(doc.id, [])}
    if len(forms) < 2:  # the order of one form or none needs no sorting
        return list(forms)
    return list(dict.fromkeys(
        doc.paragraphs[span.paragraph - 1][span.start : span.end] for doc in entry.documents
        for span in sorted(entry.spans.get(doc.id, []), key=_SPAN_ORDER)))


def _first_and_last(entry: _Formulation) -> list[tuple[Document, tuple[int, str, str, str]]]:
    """The first mention in context and, when there are more, the last (the page quotes
    them), without putting every mention of a large entry in context."""
    first = next(((doc, m) for doc in entry.documents for m in entry.contexts(doc)), None)
    if first is None:
        return []
    if sum(len(entry.spans.get(doc.id, [])) for doc in entry.documents) == 1:
        return [first]
    last = next((doc, found[-1]) for doc in reversed(entry.documents)
                if (found := entry.contexts(doc)))
    return [first, last]


def _first_span(entry: _Formulation) -> tuple[int, int]:
    """Where the formulation is first named in its first document (paragraph, character)."""
    doc = entry.documents[0]
    spans = [s for i in [*doc.initiatives, *doc.formulations] if i.slug == entry.slug
             for s in i.spans]
    return min((s.paragraph, s.start) for s in spans) if spans else (0, 0)


# --- cited documents ----------------------------------------------------------------------


def _citations(doc: Document, slug: str) -> list[tuple[int, str, str, str]]:
    """(paragraph, left, 《title》, right) for each citation of the title in the document
    (every spacing of the title that shares its page)."""
    return _in_contexts(doc, [s for c in doc.citations if citation_slug(c.title) == slug
                              for s in c.spans])


def cited_pages(documents: list[Document], memo: Memo = DIRECT) -> dict[str, str]:
    """``cited/index.md`` and one page per title cited in 《》, named by ``citation_slug``."""
    citing: dict[str, list[Document]] = defaultdict(list)
    printed: dict[str, list[str]] = defaultdict(list)  # forms as printed, earliest first
    archived: dict[str, str] = {}  # the archive document of that title, if any
    citing_ids: set[tuple[str, str]] = set()  # (slug, document id): a set, not list scans
    for doc in by_date(documents):
        for citation in doc.citations:
            title = citation.title
            slug = citation_slug(title)
            if printed[slug] and normalise_title(printed[slug][0]) != normalise_title(title):
                clash = f"《{printed[slug][0]}》, 《{title}》 share {slug}: lengthen citation_slug"
                raise ValueError(clash)
            if (slug, doc.id) not in citing_ids:
                citing_ids.add((slug, doc.id))
                citing[slug].append(doc)
            if title not in printed[slug]:
                printed[slug].append(title)
            if citation.document:
                archived.setdefault(slug, citation.document)
    by_id = {doc.id: doc for doc in documents}
    files: dict[str, str] = {}
    head = _header("引用文件", f"文件中以书名号引用的文件（共 {len(citing)} 种），按引用篇数"
                   "排列；本站收录的文件可直接阅读全文。")
    out: list[str] = []
    for slug in sorted(citing, key=lambda s: (-len(citing[s]), printed[s][0])):
        first = citing[slug][0]
        full = (markdown_link("全文", url("documents", archived[slug], up=1, page=True))
                if slug in archived else "—")
        out.append(f"| {markdown_link(f'《{printed[slug][0]}》', url(slug, page=True))} | "
                   f"{len(citing[slug])} | "
                   f"{table_date(first)} | {full} |")
        cited = by_id.get(archived.get(slug, ""))
        parts = [slug, printed[slug], [cited.id, cited.title] if cited else None]
        files[f"cited/{slug}.md"], volumes = memo(
            "cited", parts, citing[slug],
            lambda slug=slug, cited=cited, parts=parts: _cited_page(
                slug, printed[slug], cited, citing[slug], memo.scoped("cited", parts)))
        files.update(volumes)
    table = ["| 文件 | 引用篇数 | 首次引用 | 本站全文 |", "| --- | --- | --- | --- |"]
    files.update(_paged_index("cited", head, table, out))
    return files


def _cited_page(slug: str, printed: list[str], cited: Document | None,
                documents: list[Document], memo: Memo = DIRECT) -> Pages:
    citations = [(doc, _citations(doc, slug)) for doc in documents]
    count = sum(len(found) for _, found in citations)
    out = _header(f"《{printed[0]}》",
                  f"引用此文件的本站文件共 {len(documents)} 篇，按日期排列，每处引用附所在段落。")
    out.append('<dl class="doc-meta">')
    if cited:
        out.append(f"<dt>本站全文</dt><dd>{link(cited.title, url('documents', cited.id, up=2))}"
                   "</dd>")
    else:
        out.append("<dt>本站全文</dt><dd>未收录</dd>")
    if len(printed) > 1:
        others = "".join(f"《{form}》" for form in printed[1:])
        out.append(f"<dt>其他写法</dt><dd>{escape(others)}</dd>")
    out += [f"<dt>引用</dt><dd>{len(documents)} 篇文件，{count} 处</dd>", "</dl>", "",
            "## 引用出处", ""]
    found = {doc.id: mentions for doc, mentions in citations}

    def entries(doc: Document, depth: int) -> list[str]:
        # Cited in the document's title only: no paragraph to point at.
        extra = "" if found[doc.id] else " · 见于标题"
        return _document_with_contexts(doc, found[doc.id], depth, extra)

    lines, volumes = _volumes("cited", slug, f"《{printed[0]}》", documents, entries, memo)
    return "\n".join(out + lines).rstrip("\n") + "\n", volumes


# --- people -------------------------------------------------------------------------------


def people_pages(documents: list[Document], memo: Memo = DIRECT) -> dict[str, str]:
    """``people/index.md`` and one page per person, named by ``person_slug``."""
    named: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    for doc in by_date(documents):
        for person in doc.people:
            named[person.name].append((doc, person.role))
    files: dict[str, str] = {}
    head = _header("人物", f"文件中署有职务的人物（共 {len(named)} 位），职务按原文。")
    out: list[str] = []
    for name in sorted(named):
        roles = "；".join(dict.fromkeys(role for _, role in named[name]))
        slug = person_slug(name)
        out.append(f"- {markdown_link(name, url(slug, page=True))} · {escape(roles)} · "
                   f"{len(named[name])} 篇")
        parts = [name, [role for _, role in named[name]]]
        files[f"people/{slug}.md"], volumes = memo(
            "person", parts, [d for d, _ in named[name]],
            lambda name=name, roles=roles, slug=slug, parts=parts: _person_page(
                name, roles, slug, named[name], memo.scoped("person", parts)))
        files.update(volumes)
    files.update(_paged_index("people", head, [], out))
    return files


def _person_page(name: str, roles: str, slug: str, named: list[tuple[Document, str]],
                 memo: Memo = DIRECT) -> Pages:
    page = _header(name, f"职务按原文：{escape(roles)}。")
    role_of = {doc.id: role for doc, role in reversed(named)}  # the first one
    docs = list({doc.id: doc for doc, _ in named}.values())
    lines, volumes = _volumes("people", slug, name, docs, lambda doc, depth: [
        _doc_line(doc, f" · {role_of[doc.id]}", depth)], memo)
    return "\n".join(page + lines) + "\n", volumes
