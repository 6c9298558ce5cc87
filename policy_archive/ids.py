"""The one pattern every name that becomes part of a URL or a file name must match.

Document ids (``<seed stem>-<n>``), seed stems, lexicon slugs, hashed slugs (``p-…``,
``c-…``) and years are path segments of the site's URLs and names of files in docs/. They
are checked against one pattern where they enter the archive (ingest for seed names, the
lexicon loaders for slugs), so nothing downstream has to wonder whether a name could carry
markup, a path separator or a quote: ASCII letters and digits, ``_`` and ``-``, starting with
a letter or digit, at most ``MAX_SEGMENT`` characters.
"""

from __future__ import annotations

import re

MAX_SEGMENT = 120
# A seed's stem is a segment short enough to leave room for the article number of an id.
MAX_SEED_STEM = 100


def segment_pattern(max_length: int) -> str:
    """The one pattern, with a length bound.

    >>> segment_pattern(3)
    '[A-Za-z0-9][A-Za-z0-9_-]{0,2}'
    """
    return rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{max_length - 1}}}"


SEGMENT_PATTERN = segment_pattern(MAX_SEGMENT)
SEGMENT_RE = re.compile(SEGMENT_PATTERN)
# What the rule says in an error message, for a contributor who has to rename a file.
SEGMENT_RULE = (f"ASCII letters, digits, '_' and '-', starting with a letter or digit, "
                f"at most {MAX_SEGMENT} characters")


class UnsafeNameError(ValueError):
    """A name that would become a URL segment or file name does not match ``SEGMENT_RE``."""


def is_segment(value: object) -> bool:
    """True when ``value`` may stand as one URL path segment and file name.

    >>> is_segment("000_f73564b879444066-2"), is_segment("p-43ccf9b9"), is_segment("2024")
    (True, True, True)
    >>> is_segment("a b"), is_segment(".hidden"), is_segment("x/y"), is_segment("标题")
    (False, False, False, False)
    >>> is_segment("x)<img src=x onerror=alert(1)>"), is_segment("-leading")
    (False, False)
    """
    return isinstance(value, str) and SEGMENT_RE.fullmatch(value) is not None


def check_segment(value: object, what: str) -> str:
    """``value`` if it is a safe segment; otherwise ``UnsafeNameError`` saying what it is.

    >>> check_segment("sichuan-provincial-committee", "slug")
    'sichuan-provincial-committee'
    >>> check_segment('q" onfocus="alert(1)', "document id")
    Traceback (most recent call last):
    ...
    policy_archive.ids.UnsafeNameError: document id 'q" onfocus="alert(1)' may hold only ASCII letters, digits, '_' and '-', starting with a letter or digit, at most 120 characters
    """
    if not is_segment(value):
        msg = f"{what} {ascii_repr(value)} may hold only {SEGMENT_RULE}"
        raise UnsafeNameError(msg)
    return str(value)


def ascii_repr(value: object) -> str:
    """A name quoted for an error message, printable whatever bytes or controls it holds.

    Non-ASCII letters stay readable; controls, bidi marks and undecodable bytes (file
    names read with ``surrogateescape``) are written as escapes, so the message itself can
    neither fail to print nor reorder the terminal line.

    >>> print(ascii_repr("会议\\u202e.txt"), ascii_repr("a\\udcff.txt"))
    '会议\\u202e.txt' 'a\\udcff.txt'
    """
    text = str(value)
    out = []
    for ch in text:
        code = ord(ch)
        if ch.isprintable() and not 0xD800 <= code <= 0xDFFF and ch not in "\\'":
            out.append(ch)
        elif ch in "\\'":
            out.append("\\" + ch)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return "'" + "".join(out) + "'"
