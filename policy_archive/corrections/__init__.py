"""Human corrections kept beside the seeds: ``seeds/<seed stem>.corrections.yml``.

A reader who finds an OCR error, a wrong date or a wrong headline fixes it here, in a small
reviewable file, instead of editing the seed (the untouched record of the source) or a
generated page (overwritten by the next build). The format is documented in CONTRIBUTING.md;
in short::

    articles:
      2:                         # the article's 1-based position in the seed
        date:
          value: 2024-06-12
          reason: 电头“6月12日”；同版报道年份为 2024
        fixes:
          - find: 常晓勇主特
            replace: 常晓勇主持
            count: 1
            reason: OCR 误识，同篇第 1 段作“主持”
    split:                       # optional: where articles begin, by seed line number
      reason: …
      articles: [1, {start: 108, headline: [268-273]}]

Three stages, called by ``policy_archive.pipeline.process_seed``:

- ``split`` replaces the automatic split when the file prescribes one;
- ``apply_fixes`` runs find/replace on the text *before* extraction, so dates and names
  are read from the corrected text;
- ``apply_overrides`` sets fields *after* extraction, so a person's word is final.

Every correction is either applied where it says or stops the build with a
``CorrectionsError`` naming the file, the line and what is wrong: a correction is never
applied to the wrong place and never silently dropped. Line numbers come from PyYAML's node
marks (``yaml.compose``), so the message points at the entry a contributor wrote.

Each applied correction is recorded in ``doc.extra["corrections"]`` (front matter, dataset,
and the page's 校勘记 section), with the value before and after and its reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from policy_archive.split import ArticleSpan, dateline_pattern, is_headline_line, split_seed

if TYPE_CHECKING:
    from policy_archive.ingest import Seed
    from policy_archive.pipeline import Document

SUFFIX = ".corrections.yml"

# Fields a corrections file may set, with the Chinese label the 校勘记 shows.
FIELD_LABELS = {
    "title": "标题",
    "kicker": "引题",
    "subtitle": "副题",
    "title_source": "标题来源",
    "date": "日期",
    "date_end": "结束日期",
    "date_precision": "日期精度",
    "date_inferred": "日期为推断",
    "date_evidence": "日期依据",
    "outlet": "媒体",
    "reporters": "记者",
    "dateline": "电头",
    "bodies": "机构",
    "initiatives": "举措",
    "lines": "原始行",
}
# Fields a person sets directly (the others follow from them).
TEXT_FIELDS = ("title", "kicker", "subtitle", "outlet", "dateline", "date_evidence")
SETTABLE = (*TEXT_FIELDS, "reporters", "date", "date_end", "date_inferred")
# List fields filled by policy_archive.extract (doc.extra), checked against a lexicon.
LISTS = {"bodies": "bodies.yml", "initiatives": "initiatives.yml"}
LIST_KEYS = {f"{name}_{op}": (name, op) for name in LISTS for op in ("add", "remove")}
# What an entry may say besides its name (the dataset's bodies entries carry a role and the
# form the text prints, see schema/documents.schema.json).
LIST_ATTRIBUTES = {"bodies": ("role", "printed"), "initiatives": ()}
BODY_ROLES = ("held", "issued", "presided")
ARTICLE_KEYS = (*SETTABLE, *LIST_KEYS, "fixes", "reason", "evidence")
FIX_KEYS = ("find", "replace", "count", "paragraph", "in", "reason", "evidence")
TOP_KEYS = ("articles", "split", "encoding")
DERIVED_HINT = {
    "date_precision": "it follows from the form of date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "title_source": "it becomes 'corrected' when title is corrected",
    "lines": "use split to say where articles begin",
}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RANGE_RE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


class CorrectionsError(ValueError):
    """A corrections file is wrong; the message names the file, the line and the problem."""


def display_path(path: Path) -> str:
    """The path as a contributor types it: relative to the working folder where possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------------------------
# Reading YAML with line numbers


@dataclass
class _Tree:
    """A parsed corrections file: the plain data plus the line of every node, by key path."""

    path: Path
    data: Any
    lines: dict[tuple[Any, ...], int]

    def where(self, keys: tuple[Any, ...]) -> str:
        """``file:line: dotted.path`` for a node (the nearest ancestor that has a line)."""
        probe = keys
        while probe not in self.lines and probe:
            probe = probe[:-1]
        dotted = ""
        for key in keys:
            dotted += f"[{key}]" if isinstance(key, _Index) else ("." if dotted else "") + str(key)
        prefix = f"{display_path(self.path)}:{self.lines.get(probe, 1)}"
        return f"{prefix}: {dotted}" if dotted else prefix

    def error(self, keys: tuple[Any, ...], message: str) -> CorrectionsError:
        return CorrectionsError(f"{self.where(keys)}: {message}")


