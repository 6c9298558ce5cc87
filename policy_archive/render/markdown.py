"""Document pages: YAML front matter and a Markdown body any Markdown site generator reads.

Source text is published as literal text, never as markup: body paragraphs are raw HTML
``<p>`` blocks with the text HTML-escaped (Markdown does not parse inside them), and text
that must stand in Markdown (headings, link text) has every character Markdown or HTML could
read as syntax written as a character reference. So ``<script>``, ``*``, ``[x](…)`` or
``{: …}`` in a seed stay visible text.
"""

from __future__ import annotations

import html
import re

import yaml

from policy_archive import datafiles
from policy_archive.clean.steps import is_section_heading
from policy_archive.pipeline import Document

# Characters Markdown (with attr_list, tables, footnotes) or a template engine may read as syntax.
_MARKDOWN_SPECIALS = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>&~^=:$%'\"]")


def escape_markdown(text: str) -> str:
    """Write text so that Markdown renders it literally (for headings and link text).

    >>> escape_markdown("标题[x](javascript:alert(1)) {: .a}")
    '标题&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; &#123;&#58; &#46;a&#125;'
    """
    return _MARKDOWN_SPECIALS.sub(lambda m: f"&#{ord(m.group())};", text)


def escape_html(text: str) -> str:
    """Escape text for a raw HTML block; braces too, so no template syntax survives.

    >>> escape_html("<img src=x onerror=alert(1)> {{ x }}")
    '&lt;img src=x onerror=alert(1)&gt; &#123;&#123; x &#125;&#125;'
    """
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def front_matter(doc: Document) -> dict[str, object]:
    """The page's metadata, in a fixed key order (deterministic, readable diffs)."""
    meta: dict[str, object] = {
        "id": doc.id,
        "title": doc.title,
        "kicker": doc.kicker,
        "subtitle": doc.subtitle,
        "title_source": doc.title_source,
        "date": doc.date,
        "date_end": doc.date_end,
        "date_precision": doc.date_precision,
        "date_inferred": doc.date_inferred,
        "date_evidence": doc.date_evidence,
        "outlet": doc.outlet,
        "reporters": list(doc.reporters),
        "dateline": doc.dateline,
        "published": dict(doc.published) if doc.published else None,
        "original_title": doc.original_title,
    }
    meta.update(doc.extra)
    meta["source"] = {
        "seed": doc.seed,
        "sha256": doc.seed_sha256,
        "encoding": doc.seed_encoding,
        "article": doc.article,
        "script": doc.script,
        "lines": f"{doc.lines[0]}-{doc.lines[1]}",
    }
    meta["cleaning"] = list(doc.cleaning)
    return meta


