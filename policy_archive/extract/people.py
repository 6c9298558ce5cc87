"""People: the officials a report names with their title, roles as printed.

Patterns (``policy_archive/data/people.yml``): a title right before a name
(``省委书记王晓晖主持会议``, ``区委副书记、区长常晓勇``) and a list role before names joined
by 、 (``区政府领导宋文、王寒峰…参加会议`` → role 区政府领导). A candidate name must start
with a family name and be followed by a meeting verb or punctuation, so running text never
yields a person.
"""

from __future__ import annotations

import functools
import hashlib
import re

from policy_archive import datafiles
from policy_archive.extract.regex_hints import (
    DeferredPattern,
    required_literals,
    with_first_characters,
)

_NAME = r"[\u4e00-\u9fff]{2,3}"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], DeferredPattern, frozenset[str], re.Pattern[str]]:
    """The titled and listed patterns, the surnames, and a search for a literal that every
    titled match holds (most paragraphs hold none, and then are not read with the titled
    pattern, which the engine tries at every position).

    The listed pattern is compiled when first searched, in a text holding one of the list
    roles (few do): its two Han classes take 2 ms to compile."""
    data = datafiles.load("people.yml")
    titles = "|".join(f"(?:{t})" for t in data["titles"])
    places = "|".join(map(re.escape, data["place_prefixes"]))
    after = "|".join(map(re.escape, data["after_name"]))
    role = rf"(?:{titles})(?:、(?:{titles}))*"
    # Lazy: a two-character name before 出席 is 蔡焘, not 蔡焘出.
    written = rf"(?:{places})?(?P<role>{role})(?P<name>{_NAME}?)(?={after})"
    titled = re.compile(with_first_characters(written))
    lists = "|".join(map(re.escape, data["list_roles"]))
    listed = DeferredPattern(  # opens with literals: no hint added (``with_first_characters``)
        rf"(?P<role>{lists})(?P<names>{_NAME}(?:、{_NAME})*)等?(?=参加|出席|列席)"
    )
    surnames = frozenset("".join(data["surnames"].split()))
    return titled, listed, surnames, _any_literal(required_literals(written))


@functools.cache
def _list_roles() -> tuple[str, ...]:
    """The roles a listed match opens with."""
    return tuple(datafiles.require("people.yml", "list_roles"))


def _any_literal(literals: tuple[str, ...] | None) -> re.Pattern[str]:
    """A search for any of the literals (one of which every match of a pattern holds); with
    none known, one that finds something in every text."""
    return re.compile("|".join(map(re.escape, literals)) if literals else "")


def find_people(text: str) -> list[dict[str, str]]:
    """``{name, role}`` for each titled or listed name in ``text``, in text order.

    >>> find_people("省委书记王晓晖主持会议并讲话。")
    [{'name': '王晓晖', 'role': '省委书记'}]
    >>> find_people("永川区委副书记、区长常晓勇主持召开区政府第58次常务会议")
    [{'name': '常晓勇', 'role': '区委副书记、区长'}]
    >>> [p["name"] for p in find_people("区政府领导宋文、王寒峰、甘宇参加会议")]
    ['宋文', '王寒峰', '甘宇']
    >>> find_people("区委副书记、区长常晓勇，区委常委出席。")
    [{'name': '常晓勇', 'role': '区委副书记、区长'}]
    """
    titled, listed, surnames, titled_literal = _patterns()
    found: list[tuple[int, str, str]] = []
    for match in titled.finditer(text) if titled_literal.search(text) else ():
        name = match.group("name")
        if name and name[0] in surnames:
            found.append((match.start("name"), name, match.group("role")))
    for match in listed.finditer(text) if any(role in text for role in _list_roles()) else ():
        names = match.group("names").split("、")
        if all(n[0] in surnames for n in names):
            offset = match.start("names")
            for name in names:
                found.append((offset, name, match.group("role")))
                offset += len(name) + 1
    return [{"name": name, "role": role} for _, name, role in sorted(found)]


def find_chair(text: str) -> dict[str, str] | None:
    """The titled person who chaired the meeting, with the verb as printed and, where the
    text says so, on whose behalf (``受县委书记某某委托``).

    >>> find_chair("3月13日，省委常委会召开会议。省委书记王晓晖主持会议并讲话。")
    {'name': '王晓晖', 'role': '省委书记', 'action': '主持会议并讲话'}
    >>> find_chair("受县委书记许某某委托，县委副书记、县长王某某主持召开常委会会议。")["on_behalf_of"]
    '县委书记许某某'
    >>> find_chair("会议由区人大常委会主任张某某主持。")["action"]
    '主持'
    >>> find_chair("县长蒋某某在县政府三楼会议室主持召开常务会议。")["name"]
    '蒋某某'
    >>> find_chair("区委书记张智奎出席会议。") is None  # attending is not chairing
    True
    """
    titled, _, surnames, _ = _patterns()
    actions = sorted(datafiles.require("people.yml", "chair_actions"), key=len, reverse=True)
    for match in titled.finditer(text):
        name = match.group("name")
        rest = text[match.end() :]
        rest = rest[2:] if rest.startswith("同志") else rest
        # 在区机关大院二楼会议室主持召开: the place of the meeting may stand before the verb.
        where = re.match(r"在[^，。；、]{1,24}?(?=主持)", rest)
        rest = rest[where.end() :] if where else rest
        action = next((a for a in actions if rest.startswith(a)), None)
        if not name or name[0] not in surnames or not action:
            continue
        chair = {"name": name, "role": match.group("role"), "action": action}
        behalf = re.search(r"受(?P<who>[^，。；]{2,40}?)(?:同志)?委托[，,]?$", text[: match.start()])
        if behalf:
            chair["on_behalf_of"] = behalf.group("who")
        return chair
    return None


def document_people(texts: list[str], lead: list[str] | None = None) -> list[dict[str, str]]:
    """The ``people`` field: each person once, with the first role the document prints; the
    chair found in ``lead`` (headline and first paragraphs) carries ``action``."""
    seen: dict[str, str] = {}
    for text in texts:
        for person in find_people(text):
            seen.setdefault(person["name"], person["role"])
    out = [{"name": name, "role": role} for name, role in seen.items()]
    chair = next((c for c in map(find_chair, lead or []) if c), None)
    for person in out:
        if chair and person["name"] == chair["name"]:
            person.update({k: v for k, v in chair.items() if k not in ("name", "role")})
    return out


def person_slug(name: str) -> str:
    """The file name of a person's page: a short hash of the name.

    No romanisation is available offline, and a Han file name would be percent-encoded in
    every URL and could be touched by the zh-Hant conversion of the site; a hash is ASCII,
    the same in both scripts, and changes only if the name itself is corrected.

    >>> person_slug("王晓晖")
    'p-43ccf9b9'
    """
    return "p-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
