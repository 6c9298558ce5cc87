"""The archive's one document model: what every stage fills in and every later layer reads.

Ingest, clean, split and extract build a ``Document``; corrections change it and record
what they changed; render writes its page, front matter and dataset record from it; the
site hooks read what render wrote (``policy_archive.site_contract``). Mentions keep where
they were found (paragraph and character offsets), so no later layer runs a matcher again
to find them.

The parts are frozen; a ``Document`` is filled stage by stage, so it is not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from policy_archive.site_contract import document_url


@dataclass(frozen=True)
class Span:
    """Where a mention stands: paragraph (1-based, the page's ``#p-N``) and characters."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Removal:
    """Text a removing repair step took out of one seed line (the dataset's ``removed``)."""

    line: int  # 1-based line of the seed
    text: str  # the whole line, or the parts cut out of it joined by …
    step: str


@dataclass(frozen=True)
class BodyRole:
    """A body that held the meeting, issued the document or presided, as the text prints it."""

    name: str  # canonical full name (the lexicon's, or built from the place and organ printed)
    slug: str | None  # bodies/<slug>/; None for a body found by pattern the lexicon lacks
    role: str  # held | issued | presided
    printed: str  # the form the text prints ("" when a correction added it)
    surface: str = ""  # the phrase naming the body in its act, as printed


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # the office as printed
    action: str | None = None  # the chair only: the verb as printed (主持会议并讲话)
    on_behalf_of: str | None = None  # the chair only: whom the chair stood in for


@dataclass(frozen=True)
class Published:
    """When the page was published, read from its chrome: evidence for a year, never the
    meeting's date."""

    date: str  # YYYY-MM-DD
    time: str | None
    evidence: str  # the chrome as printed (pinyin glosses removed)
    kind: str  # labelled | stamp | issue | url


@dataclass(frozen=True)
class InitiativeMention:
    """A lexicon initiative named in the document, with every place it is named."""

    name: str
    slug: str
    spans: tuple[Span, ...] = ()

    @property
    def paragraphs(self) -> list[int]:
        """The paragraphs naming it, in order (what the dataset lists)."""
        return sorted({s.paragraph for s in self.spans})


@dataclass(frozen=True)
class FormulationMention:
    """A formulation (提法) the lexicon lacks, found by its shape, with every place it stands.

    ``rule`` names the shape that found it first (numbered, quoted, series, programme,
    member, brand) and ``evidence`` what the rule saw (the head noun, the numeral, the shared
    words); a member of a named set (the ten 行动 of a 十项行动) links to the set's slug.
    """

    name: str  # normalised: no quotation marks or spaces, simplified script
    slug: str  # f- and a short hash of the name
    rule: str
    evidence: str
    member_of: str | None = None  # the slug of the set it belongs to
    spans: tuple[Span, ...] = ()

    @property
    def paragraphs(self) -> list[int]:
        """The paragraphs naming it, in order."""
        return sorted({s.paragraph for s in self.spans})


@dataclass(frozen=True)
class Citation:
    """A title cited in 《》, with the archive document of that title when there is one."""

    title: str
    document: str | None = None  # its id
    spans: tuple[Span, ...] = ()  # where the title is cited, 《》 included


@dataclass(frozen=True)
class CorrectionNote:
    """One applied correction, as the 校勘记 shows it: where, before, after, why.

    ``field`` names a corrected field (``lines`` for a prescribed split); ``fix`` a
    find/replace in the text (``text``) or the traditional original (``original``), with the
    paragraphs it matched.
    """

    before: Any
    after: Any
    reason: str
    evidence: str | None = None
    field: str | None = None
    fix: str | None = None
    paragraphs: tuple[int, ...] = ()
    count: int = 1

    def record(self) -> dict[str, Any]:
        """The note as the front matter and dataset hold it, keys in reading order."""
        out: dict[str, Any] = {}
        if self.fix is not None:
            out = {"fix": self.fix, "paragraphs": list(self.paragraphs)}
        else:
            out = {"field": self.field}
        out.update(before=self.before, after=self.after)
        if self.count != 1:
            out["count"] = self.count
        out["reason"] = self.reason
        if self.evidence:
            out["evidence"] = self.evidence
        return out


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
    seed_encoding: str = "utf-8"  # how the seed's bytes were decoded (ingest)
    published: Published | None = None  # the page's publication date (chrome)
    # Text taken out by rule (page chrome, glosses, a list page's preamble): kept in the
    # dataset with the step that removed it, never shown as part of the page's text.
    removed: list[Removal] = field(default_factory=list)
    credit: str | None = None  # a reporter credit printed after the last sentence: （记者…）
    original_title: str | None = None  # 原标题 printed by a repost
    # Filled by extract (enrich, link_archive), changed by corrections:
    jurisdiction: str | None = None
    bodies: list[BodyRole] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    initiatives: list[InitiativeMention] = field(default_factory=list)
    formulations: list[FormulationMention] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    corrections: list[CorrectionNote] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Site-relative URL; derived from the id only, never from a correctable field."""
        return document_url(self.id)

    @property
    def headline(self) -> list[str]:
        """Kicker, title and subtitle, those printed, in reading order."""
        return [t for t in (self.kicker, self.title, self.subtitle) if t]


# --- plain data, for the build cache -------------------------------------------------------


def to_data(value: Any) -> Any:
    """A model object as JSON-ready plain data (dataclasses become dicts, tuples lists).

    >>> to_data(InitiativeMention("天府粮仓", "tianfu-granary", (Span(1, 2, 6),)))
    {'name': '天府粮仓', 'slug': 'tianfu-granary', 'spans': [{'paragraph': 1, 'start': 2, 'end': 6}]}
    """
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


def from_data(cls: Any, data: Any) -> Any:
    """The inverse of ``to_data``, led by the type hints of the model's dataclasses.

    >>> doc = from_data(InitiativeMention, {"name": "天府粮仓", "slug": "tianfu-granary",
    ...                                     "spans": [{"paragraph": 1, "start": 2, "end": 6}]})
    >>> doc.spans
    (Span(paragraph=1, start=2, end=6),)
    """
    if hasattr(cls, "__dataclass_fields__"):
        hints = _hints(cls)
        return cls(**{name: from_data(hints[name], value) for name, value in data.items()})
    origin, args = get_origin(cls), get_args(cls)
    if data is None or (origin is None and not isinstance(cls, type)):
        return data
    if origin in (UnionType, Union):
        options = [a for a in args if a is not type(None)]
        return from_data(options[0], data) if len(options) == 1 else data
    if origin is list:
        return [from_data(args[0], v) for v in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=True))
    return data


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)