class _Index(int):
    """A sequence index in a key path (printed as ``[i]``, not ``.i``)."""


def _construct(node: yaml.Node, keys: tuple[Any, ...], lines: dict, path: Path) -> Any:
    """Plain Python data from a composed node, recording each node's 1-based line."""
    lines[keys] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path)
            if isinstance(key, (dict, list)) or key_node.tag == "tag:yaml.org,2002:merge":
                line = key_node.start_mark.line + 1
                msg = f"{display_path(path)}:{line}: keys must be plain names or numbers"
                raise CorrectionsError(msg)
            if key in out:
                line = key_node.start_mark.line + 1
                msg = f"{display_path(path)}:{line}: duplicate key {key!r}"
                raise CorrectionsError(msg)
            out[key] = _construct(value_node, (*keys, key), lines, path)
            # An entry's line is its key's: where the contributor wrote "4:" or "title:".
            lines[(*keys, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*keys, _Index(i)), lines, path) for i, v in enumerate(node.value)]
    return _scalar(node, path)


def _scalar(node: yaml.Node, path: Path) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return {} if isinstance(node, yaml.MappingNode) else []
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except ValueError:
        # A date-like scalar that is no date (2024-02-30): keep the text, validation says why.
        return node.value
    except yaml.MarkedYAMLError as exc:
        line = (exc.problem_mark or node.start_mark).line + 1
        msg = f"{display_path(path)}:{line}: {exc.problem}"
        raise CorrectionsError(msg) from exc


def _parse(path: Path) -> _Tree:
    """Parse a corrections file; invalid YAML is an error naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        msg = f"{display_path(path)}:{line}: not valid UTF-8 (save the file as UTF-8)"
        raise CorrectionsError(msg) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        msg = f"{display_path(path)}:{line}: invalid YAML: {exc.problem or exc}"
        raise CorrectionsError(msg) from exc
    except yaml.YAMLError as exc:
        msg = f"{display_path(path)}: invalid YAML: {exc}"
        raise CorrectionsError(msg) from exc
    lines: dict[tuple[Any, ...], int] = {(): 1}
    data = {} if node is None else _construct(node, (), lines, path)
    return _Tree(path, data, lines)


# --------------------------------------------------------------------------------------
# The corrections, validated


@dataclass
class Note:
    """Reason and optional evidence of one correction, and where it was written."""

    reason: str
    evidence: str | None
    where: str  # file:line: key path, for error messages at apply time


@dataclass
class FieldCorrection:
    name: str
    value: Any
    note: Note


@dataclass
class ListCorrection:
    name: str  # bodies | initiatives
    op: str  # add | remove
    entries: list[tuple[str, dict[str, Any]]]  # canonical name, attributes (role …)
    note: Note


@dataclass
class Fix:
    find: str
    replace: str
    count: int
    paragraph: int | None
    target: str  # text | original
    note: Note


@dataclass
class ArticleCorrections:
    number: int
    where: str
    fields: dict[str, FieldCorrection] = field(default_factory=dict)
    lists: list[ListCorrection] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


@dataclass
class SplitStart:
    start: int
    headline: list[int] | None  # None: take the headline-like lines at the start
    where: str


@dataclass
class SplitCorrection:
    starts: list[SplitStart]
    note: Note


@dataclass
class SeedCorrections:
    """The corrections of one seed (none when the seed has no corrections file)."""

    path: Path | None = None
    articles: dict[int, ArticleCorrections] = field(default_factory=dict)
    split_spec: SplitCorrection | None = None
    encoding: str | None = None
    where_articles: str = ""
    # Automatic and corrected line ranges by article, filled by split(), noted on each page.
    _split_notes: dict[int, dict[str, Any]] = field(default_factory=dict)

    # -- stage 0 ------------------------------------------------------------------------
    def check_articles(self, count: int) -> None:
        """Every article a correction names must exist (positions 1..count)."""
        missing = sorted(n for n in self.articles if n > count)
        if missing:
            art = self.articles[missing[0]]
            msg = (f"{art.where}: article {missing[0]} does not exist; the seed has {count} "
                   f"article{'s' if count != 1 else ''}")
            raise CorrectionsError(msg)

    # -- stage 1 ------------------------------------------------------------------------
    def split(self, repaired_text: str) -> list[ArticleSpan] | None:
        """Article spans the corrections file prescribes, or None to split automatically."""
        if self.split_spec is None:
            return None
        spans = _prescribed_spans(repaired_text, self.split_spec)
        automatic = split_seed(repaired_text)

        def key(span: ArticleSpan) -> tuple:
            return span.first_line, span.last_line, span.headline

        if [key(s) for s in spans] == [key(s) for s in automatic]:
            msg = (f"{self.split_spec.note.where}: the automatic split already gives these "
                   "articles and headlines; remove split")
            raise CorrectionsError(msg)
        for n, span in enumerate(spans, 1):
            before = automatic[n - 1] if n <= len(automatic) else None
            if before is not None and key(before) == key(span):
                continue  # this article is as the automatic split made it: nothing to note
            with_headline = before is not None and before.headline != span.headline
            self._split_notes[n] = _entry(
                "lines",
                _span_text(before, with_headline) if before else None,
                _span_text(span, with_headline),
                self.split_spec.note,
            )
        return spans

    # -- stage 2 ------------------------------------------------------------------------
    def apply_fixes(self, doc: Document) -> None:
        """Apply text fixes (find/replace) to a document's paragraphs, before extraction."""
        notes = _notes(doc)
        if doc.article in self._split_notes:
            notes.append(self._split_notes[doc.article])
        article = self.articles.get(doc.article)
        if article is None:
            return
        for fix in article.fixes:
            notes.append(_apply_fix(doc, fix))
        if doc.paragraphs_original is not None and (
            len(doc.paragraphs_original) != len(doc.paragraphs)
        ):
            msg = (f"{article.where}: after the fixes article {doc.article} has "
                   f"{len(doc.paragraphs)} paragraphs but {len(doc.paragraphs_original)} in the "
                   "original script; fix both (in: original) so they stay aligned")
            raise CorrectionsError(msg)

    # -- stage 3 ------------------------------------------------------------------------
    def apply_overrides(self, doc: Document) -> None:
        """Apply field corrections (title, date, bodies …), after extraction."""
        notes = _notes(doc)
        article = self.articles.get(doc.article)
        if article is not None:
            _apply_fields(doc, article, notes)
            for change in article.lists:
                notes.extend(_apply_list(doc, change))
        # Last key of the extra metadata, whatever later stages added before it.
        doc.extra["corrections"] = doc.extra.pop("corrections")


