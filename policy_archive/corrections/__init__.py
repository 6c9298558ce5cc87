"""Human corrections kept beside the seeds: ``seeds/<seed stem>.corrections.yml``.

(Interface only so far: the pipeline calls these three stages; the file format, validation
and collation notes are being built.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policy_archive.ingest import Seed
    from policy_archive.pipeline import Document
    from policy_archive.split import ArticleSpan


@dataclass
class SeedCorrections:
    """The corrections of one seed (none when the seed has no corrections file)."""

    path: Path | None = None

    def split(self, repaired_text: str) -> list[ArticleSpan] | None:
        """Article spans the corrections file prescribes, or None to split automatically."""
        return None

    def apply_fixes(self, doc: Document) -> None:
        """Apply text fixes (find/replace) to a document's paragraphs, before extraction."""

    def apply_overrides(self, doc: Document) -> None:
        """Apply field corrections (title, date, bodies …), after extraction."""


def corrections_path(seed: Seed) -> Path:
    """Where a seed's corrections file lives."""
    return seed.path.with_name(f"{seed.stem}.corrections.yml")


def load_corrections(seed: Seed) -> SeedCorrections:
    """The corrections of a seed."""
    path = corrections_path(seed)
    return SeedCorrections(path if path.is_file() else None)
