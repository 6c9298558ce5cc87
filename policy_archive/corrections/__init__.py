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

The package keeps its concerns apart: ``schema`` reads and validates the file into
dataclasses (with the bounded, line-keeping reader ``policy_archive.yamlfile``), ``apply``
applies them in the pipeline's three stages (prescribed split; text fixes before
extraction; field overrides after it). Span building belongs to ``policy_archive.split``
and the 校勘记's wording to ``policy_archive.render.collation``.

Every correction is either applied where it says or stops the build with a
``CorrectionsError`` naming the file, the line and what is wrong: a correction is never
applied to the wrong place and never silently dropped. Files are read by the bounded reader
``policy_archive.yamlfile`` (no aliases, size and depth limits), whose node lines let the
message point at the entry a contributor wrote.

Each applied correction is recorded in ``doc.extra["corrections"]`` (front matter, dataset,
and the page's 校勘记 section), with the value before and after and its reason.
"""

from __future__ import annotations

from policy_archive.corrections.apply import (
    PrescribedSplit,
    apply_fixes,
    apply_overrides,
    check_articles,
    prescribed_split,
)
from policy_archive.corrections.schema import (
    SUFFIX,
    CorrectionsError,
    SeedCorrections,
    check_orphans,
    load_corrections,
    parse_corrections,
)

__all__ = [
    "SUFFIX",
    "CorrectionsError",
    "PrescribedSplit",
    "SeedCorrections",
    "apply_fixes",
    "apply_overrides",
    "check_articles",
    "check_orphans",
    "load_corrections",
    "parse_corrections",
    "prescribed_split",
]
