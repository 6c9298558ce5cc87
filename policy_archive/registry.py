"""The registry of permanent ids: every document URL the archive ever published.

``docs/data/permanent_ids.json`` is committed with the pages. Each build reads it from the
docs folder it writes, gives every article the id its text was published under, checks
that no published id is lost, and writes it back extended with the new ids (in id order,
numbered by ``added``). An entry is never dropped and an id never names another text, so a
citation keeps resolving:

- **the same text** is an article of the same seed (same sha256; seeds are never edited)
  whose lines in the seed overlap the lines the id was first published with by at least
  half of the shorter span. Character fixes never change the lines, and moving an
  article's first line (a ``split`` correction that takes in a headline or drops a stray
  line) keeps most of the span. The first-published lines are kept, never updated, so no
  sequence of small moves can walk an id over to another text;
- ids are assigned, not counted (``assign_ids``): an article keeps the id its text was
  published under whatever its position now, so a ``split`` correction that inserts an
  article no longer renumbers the ones after it; a new article gets ``<seed stem>-<N>``,
  its position when that id was never published, otherwise the next unused number;
- an id with no document any more (a seed removed, two articles merged) stops the build,
  unless its entry records where the text went: ``"redirect": "<id>"`` with a
  ``"reason"``, written by a person. The site then serves a redirect from the old URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policy_archive.ids import is_segment
from policy_archive.site_contract import PERMANENT_IDS, document_url

if TYPE_CHECKING:
    from policy_archive.model import Document

# How much of the shorter of two spans of seed lines must be shared for them to hold
# the same text: a moved first line keeps nearly all of it, a renumbered id none.
SAME_TEXT_OVERLAP = 0.5

_ABOUT = ("Every document id and URL this archive has published. The build adds new ids "
          "and never drops or reuses one; a person may add \"redirect\" and \"reason\" to an "
          "entry whose text moved to another id.")


class RegistryError(ValueError):
    """The registry cannot be read, or the build would break a published URL."""


@dataclass(frozen=True)
class Entry:
    """One published id: where its text came from when it was first published."""

    id: str
    added: int
    seed_sha256: str
    lines: tuple[int, int]
    redirect: str | None = None
    reason: str | None = None

    @property
    def url(self) -> str:
        return document_url(self.id)


def entry_for(doc: Document, added: int) -> Entry:
    """The registry entry of a document published for the first time."""
    return Entry(doc.id, added, doc.seed_sha256, (doc.lines[0], doc.lines[1]))


def shared_lines(entry: Entry, doc: Document) -> int:
    """How many seed lines ``doc`` shares with the lines ``entry`` was published with."""
    if entry.seed_sha256 != doc.seed_sha256:
        return 0
    return max(0, min(entry.lines[1], doc.lines[1]) - max(entry.lines[0], doc.lines[0]) + 1)


def same_text(entry: Entry, doc: Document) -> bool:
    """Whether ``doc`` holds the text ``entry`` was published with.

    >>> from policy_archive.model import Document
    >>> def doc(lines):
    ...     return Document("s-2", "", None, None, "printed", None, None, None, False, None,
    ...                     None, [], None, "s.txt", "ab", 2, "zh-Hans", lines, [], [])
    >>> e = Entry("s-2", 1, "ab", (50, 80))
    >>> same_text(e, doc((48, 80))), same_text(e, doc((50, 52))), same_text(e, doc((81, 120)))
    (True, True, False)
    """
    shared = shared_lines(entry, doc)
    shorter = min(entry.lines[1] - entry.lines[0], doc.lines[1] - doc.lines[0]) + 1
    return shared > 0 and shared >= SAME_TEXT_OVERLAP * shorter


def _seed_stem(document_id: str) -> str:
    return document_id.rsplit("-", 1)[0]


def by_seed(published: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Published entries grouped by the stem of their seed, so each seed's articles are
    matched against their own entries only (``assign_ids``), not the whole registry.

    >>> by_seed([Entry("a-1", 1, "x", (1, 2)), Entry("b-1", 2, "y", (1, 2))])["b"]
    [Entry(id='b-1', added=2, seed_sha256='y', lines=(1, 2), redirect=None, reason=None)]
    """
    grouped: dict[str, list[Entry]] = {}
    for entry in published:
        grouped.setdefault(_seed_stem(entry.id), []).append(entry)
    return grouped


