"""What the matches of a regular expression must hold: the characters they start with, and
a literal they contain.

Python's engine tries a pattern at every position of a text. A pattern that opens with an
optional part (a place before a title: ``(?:四川)?省委书记``, a session before a body) gives it
no first character to look for, so it runs the whole pattern at each position, and the
lexicon patterns of people and bodies were most of the cost of extraction. A lookahead of
the characters a match can start with (``(?=[四省])``) lets it skip the rest cheaply, and
changes no match: every match starts with one of them. A text that holds none of the
literals every match contains (``届人民代表大会``) need not be searched at all.

Both are read from the parsed pattern (``re._parser``, the standard library's own parser);
a pattern it cannot read for certain (a negated class, a wildcard, a pattern that can match
the empty string, an unfamiliar construct or Python version) gets no hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policy_archive.text import LazyPattern

# Above this many alternatives a class is no cheaper than the pattern itself.
MAX_CLASS_ITEMS = 256


def with_first_characters(pattern: str) -> str:
    """``pattern`` with a lookahead of the characters its matches start with, where they can
    be known; else ``pattern`` unchanged.

    >>> with_first_characters("(?:四川|重庆)?(?P<role>副?省长)")
    '(?=[四重副省])(?:(?:四川|重庆)?(?P<role>副?省长))'
    >>> with_first_characters("(?<![甲])[一-十\\\\d]+届")
    '(?=[一-十\\\\d])(?:(?<![甲])[一-十\\\\d]+届)'
    >>> with_first_characters("a*"), with_first_characters("[^a]b"), with_first_characters(".x")
    ('a*', '[^a]b', '.x')

    A pattern that opens with a literal, or a choice of literals, is left as it is: the
    engine looks for those characters itself, several times faster than a lookahead lets it
    (38 µs against 2 µs for ``(?:中共|中国共产党)…`` over a document).

    >>> with_first_characters("(?:中共|中国共产党)(?P<place>[一-龥]{2,8})委"), with_first_characters("政协X")
    ('(?:中共|中国共产党)(?P<place>[一-龥]{2,8})委', '政协X')
    """
    try:
        if _opens_with_literals(pattern):
            return pattern
        items = _first_items(pattern)
    except Exception:  # an unfamiliar construct or parser: no shortcut, the same matches
        return pattern
    if not items or len(items) > MAX_CLASS_ITEMS:
        return pattern
    return f"(?=[{''.join(items)}])(?:{pattern})"


def _opens_with_literals(pattern: str) -> bool:
    """Whether the engine finds where matches may start by itself: the pattern opens (maybe
    inside groups without flags) with a literal or a choice of literal-led alternatives."""
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.state.flags & ~c.SRE_FLAG_UNICODE:
        return False
    data = parsed.data
    while data:
        op, av = data[0]
        if op is c.LITERAL:
            return True
        if op is c.BRANCH:
            return all(branch and branch[0][0] is c.LITERAL for branch in av[1])
        if op is not c.SUBPATTERN or av[1] or av[2]:
            return False
        data = av[3].data
    return False


def _first_items(pattern: str) -> list[str] | None:
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.state.flags & ~c.SRE_FLAG_UNICODE:
        return None  # case-insensitive, verbose …: not worth reading
    categories = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D",
                  c.CATEGORY_SPACE: r"\s", c.CATEGORY_NOT_SPACE: r"\S",
                  c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}

    def escape(code: int) -> str:
        return re.escape(chr(code))  # escapes ] ^ - and \\ too, as a class needs

    def in_class(av) -> list[str] | None:
        out = []
        for op, value in av:
            if op is c.LITERAL:
                out.append(escape(value))
            elif op is c.RANGE:
                out.append(f"{escape(value[0])}-{escape(value[1])}")
            elif op is c.CATEGORY and value in categories:
                out.append(categories[value])
            else:
                return None  # a negated class and the like
        return out

    def first(data) -> tuple[list[str] | None, bool]:
        """The first items of a sequence, and whether it can match the empty string."""
        out: list[str] = []
        for op, av in data:
            if op is c.LITERAL:
                return [*out, escape(av)], False
            if op is c.IN:
                items = in_class(av)
                return (None, False) if items is None else ([*out, *items], False)
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # consumes nothing: the next item starts the match
            if op is c.SUBPATTERN:
                if av[1] or av[2]:
                    return None, False  # flags set inside the group
                inner = [av[3]]
            elif op is c.ATOMIC_GROUP:
                inner = [av]
            elif op is c.BRANCH:
                inner = av[1]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                inner = [av[2]]
            else:
                return None, False
            empty = False
            for part in inner:
                items, part_empty = first(part)
                if items is None:
                    return None, False
                out += items
                empty = empty or part_empty
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] == 0:
                empty = True
            if not empty:
                return out, False
        return out, True

    items, empty = first(parsed.data)
    if items is None or empty:
        return None  # a match may start anywhere, or be empty
    return list(dict.fromkeys(items))


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals of which every match of ``pattern`` contains one, or None if none is known:
    a text holding none of them has no match.

    >>> required_literals("(?P<place>[一-龥]{2,8}?)第[一二\\\\d]+届人民代表大会")
    ('届人民代表大会',)
    >>> required_literals("[省市]长(?:办公会|工作例会)")
    ('办公会', '工作例会')
    >>> required_literals("[一二]+"), required_literals("a?b?")
    (None, None)
    """
    try:
        found = _required(pattern)
    except Exception:  # an unfamiliar construct or parser: no hint, the same matches
        return None
    return tuple(sorted(found)) if found else None


