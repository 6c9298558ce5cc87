"""Bodies: which organisation held the meeting or issued the document, by canonical name.

A report names bodies in short forms that only its place makes clear: 省委常委会 in a Sichuan
paper is 中共四川省委常委会, 区委常委会 in a Yongchuan paper is 中共重庆市永川区委常委会.
So a document first gets a jurisdiction (its outlet, else the place names of its text) and
short forms resolve against that jurisdiction and its parents. The lexicon is
``policy_archive/data/bodies.yml``.

Bodies the lexicon lacks are found by pattern (``organs`` in the same file): jurisdiction +
organ (市委常委会, 十四届市政协十二次党组（扩大）会议, 第12次县长办公会议) gives a canonical
name. The jurisdiction is filled in only from a place the text names in full (中共某某市第十四次
代表大会 → 某某市); otherwise the level stays as printed (县委常委会). Such a body has no slug:
the lexicon adds slugs, English and hierarchy where it has them.

Only the bodies that act in the report are recorded, with the act:

- ``held``: it held the meeting (省委常委会召开…, 区政府第58次常务会议, …第二次全体会议);
- ``issued``: it issued the document (…联合印发《…》, 中共四川省委关于…的决定);
- ``presided``: it presided over a meeting another body held (全会由省委常委会主持,
  市委常委会主持会议).

Each body also carries ``surface``: the phrase naming it in its act, as printed
(市委常委会召开扩大会议).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policy_archive import datafiles
from policy_archive.extract.regex_hints import (
    DeferredPattern,
    Literals,
    required_literals,
    with_preceding_characters,
)
from policy_archive.text import LazyPattern

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
    body: Body | None  # the lexicon entry; None for a body found by pattern only
    printed: str
    pattern_name: str = ""  # canonical name built by pattern (bodies outside the lexicon)
    meeting: bool = False  # the printed phrase names a meeting (区政府第9次常务会议)
    act: str = ""  # the phrase naming it in its act, where it starts before the body's name

    @property
    def name(self) -> str:
        return self.body.name if self.body else self.pattern_name

    @property
    def slug(self) -> str | None:
        return self.body.slug if self.body else None


@dataclass(frozen=True)
class Organ:
    """A kind of body found by pattern: jurisdiction + organ (data/bodies.yml ``organs``)."""

    key: str
    pattern: str
    name: str
    short: str
    meeting: bool


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


@functools.cache
def _title_words() -> tuple[str, ...]:
    return tuple(datafiles.require("bodies.yml", "title_words"))


@functools.cache
def _literal_forms() -> tuple[tuple[str, Body, bool], ...]:
    """Each literal form of the lexicon with its body, and whether it is a local form (read
    only inside the body's jurisdiction chain)."""
    return tuple((form, body, local) for body in bodies()
                 for forms, local in ((body.aliases, False), (body.local, True))
                 for form in forms)


@functools.cache
def _form_literals() -> Literals:
    return Literals(form for form, _, _ in _literal_forms())


@functools.cache
def _body_patterns() -> tuple[tuple[re.Pattern[str], Body], ...]:
    return tuple((re.compile(pattern), body) for body in bodies() for pattern in body.patterns)


def find_mentions(
    text: str, place: str | None, named_places: tuple[str, ...] = ()
) -> list[Mention]:
    """Every body named in ``text``, short forms resolved against ``place``; longest first.

    >>> [m.body.name for m in find_mentions("省委常委会召开会议。省委书记王晓晖主持。", "四川省")]
    ['中共四川省委常委会']
    >>> [m.body.name for m in find_mentions("区委常委会召开会议", "重庆市永川区")]
    ['中共重庆市永川区委常委会']
    >>> [m.name for m in find_mentions("区委常委会召开会议", "四川省")]  # no place: as printed
    ['区委常委会']
    """
    places = chain(place)
    found: list[Mention] = []
    # The forms the text holds, found in one search (most forms stand in no text).
    present = _form_literals().in_text(text)
    # The order found does not matter: the sort below orders every mention by its fields.
    for form, body, local in _literal_forms():
        if form in present and (not local or body.jurisdiction in places):
            found += _literal(text, form, body)
    for pattern, body in _body_patterns():
        found += [Mention(m.start(), m.end(), body, m.group()) for m in pattern.finditer(text)]

    def nearness(m: Mention) -> int:
        # A short form names the body of the nearest place: 市委 in a Yongchuan report is
        # Chongqing's, not another city's.
        return places.index(m.body.jurisdiction) if m.body.jurisdiction in places else 99

    found.sort(key=lambda m: (m.start, -(m.end - m.start), nearness(m), m.slug or ""))
    out: list[Mention] = []
    end = 0
    title_words = _title_words()
    for mention in found:
        if mention.start < end:
            continue
        end = mention.end
        if text.startswith(title_words, mention.end):
            continue  # 省委书记, 区政府领导: part of a person's title
        out.append(mention)
    # The lexicon's reading of a phrase stands; patterns name what it does not cover.
    for mention in pattern_mentions(text, places + list(named_places)):
        overlaps = any(m.start < mention.end and mention.start < m.end for m in out)
        if not overlaps and not text.startswith(title_words, mention.end):
            out.append(mention)
    return sorted(out, key=lambda m: m.start)


@functools.cache
def organs() -> tuple[Organ, ...]:
    """The organs of ``data/bodies.yml``: the regular forms of bodies outside the lexicon."""
    out = []
    for entry in datafiles.require("bodies.yml", "organs"):
        out.append(Organ(entry["key"], entry["pattern"], entry["name"], entry["short"],
                         bool(entry.get("meeting"))))
    return tuple(out)


# A session or a number before or inside a body's name: 十三届, 第32次, 五届104次, 二十八次.
_SESSION = r"(?:第?[一二三四五六七八九十百零〇\d]+[届屆次]){0,2}"


def _level_of(place: str) -> str | None:
    levels = datafiles.require("bodies.yml", "place_levels")
    return next((lv for lv in levels if place.endswith(lv)), None)


@functools.cache
def _place_cues() -> tuple[tuple[DeferredPattern, tuple[str, ...] | None], ...]:
    """Each place cue, compiled when first searched (each holds a Han class, a millisecond
    or more to compile, and most texts hold none of a cue's literals), with the literals
    of which its matches hold one."""
    return tuple((DeferredPattern(with_preceding_characters(cue), re.MULTILINE),
                  required_literals(cue))
                 for cue in datafiles.require("bodies.yml", "place_cues"))


def named_places(text: str) -> tuple[str, ...]:
    """Places the text names in a full form that ties them to a body, most specific first.

    >>> named_places("决定召开中国共产党某某市第十四次代表大会")
    ('某某市',)
    >>> named_places("审议政协某某市甲乙区委员会的决议。希望在中共甲乙区委领导下")
    ('某某市甲乙区', '甲乙区')
    >>> named_places("中央对四川省委的信任；中共中央政治局常务委员会")
    ('四川省',)
    >>> named_places("某某市委常委会召开会议\\n5月6日，某某市委常委会召开会议，研究市委常委会工作报告")
    ('某某市',)
    >>> named_places("十四届县委第8次常委会会议召开")
    ()
    """
    found: list[str] = []
    refused = tuple(datafiles.require("bodies.yml", "not_in_place_names"))
    for cue, literals in _place_cues():
        if literals and not any(literal in text for literal in literals):
            continue  # no literal every match holds: no match
        for match in cue.finditer(text):
            place = match.group("place")
            if _level_of(place) and place not in found and not any(c in place for c in refused):
                found.append(place)
    found += _provinces().in_text(text).difference(found)
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


@functools.cache
def _provinces() -> Literals:
    """The full names of the provinces (四川省, 广西壮族自治区), found in one search."""
    return Literals(name if name.endswith("自治区") else name + "省"
                    for name in datafiles.require("bodies.yml", "provinces"))


def _full_place(printed: str, places: list[str]) -> str:
    """The fullest known name of a printed place (甲乙区 → 某某市甲乙区)."""
    return max((p for p in places if p.endswith(printed)), key=len, default=printed)


def _place_for_level(level: str, places: list[str]) -> str | None:
    """The one known place of this level; None where there is none or more than one."""
    fullest = {_full_place(p, places) for p in places if _level_of(p) == level}
    return fullest.pop() if len(fullest) == 1 else None


def pattern_mentions(text: str, places: list[str]) -> list[Mention]:
    """Bodies named in a regular form (jurisdiction + organ), not by the lexicon.

    ``places`` are the places known for the document (its jurisdiction chain and the
    places its text names in full). A level printed alone (省委常委会) takes the one known
    place of that level; without one the name keeps the level as printed.

    >>> [m.name for m in pattern_mentions("中共四川省委。12月5日，省委常委会召开会议", ["四川省"])]
    ['中共四川省委常委会']
    >>> [(m.name, m.printed) for m in pattern_mentions("主持召开十四届县委第8次常委会会议", [])]
    [('县委常委会', '十四届县委第8次常委会会议')]
    >>> [m.name for m in pattern_mentions("甲乙区政协在常委会议室召开会议", ["某某市甲乙区"])]
    ['政协某某市甲乙区委员会']
    """
    by_name = _lexicon_by_name()
    named = sorted({p for p in [*places, "全国"] if p}, key=len, reverse=True)
    found: list[Mention] = []
    for organ, pattern, literals in _organ_patterns(tuple(named)):
        if literals and not any(literal in text for literal in literals):
            continue  # no literal every match holds (长办公会, 中心组): no match
        for match in pattern.finditer(text):
            unit, act_start = _unit(organ, match, text)
            name = _organ_name(organ, match, named, unit)
            body = by_name.get(name)
            # 党组（扩大）会议: a phrase ending in 会议 names a meeting whatever the organ.
            meeting = organ.meeting or match.group().endswith(("会议", "全会"))
            found.append(Mention(match.start(), match.end(), body, match.group(), name, meeting,
                                 text[act_start : match.end()] if act_start is not None else ""))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    end = 0
    for mention in found:
        if mention.start >= end:
            out.append(mention)
            end = mention.end
    return out


@functools.lru_cache(maxsize=256)
def _organ_patterns(named: tuple[str, ...]
                    ) -> tuple[tuple[Organ, DeferredPattern, tuple[str, ...] | None], ...]:
    """Each organ with its pattern for these known places (a document's places: the same for
    every text of the document), compiled when first searched, and the literals of which its
    matches hold one."""
    jurisdiction = "(?:(?P<place>{})|(?P<level>{}))".format(
        "|".join(map(re.escape, named)),
        "|".join(datafiles.require("bodies.yml", "place_levels")),
    )
    patterns = [organ.pattern.replace("{J}", jurisdiction).replace("{N}", _SESSION)
                for organ in organs()]
    return tuple((organ, DeferredPattern(pattern), required_literals(pattern))
                 for organ, pattern in zip(organs(), patterns, strict=True))


# The organisation that convenes a unit's body, printed before 召开 (某某科技召开党委理论学习
# 中心组…); never a person (…主持召开) or a title.
# (Compiled when first wanted: only an organ whose name takes a unit asks for it.)
@functools.cache
def _convener() -> re.Pattern[str]:
    return re.compile(r"(?:^|(?<=[，。；：、\s]))(?P<unit>[\u4e00-\u9fff]{2,12}?)(?:召开|举行)$")


def _unit(organ: Organ, match: re.Match[str], text: str) -> tuple[str, int | None]:
    """The unit a body belongs to (某某大学, 某某科技), and where the phrase naming it in its
    act starts when the unit is printed before 召开 (None: the match itself).

    A generic word (我校, 公司) names no unit: the body is the document's own.

    >>> organ = next(o for o in organs() if o.key == "party-committee-study-group")
    >>> text = "2月3日下午，某某科技召开党委理论学习中心组会议"
    >>> _unit(organ, re.search("党委理论学习中心组", text), text)
    ('某某科技', 7)
    """
    generic = set(datafiles.require("bodies.yml", "generic_units"))
    printed = match.groupdict().get("unit")
    if printed is not None or "(?P<unit>" not in organ.pattern:
        return ("" if printed in generic else printed or ""), None
    convener = _convener().search(text, 0, match.start())
    if not convener or convener.end() != match.start():
        return "", None
    unit = convener.group("unit")
    if unit in generic or "主持" in unit or any(word in unit for word in _title_words()):
        return "", None
    return unit, convener.start("unit")


def _organ_name(organ: Organ, match: re.Match[str], places: list[str], unit: str) -> str:
    groups = match.groupdict()
    if groups.get("place"):
        return organ.name.format(place=_full_place(groups["place"], places), level="", unit=unit)
    level = groups.get("level") or ""
    place = _place_for_level(level, places) if level else None
    if place:
        return organ.name.format(place=place, level=level, unit=unit)
    return organ.short.format(level=level, unit=unit)


@functools.cache
def _lexicon_by_name() -> dict[str, Body]:
    """Lexicon bodies by canonical name and full aliases (a pattern's name may be one)."""
    out: dict[str, Body] = {}
    for body in bodies():
        for form in (body.name, *body.aliases):
            out.setdefault(form, body)
    return out


def _literal(text: str, form: str, body: Body) -> list[Mention]:
    out = []
    start = text.find(form)
    while start >= 0:
        out.append(Mention(start, start + len(form), body, form))
        start = text.find(form, start + 1)
    return out


# When a body's meeting took place, printed between the body and 召开: 3月4日, 昨天下午在….
_WHEN = r"(?:\d{1,2}月\d{1,2}日|\d{1,2}日|昨天|昨日|前天|今天|今日|近日|日前)"
_HELD = re.compile(
    rf"(?:[于在][^，。；]{{0,30}}?|{_WHEN}(?:[上下]午|晚)?(?:在[^，。；]{{0,20}}?)?)?(?:召开|举行)"
    r"|第[^，。；、]{1,6}次(?:常务|全体)?会议"
)
_ISSUED = re.compile(r"(?:联合)?(?:印发|发布|出台|下发)|关于")
_JOINED = re.compile(r"[和与及、]")
_CONVENED = ("召开", "举行")
# The meeting noun right after a body that 召开 stands before: 召开国务院常务会议.
_MEETING_AFTER = LazyPattern(r"[^，。；、]{0,12}?(?:会议|全会)")
# The phrase that says what a body did, up to the meeting it held or presided over.
_ACT = re.compile(r"(?:[于在][^，。；]{0,30}?)?(?:召开|举行|主持)[^，。；]{0,16}?(?:会议|全会|会)")


def _surface(text: str, mention: Mention, role: str) -> str:
    """The phrase naming the body in its act, as printed: 市委常委会召开扩大会议."""
    if mention.act:
        return mention.act  # 某某科技召开党委理论学习中心组
    if mention.meeting and role == "held":
        return mention.printed
    act = _ACT.match(text, mention.end)
    if act is None and role == "held" and text[: mention.start].endswith(_CONVENED):
        act = _MEETING_AFTER.match(text, mention.end)  # 召开区政府第58次常务会议
    return text[mention.start : act.end()] if act else mention.printed


def _role(text: str, mention: Mention, first: Mention) -> str | None:
    after = text[mention.end :]
    before = text[: first.start]
    if before.count("《") > before.count("》"):
        return None  # named in a cited title (《中共某党组关于…的通知》): it acts elsewhere
    if after.startswith("主持") or (before.endswith("由") and after.startswith("主持")):
        return "presided"  # 全会由省委常委会主持, 市委常委会主持会议
    convened = before.endswith(_CONVENED) or any(v in first.printed for v in _CONVENED)
    if _HELD.match(after) or (convened and (first.meeting or _MEETING_AFTER.match(after))):
        return "held"  # 省委常委会召开…, 主持召开区政府第9次常务会议, 召开国务院常务会议
    if _ISSUED.match(after):
        return "issued"
    return None


def body_roles(
    texts: list[str], place: str | None, named: tuple[str, ...] = ()
) -> list[tuple[Mention, str, str]]:
    """The bodies that act in ``texts`` (headline lines and lead), what they did, and the
    phrase that says so.

    >>> roles = body_roles(["四川省卫生健康委和重庆市卫生健康委联合印发《十项行动》"], "四川省")
    >>> [(m.name, r) for m, r, _ in roles]
    [('四川省卫生健康委员会', 'issued'), ('重庆市卫生健康委员会', 'issued')]
    >>> [(m.name, r) for m, r, _ in body_roles(["常晓勇主持召开区政府第58次常务会议"], "重庆市永川区")]
    [('重庆市永川区人民政府', 'held')]
    >>> [(m.name, r, s) for m, r, s in body_roles(["市委召开十二届九次全体会议"], None, ("某某市",))]
    [('中共某某市委', 'held', '市委召开十二届九次全体会议')]
    """
    out: list[tuple[Mention, str, str]] = []
    for text in texts:
        mentions = find_mentions(text, place, named)
        group: list[Mention] = []
        for n, mention in enumerate(mentions):
            group.append(mention)
            following = mentions[n + 1] if n + 1 < len(mentions) else None
            if following and _JOINED.fullmatch(text[mention.end : following.start]):
                continue  # 甲和乙联合印发: the act after the last one is both bodies'
            role = _role(text, mention, group[0])
            if role:
                out += [(m, role, _surface(text, m, role)) for m in group]
            group = []
    return out


def _convened_later(texts: list[str], place: str | None, named: tuple[str, ...]):
    """Roles read beyond the lead: 由…主持 and 主持召开 + a meeting (会后，某某主持召开…)."""
    # Both need 主持: a body presides in the text that prints 主持 after it, and a meeting is
    # held here only where some text prints 主持召开. Without that, a text lacking 主持 yields
    # nothing, and most paragraphs lack it (reading them all was most of the bodies' cost).
    convened = any("主持召开" in text for text in texts)
    read = texts if convened else [text for text in texts if "主持" in text]
    for mention, role, surface in body_roles(read, place, named):
        if role == "presided":
            yield mention, role, surface
        elif role == "held" and mention.meeting:
            for text in texts:
                at = text.find(mention.printed)
                if at >= 0 and text[:at].endswith("主持召开"):
                    yield mention, role, surface
                    break


def _less_specific(name: str, role: str, found: set[tuple[str, str]]) -> bool:
    """Another body found in the same role ends with this name: the same body, named with
    its place or unit (县委常委会 beside 中共某县委常委会, 党委理论学习中心组 beside
    我校党委理论学习中心组).

    >>> _less_specific("县委常委会", "held", {("中共某某县委常委会", "held")})
    True
    >>> _less_specific("县委常委会", "held", {("中共某某县委常委会", "presided")})
    False
    """
    return any(other != name and other.endswith(name) and r == role for other, r in found)


def document_bodies(
    title: str, kicker: str | None, subtitle: str | None, paragraphs: list[str], place: str | None
) -> list[dict[str, str | None]]:
    """The ``bodies`` field: each acting body once per role, in role then text order."""
    headlines = [t for t in (kicker, title, subtitle) if t]
    named = named_places("\n".join(headlines + paragraphs[:1] + paragraphs))
    # Each text is read on its own, so the lead's roles are read once for both uses below.
    lead_roles = body_roles(paragraphs[:1], place, named)
    # 全会由省委常委会主持 stands after the lead; 由…主持 and 主持召开 are specific enough to
    # read anywhere.
    found = (body_roles(headlines, place, named) + lead_roles
             + list(_convened_later(paragraphs[1:], place, named)))
    # The lead says what the body did in a sentence; a headline may abridge it.
    lead_surface = {(m.name, r): surface for m, r, surface in lead_roles}
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, str | None]] = []
    names = {(m.name, r) for m, r, _ in found}
    for role in ROLES:
        for mention, found_role, surface in found:
            key = (mention.name, role)
            if found_role != role or key in seen or _less_specific(mention.name, role, names):
                continue
            seen.add(key)
            out.append(
                {"name": mention.name, "slug": mention.slug, "role": role,
                 "printed": mention.printed, "surface": lead_surface.get(key, surface)}
            )
    return out
