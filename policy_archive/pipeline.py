"""The whole path from seeds to documents: ingest → clean → split → extract.

``build_documents`` returns the documents and the warnings; rendering them to files is
``policy_archive.render``'s job, so the pipeline knows nothing of the site generator.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policy_archive import clean, datafiles
from policy_archive import corrections as correcting
from policy_archive.cache import (
    BuildCache,
    code_fingerprint,
    file_digest,
    index_digest,
    key_of,
    pack_parts,
    rest_fields,
    seed_key,
    unpack_light,
    unpack_parts,
    unpack_rest,
)
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
from policy_archive.extract.published import (
    credited_source,
    deglossed,
    find_published,
    original_title,
)
from policy_archive.ingest import (
    CORRECTIONS_SUFFIX,
    Seed,
    SeedError,
    check_corrections_file,
    open_regular_file,
    read_seed,
    seed_paths,
    validate_seed_name,
)
from policy_archive.model import Document, Published, to_data
from policy_archive.registry import Entry, assign_ids, by_seed
from policy_archive.script import detect_script, to_simplified
from policy_archive.seen import SeenFiles
from policy_archive.split import ArticleSpan, split_seed
from policy_archive.text import han_characters
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
# Fewer seeds than this per process are built in-process: starting workers costs more.
MIN_ITEMS_PER_JOB = 16
T = TypeVar("T")


@dataclass
class BuildResult:
    documents: list[Document]
    warnings: list[str]
    # With a cache: each document's seed key and place in the seed, which fix its content
    # (render keys its pages by them, ``cache.document_fingerprint``), and the digest of
    # what its index pages read of it (``cache.index_digest``).
    origins: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """Notes for curators (candidate lexicon entries): made only when shown, as they
        read every document's formulations in full (``cached_notes`` keeps them)."""
        return curator_notes(self.documents)


def cached_notes(result: BuildResult, cache: BuildCache | None, *, shown: bool) -> list[str]:
    """``result.notes``, with a cache the last build's when what they read of every document
    is the same (its id and ``cache.index_digest``, which covers its formulations and
    dates); none when not ``shown``, their entry then only kept for a build that shows them.
    """
    if cache is None or len(result.digests) != len(result.documents):
        return result.notes if shown else []
    key = key_of(["notes", code_fingerprint(), [[doc.id, digest] for doc, digest in zip(
        result.documents, result.digests, strict=True)]])
    if not shown:
        cache.keep("notes", key)
        return []
    notes = cache.get("notes", key, _checked_notes)
    if notes is None:
        notes = result.notes
        cache.put("notes", key, notes)
    return notes


def _checked_notes(data: Any) -> list[str]:
    if not (isinstance(data, list) and all(isinstance(note, str) for note in data)):
        msg = "not curator notes"
        raise TypeError(msg)
    return data


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
    stamps = frozenset(r.line for r in repaired.removed if r.step == "drop_date_stamps")
    spans = prescribed.spans if prescribed else split_seed(repaired.text, stamps)
    if len(spans) > MAX_DOCUMENTS_PER_SEED:
        msg = (f"{seed.path.as_posix()}:{spans[MAX_DOCUMENTS_PER_SEED].first_line}: splits into "
               f"{len(spans)} articles, over the limit of {MAX_DOCUMENTS_PER_SEED} per seed; "
               "a page with more articles goes into several seeds")
        raise SeedError(msg)
    documents = [_document(seed, repaired, span, n) for n, span in enumerate(spans, 1)]
    _read_page_chrome(seed.text.split("\n"), spans, documents)
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
    body_text = span.body_text()
    script = detect_script(body_text)
    traditional = script == "zh-Hant"
    body, article_steps = clean.repair_article(body_text, traditional=traditional)
    paragraphs = body.split("\n") if body else []
    # A traditional article keeps its own script too: the same steps without the conversion.
    original_body = clean.repair_article(body_text, traditional=False)[0] if traditional else ""
    original = original_body.split("\n") if original_body else None

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


# Han characters of an article's first paragraph that locate its lead line in the seed.
LEAD_KEY_LENGTH = 8


def _lead_line(raw: list[str], span: ArticleSpan, doc: Document) -> int:
    """The seed line (1-based) where the article's first paragraph begins.

    The repair steps may have dropped chrome lines from the top of the body, so the lead is
    found by its first Han characters; failing that, the first line of the body.
    """
    first = (doc.paragraphs_original or doc.paragraphs or [""])[0]
    key = han_characters(first)[:LEAD_KEY_LENGTH]
    body_lines = [n for n, text in span.body if text.strip()]
    # key[0] in the raw line first: a line without it cannot hold the key (a cheap test
    # that spares reading the Han characters of most lines).
    start = next((i for i, n in enumerate(body_lines)
                  if key and key[0] in raw[n - 1]
                  and key in han_characters(deglossed(raw[n - 1]))), 0)
    # Chrome left in the first paragraph (发布日期：…) ends no sentence; the lead does.
    sentence = next((n for n in body_lines[start:] if "。" in raw[n - 1]), None)
    if sentence is not None:
        return sentence
    return body_lines[start] if body_lines else span.first_line


