"""The whole path from seeds to documents: ingest → clean → split → extract.

``build_documents`` returns the documents and the warnings; rendering them to files is
``policy_archive.render``'s job, so the pipeline knows nothing of the site generator.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policy_archive import clean
from policy_archive.corrections import check_orphans, load_corrections
from policy_archive.extract import curator_notes, dates, enrich, link_archive
from policy_archive.extract.dateline import (
    byline_dateline,
    credit_reporters,
    split_credit,
    split_dateline,
    split_run_in_headline,
)
from policy_archive.extract.headline import Headline, inferred_headline, printed_headline
from policy_archive.ingest import Seed, read_seed, seed_paths
from policy_archive.script import detect_script, to_simplified
from policy_archive.split import ArticleSpan, split_seed
from policy_archive.verify import check_seed

log = logging.getLogger("policy_archive")


@dataclass
class Document:
    """One article of one seed, with its metadata: what a page and a dataset record show."""

    id: str
    title: str
    kicker: str | None
    subtitle: str | None
    title_source: str
    date: str | None
    date_end: str | None
    date_precision: str | None
    date_inferred: bool
    date_evidence: str | None
    outlet: str | None
    reporters: list[str]
    dateline: str | None
    seed: str
    seed_sha256: str
    article: int
    script: str
    lines: tuple[int, int]
    cleaning: list[str]
    paragraphs: list[str]
    paragraphs_original: list[str] | None = None
    headline_original: dict[str, str | None] | None = None
    extra: dict[str, object] = field(default_factory=dict)  # metadata added by later stages
    seed_encoding: str = "utf-8"  # how the seed's bytes were decoded (ingest)
    # Text taken out by rule (page chrome, glosses, a list page's preamble): kept in the
    # dataset with the step that removed it, never shown as part of the page's text.
    removed: list[clean.Removal] = field(default_factory=list)
    credit: str | None = None  # a reporter credit printed after the last sentence: （记者…）

    @property
    def url(self) -> str:
        """Site-relative URL; derived from the id only, never from a correctable field."""
        return f"documents/{self.id}/"


@dataclass
class BuildResult:
    documents: list[Document]
    warnings: list[str]
    notes: list[str] = field(default_factory=list)  # for curators (candidate lexicon entries)


def document_id(seed: Seed, article: int) -> str:
    """The permanent id of an article: its seed's file name and its position in the seed.

    >>> from pathlib import Path
    >>> document_id(Seed(Path("x"), "000_ab.txt", "000_ab", "", "", "utf-8"), 2)
    '000_ab-2'
    """
    return f"{seed.stem}-{article}"


def process_seed(seed: Seed, warnings: list[str]) -> list[Document]:
    """Repair, split and extract one seed into its documents, applying its corrections.

    Text fixes apply before extraction (metadata is read from the corrected text); field
    corrections apply last, so a person's word overrides the automatic result.
    """
    corrections = load_corrections(seed)
    repaired = clean.repair_seed(seed.text)
    stamps = frozenset(r.line for r in repaired.removed if r.step == "drop_date_stamps")
    spans = corrections.split(repaired.text) or split_seed(repaired.text, stamps)
    documents = [_document(seed, repaired, span, n) for n, span in enumerate(spans, 1)]
    corrections.check_articles(len(documents))  # a correction names an existing article
    # Before the corrections: they may change characters on purpose (see verify.py).
    check_seed(seed.path, seed.text, repaired, documents)
    for doc in documents:
        corrections.apply_fixes(doc)
    _date_documents(documents, warnings)
    enrich(documents, warnings)
    for doc in documents:
        corrections.apply_overrides(doc)
    return documents


def _document(seed: Seed, repaired: clean.SeedRepair, span: ArticleSpan, article: int) -> Document:
    script = detect_script(span.body_text())
    traditional = script == "zh-Hant"
    body, article_steps = clean.repair_article(span.body_text(), traditional=traditional)
    original_body = clean.repair_article(span.body_text(), traditional=False)[0]
    paragraphs = body.split("\n") if body else []
    original = original_body.split("\n") if traditional and original_body else None

    dateline = None
    if paragraphs:
        dateline, paragraphs[0] = split_dateline(paragraphs[0])
        if original and dateline:
            original[0] = original[0][len(original[0]) - len(paragraphs[0]) :]
    if dateline is None and span.byline is not None:
        dateline = byline_dateline(to_simplified(span.byline[1]) if traditional else span.byline[1])
    credit, paragraphs = split_credit(paragraphs)
    if original and credit:
        original = split_credit(original)[1]

    headline: Headline | None = printed_headline(span.headline)
    # A list page may run an item's headline into its dateline on one line.
    lead = paragraphs[0] if paragraphs and not headline and not dateline else ""
    run_in = split_run_in_headline(lead) if lead else None
    if run_in:
        title, dateline, paragraphs[0] = run_in
        headline = Headline(title, None, None, "printed")
        if original:
            headline = Headline(original[0][: len(title)], None, None, "printed")
            original[0] = original[0][len(original[0]) - len(paragraphs[0]) :]
    reporters = list(dateline.reporters) if dateline else []
    headline_original = None
    if headline and traditional:
        headline_original = {
            "title": headline.title,
            "kicker": headline.kicker,
            "subtitle": headline.subtitle,
        }
        headline = Headline(
            to_simplified(headline.title),
            to_simplified(headline.kicker) if headline.kicker else None,
            to_simplified(headline.subtitle) if headline.subtitle else None,
            headline.source,
        )
    if headline is None:
        headline = inferred_headline(paragraphs[0] if paragraphs else "")

    seed_steps = repaired.steps_touching(span.first_line, span.last_line)
    # One ordered list: the registry order, seed steps then article steps.
    cleaning = [name for name in clean.ALL_STEPS if name in seed_steps or name in article_steps]
    return Document(
        id=document_id(seed, article),
        title=headline.title,
        kicker=headline.kicker,
        subtitle=headline.subtitle,
        title_source=headline.source,
        date=None,
        date_end=None,
        date_precision=None,
        date_inferred=False,
        date_evidence=None,
        outlet=dateline.outlet if dateline else None,
        reporters=reporters or (credit_reporters(credit) if credit else []),
        dateline=dateline.text if dateline else None,
        seed=seed.name,
        seed_sha256=seed.sha256,
        seed_encoding=seed.encoding,
        article=article,
        script=script,
        lines=(span.first_line, span.last_line),
        cleaning=cleaning,
        paragraphs=paragraphs,
        paragraphs_original=original,
        headline_original=headline_original,
        removed=[*repaired.removed_between(span.first_line, span.last_line), *span.set_aside],
        credit=credit,
    )


def _date_documents(documents: list[Document], warnings: list[str]) -> None:
    # First the documents that print their own date, then the vague ones (近日), which take
    # the month of the others in the same seed.
    pending = []
    for doc in documents:
        try:
            _apply_date(doc, dates.date_document(doc.paragraphs))
        except dates.NoDateEvidenceError:
            pending.append(doc)
    siblings = [d.date for d in documents if d.date and d.date_precision == "day"]
    for doc in pending:
        try:
            _apply_date(doc, dates.date_document(doc.paragraphs, siblings))
        except dates.NoDateEvidenceError as exc:
            warnings.append(f"{doc.seed} article {doc.article} ({doc.id}): no date: {exc}")


def _apply_date(doc: Document, found: dates.DocumentDate) -> None:
    doc.date = found.date
    doc.date_end = found.date_end
    doc.date_precision = found.precision
    doc.date_inferred = found.inferred
    doc.date_evidence = found.evidence


def build_documents(seeds_dir: Path, seeds: Iterable[Path] | None = None) -> BuildResult:
    """Every document of every seed in ``seeds_dir``, in seed and article order."""
    warnings: list[str] = []
    documents: list[Document] = []
    if seeds is None:
        check_orphans(seeds_dir)  # a corrections file is never silently ignored
    for path in seeds if seeds is not None else seed_paths(seeds_dir):
        seed = read_seed(path)
        found = process_seed(seed, warnings)
        if not found:
            warnings.append(f"{seed.name}: no text left after repair; no page written")
        documents.extend(found)
    # Citations link across seeds, so only the whole archive can resolve them.
    link_archive(documents)
    return BuildResult(documents, warnings, curator_notes(documents))
