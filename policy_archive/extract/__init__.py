"""Metadata extraction: headline, dateline, dates, and (``enrich``) the cross-reference fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from policy_archive import model
from policy_archive.extract.bodies import document_bodies, document_jurisdiction
from policy_archive.extract.citations import document_citations, link_citations, normalise_title
from policy_archive.extract.formulations import candidates, document_formulations
from policy_archive.extract.initiatives import document_initiatives
from policy_archive.extract.people import document_people

if TYPE_CHECKING:
    from policy_archive.model import Document


def enrich(documents: list[Document], warnings: list[str]) -> None:
    """Fill in jurisdiction, bodies, people, initiatives and citations.

    Reads the (corrected) text of each document; cross-document links are added later by
    ``link_archive``, which sees the whole archive.
    """
    for doc in documents:
        text = "\n".join(doc.headline + doc.paragraphs)
        place = document_jurisdiction(doc.outlet, text)
        doc.jurisdiction = place
        doc.bodies = [model.BodyRole(**entry) for entry in document_bodies(
            doc.title, doc.kicker, doc.subtitle, doc.paragraphs, place)]
        if not doc.bodies:
            warnings.append(f"{doc.seed} article {doc.article} ({doc.id}): no body found "
                            "that held the meeting or issued the document")
        # The chair is named in the lead or the paragraph after it (会议由…主持).
        doc.people = [model.Person(**entry) for entry in document_people(
            doc.headline + doc.paragraphs, doc.paragraphs[:2])]
        doc.formulations, doc.initiatives = document_formulations(
            doc.paragraphs, document_initiatives(doc.paragraphs))
        doc.citations = document_citations(doc.title, doc.paragraphs)


def link_archive(documents: list[Document]) -> None:
    """Link each cited title to the archive document of that title (``document``: its id)."""
    archive: dict[str, str] = {}
    for doc in sorted(documents, key=lambda d: d.id):
        archive.setdefault(normalise_title(doc.title), doc.id)
    for doc in documents:
        doc.citations = link_citations(doc.citations, archive, doc.id)


def curator_notes(documents: list[Document]) -> list[str]:
    """One note for curators: how many formulations found by shape the lexicon lacks, the
    most mentioned of them, and where to get them all (``--candidates``)."""
    found = candidates(documents)
    if not found:
        return []
    top = "、".join(f"“{c.name}” {c.mentions}×" for c in found[:5])
    return [f"{len(found)} formulations found by shape are not in "
            f"policy_archive/data/initiatives.yml (most mentioned: {top}); "
            "list them with: python build_archive.py --candidates"]
