"""Formulations (提法) found by their shape, for the ones the initiatives lexicon lacks.

The lexicon (``data/initiatives.yml``) names what curators know; reports coin new
formulations faster than anyone curates them. So the finder reads the shapes a formulation
takes, each a rule that records what it saw as evidence:

- ``numbered``: a number, a classifier and a few words (两个确立, 十五条硬措施, 三强计划), or
  an ``N+M`` form (1+3);
- ``quoted``: a phrase in quotation marks (“一码通”), the oldest mark of a named thing;
- ``series``: an enumeration of equal items sharing words (以学铸魂、以学增智、以学正风) or
  sharing a head noun (蓝天、碧水、净土保卫战);
- ``programme``: a head noun (行动, 工程, 示范区, 科学城 …) with the modifiers that name it,
  cut on the left at the verb that governs it (实施…, 建设…);
- ``brand``: a brand word before a place name of ``bodies.yml`` (平安四川);
- ``member``: a numbered paragraph naming one member of a set the document names (第四，…行动
  under a 十项行动).

Every cue is data (``data/formulations.yml``), matched in both scripts; the names are
normalised (no quotation marks or spaces, simplified script, ASCII digits) so variants reach
one entry. A found phrase that is a lexicon form joins the lexicon entry; one in the
stoplist is never indexed. Generic phrases never count: a programme needs modifiers beyond
generic words (国家, 重大), a count (四个方面) is no formula.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from policy_archive import datafiles, model, script
from policy_archive.extract.bodies import jurisdictions
from policy_archive.extract.initiatives import initiatives
from policy_archive.text import LazyPattern

_HAN = "\u3400-\u9fff"
_OPEN_QUOTES = "“「『‘"
_CLOSE_QUOTES = "”」』’"
# What a name may hold besides Han: quotation marks, parentheses, digits and N+M signs.
_NAME_EXTRA = _OPEN_QUOTES + _CLOSE_QUOTES + "（）()0-9０-９+＋·—"
_DIGITS = str.maketrans("０１２３４５６７８９＋()", "0123456789+（）")


@dataclass(frozen=True)
class Cues:
    """The cue lists of ``data/formulations.yml``, each in both scripts."""

    numerals: str
    measures: str
    numbered_tail_ends: tuple[str, ...]
    not_numbered: tuple[str, ...]
    generic_tails: tuple[str, ...]
    heads: tuple[str, ...]
    set_heads: frozenset[str]
    institution_ends: tuple[str, ...]
    head_followers: tuple[str, ...]
    boundaries: tuple[str, ...]
    not_boundaries: tuple[str, ...]
    name_final_verbs: frozenset[str]
    fillers: tuple[str, ...]
    generic_modifiers: tuple[str, ...]
    series_generic_affixes: frozenset[str]
    quote_min_plain: int
    brand_prefixes: tuple[str, ...]
    places: tuple[str, ...]
    ordinals: re.Pattern[str]
    same_as_name: tuple[str, ...]
    stoplist: frozenset[str]


def _both_scripts(words: Iterable[str]) -> tuple[str, ...]:
    """Each word and its traditional form, longest first (for alternations)."""
    out = {w for word in words for w in (word, script.to_traditional(word))}
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


@functools.cache
def cues() -> Cues:
    """The cues, read once; a missing list names the file and key."""
    def need(key: str) -> list[str]:
        value = datafiles.require("formulations.yml", key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            msg = f"policy_archive/data/formulations.yml: '{key}' must be a list of strings"
            raise datafiles.DataFileError(msg)
        return value

    # Two-character place cues of bodies.yml are place names (四川, 永川); longer ones are
    # outlets (四川日报).
    places = [c for place in jurisdictions().values() for c in place.cues
              if len(c) == 2]
    return Cues(
        numerals="".join(_both_scripts(need("numerals"))),
        measures="".join(_both_scripts(need("measures"))),
        numbered_tail_ends=_both_scripts(need("numbered_tail_ends")),
        not_numbered=_both_scripts(need("not_numbered")),
        generic_tails=_both_scripts(need("generic_tails")),
        heads=_both_scripts(need("heads")),
        set_heads=frozenset(need("set_heads")),
        institution_ends=_both_scripts(need("institution_ends")),
        head_followers=_both_scripts(need("head_followers")),
        boundaries=_both_scripts(need("boundaries")),
        not_boundaries=_both_scripts(need("not_boundaries")),
        name_final_verbs=frozenset(_both_scripts(need("name_final_verbs"))),
        fillers=_both_scripts(need("fillers")),
        generic_modifiers=_both_scripts(need("generic_modifiers")),
        series_generic_affixes=frozenset(need("series_generic_affixes")),
        quote_min_plain=int(datafiles.require("formulations.yml", "quote_min_plain")),
        brand_prefixes=_both_scripts(need("brand_prefixes")),
        places=_both_scripts(places),
        ordinals=re.compile("|".join(f"(?:{o})" for o in need("ordinals"))),
        same_as_name=tuple(need("same_as_name")),
        stoplist=frozenset(normalise(s) for s in need("stoplist")),
    )


# --- names ----------------------------------------------------------------------------------


# Found names repeat across paragraphs and documents; OpenCC is the cost.
@functools.lru_cache(maxsize=65536)
def normalise(phrase: str) -> str:
    """The one form of a formulation: simplified script, no quotation marks or spaces,
    ASCII digits and plus signs, full-width parentheses.

    >>> normalise("「兩個確立」") == normalise("“两个确立”") == "两个确立"
    True
    >>> normalise("西部(成都) 科学城"), normalise("“１＋３”")
    ('西部（成都）科学城', '1+3')
    """
    text = re.sub(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}\"'\\s\u3000]", "", phrase)
    return script.to_simplified(text.translate(_DIGITS))


def formulation_slug(name: str) -> str:
    """The page name of a formulation the lexicon lacks: ``f-`` and a short hash of its
    normalised name, ASCII and the same in both scripts (like ``citation_slug``).

    >>> formulation_slug("两个确立") == formulation_slug("「兩個確立」")
    True
    >>> formulation_slug("两个确立")
    'f-4c624496'
    """
    return "f-" + hashlib.sha256(normalise(name).encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Found:
    """One formulation found in a text: where, its name, the rule and what it saw."""

    start: int
    end: int
    name: str
    rule: str
    evidence: str
    set_head: str | None = None  # a set (十项行动): the head its members share


# --- the rules ------------------------------------------------------------------------------


def _is_han(ch: str) -> bool:
    """Whether one character is in ``_HAN``: compared, not matched, since ``re`` takes a
    millisecond to compile a class as wide as this one (it walks each code point).

    >>> _is_han("会"), _is_han("a"), _is_han("\u4dc0"), _is_han("\uf900")
    (True, False, True, False)
    """
    return "\u3400" <= ch <= "\u9fff"


@functools.cache
def _quoted() -> re.Pattern[str]:
    return re.compile(f"[{_OPEN_QUOTES}]([{_HAN}{_NAME_EXTRA}、]{{2,24}}?)[{_CLOSE_QUOTES}]")


def quoted(text: str) -> list[Found]:
    """Phrases in quotation marks; a short one only when it holds a numeral (“四风”), since
    a two-character quotation usually marks a word (“台账”).

    >>> [f.name for f in quoted("纳入“台账”，实现“一码通”，纠治“四风”，说“你好。”")]
    ['一码通', '四风']
    """
    c = cues()
    out = []
    for m in _quoted().finditer(text):
        name = normalise(m.group(1))
        # A quoted instruction (“打造…基地”) names what follows its verb.
        verb = next((b for b in c.boundaries if len(b) >= 2 and name.startswith(b)),
                    None) if name.endswith(c.heads) else None
        name = name[len(verb):] if verb else name
        has_numeral = any(ch in c.numerals or ch.isdigit() for ch in name)
        if len(name) < c.quote_min_plain and not has_numeral:
            continue
        out.append(Found(m.start(), m.end(), name, "quoted", "引号"))
    return out


@functools.cache
def _numbered() -> re.Pattern[str]:
    c = cues()
    first = c.numerals.replace("一", "")
    ends = "|".join(map(re.escape, c.numbered_tail_ends))
    # The lookbehind (no ordinal or number before the first numeral) stands after that
    # numeral, two characters back: a pattern that opens with a class lets the engine scan
    # for it, three times faster than trying the lookbehind at every position.
    return re.compile(
        f"([{first}](?<![第{c.numerals}0-9].)[{c.numerals}]*)([{c.measures}])"
        f"([{_HAN}]{{2,4}}?)(?=$|[^{_HAN}]|{ends})")


_N_PLUS_M = LazyPattern(r"(?<![\d.+])\d{1,2}(?:\+\d{1,2})+(?![\d.+])")


def numbered(text: str) -> list[Found]:
    """Numbered formulas outside quotation marks: a number of two or more, a classifier and
    two to four words ending the phrase, or ``N+M``; never a count (四个方面) or an ordinal
    (第二个).

    >>> [f.name for f in numbered("确保两个确立的意义，落实十五条硬措施，推进1+3改革")]
    ['两个确立', '十五条硬措施', '1+3']
    >>> numbered("用了四个方面、一个多月，第二个百年目标，学习二十大精神")
    []
    """
    c = cues()
    out = []
    for m in _numbered().finditer(text):
        tail = m.group(3)
        if tail.startswith(c.generic_tails) or tail.endswith(c.generic_tails) \
                or m.group().startswith(c.not_numbered):
            continue
        out.append(Found(m.start(), m.end(), normalise(m.group()), "numbered",
                         f"数词 {m.group(1)}{m.group(2)}"))
    if "+" in text or "＋" in text:  # translating a whole paragraph is the cost
        out += [Found(m.start(), m.end(), m.group(), "numbered", "N+M 式")
                for m in _N_PLUS_M.finditer(text.translate(_DIGITS))]
    return sorted(out, key=lambda f: f.start)


# Starting only where a run of Han begins, and never giving back a character of a run: a
# match that starts inside a run would start at its beginning too (the first item can grow
# leftwards), every match ends where a run ends, and a Han character given back could never
# be followed by 、. So neither changes a match; they spare the engine trying each position
# of a run, which made this rule quadratic in the length of a run.
_SERIES = re.compile(f"(?<![{_HAN}])[{_HAN}]++(?:、[{_HAN}]++){{2,}}")


def _common_prefix(items: list[str]) -> str:
    prefix = items[0]
    for item in items[1:]:
        while not item.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def series(text: str) -> list[Found]:
    """Enumerations of three or more items of one length that share words (以学铸魂、以学增智、
    以学正风; 不敢腐、不能腐、不想腐) or end on a head noun (蓝天、碧水、净土保卫战).

    >>> [f.name for f in series("打好蓝天、碧水、净土保卫战，确保以学铸魂、以学增智、以学正风上见效")]
    ['蓝天、碧水、净土保卫战', '以学铸魂、以学增智、以学正风']
    >>> series("提高系统性、针对性、有效性，推进重大项目、重大平台、重大改革")
    []
    """
    if text.count("、") < 2:  # three items need two 、
        return []
    c = cues()
    out = []
    for m in _SERIES.finditer(text):
        items = m.group().split("、")
        size = len(items[1])
        if not 2 <= size <= 6 or any(len(i) != size for i in items[1:-1]) \
                or len(items[0]) < size or len(items[-1]) < size:
            continue
        start = m.start() + len(items[0]) - size
        equal = [items[0][-size:], *items[1:-1], items[-1][:size]]
        rest = items[-1][size:]
        # The longest head first (``heads`` is sorted so); one test of all of them first,
        # since most items end on none.
        head = next((h for h in c.heads if rest.startswith(h)), None) \
            if rest.startswith(c.heads) else None
        end = m.end() - len(rest)
        if head and size <= 4:
            out.append(Found(start, end + len(head), normalise(text[start : end + len(head)]),
                             "series", f"并列，共用中心词 {head}"))
            continue
        prefix = _common_prefix(equal)
        suffix = _common_prefix([i[::-1] for i in equal])[::-1]
        shared = len(prefix) + len(suffix)
        if 2 <= shared < size and not {prefix, suffix} & c.series_generic_affixes:
            words = "…".join(w for w in (prefix, suffix) if w)
            out.append(Found(start, end, normalise(text[start:end]), "series",
                             f"并列，共用 {words}"))
    return out


@functools.cache
def _heads() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, cues().heads)))


_WINDOW = 24  # characters scanned left of a head noun for its modifiers
_MAX_MODIFIER = 18
_YEAR = re.compile(r"^\d{4}(?:[—–-]\d{4})?年")
_YEAR_START = re.compile(r"\d")


# The name characters that end a text: searched for in the window before a head noun, the
# first position they match from is where the run of them begins.
_NAME_TAIL = re.compile(f"[{_HAN}{_NAME_EXTRA}]*\\Z")


def _window_start(text: str, head_start: int) -> int:
    """Where the run of name characters before a head noun begins (punctuation stops it),
    at most ``_WINDOW`` characters before it.

    >>> _window_start("会议指出，实施乡村振兴行动", 11)
    5
    """
    window = max(0, head_start - _WINDOW)
    run = _NAME_TAIL.search(text, window, head_start)
    return run.start() if run else head_start


def _after_last_boundary(text: str, start: int, end: int) -> int | None:
    """Where the modifiers of a head noun at ``end`` begin: after the last boundary word of
    ``text[start:end]`` that leaves specific modifiers; None when one leaves fewer than two
    characters before the head
    (以人民为中心, 付诸行动, 坚持多中心: no name), unless it is a verb that ends names
    (农村公路提升行动, 百镇建设行动)."""
    c = cues()
    shielded = set()  # positions inside words that hold a boundary but are none (中等)
    for at, word in _occurrences(text, start, end, c.not_boundaries):
        shielded.update(range(at, at + len(word)))
    # Which occurrence is read first does not matter: any one too close to the head gives
    # None, and ``best`` and ``last`` are maxima.
    best = last = start
    for at, word in _occurrences(text, start, end, c.boundaries):
        after = at + len(word)
        if not (shielded and not shielded.isdisjoint(range(at, after))) and not (
                after == end and word in c.name_final_verbs):
            if end - after < 2:
                return None
            last = max(last, after)
            # A particle (的, 为) always cuts; a verb that leaves only generic words
            # (…培育五年行动计划) does not.
            if after > best and (len(word) == 1 or _specific(text[after:end])):
                best = after
    # With no cut that leaves specific modifiers, the last one stands (and the caller
    # finds its modifiers generic: 落实到实际行动).
    return best if best > start else last


@functools.cache
def _word_index(words: tuple[str, ...]
                ) -> tuple[re.Pattern[str], dict[str, tuple[tuple[int, frozenset[str]], ...]]]:
    """The first characters of the words as a class, and the words by first character, then
    by length (longest first)."""
    out: dict[str, dict[int, set[str]]] = {}
    for word in words:
        out.setdefault(word[0], {}).setdefault(len(word), set()).add(word)
    by_first = {first: tuple((length, frozenset(group[length]))
                             for length in sorted(group, reverse=True))
                for first, group in out.items()}
    # (?!) matches nothing: no words.
    firsts = f"[{''.join(map(re.escape, sorted(by_first)))}]" if by_first else "(?!)"
    return re.compile(firsts), by_first


def _occurrences(text: str, start: int, end: int, words: tuple[str, ...]):
    """(position, word) of every occurrence of the words within ``text[start:end]``,
    overlapping ones included: a window is a few characters, so the positions where a word
    may start are found in one scan for their first characters, and each is looked up
    there (one set look-up per word length) rather than each word searched for.

    >>> list(_occurrences("推进建设中心", 0, 6, ("建设", "建", "设中")))
    [(2, '建设'), (2, '建'), (3, '设中')]
    """
    firsts, by_first = _word_index(words)
    for match in firsts.finditer(text, start, end):
        at = match.start()
        for length, group in by_first[text[at]]:
            if at + length <= end and text[at : at + length] in group:
                yield at, text[at : at + length]


def _strip_fillers(text: str, start: int, end: int) -> int:
    if not _YEAR_START.match(text, start) and not text.startswith(cues().fillers, start):
        return start  # most modifiers start with neither (the loop below would find none)
    changed = True
    while changed:
        changed = False
        year = _YEAR.match(text[start:end])
        if year:
            start += year.end()
            changed = True
        for filler in cues().fillers:
            if text.startswith(filler, start) and end - start - len(filler) >= 2:
                start += len(filler)
                changed = True
    return start


_LEADING_COUNT = re.compile(r"^(?:\d+|[一二两三四五六七八九十百千]+)个")


def _modifiers_start(text: str, head_start: int) -> int | None:
    """Where the modifiers of the head noun at ``head_start`` begin, or None when it has
    none: after the governing verb, a leading ordinal (（八）), filler (高水平) or count (9个),
    and after the first of two adjacent quotations (“三名工程”“双高计划”)."""
    window = _window_start(text, head_start)
    ordinal = cues().ordinals.match(text, window)
    window = ordinal.end() if ordinal else window
    pair = text.rfind("”“", window, head_start)
    window = pair + 1 if pair != -1 else window
    start = _after_last_boundary(text, window, head_start)
    if start is None:
        return None
    start = _strip_fillers(text, start, head_start)
    count = _LEADING_COUNT.match(text[start:head_start])
    start += count.end() if count else 0
    while start < head_start and text[start] in _CLOSE_QUOTES + "）)":
        start += 1
    return start


@functools.lru_cache(maxsize=65536)
def _specific(modifier: str) -> bool:
    """True when the modifiers hold two characters beyond generic words (国家, 重大)."""
    rest = "".join(filter(_is_han, modifier))  # cached: no pattern to compile for this
    for word in cues().generic_modifiers:
        rest = rest.replace(word, "")
    return len(rest) >= 2


def programmes(text: str) -> list[Found]:
    """Named programmes: a head noun and the modifiers that name it, from the verb that
    governs it (or the punctuation before it) to the head.

    >>> [f.name for f in programmes("扎实开展安全生产治本攻坚三年行动，高水平建设西部（成都）科学城建设")]
    ['安全生产治本攻坚三年行动', '西部（成都）科学城']
    >>> [f.name for f in programmes("印发《2024年推动某地建设卫生健康一体化发展十项行动》")]
    ['卫生健康一体化发展十项行动']
    >>> programmes("落实到实际行动上，实施国家重大战略，思想和行动统一，区域中心城市，坚持以人民为中心，"
    ...            "市政园林管理中心")
    []
    >>> [f.name for f in programmes("实施新一轮农村公路提升行动，深化百镇建设行动")]
    ['农村公路提升行动', '百镇建设行动']
    >>> [f.name for f in programmes("实施“三名工程”“双高计划”，实施中等收入群体递增计划，加快推进9个国家区域医疗中心建设")]
    ['三名工程', '双高计划', '中等收入群体递增计划', '国家区域医疗中心']
    """
    c = cues()
    out = []
    for m in _heads().finditer(text):
        after = text[m.end() : m.end() + 4]
        if after and _is_han(after[0]) and not after.startswith(c.head_followers):
            continue
        start = _modifiers_start(text, m.start())
        if start is None:
            continue
        modifier = text[start : m.start()]
        if not modifier or len(modifier) > _MAX_MODIFIER or not _specific(modifier) \
                or modifier.endswith(c.institution_ends):
            continue
        numbered_set = _numbered_set().search(modifier)
        head = _simplified_head(m.group())
        is_set = bool(numbered_set) and head in c.set_heads
        evidence = f"中心词 {head}" + (f"；成套：{numbered_set.group()}{head}"
                                          if is_set else "")
        out.append(Found(start, m.end(), normalise(text[start : m.end()]), "programme",
                         evidence, head if is_set else None))
    return out


@functools.cache
def _numbered_set() -> re.Pattern[str]:
    """A count that ends the modifiers of a set (十项行动: 十项)."""
    c = cues()
    return re.compile(f"[{c.numerals}]+[{c.measures}]$")


@functools.lru_cache(maxsize=4096)
def _simplified_head(head: str) -> str:
    return script.to_simplified(head)  # a few dozen heads, met thousands of times


@functools.cache
def _brands() -> re.Pattern[str] | None:
    c = cues()
    if not c.places:
        return None
    prefixes = "|".join(map(re.escape, c.brand_prefixes))
    return re.compile(f"(?:{prefixes})(?:{'|'.join(map(re.escape, c.places))})")


def brands(text: str) -> list[Found]:
    """A brand word before a place name of ``bodies.yml``: 平安四川, 美丽四川.

    >>> [f.name for f in brands("建设更高水平的平安四川，基本建成美丽四川")]
    ['平安四川', '美丽四川']
    """
    pattern = _brands()
    if pattern is None:
        return []
    return [Found(m.start(), m.end(), normalise(m.group()), "brand", "品牌词加地名")
            for m in pattern.finditer(text)]


def _resolve_overlaps(found: list[Found]) -> list[Found]:
    """Of overlapping mentions the longest stays (a quotation's marks count), earliest first
    on a tie; the result is in text order."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), f.start, f.rule)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def find_formulations(text: str) -> list[Found]:
    """Every formulation found by shape in ``text``, in text order, stoplist applied.

    >>> [(f.name, f.rule) for f in find_formulations("坚定拥护“两个确立”，实施种业振兴行动，做好工作")]
    [('两个确立', 'quoted'), ('种业振兴行动', 'programme')]
    >>> find_formulations("召开会议，推动发展，做好工作")
    []
    """
    found = quoted(text) + numbered(text) + series(text) + programmes(text) + brands(text)
    stop = cues().stoplist
    return [f for f in _resolve_overlaps(found) if f.name not in stop]


# --- a document ------------------------------------------------------------------------------


@functools.cache
def _lexicon_names() -> dict[str, tuple[str, str]]:
    """Normalised lexicon forms, and each form followed by a head that names the same thing,
    → (slug, name)."""
    out = {}
    for item in initiatives():
        for form in item.forms:
            out[normalise(form)] = (item.slug, item.name)
            for head in cues().same_as_name:
                out.setdefault(normalise(form) + head, (item.slug, item.name))
    return out


@functools.lru_cache(maxsize=65536)
def lexicon_entry(name: str) -> tuple[str, str] | None:
    """(slug, canonical name) of the lexicon entry a found name is a variant of.

    >>> lexicon_entry("成渝双城经济圈"), lexicon_entry("乡村振兴战略")[0]
    (('chengyu-economic-circle', '成渝地区双城经济圈'), 'rural-revitalisation')
    >>> lexicon_entry("大院大所聚源兴川行动")[0], lexicon_entry("两个结合") is None
    ('juyuan-xingchuan', True)
    """
    name = normalise(name)
    if name in _lexicon_names():
        return _lexicon_names()[name]
    # A lexicon form with a head noun, after modifiers (大院大所“聚源兴川”行动).
    for head in cues().same_as_name:
        if name.endswith(head):
            return next((entry for form, entry in _lexicon_names().items()
                         if name.endswith(form) and form.endswith(head)), None)
    return None


def _members(paragraphs: list[str], sets: dict[str, Found]) -> dict[int, Found]:
    """Numbered paragraphs whose first clause names one member of a set (第四，…行动。)."""
    out = {}
    for number, paragraph in enumerate(paragraphs, 1):
        ordinal = cues().ordinals.match(paragraph)
        if not ordinal:
            continue
        clause = re.split("[。；;]", paragraph[ordinal.end() :], maxsplit=1)[0]
        set_found = next((s for head, s in sets.items() if clause.endswith(head)), None)
        if set_found and 2 < len(clause) <= _MAX_MODIFIER + 4:
            start = ordinal.end()
            out[number] = Found(start, start + len(clause), normalise(clause), "member",
                                f"{set_found.name}之一")
    return out


def document_formulations(paragraphs: list[str], lexicon: list[model.InitiativeMention]
                          ) -> tuple[list[model.FormulationMention], list[model.InitiativeMention]]:
    """The formulations of a document the lexicon lacks, each once with every place it
    stands, in order of first mention; and the lexicon mentions with the spans of variants
    the literal matcher missed (spacing, quotation marks) added.

    >>> found, lex = document_formulations(
    ...     ["第一，甲乙协同行动。", "印发《丙丁一体化发展二项行动》。", "第二，戊己联动行动。"], [])
    >>> [(f.name, f.rule, f.member_of == found[1].slug) for f in found]
    [('甲乙协同行动', 'member', True), ('丙丁一体化发展二项行动', 'programme', False), ('戊己联动行动', 'member', True)]
    """
    per_paragraph = [find_formulations(p) for p in paragraphs]
    sets = {f.set_head: f for found in per_paragraph for f in found if f.set_head}
    members = _members(paragraphs, sets)
    for number, member in members.items():
        found = per_paragraph[number - 1]
        per_paragraph[number - 1] = _resolve_overlaps(
            [member, *(f for f in found if f.end <= member.start or f.start >= member.end)])
    covered: dict[int, list[tuple[int, int]]] = {}  # paragraph → lexicon spans in it
    for span in sorted({s for m in lexicon for s in m.spans}, key=lambda s: (s.paragraph, s.start)):
        covered.setdefault(span.paragraph, []).append((span.start, span.end))
    extra: dict[str, list[model.Span]] = {}
    spans: dict[str, list[model.Span]] = {}
    first: dict[str, Found] = {}
    for number, found in enumerate(per_paragraph, 1):
        for item in found:
            here = covered.get(number, [])
            if _inside_lexicon(item, here):
                continue
            entry = lexicon_entry(item.name)
            span = model.Span(number, item.start, item.end)
            if entry:  # a variant of a lexicon entry; counted once where both found it
                if not any(s < item.end and item.start < e for s, e in here):
                    extra.setdefault(entry[0], []).append(span)
                continue
            slug = formulation_slug(item.name)
            first.setdefault(slug, item)
            spans.setdefault(slug, []).append(span)
    set_slugs = {head: formulation_slug(s.name) for head, s in sets.items()}
    out = []
    for slug, item in first.items():
        member_of = next((set_slugs[h] for h in set_slugs if item.rule == "member"
                          and item.name.endswith(h)), None)
        out.append(model.FormulationMention(item.name, slug, item.rule, item.evidence,
                                            member_of, tuple(spans[slug])))
    return out, _with_variants(lexicon, extra)


def _inside_lexicon(item: Found, covered: list[tuple[int, int]]) -> bool:
    """True when a found phrase lies within a lexicon mention or cuts across one (“一三五”
    of “一三五”总体发展思路); one that holds a lexicon mention and more is a formulation of
    its own (…“天府粮仓”示范区)."""
    for start, end in covered:
        if item.end <= start or item.start >= end:
            continue
        if not (item.start <= start and end <= item.end) or (item.start, item.end) == (start, end):
            return True
    return False


def _with_variants(lexicon: list[model.InitiativeMention],
                   extra: dict[str, list[model.Span]]) -> list[model.InitiativeMention]:
    """The lexicon mentions with the spans found by shape added (new entries last)."""
    out = []
    for mention in lexicon:
        added = extra.pop(mention.slug, [])
        spans = tuple(sorted({*mention.spans, *added}, key=lambda s: (s.paragraph, s.start)))
        out.append(model.InitiativeMention(mention.name, mention.slug, spans))
    for slug, spans in extra.items():
        name = next(i.name for i in initiatives() if i.slug == slug)
        out.append(model.InitiativeMention(name, slug, tuple(spans)))
    return out


# --- for curators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A formulation found by shape that the lexicon lacks, as a curator reviews it."""

    name: str
    slug: str
    rule: str
    evidence: str
    documents: int
    mentions: int
    context: str  # the first mention with a little text either side
    where: str  # the document id and paragraph of that mention (id#p-N)


def candidates(documents: list[model.Document], width: int = 12) -> list[Candidate]:
    """Every uncurated formulation of the archive, most mentioned first (then in more
    documents, then by name), each with its first mention in context.

    >>> doc = model.Document("a-1", "题", None, None, "printed", None, None, None, False, None,
    ...     None, [], None, "a", "", 1, "zh-Hans", (1, 1), [], ["确保以学铸魂、以学增智、以学正风。"])
    >>> doc.formulations = document_formulations(doc.paragraphs, [])[0]
    >>> [(c.name, c.mentions, c.context, c.where) for c in candidates([doc])]
    [('以学铸魂、以学增智、以学正风', 1, '确保【以学铸魂、以学增智、以学正风】。', 'a-1#p-1')]
    """
    found: dict[str, list[tuple[model.Document, model.FormulationMention]]] = {}
    for doc in sorted(documents, key=lambda d: (d.date is None, d.date or "", d.id)):
        for mention in doc.formulations:
            found.setdefault(mention.slug, []).append((doc, mention))
    out = []
    for slug, uses in found.items():
        doc, first = uses[0]
        span = first.spans[0]
        paragraph = doc.paragraphs[span.paragraph - 1]
        context = (paragraph[max(0, span.start - width) : span.start] + "【"
                   + paragraph[span.start : span.end] + "】" + paragraph[span.end : span.end + width])
        out.append(Candidate(first.name, slug, first.rule, first.evidence, len(uses),
                             sum(len(m.spans) for _, m in uses), context,
                             f"{doc.id}#p-{span.paragraph}"))
    return sorted(out, key=lambda c: (-c.mentions, -c.documents, c.name))
