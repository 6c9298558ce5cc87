"""Cross-reference index pages: bodies/, dates/, initiatives/, people/, cited/, search terms.

Every page name is a stable slug (lexicon ``slug``, a year, or a hash of a person's name or
of a cited title), so a correction that changes a display name never moves a page. Pages
list documents, not their text; the places text is quoted are an initiative's mentions and a
cited title's citations, each a short keyword-in-context line linking to its paragraph
(``../../documents/<id>/#p-N``), so no page carries the archive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from policy_archive.extract import bodies as bodies_lexicon
from policy_archive.extract import initiatives as initiatives_lexicon
from policy_archive.extract.citations import citation_slug, find_citations, normalise_title
from policy_archive.extract.people import person_slug
from policy_archive.pipeline import Document
from policy_archive.render.escape import escape, link, markdown_link, url
from policy_archive.render.markdown import dump_yaml, format_date
from policy_archive.site_contract import ROLE_LABELS

LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "district": "区县级"}
# The lexicons the bodies and initiatives pages come from, for their edit buttons.
BODIES_SOURCE = "policy_archive/data/bodies.yml"
INITIATIVES_SOURCE = "policy_archive/data/initiatives.yml"
# Characters of context either side of a keyword-in-context mention.
KWIC_WIDTH = 24


def _header(title: str, intro: str, edit_source: str | None = None) -> list[str]:
    """Front matter and heading for ``title`` (raw text); ``intro`` is Markdown already.

    ``edit_source`` names the data file a reader edits to correct the page (the lexicon of
    bodies or initiatives); the site's edit button opens it (hooks/edit_links.py).
    """
    meta = dump_yaml({"title": title, **({"edit_source": edit_source} if edit_source else {})})
    meta = meta.rstrip("\n")
    return ["---", meta, "---", "", f"# {escape(title)}", "", intro, ""]


def by_date(documents: Iterable[Document]) -> list[Document]:
    """Oldest first, undated last, ties in id order (deterministic)."""
    return sorted(documents, key=lambda d: (d.date is None, d.date or "", d.id))


def _doc_line(doc: Document, extra: str = "") -> str:
    """A list item linking a document from an index page one folder down (``bodies/x.md``);
    ``extra`` is plain text shown after it."""
    date = format_date(doc.date, doc.date_precision)
    target = url("documents", doc.id, up=1, page=True)
    return f"- {escape(date)} · {markdown_link(doc.title, target)}{escape(extra)}"


def _entries(doc: Document, key: str) -> list[dict[str, object]]:
    value = doc.extra.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


# --- bodies -------------------------------------------------------------------------------


def _documents_by_body(documents: list[Document]) -> dict[str, list[tuple[Document, str]]]:
    out: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    for doc in documents:
        for entry in _entries(doc, "bodies"):
            out[str(entry["slug"])].append((doc, str(entry["role"])))
    return out


def bodies_pages(documents: list[Document]) -> dict[str, str]:
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
        files[f"bodies/{slug}.md"] = _body_page(body, acts, acting)
    return files


def _body_page(body: bodies_lexicon.Body, acts: list[tuple[Document, str]],
               acting: dict[str, list[tuple[Document, str]]]) -> str:
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
    docs = {doc.id: doc for doc, _ in acts}
    for doc in by_date(docs.values()):
        out.append(_doc_line(doc, f" · {'、'.join(roles[doc.id])}"))
    return "\n".join(out) + "\n"


# --- dates --------------------------------------------------------------------------------


def dates_pages(documents: list[Document]) -> dict[str, str]:
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
        files[f"dates/{year}.md"] = _year_page(year, years[year])
    if undated:
        out += ["", f"另有 {len(undated)} 篇日期未能确定："]
        out += [_doc_line(doc) for doc in undated]
    files["dates/index.md"] = "\n".join(out) + "\n"
    return files


def _year_page(year: str, documents: list[Document]) -> str:
    out = _header(f"{year}年", f"{year}年的文件，共 {len(documents)} 篇，按日期排列。")
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


def _mentions(doc: Document, slug: str) -> list[tuple[int, str, str, str]]:
    """(paragraph, left, keyword, right) for each mention of the initiative in the document."""
    return [
        _in_context(number, paragraph, m.start, m.end, m.printed)
        for number, paragraph in enumerate(doc.paragraphs, 1)
        for m in initiatives_lexicon.find_initiatives(paragraph)
        if m.initiative.slug == slug
    ]


def _kwic(doc: Document, mention: tuple[int, str, str, str]) -> str:
    number, left, keyword, right = mention
    date = format_date(doc.date, doc.date_precision)
    target = url("documents", doc.id, up=2, fragment=f"p-{number}")
    return (f'<p class="kwic">{link(f"{date} · {doc.title} · 第{number}段", target)}<br>'
            f"{escape(left)}<mark>{escape(keyword)}</mark>{escape(right)}</p>")


def initiatives_pages(documents: list[Document]) -> dict[str, str]:
    """``initiatives/index.md`` and one page per initiative named in some document."""
    named: dict[str, list[Document]] = defaultdict(list)
    for doc in by_date(documents):
        for entry in _entries(doc, "initiatives"):
            named[str(entry["slug"])].append(doc)
    files: dict[str, str] = {}
    out = _header("提法", f"文件中出现的战略、工作和提法（共 {len(named)} 项），按出现篇数排列。",
                  INITIATIVES_SOURCE)
    lexicon = [i for i in initiatives_lexicon.initiatives() if i.slug in named]
    lexicon.sort(key=lambda i: (-len(named[i.slug]), i.slug))
    out += ["| 提法 | English | 篇数 | 首次出现 |", "| --- | --- | --- | --- |"]
    for item in lexicon:
        first = named[item.slug][0]
        out.append(f"| {markdown_link(item.name, url(item.slug, page=True))} | "
                   f"{escape(item.english)} | {len(named[item.slug])} | "
                   f"{escape(format_date(first.date, first.date_precision))} |")
        files[f"initiatives/{item.slug}.md"] = _initiative_page(item, named[item.slug])
    files["initiatives/index.md"] = "\n".join(out) + "\n"
    return files


def _initiative_page(item: initiatives_lexicon.Initiative, documents: list[Document]) -> str:
    mentions = [(doc, m) for doc in documents for m in _mentions(doc, item.slug)]
    out = _header(item.name, escape(item.description), INITIATIVES_SOURCE)
    years = Counter(doc.date[:4] if doc.date else "日期不详" for doc, _ in mentions)
    out += ['<dl class="doc-meta">', f"<dt>English</dt><dd>{escape(item.english)}</dd>"]
    if item.variants:
        out.append(f"<dt>其他写法</dt><dd>{escape('、'.join(item.variants))}</dd>")
    per_year = "，".join(f"{y}年 {n} 处" if y[0].isdigit() else f"{y} {n} 处"
                        for y, n in sorted(years.items()))
    out.append(f"<dt>出现</dt><dd>{len(documents)} 篇文件，{len(mentions)} 处"
               f"（{escape(per_year)}）</dd>")
    out += ["</dl>", ""]
    if mentions:
        out += ["## 首次与最后出现", "", _kwic(*mentions[0]), ""]
        if len(mentions) > 1:
            out += [_kwic(*mentions[-1]), ""]
    out += ["## 文件", ""]
    out += [_doc_line(doc) for doc in documents]
    out += ["", "## 全部出处", ""]
    for doc, mention in mentions:
        out += [_kwic(doc, mention), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- cited documents ----------------------------------------------------------------------


def _citations(doc: Document, slug: str) -> list[tuple[int, str, str, str]]:
    """(paragraph, left, 《title》, right) for each citation of the title in the document."""
    return [
        _in_context(number, paragraph, start, end, paragraph[start:end])
        for number, paragraph in enumerate(doc.paragraphs, 1)
        for start, end, title in find_citations(paragraph)
        if citation_slug(title) == slug
    ]


def cited_pages(documents: list[Document]) -> dict[str, str]:
    """``cited/index.md`` and one page per title cited in 《》, named by ``citation_slug``."""
    citing: dict[str, list[Document]] = defaultdict(list)
    printed: dict[str, list[str]] = defaultdict(list)  # forms as printed, earliest first
    archived: dict[str, str] = {}  # the archive document of that title, if any
    for doc in by_date(documents):
        for entry in _entries(doc, "documents_cited"):
            title = str(entry["title"])
            slug = citation_slug(title)
            if printed[slug] and normalise_title(printed[slug][0]) != normalise_title(title):
                clash = f"《{printed[slug][0]}》, 《{title}》 share {slug}: lengthen citation_slug"
                raise ValueError(clash)
            if doc not in citing[slug]:
                citing[slug].append(doc)
            if title not in printed[slug]:
                printed[slug].append(title)
            if entry.get("document"):
                archived.setdefault(slug, str(entry["document"]))
    by_id = {doc.id: doc for doc in documents}
    files: dict[str, str] = {}
    out = _header("引用文件", f"文件中以书名号引用的文件（共 {len(citing)} 种），按引用篇数"
                  "排列；本站收录的文件可直接阅读全文。")
    out += ["| 文件 | 引用篇数 | 首次引用 | 本站全文 |", "| --- | --- | --- | --- |"]
    for slug in sorted(citing, key=lambda s: (-len(citing[s]), printed[s][0])):
        first = citing[slug][0]
        full = (markdown_link("全文", url("documents", archived[slug], up=1, page=True))
                if slug in archived else "—")
        out.append(f"| {markdown_link(f'《{printed[slug][0]}》', url(slug, page=True))} | "
                   f"{len(citing[slug])} | "
                   f"{escape(format_date(first.date, first.date_precision))} | {full} |")
        cited = by_id.get(archived.get(slug, ""))
        files[f"cited/{slug}.md"] = _cited_page(slug, printed[slug], cited, citing[slug])
    files["cited/index.md"] = "\n".join(out) + "\n"
    return files


def _cited_page(slug: str, printed: list[str], cited: Document | None,
                documents: list[Document]) -> str:
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
    for doc, found in citations:
        if not found:  # cited in the document's title only: no paragraph to point at
            out += [_doc_line(doc, " · 见于标题"), ""]
        for mention in found:
            out += [_kwic(doc, mention), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- people -------------------------------------------------------------------------------


def people_pages(documents: list[Document]) -> dict[str, str]:
    """``people/index.md`` and one page per person, named by ``person_slug``."""
    named: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    for doc in by_date(documents):
        for entry in _entries(doc, "people"):
            named[str(entry["name"])].append((doc, str(entry["role"])))
    files: dict[str, str] = {}
    out = _header("人物", f"文件中署有职务的人物（共 {len(named)} 位），职务按原文。")
    for name in sorted(named):
        roles = "；".join(dict.fromkeys(role for _, role in named[name]))
        slug = person_slug(name)
        out.append(f"- {markdown_link(name, url(slug, page=True))} · {escape(roles)} · "
                   f"{len(named[name])} 篇")
        page = _header(name, f"职务按原文：{escape(roles)}。")
        page += [_doc_line(doc, f" · {role}") for doc, role in named[name]]
        files[f"people/{slug}.md"] = "\n".join(page) + "\n"
    files["people/index.md"] = "\n".join(out) + "\n"
    return files