def _read_page_chrome(raw: list[str], spans: list[ArticleSpan], documents: list[Document]) -> None:
    """Publication date, credited source and 原标题 from the raw lines around each article.

    The article's own lines above its lead come first; then the lines back to the previous
    article's lead (on a list page the date printed over an item may fall in the previous
    span); then the lines below the lead.
    """
    previous_lead = 0
    for span, doc in zip(spans, documents, strict=True):
        lead = _lead_line(raw, span, doc)
        own_start = max(previous_lead, span.first_line - 1)
        before, earlier = raw[own_start : lead - 1], raw[previous_lead:own_start]
        after = raw[lead : span.last_line]
        previous_lead = lead
        published = find_published(before, after, earlier)
        doc.published = Published(**published.as_record()) if published else None
        doc.original_title = original_title(raw[span.first_line - 1 : span.last_line])
        if doc.outlet is None:
            doc.outlet = credited_source([*earlier, *before], after)


def _date_documents(documents: list[Document], warnings: list[str]) -> None:
    # First the documents that print their own date, then the vague ones (近日), which take
    # the month of the others in the same seed.
    pending = []
    for doc in documents:
        try:
            found = dates.date_document(doc.paragraphs, None, to_data(doc.published),
                                        doc.dateline)
            _apply_date(doc, found)
        except dates.NoDateEvidenceError:
            pending.append(doc)
    siblings = [d.date for d in documents if d.date and d.date_precision == "day"]
    for doc in pending:
        try:
            _apply_date(doc, dates.date_document(doc.paragraphs, siblings,
                                                 to_data(doc.published), doc.dateline))
        except dates.NoDateEvidenceError as exc:
            warnings.append(f"{doc.seed} article {doc.article} ({doc.id}): no date: {exc}")


def _apply_date(doc: Document, found: dates.DocumentDate) -> None:
    doc.date = found.date
    doc.date_end = found.date_end
    doc.date_precision = found.precision
    doc.date_inferred = found.inferred
    doc.date_evidence = found.evidence


def build_documents(seeds_dir: Path, seeds: Iterable[Path] | None = None, *,
                    cache: BuildCache | None = None, jobs: int = 1,
                    progress: bool = False, published: Iterable[Entry] = ()) -> BuildResult:
    """Every document of every seed in ``seeds_dir``, in seed and article order.

    ``published`` is the registry of permanent ids (``registry.load``): each article gets
    the id its text was published under (``registry.assign_ids``).

    Seeds are independent until citations are linked across them, so they are built one
    by one, from ``cache`` where their inputs have not changed, the rest on ``jobs``
    processes; the result is the same whatever the cache holds and however many jobs run.
    """
    published_by_seed = by_seed(published)
    if seeds is None:
        check_orphans(seeds_dir)  # a corrections file is never silently ignored
    paths = list(seeds if seeds is not None else seed_paths(seeds_dir))
    _check_total_size(paths)
    if cache:
        # Parsed once and kept: the workers forked later start with them.
        datafiles.load_all(cache)
    seen = SeenFiles(cache, seeds_dir) if cache else None
    keys = [_seed_key(path, seen) for path in paths] if seen else []
    results: list[SeedResult | None] = [
        cache.get("seed", key, functools.partial(_read_seed, cache, key, path))
        for key, path in zip(keys, paths, strict=True)] if cache else [None] * len(paths)
    missing = [n for n, result in enumerate(results) if result is None]
    # With a cache, a worker sends its seed back packed: the cache stores that text, and
    # documents read from it are the same whether built now or read next time.
    work = _build_packed_seed if cache else _build_seed
    for n, built in zip(missing, map_in_order(work, [paths[n] for n in missing], jobs, progress),
                        strict=True):
        if cache:
            seed_entry, rest_entry = built
            cache.put("seed", keys[n], seed_entry)
            cache.put("rest", keys[n], rest_entry)
            built = _unpack_built(seed_entry, rest_entry)
        results[n] = built
    warnings: list[str] = []
    documents: list[Document] = []
    origins: list[str] = []
    digests: list[str] = []
    paragraphs = 0
    for n, (path, result) in enumerate(zip(paths, results, strict=True)):
        assert result is not None
        found, seed_warnings, seed_paragraphs, seed_digests = result
        assign_ids(found, published_by_seed.get(path.stem, []))
        paragraphs += seed_paragraphs
        if paragraphs > MAX_PARAGRAPHS:
            msg = (f"{path.as_posix()}: the seeds up to this one give {paragraphs:,} paragraphs, "
                   f"over the limit of {MAX_PARAGRAPHS:,} for one build")
            raise SeedError(msg)
        warnings += seed_warnings
        documents.extend(found)
        if cache:
            origins += [f"{keys[n]}:{article}" for article in range(len(found))]
            digests += seed_digests
    if seen:
        seen.save()
    # Citations link across seeds, so only the whole archive can resolve them.
    link_archive(documents)
    return BuildResult(documents, warnings, origins, digests)


