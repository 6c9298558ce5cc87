"""Applying a seed's corrections to its documents, in the pipeline's order.

- ``prescribed_split`` replaces the automatic split when the file prescribes one (the spans
  themselves are built by ``policy_archive.split.prescribed``);
- ``apply_fixes`` runs find/replace on the text *before* extraction, so dates and names
  are read from the corrected text;
- ``apply_overrides`` sets fields *after* extraction, so a person's word is final.

Each applied correction is recorded in ``doc.corrections`` (front matter, dataset, and the
page's 校勘记 section), with the value before and after and its reason.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policy_archive.clean.steps import is_section_heading
from policy_archive.corrections.schema import (
    ArticleCorrections,
    CorrectionsError,
    FieldCorrection,
    Fix,
    ListCorrection,
    SeedCorrections,
    date_precision,
    lexicon_entries,
    note_entry,
)
from policy_archive.model import BodyRole, CorrectionNote, InitiativeMention, Span
from policy_archive.split import ArticleSpan, split_seed
from policy_archive.split.prescribed import PrescribedStart, SplitError, prescribed_spans

if TYPE_CHECKING:
    from policy_archive.model import Document


@dataclass
class PrescribedSplit:
    """The spans a corrections file prescribes, and the 校勘记 entry of each moved article."""

    spans: list[ArticleSpan]
    notes: dict[int, CorrectionNote] = field(default_factory=dict)


def check_articles(corrections: SeedCorrections, count: int) -> None:
    """Every article a correction names must exist (positions 1..count)."""
    missing = sorted(n for n in corrections.articles if n > count)
    if missing:
        art = corrections.articles[missing[0]]
        msg = (f"{art.where}: article {missing[0]} does not exist; the seed has {count} "
               f"article{'s' if count != 1 else ''}")
        raise CorrectionsError(msg)


def prescribed_split(corrections: SeedCorrections, repaired_text: str) -> PrescribedSplit | None:
    """Article spans the corrections file prescribes, or None to split automatically."""
    spec = corrections.split_spec
    if spec is None:
        return None
    starts = [PrescribedStart(s.start, s.headline, s.where) for s in spec.starts]
    try:
        spans = prescribed_spans(repaired_text, starts)
    except SplitError as exc:
        raise CorrectionsError(str(exc)) from exc
    automatic = split_seed(repaired_text)

    def key(span: ArticleSpan) -> tuple:
        return span.first_line, span.last_line, span.headline

    if [key(s) for s in spans] == [key(s) for s in automatic]:
        msg = (f"{spec.note.where}: the automatic split already gives these "
               "articles and headlines; remove split")
        raise CorrectionsError(msg)
    out = PrescribedSplit(spans)
    for n, span in enumerate(spans, 1):
        before = automatic[n - 1] if n <= len(automatic) else None
        if before is not None and key(before) == key(span):
            continue  # this article is as the automatic split made it: nothing to note
        with_headline = before is not None and before.headline != span.headline
        out.notes[n] = note_entry(
            "lines",
            _span_lines(before, with_headline) if before else None,
            _span_lines(span, with_headline),
            spec.note,
        )
    return out


def apply_fixes(corrections: SeedCorrections, doc: Document,
                split: PrescribedSplit | None = None) -> None:
    """Apply text fixes (find/replace) to a document's paragraphs, before extraction."""
    notes = doc.corrections
    if split is not None and doc.article in split.notes:
        notes.append(split.notes[doc.article])
    article = corrections.articles.get(doc.article)
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


def apply_overrides(corrections: SeedCorrections, doc: Document) -> None:
    """Apply field corrections (title, date, bodies …), after extraction."""
    notes = doc.corrections
    article = corrections.articles.get(doc.article)
    if article is not None:
        _apply_fields(doc, article, notes)
        for change in article.lists:
            notes.extend(_apply_list(doc, change))


def _span_lines(span: ArticleSpan, with_headline: bool) -> dict[str, Any]:
    """An article's seed lines as the page's 原始文件 row counts them, and its headline lines
    when the correction moved them (render.collation words it for a reader)."""
    out: dict[str, Any] = {"lines": [span.first_line, span.last_line]}
    if with_headline:
        out["headline"] = [n for group in span.headline for n, _ in group]
    return out