def _required(pattern: str) -> frozenset[str] | None:
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.state.flags & ~c.SRE_FLAG_UNICODE:
        return None

    def best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
        # The most telling: the one whose shortest literal is longest.
        return max(candidates, key=lambda lits: min(map(len, lits)), default=None)

    def needs(data) -> frozenset[str] | None:
        """One set of literals of which every match of the sequence holds one."""
        candidates: list[frozenset[str]] = []
        run = ""
        for op, av in data:
            if op is c.LITERAL:
                run += chr(av)
                continue
            if run:
                candidates.append(frozenset([run]))
                run = ""
            if op is c.SUBPATTERN and not (av[1] or av[2]):
                inner = needs(av[3])
            elif op is c.ATOMIC_GROUP:
                inner = needs(av)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                inner = needs(av[2])
            elif op is c.BRANCH:
                branches = [needs(branch) for branch in av[1]]
                inner = None if None in branches else frozenset().union(*branches)
            else:
                inner = None  # optional, a class, an assertion …: nothing required here
            if inner:
                candidates.append(inner)
        if run:
            candidates.append(frozenset([run]))
        return best(candidates)

    return needs(parsed.data)


def with_preceding_characters(pattern: str) -> str:
    """``pattern`` behind a guard of the characters that may stand before a match, where it
    opens with a choice of anchors and lookbehinds (``(?:^|(?<=日，)|(?<=讯))``): one lookbehind
    of a class rejects a position faster than the whole choice, and changes no match, since
    each alternative implies it. Any other pattern is returned unchanged.

    >>> with_preceding_characters("(?:^|(?<=日，)|(?<=讯))某")
    '(?:^|(?<=[，讯]))(?:(?:^|(?<=日，)|(?<=讯))某)'
    >>> with_preceding_characters("(?:^|某)甲"), with_preceding_characters("甲")
    ('(?:^|某)甲', '甲')
    """
    try:
        guard = _guard(pattern)
    except Exception:  # an unfamiliar construct or parser: no guard, the same matches
        return pattern
    return f"{guard}(?:{pattern})" if guard else pattern


def _guard(pattern: str) -> str | None:
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.state.flags & ~(c.SRE_FLAG_UNICODE | c.SRE_FLAG_MULTILINE) or not parsed.data:
        return None
    op, av = parsed.data[0]
    alternatives = av[1] if op is c.BRANCH else [[(op, av)]]
    anchors = {c.AT_BEGINNING: "^", c.AT_BEGINNING_STRING: r"\A"}
    parts: list[str] = []
    chars: list[str] = []
    for alternative in alternatives:
        if len(alternative) != 1:
            return None
        kind, value = alternative[0]
        if kind is c.AT and value in anchors:
            parts.append(anchors[value])
        elif kind is c.ASSERT and value[0] == -1 and len(value[1]) and value[1][-1][0] is c.LITERAL:
            chars.append(re.escape(chr(value[1][-1][1])))
        else:
            return None
    if not chars:
        return None
    parts.append(f"(?<=[{''.join(dict.fromkeys(chars))}])")
    return f"(?:{'|'.join(dict.fromkeys(parts))})"


class Literals:
    """A set of literals to find in texts with one search for all of them.

    ``in_text`` gives the same set as ``{w for w in words if w in text}``: a text is
    searched once, with a pattern whose first characters the engine scans for, rather than
    once per word (most words stand in no text).

    >>> sorted(Literals(["十九届六中全会", "六中全会", "全会", "二十大"]).in_text("十九届六中全会精神"))
    ['全会', '六中全会', '十九届六中全会']
    >>> Literals([]).in_text("会议"), Literals([""]).in_text("会议")
    (frozenset(), frozenset({''}))
    """

    def __init__(self, words: Iterable[str]) -> None:
        words = sorted(set(words))
        self.empty = frozenset(w for w in words if not w)  # "" stands in every text
        self.by_first: dict[str, tuple[str, ...]] = {}
        for word in filter(None, words):
            self.by_first[word[0]] = (*self.by_first.get(word[0], ()), word)
        # Where a word may start: the first three characters of each word (a shorter word
        # whole), of which ``in_text`` checks the words at each place found. Every place a
        # word starts is found, so the words are the same; an alternation of the words
        # themselves took 4 ms to compile (270 event aliases), and searched no faster.
        # (?!) matches nothing: no words.
        starts = sorted({word[:3] for word in words if word})
        self.pattern = re.compile("|".join(map(re.escape, starts)) or "(?!)")

    def in_text(self, text: str) -> frozenset[str]:
        found = set(self.empty)
        match = self.pattern.search(text)
        while match:
            at = match.start()
            # Every word starting here, not only the one matched (overlapping words).
            found.update(w for w in self.by_first[text[at]] if text.startswith(w, at))
            match = self.pattern.search(text, at + 1)
        return frozenset(found)


class DeferredPattern(LazyPattern):
    """A ``LazyPattern`` with its first-character hint (``with_first_characters``), the
    hint too made the first time it is searched.

    For patterns searched only in a text that holds one of their required literals: most
    texts hold none, so most are never compiled. Each set of places a document names makes
    a pattern of its own for every organ of ``bodies``, and compiling the 18 of them took
    10 ms; a pattern holding a Han class takes a millisecond or more (``re`` walks each code
    point of its ranges), which a rebuild after one correction pays for each at its start.

    >>> deferred = DeferredPattern("(?:四川|重庆)省委")
    >>> "finditer" in vars(deferred)
    False
    >>> [m.group() for m in deferred.finditer("四川省委、重庆省委")]
    ['四川省委', '重庆省委']
    >>> "finditer" in vars(deferred), deferred.pattern == with_first_characters("(?:四川|重庆)省委")
    (True, True)
    """

    def _text(self) -> str:
        return with_first_characters(self._written[0])
