"""The corrections file's format: parsed and validated into dataclasses, nothing applied.

``policy_archive.corrections.apply`` applies what this module reads; the file is read by the
bounded, line-keeping reader ``policy_archive.yamlfile``, so every error names
``file:line: key.path``. The format is described in ``policy_archive/corrections/__init__.py``
and CONTRIBUTING.md.
"""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policy_archive.ingest import SeedError, display_path, safe_text, text_encoding
from policy_archive.model import CorrectionNote
from policy_archive.text import LazyPattern
from policy_archive.yamlfile import Index, YamlTree, read_yaml

if TYPE_CHECKING:
    from policy_archive.ingest import Seed

SUFFIX = ".corrections.yml"

# Fields a person sets directly (the others follow from them).
TEXT_FIELDS = ("title", "kicker", "subtitle", "outlet", "dateline", "date_evidence")
SETTABLE = (*TEXT_FIELDS, "reporters", "date", "date_end", "date_inferred")
# List fields filled by policy_archive.extract, checked against a lexicon.
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
_DATE_RE = LazyPattern(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RANGE_RE = LazyPattern(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


class CorrectionsError(ValueError):
    """A corrections file is wrong; the message names the file, the line and the problem."""


def _parse(path: Path) -> YamlTree:
    """Parse a corrections file within the bounded reader's limits (policy_archive.yamlfile)."""
    return read_yaml(path, display_path(path), error_class=CorrectionsError)


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


def note_entry(key: str, before: Any, after: Any, note: Note) -> CorrectionNote:
    """A 校勘记 entry: the field, its value before and after, and the reason and evidence."""
    return CorrectionNote(before, after, note.reason, note.evidence, field=key)


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


def _encoding(tree: YamlTree) -> str:
    value = tree.data["encoding"]
    if not isinstance(value, str):
        raise tree.error(("encoding",), "must be an encoding name such as gb18030")
    try:
        text_encoding(value)  # text encodings only: not hex, base64, zlib, punycode …
    except SeedError as exc:
        raise tree.error(("encoding",), str(exc)) from None
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
    out = SeedCorrections(path=path)
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


def _note(tree: YamlTree, keys: tuple[Any, ...], body: dict, inherited: Note | None) -> Note:
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


def _article(tree: YamlTree, number: Any, body: Any) -> ArticleCorrections:
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
            out.fixes = [_fix(tree, (*here, Index(i)), f, inherited)
                         for i, f in enumerate(value)]
        elif key in LIST_KEYS:
            out.lists.append(_list(tree, here, key, value, inherited))
        else:
            out.fields[key] = _field(tree, here, key, value, inherited)
    return out


def _field(tree: YamlTree, keys: tuple, name: str, raw: Any, inherited: Note | None) -> FieldCorrection:
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


def _check_value(tree: YamlTree, keys: tuple, name: str, value: Any) -> Any:
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


def date_precision(date: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(date.split("-"))]


def _fix(tree: YamlTree, keys: tuple, body: Any, inherited: Note | None) -> Fix:
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


def _list(tree: YamlTree, keys: tuple, key: str, raw: Any, inherited: Note | None) -> ListCorrection:
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
        here = (*keys, Index(i))
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


def _split(tree: YamlTree, raw: Any, seed_lines: int | None) -> SplitCorrection:
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
        here = (*keys, "articles", Index(i))
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


def _line_list(tree: YamlTree, keys: tuple, raw: Any) -> list[int]:
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



def check_orphans(seeds_dir: Path) -> None:
    """Stop on a corrections file whose seed does not exist (a renamed seed, a typo).

    Otherwise its corrections would silently apply to nothing.
    """
    for path in sorted(seeds_dir.glob(f"*{SUFFIX}")):
        seed = path.with_name(path.name[: -len(SUFFIX)] + ".txt")
        if not seed.is_file():
            # Names escaped: a file name can hold a terminal escape sequence or bidi marks.
            msg = (f"{safe_text(display_path(path))}:1: no seed {safe_text(seed.name)} beside it; "
                   "rename or remove the file")
            raise CorrectionsError(msg)
