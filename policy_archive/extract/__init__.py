"""Metadata extraction: headline, dateline, dates, and (``enrich``) the cross-reference fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policy_archive.pipeline import Document


def enrich(documents: list[Document], warnings: list[str]) -> None:
    """Add bodies, people, initiatives and cited documents to each document's ``extra``.

    (Being built: the lexicon-driven extractors plug in here.)
    """