def _span_text(span: ArticleSpan, with_headline: bool) -> str:
    """An article's lines as the page's 原始文件 row counts them (with its headline lines)."""
    text = f"{span.first_line}-{span.last_line}"
    if with_headline:
        numbers = [str(n) for group in span.headline for n, _ in group]
        text += f"; headline: {', '.join(numbers) or 'none'}"
    return text


def _notes(doc: Document) -> list[dict[str, Any]]:
    notes = doc.extra.setdefault("corrections", [])
    assert isinstance(notes, list)
    return notes


def _entry(key: str, before: Any, after: Any, note: Note) -> dict[str, Any]:
    out: dict[str, Any] = {"field": key, "before": before, "after": after, "reason": note.reason}
    if note.evidence:
        out["evidence"] = note.evidence
    return out


# --------------------------------------------------------------------------------------
# Validation of the file


def corrections_path(seed: Seed) -> Path:
    """Where a seed's corrections file lives."""
    return seed.path.with_name(f"{seed.stem}{SUFFIX}")


def load_corrections(seed: Seed) -> SeedCorrections:
    """The corrections of a seed, validated; an empty set when it has no corrections file."""
    path = corrections_path(seed)
    if not path.is_file():
        return SeedCorrections()
    corrections = parse_corrections(path, seed.text.count("\n") + 1)
    if corrections.encoding and not _same_encoding(corrections.encoding, seed.encoding):
        msg = (f"{display_path(path)}: encoding says {corrections.encoding} but the seed was "
               f"read as {seed.encoding}")
        raise CorrectionsError(msg)
    return corrections


def declared_encoding(seed_path: Path) -> str | None:
    """The ``encoding:`` a seed's corrections file declares, or None.

    For ``policy_archive.ingest``: a seed whose encoding cannot be detected is decoded with
    the encoding a person declared beside it. The name is checked with ``codecs.lookup``,
    so a typo stops the build here rather than as a decoding error later.
    """
    path = seed_path.with_name(f"{seed_path.stem}{SUFFIX}")
    if not path.is_file():
        return None
    tree = _parse(path)
    if not isinstance(tree.data, dict) or tree.data.get("encoding") is None:
        return None
    return _encoding(tree)