def assign_ids(documents: list[Document], published: Iterable[Entry]) -> None:
    """Give the articles of one seed the ids their texts were published under.

    Pairs of a document and a published id of its seed holding the same text are taken
    same first line first, then largest overlap; an article left over keeps its positional
    id when that was never published, or gets the next unused number. ``documents`` are in
    position order and carry their positional ids (``<stem>-<position>``).

    >>> from policy_archive.model import Document
    >>> def doc(n, lines):
    ...     return Document(f"s-{n}", "", None, None, "printed", None, None, None, False, None,
    ...                     None, [], None, "s.txt", "ab", n, "zh-Hans", lines, [], [])
    >>> published = [Entry("s-1", 1, "ab", (1, 40)), Entry("s-2", 2, "ab", (41, 90))]
    >>> docs = [doc(1, (1, 40)), doc(2, (41, 60)), doc(3, (61, 90))]  # article 2 split in two
    >>> assign_ids(docs, published)
    >>> [d.id for d in docs]
    ['s-1', 's-2', 's-3']
    >>> docs = [doc(1, (1, 20)), doc(2, (21, 40)), doc(3, (41, 90))]  # one inserted before
    >>> assign_ids(docs, published)
    >>> [d.id for d in docs]
    ['s-1', 's-4', 's-2']
    """
    if not documents:
        return
    stem = _seed_stem(documents[0].id)
    mine = [e for e in published if _seed_stem(e.id) == stem]
    # The article that still starts where the published one started (its headline) first,
    # then the one sharing most lines.
    pairs = sorted(((e.lines[0] == d.lines[0], shared_lines(e, d), -e.added, -n, e.id)
                    for n, d in enumerate(documents) for e in mine if same_text(e, d)),
                   reverse=True)
    given: dict[int, str] = {}
    for _start, _shared, _added, negative, entry_id in pairs:
        n = -negative
        if n not in given and entry_id not in given.values():
            given[n] = entry_id
    used = {e.id for e in mine} | set(given.values())
    number = max([len(documents), *(int(i.rsplit("-", 1)[1]) for i in used)])
    for n, doc in enumerate(documents):
        if n in given:
            doc.id = given[n]
        elif doc.id in used:
            number += 1
            doc.id = f"{stem}-{number}"
        used.add(doc.id)


def load(docs: Path) -> list[Entry]:
    """The registry in ``docs`` (none yet: empty), checked entry by entry."""
    path = docs / PERMANENT_IDS
    where = f"{docs.as_posix()}/{PERMANENT_IDS}"
    if path.is_symlink():  # a link could make the build read any file of the machine
        msg = f"{where}: a symbolic link; docs/ holds files only"
        raise RegistryError(msg)
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        return [_entry(raw) for raw in data["documents"]]
    except (ValueError, TypeError, KeyError) as exc:
        msg = (f"{where}: not a registry of permanent ids ({type(exc).__name__}: {exc}); "
               "restore it with git (git checkout -- docs/data/permanent_ids.json)")
        raise RegistryError(msg) from exc


def _entry(raw: dict[str, object]) -> Entry:
    first, _, last = str(raw["lines"]).partition("-")
    entry = Entry(str(raw["id"]), int(str(raw["added"])), str(raw["seed_sha256"]),
                  (int(first), int(last)), _optional(raw, "redirect"), _optional(raw, "reason"))
    if not is_segment(entry.id) or (entry.redirect is not None and not is_segment(entry.redirect)):
        msg = f"id {entry.id!r} or redirect {entry.redirect!r} is not a safe URL segment"
        raise ValueError(msg)
    if entry.redirect is not None and not entry.reason:
        msg = f"the redirect of {entry.id} has no reason"
        raise ValueError(msg)
    return entry


def _optional(raw: dict[str, object], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


def extend(published: Iterable[Entry], documents: Iterable[Document]) -> list[Entry]:
    """The registry after this build: every published entry, checked, then the new ids.

    Raises ``RegistryError`` naming the first published URL the build would break.
    """
    entries = sorted(published, key=lambda e: e.added)
    by_id = {doc.id: doc for doc in documents}
    known = {e.id for e in entries}
    where = f"docs/{PERMANENT_IDS}"
    for entry in entries:
        doc = by_id.get(entry.id)
        if doc is not None and not same_text(entry, doc):
            msg = (f"{where}: {entry.url} was published for lines {entry.lines[0]}-"
                   f"{entry.lines[1]} of its seed and would now show lines {doc.lines[0]}-"
                   f"{doc.lines[1]}, another text; restore the registry with git "
                   "(git checkout -- docs/data/permanent_ids.json)")
            raise RegistryError(msg)
        if doc is None and entry.redirect is None:
            msg = (f"{where}: {entry.url} was published and this build has no such document; "
                   "record where its text went with \"redirect\" and \"reason\" in its entry")
            raise RegistryError(msg)
        if entry.redirect is not None and entry.redirect not in by_id:
            msg = f"{where}: {entry.id} redirects to {entry.redirect}, which is not a document"
            raise RegistryError(msg)
    added = max((e.added for e in entries), default=0)
    for doc in sorted(by_id.values(), key=lambda d: d.id):
        if doc.id not in known:
            added += 1
            entries.append(entry_for(doc, added))
    return entries


def redirects(entries: Iterable[Entry]) -> dict[str, str]:
    """Old id → id its text moved to, for the site's redirect pages.

    >>> redirects([Entry("a-1", 1, "x", (1, 2), "a-2", "merged")])
    {'a-1': 'a-2'}
    """
    return {e.id: e.redirect for e in entries if e.redirect is not None}


def registry_json(entries: Iterable[Entry]) -> str:
    """The registry as committed: entries in the order they were added, fixed key order."""
    records = []
    for e in sorted(entries, key=lambda e: e.added):
        record: dict[str, object] = {"id": e.id, "url": e.url, "added": e.added,
                                     "seed_sha256": e.seed_sha256,
                                     "lines": f"{e.lines[0]}-{e.lines[1]}"}
        if e.redirect is not None:
            record.update(redirect=e.redirect, reason=e.reason)
        records.append(record)
    payload = {"about": _ABOUT, "documents": records}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