def _apply_fix(doc: Document, fix: Fix) -> CorrectionNote:
    original = fix.target == "original"
    paragraphs = doc.paragraphs_original if original else doc.paragraphs
    if paragraphs is None:
        msg = f"{fix.note.where}: in: original, but article {doc.article} is not in traditional script"
        raise CorrectionsError(msg)
    # `paragraph: N` is the paragraph numbered N on the page (#p-N): body paragraphs only,
    # section headings are not counted (policy_archive.render.markdown.paragraph_anchors).
    body = [i for i, p in enumerate(paragraphs) if not is_section_heading(p)]
    if fix.paragraph is not None and fix.paragraph > len(body):
        msg = (f"{fix.note.where}: paragraph {fix.paragraph} does not exist; article "
               f"{doc.article} has {len(body)} (section headings are not counted)")
        raise CorrectionsError(msg)
    text = "\n".join(paragraphs)
    if fix.paragraph is not None:
        index = body[fix.paragraph - 1]
        offset = sum(len(p) + 1 for p in paragraphs[:index])
        positions = [offset + m.start() for m in re.finditer(re.escape(fix.find),
                                                               paragraphs[index])]
    else:
        positions = [m.start() for m in re.finditer(re.escape(fix.find), text)]
    if len(positions) != fix.count:
        scope = f"paragraph {fix.paragraph} of article" if fix.paragraph else "article"
        times = f"{len(positions)} time{'s' if len(positions) != 1 else ''}"
        msg = (f'{fix.note.where}: find "{_short(fix.find)}" matches {times} in {scope} '
               f"{doc.article}, count says {fix.count}")
        raise CorrectionsError(msg)
    # Paragraph of each match by bisecting the line starts: linear in the text, whatever
    # the count (counting newlines before each match was quadratic in it).
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    numbers = sorted({bisect.bisect_left(breaks, p) + 1 for p in positions})
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
    return CorrectionNote(fix.find, fix.replace, fix.note.reason, fix.note.evidence,
                          fix=fix.target, paragraphs=tuple(numbers), count=fix.count)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _apply_fields(doc: Document, article: ArticleCorrections, notes: list) -> None:
    fields = article.fields
    for name in ("title", "kicker", "subtitle", "outlet", "dateline", "reporters"):
        if name in fields:
            _set(doc, name, fields[name], notes)
    if "title" in fields and doc.title_source != "corrected":
        notes.append(note_entry("title_source", doc.title_source, "corrected", fields["title"].note))
        doc.title_source = "corrected"
    if "date" in fields:
        date = fields["date"]
        _set(doc, "date", date, notes)
        # What a reader expects when a person gives a date: its precision is the one written,
        # it is no longer marked as inferred (unless said), and the automatic range and
        # evidence, which belonged to the automatic date, go unless given again.
        derived = {
            "date_precision": date_precision(date.value),
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
                notes.append(note_entry(name, getattr(doc, name), value, note))
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
    notes.append(note_entry(name, before, correction.value, correction.note))
    setattr(doc, name, correction.value)


def _check_dates(doc: Document, article: ArticleCorrections) -> None:
    if doc.date_end is not None:
        if doc.date is None or date_precision(doc.date_end) != date_precision(doc.date):
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


def _matches(entry: BodyRole | InitiativeMention, name: str, attrs: dict[str, Any]) -> bool:
    return entry.name == name and all(getattr(entry, k) == v for k, v in attrs.items())


def _new_entry(doc: Document, kind: str, name: str,
               attrs: dict[str, Any]) -> BodyRole | InitiativeMention:
    """A body or initiative a person adds, as extraction would have found it."""
    known = lexicon_entries(kind).entries.get(name, {})
    if kind == "bodies":
        # printed: the form the text prints; a body a person adds may be printed nowhere.
        printed = attrs.get("printed", "")
        return BodyRole(name, known["slug"], attrs["role"], printed, surface=printed)
    forms = [name, *(known.get("variants") or []), *(known.get("aliases") or [])]
    spans = [Span(n, m.start(), m.end()) for n, p in enumerate(doc.paragraphs, 1)
             for m in re.finditer("|".join(map(re.escape, sorted(forms, key=len, reverse=True))), p)]
    return InitiativeMention(name, known["slug"], tuple(spans))


def _apply_list(doc: Document, change: ListCorrection) -> list[CorrectionNote]:
    current: list[Any] = getattr(doc, change.name)
    out = []
    for name, attrs in change.entries:
        found = [e for e in current if _matches(e, name, attrs)]
        label = _label(name, attrs)
        if change.op == "add":
            if found:
                msg = (f"{change.note.where}: {label!r} is already among the {change.name} of "
                       f"article {doc.article}; remove this correction")
                raise CorrectionsError(msg)
            current.append(_new_entry(doc, change.name, name, attrs))
            out.append(note_entry(change.name, None, label, change.note))
        else:
            if not found:
                msg = (f"{change.note.where}: {label!r} is not among the {change.name} of "
                       f"article {doc.article}, nothing to remove")
                raise CorrectionsError(msg)
            current[:] = [e for e in current if not _matches(e, name, attrs)]
            out.append(note_entry(change.name, label, None, change.note))
    return out