def _encoding(tree: _Tree) -> str:
    value = tree.data["encoding"]
    if not isinstance(value, str):
        raise tree.error(("encoding",), "must be an encoding name such as gb18030")
    try:
        codecs.lookup(value)
    except LookupError:
        raise tree.error(("encoding",), f"unknown encoding {value!r}") from None
    return value


def _same_encoding(declared: str, used: str) -> bool:
    def norm(name: str) -> str:
        name = codecs.lookup(name).name
        return "utf-8" if name == "utf-8-sig" else name

    return norm(declared) == norm(used)


def parse_corrections(path: Path, seed_lines: int | None = None) -> SeedCorrections:
    """Read and validate a corrections file (without the seed's articles, see check_articles)."""
    tree = _parse(path)
    data = tree.data
    if not isinstance(data, dict):
        raise tree.error((), "a corrections file is a mapping with 'articles' (and 'split')")
    for key in data:
        if key not in TOP_KEYS:
            raise tree.error((key,), f"unknown key {key!r} (known: {', '.join(TOP_KEYS)})")
    out = SeedCorrections(path=path, where_articles=tree.where(("articles",)))
    if data.get("encoding") is not None:
        out.encoding = _encoding(tree)
    articles = data.get("articles") or {}
    if not isinstance(articles, dict):
        raise tree.error(("articles",), "must map article numbers (1, 2, …) to corrections")
    for number, body in articles.items():
        out.articles[number] = _article(tree, number, body)
    if data.get("split") is not None:
        out.split_spec = _split(tree, data["split"], seed_lines)
    return out


def _note(tree: _Tree, keys: tuple[Any, ...], body: dict, inherited: Note | None) -> Note:
    reason = body.get("reason") if isinstance(body, dict) else None
    evidence = body.get("evidence") if isinstance(body, dict) else None
    for name, value in (("reason", reason), ("evidence", evidence)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise tree.error((*keys, name), f"{name} must be a non-empty text")
    if reason is None:
        if inherited is None:
            raise tree.error(keys, "every correction needs a reason (why is it right?)")
        return Note(inherited.reason, evidence or inherited.evidence, tree.where(keys))
    return Note(reason.strip(), evidence.strip() if evidence else None, tree.where(keys))


def _article(tree: _Tree, number: Any, body: Any) -> ArticleCorrections:
    keys: tuple[Any, ...] = ("articles", number)
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise tree.error(keys, f"article numbers are 1, 2, … (the position in the seed), "
                               f"not {number!r}")
    if not isinstance(body, dict):
        raise tree.error(keys, "must be a mapping of fields to correct")
    out = ArticleCorrections(number, tree.where(keys))
    inherited = _note(tree, keys, body, None) if body.get("reason") is not None else None
    for key, value in body.items():
        here = (*keys, key)
        if key in ("reason", "evidence"):
            continue
        if key in DERIVED_HINT:
            raise tree.error(here, f"{key} cannot be set: {DERIVED_HINT[key]}")
        if key not in ARTICLE_KEYS:
            known = ", ".join(ARTICLE_KEYS)
            raise tree.error(here, f"unknown field {key!r} (known: {known})")
        if key == "fixes":
            if not isinstance(value, list) or not value:
                raise tree.error(here, "fixes is a list of {find, replace, count, reason}")
            out.fixes = [_fix(tree, (*here, _Index(i)), f, inherited)
                         for i, f in enumerate(value)]
        elif key in LIST_KEYS:
            out.lists.append(_list(tree, here, key, value, inherited))
        else:
            out.fields[key] = _field(tree, here, key, value, inherited)
    return out


def _field(tree: _Tree, keys: tuple, name: str, raw: Any, inherited: Note | None) -> FieldCorrection:
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "reason", "evidence"}
        if extra or "value" not in raw:
            raise tree.error(keys, "write either the value, or {value: …, reason: …, evidence: …}")
        note = _note(tree, keys, raw, inherited)
        value, value_keys = raw["value"], (*keys, "value")
    else:
        note = _note(tree, keys, {}, inherited)
        value, value_keys = raw, keys
    return FieldCorrection(name, _check_value(tree, value_keys, name, value), note)


