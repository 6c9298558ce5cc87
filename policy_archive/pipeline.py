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
from policy_archive import corrections as correcting
from policy_archive.corrections import check_orphans, load_corrections
from policy_archive.extract import curator_notes, dates, enrich, link_archive
from policy_archive.extract.dateline import split_dateline
from policy_archive.extract.headline import Headline, inferred_headline, printed_headline
from policy_archive.ingest import Seed, SeedError, read_seed, seed_paths
from policy_archive.registry import Entry, assign_ids
from policy_archive.script import detect_script, to_simplified
from policy_archive.split import ArticleSpan, split_seed
from policy_archive.verify import check_seed

log = logging.getLogger("policy_archive")

# Bounds on the work one build does, whatever the seeds hold (ingest bounds each seed's size
# and the number of seeds). The largest real page holds a handful of articles; a seed that
# splits into more is a mistake or an attack (a megabyte of datelines once made 38,836
# documents and ran for ten minutes), and is refused before any article is processed.
MAX_DOCUMENTS_PER_SEED = 100
# All seeds together: 10,000 seeds of 18 KB peak at 1.2 GiB of memory (benchmarks/
# build_limits.py), so the total text and the paragraphs it gives are capped too.
MAX_TOTAL_SEED_BYTES = 256 * 1024 * 1024
MAX_PARAGRAPHS = 2_000_000


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
    """The id of an article by its position: its seed's file name and its position in the
    seed. It is the permanent id unless the registry says the text was published under
    another (``registry.assign_ids``).

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
    prescribed = correcting.prescribed_split(corrections, repaired.text)
    spans = prescribed.spans if prescribed else split_seed(repaired.text)
    if len(spans) > MAX_DOCUMENTS_PER_SEED:
        msg = (f"{seed.path.as_posix()}:{spans[MAX_DOCUMENTS_PER_SEED].first_line}: splits into "
               f"{len(spans)} articles, over the limit of {MAX_DOCUMENTS_PER_SEED} per seed; "
               "a page with more articles goes into several seeds")
        raise SeedError(msg)
    documents = [_document(seed, repaired, span, n) for n, span in enumerate(spans, 1)]
    correcting.check_articles(corrections, len(documents))  # a correction names an existing article
    # Before the corrections: they may change characters on purpose (see verify.py).
    check_seed(seed.path, seed.text, repaired, documents)
    for doc in documents:
        correcting.apply_fixes(corrections, doc, prescribed)
    _date_documents(documents, warnings)
    enrich(documents, warnings)
    for doc in documents:
        correcting.apply_overrides(corrections, doc)
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

    headline: Headline | None = printed_headline(span.headline)
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
        reporters=list(dateline.reporters) if dateline else [],
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


def build_documents(seeds_dir: Path, seeds: Iterable[Path] | None = None,
                    published: Iterable[Entry] = ()) -> BuildResult:
    """Every document of every seed in ``seeds_dir``, in seed and article order.

    ``published`` is the registry of permanent ids (``registry.load``): each article gets
    the id its text was published under (``registry.assign_ids``).
    """
    published = list(published)
    warnings: list[str] = []
    documents: list[Document] = []
    if seeds is None:
        check_orphans(seeds_dir)  # a corrections file is never silently ignored
    total_bytes = paragraphs = 0
    for path in seeds if seeds is not None else seed_paths(seeds_dir):
        seed = read_seed(path)
        total_bytes += len(seed.text.encode("utf-8"))
        if total_bytes > MAX_TOTAL_SEED_BYTES:
            msg = (f"{path.as_posix()}: the seeds up to this one hold {total_bytes:,} bytes, over "
                   f"the limit of {MAX_TOTAL_SEED_BYTES:,} for one build")
            raise SeedError(msg)
        found = process_seed(seed, warnings)
        assign_ids(found, published)
        paragraphs += sum(len(doc.paragraphs) for doc in found)
        if paragraphs > MAX_PARAGRAPHS:
            msg = (f"{path.as_posix()}: the seeds up to this one give {paragraphs:,} paragraphs, "
                   f"over the limit of {MAX_PARAGRAPHS:,} for one build")
            raise SeedError(msg)
        if not found:
            warnings.append(f"{seed.name}: no text left after repair; no page written")
        documents.extend(found)
    # Citations link across seeds, so only the whole archive can resolve them.
    link_archive(documents)
    return BuildResult(documents, warnings, curator_notes(documents))