# A seed's documents, warnings, paragraphs and (with a cache) its documents' index digests.
SeedResult = tuple[list[Document], list[str], int, list[str]]


def _build_seed(path: Path) -> SeedResult:
    """One seed's documents and warnings (a top-level function: it runs in a worker)."""
    warnings: list[str] = []
    seed = read_seed(path)
    found = process_seed(seed, warnings)
    if not found:
        warnings.append(f"{seed.name}: no text left after repair; no page written")
    return found, warnings, sum(len(doc.paragraphs) for doc in found), []


def _build_packed_seed(path: Path) -> list:
    """A seed built and packed for the cache: its ``seed`` entry (each document's light
    fields, the warnings, the paragraphs, each document's ``index_digest``) and its ``rest``
    entry (each document's other fields, read only where a build uses them)."""
    found, warnings, paragraphs, _ = _build_seed(path)
    parts = [pack_parts(doc) for doc in found]
    return [[[light for light, _ in parts], warnings, paragraphs,
             [index_digest(*part) for part in parts]], [rest for _, rest in parts]]


def _seed_entry(data: Any) -> tuple[list, list[str], int, list[str]]:
    lights, warnings, paragraphs, digests = data
    if not (isinstance(lights, list) and isinstance(warnings, list)
            and type(paragraphs) is int and isinstance(digests, list)
            and len(digests) == len(lights) and all(isinstance(d, str) for d in digests)):
        msg = "not a packed seed"
        raise TypeError(msg)
    return lights, [str(w) for w in warnings], paragraphs, digests


def _unpack_built(seed_entry: Any, rest_entry: Any) -> SeedResult:
    """A seed just built, from its packed entries, as whole documents."""
    lights, warnings, paragraphs, digests = _seed_entry(seed_entry)
    found = [unpack_parts(light, rest) for light, rest in zip(lights, rest_entry, strict=True)]
    return found, warnings, paragraphs, digests


def _read_seed(cache: BuildCache, key: str, path: Path, data: Any) -> SeedResult:
    """A seed's documents from its cache entry, each holding its light fields: the rest is
    read when first used (``_SeedRest``)."""
    lights, warnings, paragraphs, digests = _seed_entry(data)
    rest = _SeedRest(cache, key, path, len(lights))
    found = [unpack_light(light, functools.partial(rest.fields, n))
             for n, light in enumerate(lights)]
    cache.keep("rest", key)  # for the next build, whether this one reads it or not
    return found, warnings, paragraphs, digests


class _SeedRest:
    """The fields of a cached seed's documents beyond the light ones, read once for all
    its documents when one of them needs them. A missing or damaged entry is a miss, as
    any: the seed is built again (and stored) and its documents take their fields from it."""

    def __init__(self, cache: BuildCache, key: str, path: Path, count: int) -> None:
        self.cache, self.key, self.path, self.count = cache, key, path, count
        self._fields: list[dict[str, Any]] | None = None

    def fields(self, n: int) -> dict[str, Any]:
        if self._fields is None:
            self._fields = self.cache.get("rest", self.key, self._checked) or self._built()
        return self._fields[n]

    def _checked(self, data: Any) -> list[dict[str, Any]]:
        if not isinstance(data, list) or len(data) != self.count:
            msg = "not the rest of a packed seed"
            raise ValueError(msg)
        return [unpack_rest(rest) for rest in data]

    def _built(self) -> list[dict[str, Any]]:
        found = _build_seed(self.path)[0]
        if len(found) != self.count:
            msg = f"{self.path.as_posix()}: changed while the archive was being built"
            raise SeedError(msg)
        self.cache.put("rest", self.key, [pack_parts(doc)[1] for doc in found])
        return [{name: getattr(doc, name) for name in rest_fields()} for doc in found]


