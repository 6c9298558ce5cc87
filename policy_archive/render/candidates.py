"""The curator's report (``build_archive.py --candidates``): the formulations found by shape
that the lexicon lacks, as entries ready to paste into ``data/initiatives.yml``."""

from __future__ import annotations

from policy_archive.extract.formulations import Candidate, candidates
from policy_archive.model import Document
from policy_archive.render.indexes import RULE_LABELS
from policy_archive.render.markdown import dump_yaml


def _entry(candidate: Candidate) -> str:
    """One lexicon entry, commented with the evidence; english and description left for the
    curator, and the slug too (a permanent name a person chooses)."""
    comment = (f"# {candidate.mentions}× in {candidate.documents} documents · "
               f"{RULE_LABELS.get(candidate.rule, candidate.rule)}（{candidate.evidence}） · "
               f"{candidate.where}: {candidate.context}")
    entry = dump_yaml([{"slug": f"TODO-{candidate.slug}", "name": candidate.name,
                        "variants": [], "english": "TODO", "description": "TODO"}])
    body = "".join(f"  {line}\n" for line in entry.splitlines())
    return f"  {' '.join(comment.split())}\n{body}"


def candidates_yaml(documents: list[Document]) -> str:
    """Every uncurated formulation, most mentioned first, as YAML entries under a comment
    naming where the first mention stands (for a terminal and a YAML file, never a page).

    >>> doc = Document("a-1", "题", None, None, "printed", None, None, None, False, None, None,
    ...     [], None, "a", "", 1, "zh-Hans", (1, 1), [], ["推进“一码通”。"])
    >>> from policy_archive.extract.formulations import document_formulations
    >>> doc.formulations = document_formulations(doc.paragraphs, [])[0]
    >>> print(candidates_yaml([doc]))
    # 1 formulations found by shape are not in policy_archive/data/initiatives.yml.
    # Paste the ones to keep under `initiatives:`, choose a slug, write english and description.
      # 1× in 1 documents · 引号标出（引号） · a-1#p-1: 推进【“一码通”】。
      - slug: TODO-f-42cdea68
        name: 一码通
        variants: []
        english: TODO
        description: TODO
    <BLANKLINE>
    """
    found = candidates(documents)
    head = (f"# {len(found)} formulations found by shape are not in "
            "policy_archive/data/initiatives.yml.\n"
            "# Paste the ones to keep under `initiatives:`, choose a slug, write english and "
            "description.\n")
    return head + "".join(_entry(c) for c in found)