def _check_value(tree: _Tree, keys: tuple, name: str, value: Any) -> Any:
    if name in ("date", "date_end"):
        if value is None and name == "date_end":
            return None
        text = _date_text(value)
        if text is None:
            raise tree.error(keys, f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        return text
    if name == "date_inferred":
        if not isinstance(value, bool):
            raise tree.error(keys, "date_inferred is true or false")
        return value
    if name == "reporters":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise tree.error(keys, "reporters is a list of names, e.g. [涂燕]")
        return [v.strip() for v in value]
    if value is None and name != "title":
        return None
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise tree.error(keys, f"{name} must be a one-line text")
    return value.strip()


def _date_text(value: Any) -> str | None:
    """ISO text of a date as YAML gives it (2024-06-12 is read as a date), or None if invalid."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    y, m, d = (int(g) if g else None for g in match.groups())
    try:
        dt.date(y, m or 1, d or 1)
    except ValueError:
        return None
    return value.strip()


def _precision(date: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(date.split("-"))]


def _fix(tree: _Tree, keys: tuple, body: Any, inherited: Note | None) -> Fix:
    if not isinstance(body, dict):
        raise tree.error(keys, "a fix is a mapping {find, replace, count, reason}")
    for key in body:
        if key not in FIX_KEYS:
            raise tree.error((*keys, key), f"unknown key {key!r} (known: {', '.join(FIX_KEYS)})")
    find, replace = body.get("find"), body.get("replace")
    if not isinstance(find, str) or not find:
        raise tree.error(keys, "find must be the exact text to replace")
    if not isinstance(replace, str):
        raise tree.error(keys, "replace must be a text (\"\" to delete)")
    if find == replace:
        raise tree.error(keys, "find and replace are the same")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise tree.error((*keys, "count"), "count is how many times find must match (1, 2, …)")
    paragraph = body.get("paragraph")
    if paragraph is not None and (not isinstance(paragraph, int) or paragraph < 1):
        raise tree.error((*keys, "paragraph"), "paragraph is a paragraph number (1, 2, …)")
    target = body.get("in", "text")
    if target not in ("text", "original"):
        raise tree.error((*keys, "in"), "in is 'text' (the simplified text) or 'original'")
    return Fix(find, replace, count, paragraph, target, _note(tree, keys, body, inherited))


def _list(tree: _Tree, keys: tuple, key: str, raw: Any, inherited: Note | None) -> ListCorrection:
    name, op = LIST_KEYS[key]
    if isinstance(raw, dict) and "value" in raw:
        note = _note(tree, keys, raw, inherited)
        extra = set(raw) - {"value", "reason", "evidence"}
        if extra:
            raise tree.error(keys, "write either the list, or {value: [...], reason: …}")
        raw, keys = raw["value"], (*keys, "value")
    else:
        note = _note(tree, keys, {}, inherited)
    if isinstance(raw, (str, dict)):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise tree.error(keys, f"{key} is a list of names from policy_archive/data/{LISTS[name]}")
    lexicon = lexicon_entries(name)
    entries = []
    for i, item in enumerate(raw):
        here = (*keys, _Index(i))
        attrs: dict[str, Any] = {}
        if isinstance(item, dict):
            attrs = {k: v for k, v in item.items() if k != "name"}
            item = item.get("name")
            allowed = LIST_ATTRIBUTES[name]
            for attr, value in attrs.items():
                if attr not in allowed:
                    raise tree.error((*here, attr), f"unknown key {attr!r} (known: name"
                                     f"{''.join(', ' + a for a in allowed)})")
                if not isinstance(value, str):
                    raise tree.error((*here, attr), f"{attr} is a text")
        if not isinstance(item, str) or not item.strip():
            raise tree.error(here, f"each entry is a name from policy_archive/data/{LISTS[name]}, "
                                   "or {name: …, role: …}")
        canonical = item.strip()
        if canonical in lexicon.slugs:
            canonical = lexicon.slugs[canonical]
        elif canonical not in lexicon.entries:
            hint = (f" (did you mean {lexicon.aliases[canonical]!r}?)"
                    if canonical in lexicon.aliases else "")
            raise tree.error(here, f"{canonical!r} is not in policy_archive/data/"
                                   f"{LISTS[name]}{hint}")
        if op == "add" and name == "bodies" and attrs.get("role") not in BODY_ROLES:
            raise tree.error(here, f"a body added needs its role: {{name: …, role: …}}, role one "
                                   f"of {', '.join(BODY_ROLES)}")
        entries.append((canonical, attrs))
    return ListCorrection(name, op, entries, note)


def _split(tree: _Tree, raw: Any, seed_lines: int | None) -> SplitCorrection:
    keys: tuple[Any, ...] = ("split",)
    if not isinstance(raw, dict) or "articles" not in raw:
        raise tree.error(keys, "split is {reason: …, articles: [start line, …]}")
    for key in raw:
        if key not in ("articles", "reason", "evidence"):
            raise tree.error((*keys, key), f"unknown key {key!r} (known: articles, reason, evidence)")
    note = _note(tree, keys, raw, None)
    entries = raw["articles"]
    if not isinstance(entries, list) or not entries:
        raise tree.error((*keys, "articles"), "a list of the seed lines where articles begin")
    starts: list[SplitStart] = []
    for i, entry in enumerate(entries):
        here = (*keys, "articles", _Index(i))
        headline: list[int] | None = None
        if isinstance(entry, dict):
            unknown = set(entry) - {"start", "headline"}
            if unknown or "start" not in entry:
                raise tree.error(here, "an article start is a line number or {start, headline}")
            start = entry["start"]
            if "headline" in entry:
                headline = _line_list(tree, (*here, "headline"), entry["headline"])
        else:
            start = entry
        if not isinstance(start, int) or isinstance(start, bool) or start < 1:
            raise tree.error(here, f"start must be a seed line number, not {start!r}")
        if seed_lines is not None and start > seed_lines:
            raise tree.error(here, f"line {start} is past the end of the seed ({seed_lines} lines)")
        if starts and start <= starts[-1].start:
            raise tree.error(here, f"line {start} does not come after line {starts[-1].start}")
        starts.append(SplitStart(start, headline, tree.where(here)))
    return SplitCorrection(starts, note)


def _line_list(tree: _Tree, keys: tuple, raw: Any) -> list[int]:
    items = raw if isinstance(raw, list) else [raw]
    out: list[int] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and item >= 1:
            out.append(item)
        elif isinstance(item, str) and _RANGE_RE.match(item):
            a, b = (int(g) for g in _RANGE_RE.match(item).groups())
            if b < a:
                raise tree.error(keys, f"range {item!r} runs backwards")
            out.extend(range(a, b + 1))
        else:
            raise tree.error(keys, f"headline lines are numbers or ranges like 268-273, not {item!r}")
    return sorted(set(out))


# --------------------------------------------------------------------------------------
# Lexicons


@dataclass
class Lexicon:
    """A lexicon's entries by canonical name, and its slugs and aliases (for lookups, hints)."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


def lexicon_entries(name: str) -> Lexicon:
    """The entries of ``policy_archive/data/<bodies|initiatives>.yml``, as extraction reads them.

    Built from the extractors' own loaders, so a correction is checked against exactly the
    lexicon the build uses (and a malformed lexicon fails there, with its own message).
    """
    from policy_archive.extract.bodies import bodies
    from policy_archive.extract.initiatives import initiatives

    out = Lexicon()
    if name == "bodies":
        items = [(b.name, b.slug, b.aliases, {"slug": b.slug, "aliases": list(b.aliases)})
                 for b in bodies()]
    else:
        items = [(i.name, i.slug, i.variants, {"slug": i.slug, "variants": list(i.variants)})
                 for i in initiatives()]
    for canonical, slug, forms, entry in items:
        out.entries[canonical] = entry
        out.slugs[slug] = canonical
        for form in forms:
            out.aliases[form] = canonical
    return out


def _prescribed_spans(text: str, spec: SplitCorrection) -> list[ArticleSpan]:
    lines = list(enumerate(text.split("\n"), 1))
    first = spec.starts[0]
    stray = [n for n, t in lines[: first.start - 1] if t.strip()]
    if stray:
        msg = (f"{first.where}: lines {stray[0]}-{first.start - 1} before the first article "
               f"hold text; start the first article at line {stray[0]}")
        raise CorrectionsError(msg)
    spans = []
    for i, entry in enumerate(spec.starts):
        if entry.start > len(lines):
            msg = f"{entry.where}: line {entry.start} is past the end of the seed"
            raise CorrectionsError(msg)
        end = spec.starts[i + 1].start - 1 if i + 1 < len(spec.starts) else len(lines)
        span_lines = lines[entry.start - 1 : end]
        if not any(t.strip() for _, t in span_lines):
            msg = f"{entry.where}: lines {entry.start}-{end} hold no text"
            raise CorrectionsError(msg)
        if entry.headline is None:
            headline_numbers = _headline_lines([(n, t) for n, t in span_lines if t.strip()])
        else:
            headline_numbers = entry.headline
            for n in headline_numbers:
                if not entry.start <= n <= end:
                    msg = (f"{entry.where}: headline line {n} is outside this article "
                           f"(lines {entry.start}-{end})")
                    raise CorrectionsError(msg)
        spans.append(_span(span_lines, entry.start, end, set(headline_numbers)))
    return spans


def _headline_lines(content: list[tuple[int, str]]) -> list[int]:
    """Headline lines of an article whose split entry names none: the headline-like lines at
    its start or, failing that, at its end (a page that prints the headline after the body).

    A dateline (本报讯（…）6月) has no sentence punctuation either, but it opens the body.
    """
    dateline = dateline_pattern()

    def heading(text: str) -> bool:
        return is_headline_line(text) and not dateline.match(text.strip())

    k = 0
    while k < len(content) - 1 and heading(content[k][1]):
        k += 1
    if k:
        return [n for n, _ in content[:k]]
    j = len(content)
    while j > 1 and heading(content[j - 1][1]):
        j -= 1
    return [n for n, _ in content[j:]]


def _span(span_lines: list[tuple[int, str]], first: int, end: int, head: set[int]) -> ArticleSpan:
    # Headline lines in groups: a blank line, or a gap, between two lines separates groups
    # (what printed_headline reads as kicker / title / subtitle).
    groups: list[list[tuple[int, str]]] = []
    for n, t in span_lines:
        if n not in head or not t.strip():
            continue
        if groups and groups[-1][-1][0] == n - 1:
            groups[-1].append((n, t))
        else:
            groups.append([(n, t)])
    body = [(n, t) for n, t in span_lines if n not in head]
    while body and not body[0][1].strip():
        body.pop(0)
    while body and not body[-1][1].strip():
        body.pop()
    body_start = body[0][0] if body else end
    layout = "headline-after-body" if head and min(head) > body_start else "headline-before-body"
    return ArticleSpan(first, end, groups, body, layout)


def _apply_fix(doc: Document, fix: Fix) -> dict[str, Any]:
    original = fix.target == "original"
    paragraphs = doc.paragraphs_original if original else doc.paragraphs
    if paragraphs is None:
        msg = f"{fix.note.where}: in: original, but article {doc.article} is not in traditional script"
        raise CorrectionsError(msg)
    if fix.paragraph is not None and fix.paragraph > len(paragraphs):
        msg = (f"{fix.note.where}: paragraph {fix.paragraph} does not exist; article "
               f"{doc.article} has {len(paragraphs)}")
        raise CorrectionsError(msg)
    text = "\n".join(paragraphs)
    if fix.paragraph is not None:
        offset = sum(len(p) + 1 for p in paragraphs[: fix.paragraph - 1])
        positions = [offset + m.start() for m in re.finditer(re.escape(fix.find),
                                                               paragraphs[fix.paragraph - 1])]
    else:
        positions = [m.start() for m in re.finditer(re.escape(fix.find), text)]
    if len(positions) != fix.count:
        scope = f"paragraph {fix.paragraph} of article" if fix.paragraph else "article"
        times = f"{len(positions)} time{'s' if len(positions) != 1 else ''}"
        msg = (f'{fix.note.where}: find "{_short(fix.find)}" matches {times} in {scope} '
               f"{doc.article}, count says {fix.count}")
        raise CorrectionsError(msg)
    numbers = sorted({text[:p].count("\n") + 1 for p in positions})
    pieces, last = [], 0
    for p in positions:
        pieces += [text[last:p], fix.replace]
        last = p + len(fix.find)
    new = "".join([*pieces, text[last:]]).split("\n")
    if any(not p.strip() for p in new):
        msg = (f"{fix.note.where}: the fix leaves an empty paragraph in article {doc.article}; "
               "include the line break (\\n) in find to remove a paragraph")
        raise CorrectionsError(msg)
    paragraphs[:] = new
    # Key order as a reader scans it: where, what, how often, why.
    entry: dict[str, Any] = {"fix": fix.target, "paragraphs": numbers,
                             "before": fix.find, "after": fix.replace}
    if fix.count != 1:
        entry["count"] = fix.count
    return {**entry, **{k: v for k, v in _entry("", None, None, fix.note).items()
                        if k in ("reason", "evidence")}}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _apply_fields(doc: Document, article: ArticleCorrections, notes: list) -> None:
    fields = article.fields
    for name in ("title", "kicker", "subtitle", "outlet", "dateline", "reporters"):
        if name in fields:
            _set(doc, name, fields[name], notes)
    if "title" in fields and doc.title_source != "corrected":
        notes.append(_entry("title_source", doc.title_source, "corrected", fields["title"].note))
        doc.title_source = "corrected"
    if "date" in fields:
        date = fields["date"]
        _set(doc, "date", date, notes)
        # What a reader expects when a person gives a date: its precision is the one written,
        # it is no longer marked as inferred (unless said), and the automatic range and
        # evidence, which belonged to the automatic date, go unless given again.
        derived = {
            "date_precision": _precision(date.value),
            "date_end": fields["date_end"].value if "date_end" in fields else None,
            "date_inferred": (fields["date_inferred"].value
                              if "date_inferred" in fields else False),
            "date_evidence": (fields["date_evidence"].value
                              if "date_evidence" in fields else None),
        }
        for name, value in derived.items():
            # Given alongside the date, a companion field may equal the automatic value and
            # still matter (date_inferred: true keeps the mark the new date would drop).
            note = fields[name].note if name in fields else date.note
            if getattr(doc, name) != value:
                notes.append(_entry(name, getattr(doc, name), value, note))
                setattr(doc, name, value)
    else:
        for name in ("date_end", "date_inferred", "date_evidence"):
            if name in fields:
                _set(doc, name, fields[name], notes)
    _check_dates(doc, article)


def _set(doc: Document, name: str, correction: FieldCorrection, notes: list) -> None:
    before = getattr(doc, name)
    if before == correction.value:
        msg = (f"{correction.note.where}: {name} of article {doc.article} is already "
               f"{correction.value!r} without this correction; remove it")
        raise CorrectionsError(msg)
    notes.append(_entry(name, before, correction.value, correction.note))
    setattr(doc, name, correction.value)


def _check_dates(doc: Document, article: ArticleCorrections) -> None:
    if doc.date_end is not None:
        if doc.date is None or _precision(doc.date_end) != _precision(doc.date):
            msg = (f"{article.where}: date_end {doc.date_end} must be written like date "
                   f"({doc.date})")
            raise CorrectionsError(msg)
        if doc.date_end < doc.date:
            msg = f"{article.where}: date_end {doc.date_end} comes before date {doc.date}"
            raise CorrectionsError(msg)
    if doc.date_inferred and not doc.date_evidence:
        msg = (f"{article.where}: an inferred date needs date_evidence (the phrase of the text "
               "it rests on)")
        raise CorrectionsError(msg)


def _label(name: str, attrs: dict[str, Any]) -> str:
    return f"{name}（{'，'.join(f'{k}: {v}' for k, v in attrs.items())}）" if attrs else name


def _matches(entry: Any, name: str, attrs: dict[str, Any]) -> bool:
    if isinstance(entry, dict):
        return entry.get("name") == name and all(entry.get(k) == v for k, v in attrs.items())
    return str(entry) == name and not attrs


def _new_entry(doc: Document, kind: str, current: list, name: str,
               attrs: dict[str, Any]) -> Any:
    """An entry shaped like the ones extraction writes (see schema/documents.schema.json)."""
    known = lexicon_entries(kind).entries.get(name, {})
    if current and not isinstance(current[0], dict):
        return name
    entry: dict[str, Any] = {"name": name}
    if known.get("slug"):
        entry["slug"] = known["slug"]
    if kind == "bodies":
        # printed: the form the text prints; a body a person adds may be printed nowhere.
        entry.update(role=attrs["role"], printed=attrs.get("printed", ""))
        entry["surface"] = entry["printed"]
    elif kind == "initiatives":
        forms = [name, *(known.get("variants") or []), *(known.get("aliases") or [])]
        entry["paragraphs"] = [n for n, p in enumerate(doc.paragraphs, 1)
                               if any(form in p for form in forms)]
    else:
        entry.update(attrs)
    return entry


def _apply_list(doc: Document, change: ListCorrection) -> list[dict[str, Any]]:
    current = doc.extra.setdefault(change.name, [])
    assert isinstance(current, list)
    out = []
    for name, attrs in change.entries:
        found = [e for e in current if _matches(e, name, attrs)]
        label = _label(name, attrs)
        if change.op == "add":
            if found:
                msg = (f"{change.note.where}: {label!r} is already among the {change.name} of "
                       f"article {doc.article}; remove this correction")
                raise CorrectionsError(msg)
            current.append(_new_entry(doc, change.name, current, name, attrs))
            out.append(_entry(change.name, None, label, change.note))
        else:
            if not found:
                msg = (f"{change.note.where}: {label!r} is not among the {change.name} of "
                       f"article {doc.article}, nothing to remove")
                raise CorrectionsError(msg)
            current[:] = [e for e in current if not _matches(e, name, attrs)]
            out.append(_entry(change.name, label, None, change.note))
    return out


def check_orphans(seeds_dir: Path) -> None:
    """Stop on a corrections file whose seed does not exist (a renamed seed, a typo).

    Otherwise its corrections would silently apply to nothing.
    """
    for path in sorted(seeds_dir.glob(f"*{SUFFIX}")):
        seed = path.with_name(path.name[: -len(SUFFIX)] + ".txt")
        if not seed.is_file():
            msg = f"{display_path(path)}:1: no seed {seed.name} beside it; rename or remove the file"
            raise CorrectionsError(msg)