def _check_total_size(paths: list[Path]) -> None:
    total = 0
    for path in paths:
        total += path.lstat().st_size  # lstat: a link is refused by ingest, not followed here
        if total > MAX_TOTAL_SEED_BYTES:
            msg = (f"{path.as_posix()}: the seeds up to this one hold {total:,} bytes, over "
                   f"the limit of {MAX_TOTAL_SEED_BYTES:,} for one build")
            raise SeedError(msg)


def _seed_key(path: Path, seen: SeenFiles) -> str:
    """The cache key of a seed, read with the same checks as ingest (name, regular file);
    a seed or corrections file whose stat is what the last build saw is not read again."""
    validate_seed_name(path)
    check_corrections_file(path)
    corrections = path.with_name(f"{path.stem}{CORRECTIONS_SUFFIX}")
    return seed_key(path.name, _digest(path, seen),
                    _digest(corrections, seen) if os.path.lexists(corrections) else None)


def _digest(path: Path, seen: SeenFiles) -> str:
    """``file_digest`` of a seed or corrections file (regular, not a link), the one the last
    build recorded when its stat is the same."""
    info = os.lstat(path)
    digest = seen.known(os.fspath(path), info)
    if digest is None:
        with open_regular_file(path.parent, path) as handle:
            # The stat of the file read, recorded with its bytes' digest.
            info, digest = os.fstat(handle.fileno()), file_digest(handle.read())
    seen.record(os.fspath(path), info, digest)
    return digest


def map_in_order(work: Callable[[Any], T], items: list[Any], jobs: int, progress: bool,
                 unit: str = "seed", meanwhile: Callable[[], object] | None = None) -> list[T]:
    """``work`` over ``items`` in order, on ``jobs`` processes when there is enough to share.

    Results come back in the order of ``items``, so the output does not depend on which
    worker finished first. An error in any item is raised here, as it would be in-process.
    ``meanwhile()``, work of this process's own that does not need the results, runs while
    the workers work (after the items when they run here).
    """
    bar = _progress(len(items), unit) if progress else None
    try:
        if jobs <= 1 or len(items) < MIN_ITEMS_PER_JOB * 2:
            out = []
            for item in items:
                out.append(work(item))
                if bar is not None:
                    bar.update()
            if meanwhile is not None:
                meanwhile()
            return out
        # The first item runs here: it reads the data files and builds the converters (a
        # third of a second) once, and the workers forked after it start with them.
        out = [work(items[0])]
        if bar is not None:
            bar.update()
        context = _fork_context()
        with _frozen_objects(), _inherited(items if context else None), ProcessPoolExecutor(
                max_workers=jobs, initializer=gc.enable, mp_context=context) as pool:
            # Workers collect cycles whatever the parent does (cli turns collection off).
            # Small chunks, so that the workers finish together (a chunk of 64 seeds was most
            # of a second that one core waited at the end); sending a position costs nothing.
            chunk = max(1, min(16, len(items) // (jobs * 16)))
            # Forked workers hold the items already: only their positions are sent (pickling
            # documents to send them cost this process a second per thousand).
            results = (pool.map(functools.partial(_inherited_item, work),
                                range(1, len(items)), chunksize=chunk) if context
                       else pool.map(work, items[1:], chunksize=chunk))  # every chunk sent now
            if meanwhile is not None:
                meanwhile()
            return out + _counted(results, bar)
    finally:
        if bar is not None:
            bar.close()


# The items of the ``map_in_order`` whose workers are being forked: they inherit the list.
_INHERITED: list[Any] = []


def _inherited_item(work: Callable[[Any], T], index: int) -> T:
    """``work`` on an item a forked worker inherited (a top-level function: it is sent)."""
    return work(_INHERITED[index])


@contextlib.contextmanager
def _inherited(items: list[Any] | None) -> Iterator[None]:
    """``items`` where workers forked meanwhile find them (``_inherited_item``)."""
    if items is None:
        yield
        return
    _INHERITED[:] = items
    try:
        yield
    finally:
        _INHERITED.clear()


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """The fork start method where the platform has it: workers then inherit this process's
    memory (the items, the data files read and the converters built by the first item)."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def _counted(results: Iterable[T], bar: Any) -> list[T]:
    out = []
    for result in results:
        out.append(result)
        if bar is not None:
            bar.update()
    return out


@contextlib.contextmanager
def _frozen_objects() -> Iterator[None]:
    """This process's objects kept out of cycle collection while workers are forked from it.

    A forked worker shares the parent's memory until it writes to it, and a collection
    writes to every object it scans: the documents the parent holds would be scanned, and
    their memory copied, in each worker (``gc.freeze``'s documented use).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _progress(total: int, unit: str) -> Any:
    from tqdm import tqdm  # imported only when a terminal shows progress

    return tqdm(total=total, unit=unit, desc=f"{unit}s", leave=False, dynamic_ncols=True)