def dump_yaml(data: object) -> str:
    """YAML with readable Chinese, no line folding, keys in the order given."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


_PRECISION_FORMAT = {"day": "{y}年{m}月{d}日", "month": "{y}年{m}月", "year": "{y}年"}


def format_date(date: str | None, precision: str | None) -> str:
    """A date as a Chinese reader writes it.

    >>> format_date("2024-03-13", "day"), format_date("2024-03", "month")
    ('2024年3月13日', '2024年3月')
    """
    if not date or not precision:
        return "未知"
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return _PRECISION_FORMAT[precision].format(y=parts[0], m=parts[1], d=parts[2])


def format_date_range(start: str, end: str, precision: str | None) -> str:
    """A span of dates as a Chinese reader writes it, without repeating year or month.

    >>> format_date_range("2022-11-28", "2022-11-29", "day")
    '2022年11月28日至29日'
    >>> format_date_range("2023-07-28", "2023-08-08", "day")
    '2023年7月28日至8月8日'
    >>> format_date_range("2023-12-30", "2024-01-02", "day")
    '2023年12月30日至2024年1月2日'
    """
    first = format_date(start, precision)
    last = format_date(end, precision)
    if precision == "day" and start[:4] == end[:4]:
        last = last[last.index("年") + 1 :]
        if start[:7] == end[:7]:
            last = last[last.index("月") + 1 :]
    return f"{first}至{last}"


def _meta_rows(doc: Document) -> list[tuple[str, str]]:
    date = escape_html(format_date(doc.date, doc.date_precision))
    if doc.date_end:
        date = escape_html(format_date_range(doc.date or "", doc.date_end, doc.date_precision))
    if doc.date_inferred:
        date += ' <span class="doc-badge">推断</span>'
        if doc.date_evidence:
            date += f'<br><span class="doc-evidence">依据：{escape_html(doc.date_evidence)}</span>'
    rows = [("日期", date)]
    if doc.outlet or doc.reporters:
        who = escape_html(doc.outlet or "")
        if doc.reporters:
            who += (" · " if who else "") + "记者 " + escape_html("、".join(doc.reporters))
        rows.append(("来源", who))
    if doc.dateline:
        rows.append(("电头", escape_html(doc.dateline)))
    if doc.published:
        when = format_date(str(doc.published["date"]), "day")
        if doc.published.get("time"):
            when += f" {doc.published['time']}"
        chrome = escape_html(str(doc.published["evidence"]))
        evidence = f'<br><span class="doc-evidence">据页面：{chrome}</span>'
        rows.append(("发布", escape_html(when) + evidence))
    if doc.original_title:
        rows.append(("原标题", escape_html(doc.original_title)))
    rows += _crossref_rows(doc)
    script = "繁体原文，已转为简体" if doc.script == "zh-Hant" else "简体原文"
    rows.append(
        (
            "原始文件",
            f"<code>{escape_html(doc.seed)}</code> 第 {doc.article} 篇"
            f"（第 {doc.lines[0]}–{doc.lines[1]} 行，{script}）<br>"
            f'<span class="doc-sha">sha256 <code>{doc.seed_sha256}</code></span>',
        )
    )
    return rows


_BODY_ROLES = {"held": "召开", "issued": "发布", "presided": "主持"}


def _link(href: str, text: str) -> str:
    # Relative to the page's directory URL (documents/<id>/), the same in both scripts' sites.
    return f'<a href="{escape_html(href)}">{escape_html(text)}</a>'


def _extra_list(doc: Document, key: str) -> list[dict[str, object]]:
    value = doc.extra.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _crossref_rows(doc: Document) -> list[tuple[str, str]]:
    """机构, 人物, 提法, 引用文件: each entry a link to its index page (and cited document)."""
    from policy_archive.extract.citations import citation_slug
    from policy_archive.extract.people import person_slug

    rows = []
    # A body outside the lexicon has no index page: its name stands unlinked.
    bodies = [
        (_link(f"../../bodies/{b['slug']}/", str(b["name"])) if b.get("slug")
         else escape_html(str(b["name"])))
        + escape_html(f"（{_BODY_ROLES.get(str(b.get('role')), b.get('role'))}）")
        for b in _extra_list(doc, "bodies") if b.get("name")
    ]
    if bodies:
        rows.append(("机构", "；".join(bodies)))
    people = [
        _link(f"../../people/{person_slug(str(p['name']))}/", str(p["name"]))
        + escape_html(f"（{p.get('role')}）" if p.get("role") else "")
        for p in _extra_list(doc, "people") if p.get("name")
    ]
    if people:
        rows.append(("人物", "、".join(people)))
    initiatives = [
        _link(f"../../initiatives/{i['slug']}/", str(i["name"]))
        for i in _extra_list(doc, "initiatives") if i.get("slug") and i.get("name")
    ]
    if initiatives:
        rows.append(("提法", "、".join(initiatives)))
    # Each title links to its cited/ page; one the archive holds also to its full text.
    cited = [
        _link(f"../../cited/{citation_slug(str(c['title']))}/", f"《{c['title']}》")
        + ("（" + _link(f"../{c['document']}/", "本站全文") + "）" if c.get("document") else "")
        for c in _extra_list(doc, "documents_cited") if c.get("title")
    ]
    if cited:
        rows.append(("引用文件", "".join(cited)))
    return rows


def document_page(doc: Document) -> str:
    """The Markdown page of one document."""
    out = ["---", dump_yaml(front_matter(doc)).rstrip("\n"), "---", ""]
    if doc.kicker:
        out += [f'<p class="doc-kicker">{escape_html(doc.kicker)}</p>', ""]
    badge = {
        "inferred": ' <span class="doc-badge">推断标题</span>',
        "corrected": ' <a class="doc-badge" href="#corrections">校订标题</a>',
    }.get(doc.title_source, "")
    out += [f"# {escape_markdown(doc.title)}{badge}", ""]
    if doc.subtitle:
        out += [f'<p class="doc-subtitle">{escape_html(doc.subtitle)}</p>', ""]
    out.append('<dl class="doc-meta">')
    for term, value in _meta_rows(doc):
        out.append(f"<dt>{term}</dt><dd>{value}</dd>")
    out += ["</dl>", ""]
    # Every paragraph, heading or not, is addressable as #p-N, N its 1-based index in the
    # dataset's `paragraphs`, so a citation and a dataset record point at the same text.
    for number, paragraph in enumerate(doc.paragraphs, 1):
        if is_section_heading(paragraph):
            out += [f"## {escape_markdown(paragraph)} {{#p-{number} .doc-section}}", ""]
        else:
            out += [f'<p id="p-{number}">{escape_html(paragraph)}</p>', ""]
    # Imported here: collation.py uses this module's escaping (a module-level import would loop).
    from policy_archive.render.collation import collation_notes

    out += collation_notes(doc)
    out += _provenance(doc)
    return "\n".join(out).rstrip("\n") + "\n"


def _provenance(doc: Document) -> list[str]:
    labels = datafiles.load("steps.yml")
    out = ["## 整理记录 {#provenance}", ""]
    if not doc.cleaning:
        out += ["<p>原文未经修补。</p>", ""]
        return out
    out.append('<ul class="doc-provenance">')
    for step in doc.cleaning:
        out.append(f"<li><code>{step}</code>：{escape_html(labels[step])}</li>")
    out += ["</ul>", ""]
    return out
