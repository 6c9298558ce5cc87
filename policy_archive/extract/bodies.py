"""Bodies: which organisation held the meeting or issued the document, by canonical name.

A report names bodies in short forms that only its place makes clear: 省委常委会 in a Sichuan
paper is 中共四川省委常委会, 区委常委会 in a Yongchuan paper is 中共重庆市永川区委常委会.
So a document first gets a jurisdiction (its outlet, else the place names of its text) and
short forms resolve against that jurisdiction and its parents. The lexicon is
``policy_archive/data/bodies.yml``.

Only the bodies that act in the report are recorded, with the act:

- ``held``: it held the meeting (省委常委会召开…, 区政府第58次常务会议, …第二次全体会议);
- ``issued``: it issued the document (…联合印发《…》, 中共四川省委关于…的决定);
- ``presided``: it presided over a meeting another body held (全会由省委常委会主持).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policy_archive import datafiles

ROLES = ("held", "issued", "presided")


@dataclass(frozen=True)
class Body:
    slug: str
    name: str
    english: str
    jurisdiction: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]
    patterns: tuple[str, ...]
    local: tuple[str, ...]


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    level: str
    parent: str | None
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    body: Body
    printed: str


@functools.cache
def bodies() -> tuple[Body, ...]:
    """The bodies of ``data/bodies.yml``, checked: unique slugs, known jurisdictions."""
    places = jurisdictions()
    out = []
    for keys, entry in datafiles.entries("bodies.yml", "bodies"):
        def need(key: str, keys: tuple = keys, entry: dict = entry) -> str:
            return datafiles.field("bodies.yml", keys, entry, key)

        body = Body(
            slug=entry["slug"],
            name=need("name"),
            english=need("english"),
            jurisdiction=need("jurisdiction"),
            level=need("level"),
            parent=entry.get("parent"),
            aliases=tuple(entry.get("aliases", ())),
            patterns=tuple(entry.get("patterns", ())),
            local=tuple(entry.get("local", ())),
        )
        if body.jurisdiction not in places:
            msg = f"policy_archive/data/bodies.yml: {body.slug}: unknown jurisdiction"
            raise datafiles.DataFileError(msg)
        out.append(body)
    slugs = [b.slug for b in out]
    if len(set(slugs)) != len(slugs):
        msg = "policy_archive/data/bodies.yml: duplicate slug"
        raise datafiles.DataFileError(msg)
    for body in out:
        if body.parent and body.parent not in slugs:
            msg = f"policy_archive/data/bodies.yml: {body.slug}: unknown parent {body.parent}"
            raise datafiles.DataFileError(msg)
    return tuple(out)


def body_by_slug(slug: str) -> Body | None:
    """The lexicon entry with this slug."""
    return next((b for b in bodies() if b.slug == slug), None)


@functools.cache
def jurisdictions() -> dict[str, Jurisdiction]:
    """The jurisdictions of ``data/bodies.yml`` by name."""
    out = {}
    for entry in datafiles.require("bodies.yml", "jurisdictions"):
        out[entry["name"]] = Jurisdiction(
            entry["name"], entry["level"], entry.get("parent"), tuple(entry.get("cues", ()))
        )
    return out


def chain(place: str | None) -> list[str]:
    """A jurisdiction and its parents, most specific first.

    >>> chain("重庆市永川区")
    ['重庆市永川区', '重庆市', '中国']
    """
    places = jurisdictions()
    out: list[str] = []
    while place and place in places and place not in out:
        out.append(place)
        place = places[place].parent
    return out


def document_jurisdiction(outlet: str | None, text: str) -> str | None:
    """Where a document comes from: its outlet's place, else the place its text names most.

    Below the most-named place, a child place named at all wins (a Yongchuan report names
    重庆 more often than 永川), never a place elsewhere (a Sichuan report naming 永川 once).

    >>> document_jurisdiction("渝西都市报", "")
    '重庆市永川区'
    >>> document_jurisdiction(None, "四川……四川……加强与重庆方面协作")
    '四川省'
    >>> document_jurisdiction(None, "重庆……重庆……永川区委常委会")
    '重庆市永川区'
    """
    places = jurisdictions()
    if outlet:
        for place in places.values():
            if outlet in place.cues:
                return place.name
    counts = {p.name: sum(text.count(c) for c in p.cues) for p in places.values()}
    tops = [p for p in places.values() if p.parent in (None, "中国") and counts[p.name]]
    if not tops:
        return None
    place = max(tops, key=lambda p: (counts[p.name], p.name)).name
    while True:
        children = [p for p in places.values() if p.parent == place and counts[p.name]]
        if not children:
            return place
        place = max(children, key=lambda p: (counts[p.name], p.name)).name


def _title_words() -> tuple[str, ...]:
    return tuple(datafiles.require("bodies.yml", "title_words"))


def find_mentions(text: str, place: str | None) -> list[Mention]:
    """Every body named in ``text``, short forms resolved against ``place``; longest first.

    >>> [m.body.name for m in find_mentions("省委常委会召开会议。省委书记王晓晖主持。", "四川省")]
    ['中共四川省委常委会']
    >>> [m.body.name for m in find_mentions("区委常委会召开会议", "重庆市永川区")]
    ['中共重庆市永川区委常委会']
    >>> find_mentions("区委常委会召开会议", "四川省")
    []
    """
    places = chain(place)
    found: list[Mention] = []
    for body in bodies():
        for form in body.aliases:
            found += _literal(text, form, body)
        if body.jurisdiction in places:
            for form in body.local:
                found += _literal(text, form, body)
        for pattern in body.patterns:
            found += [
                Mention(m.start(), m.end(), body, m.group()) for m in re.finditer(pattern, text)
            ]

    def nearness(m: Mention) -> int:
        # A short form names the body of the nearest place: 市委 in a Yongchuan report is
        # Chongqing's, not another city's.
        return places.index(m.body.jurisdiction) if m.body.jurisdiction in places else 99

    found.sort(key=lambda m: (m.start, -(m.end - m.start), nearness(m), m.body.slug))
    out: list[Mention] = []
    end = 0
    for mention in found:
        if mention.start < end:
            continue
        end = mention.end
        if text.startswith(_title_words(), mention.end):
            continue  # 省委书记, 区政府领导: part of a person's title
        out.append(mention)
    return out


def _literal(text: str, form: str, body: Body) -> list[Mention]:
    out = []
    start = text.find(form)
    while start >= 0:
        out.append(Mention(start, start + len(form), body, form))
        start = text.find(form, start + 1)
    return out


_HELD = re.compile(r"(?:于[^，。；]{0,12}?)?(?:召开|举行)|第[^，。；、]{1,6}次(?:常务|全体)?会议")
_ISSUED = re.compile(r"(?:联合)?(?:印发|发布|出台|下发)|关于")
_JOINED = re.compile(r"[和与及、]")


def body_roles(texts: list[str], place: str | None) -> list[tuple[Mention, str]]:
    """The bodies that act in ``texts`` (headline lines and lead) with what they did.

    >>> roles = body_roles(["四川省卫生健康委和重庆市卫生健康委联合印发《十项行动》"], "四川省")
    >>> [(m.body.name, r) for m, r in roles]
    [('四川省卫生健康委员会', 'issued'), ('重庆市卫生健康委员会', 'issued')]
    >>> [(m.body.name, r) for m, r in body_roles(["常晓勇主持召开区政府第58次常务会议"], "重庆市永川区")]
    [('重庆市永川区人民政府', 'held')]
    """
    out: list[tuple[Mention, str]] = []
    for text in texts:
        mentions = find_mentions(text, place)
        group: list[Mention] = []
        for n, mention in enumerate(mentions):
            group.append(mention)
            following = mentions[n + 1] if n + 1 < len(mentions) else None
            if following and _JOINED.fullmatch(text[mention.end : following.start]):
                continue  # 甲和乙联合印发: the act after the last one is both bodies'
            after = text[mention.end :]
            role = None
            if text[: group[0].start].endswith("由") and after.startswith("主持"):
                role = "presided"
            elif _HELD.match(after):
                role = "held"
            elif _ISSUED.match(after):
                role = "issued"
            if role:
                out += [(m, role) for m in group]
            group = []
    return out


def document_bodies(
    title: str, kicker: str | None, subtitle: str | None, paragraphs: list[str], place: str | None
) -> list[dict[str, str]]:
    """The ``bodies`` field: each acting body once per role, in role then text order."""
    lead = [t for t in (kicker, title, subtitle) if t] + paragraphs[:1]
    # 全会由省委常委会主持 stands after the lead; 由…主持 is specific enough to read anywhere.
    found = body_roles(lead, place) + [
        (m, r) for m, r in body_roles(paragraphs[1:], place) if r == "presided"
    ]
    seen: set[tuple[str, str]] = set()
    out = []
    for role in ROLES:
        for mention, found_role in found:
            key = (mention.body.slug, role)
            if found_role != role or key in seen:
                continue
            seen.add(key)
            out.append(
                {"name": mention.body.name, "slug": mention.body.slug, "role": role,
                 "printed": mention.printed}
            )
    return out
