"""Reading seeds: bytes → text, with the seed's name, sha256 and line endings made uniform.

Seeds are the untouched record of the source: the build reads them and never writes them.

How a seed's encoding is found (``decode``), in this order; the first rule that applies wins:

1. an ``encoding:`` declared in ``seeds/<stem>.corrections.yml`` (a person's word beats any
   guess); the seed must decode strictly with it;
2. a byte-order mark: UTF-8, UTF-16 LE or BE (UTF-32 marks are checked first, because the
   UTF-32 LE mark begins with the UTF-16 LE one);
3. NUL bytes without a byte-order mark: refused (a binary file, or UTF-16 without a mark);
4. every strict decoding among UTF-8, GB18030 (which covers GBK and GB2312) and Big5
   (``cp950``, Windows' Big5, or ``big5hkscs``), scored by how plausible its characters are
   as Chinese text (``detect``: a character model from word frequencies, in bits):

   - UTF-8 wins when its text is plausible (UTF-8 rarely decodes by accident), or when no
     legacy decoding is both plausible and ``MARGIN_BITS`` better; so GBK bytes that
     happen to be valid UTF-8 (``强省`` as ``ǿʡ``) are read as GBK;
   - otherwise the cheapest plausible legacy decoding wins if it is ``MARGIN_BITS``
     better than the other family's; when GB18030 and Big5 are both plausible and close
     (a few characters), the seed is refused and the message asks for a declared encoding;
   - then every line is checked on its own: a line the chosen encoding reads implausibly
     (or not at all) while another reads it well is refused as *mixed encodings*, naming
     the line, rather than published as mojibake.

   When nothing decodes, or nothing plausibly, the seed is refused, and the message asks
   for a declared encoding.

Measured on short samples of real texts by ``benchmarks/encodings.py``.

After decoding, a seed holding a character no archive text may hold
(``policy_archive.text.forbidden_character``: controls other than tab, line feed, carriage
return and form feed, and bidirectional controls) is refused; CRLF and lone CR become LF,
and a form feed (a page break from PDF-to-text tools) becomes a space, so line numbers stay
the editor's.

What a seed may be: a regular file directly inside the seeds folder (no symbolic link, no
folder, no device; ``open_regular_file``) whose name matches ``SEED_NAME_RE``
(``validate_seed_name``): the name becomes the document ids, page file names and URLs, so
it is held to a pattern that is safe in all of them. The same file check applies to a
seed's corrections file before it is read.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from policy_archive.ids import MAX_SEED_STEM, segment_pattern
from policy_archive.ingest import detect
from policy_archive.text import forbidden_character
from policy_archive.yamlfile import read_yaml


class SeedError(ValueError):
    """A seed cannot be read; the message names the file (and the line where there is one)."""


# One seed is one printed page or web page; the largest real seed is 54 KB. The build keeps
# every document in memory (the listing and the dataset need them all), so a seed is capped
# well below what would exhaust memory; a longer source is split into several seeds.
MAX_SEED_BYTES = 4 * 1024 * 1024
# A folder of seeds is capped too. Memory grows with the seeds (benchmarks/build_limits.py:
# 1,000 seeds of 18 KB peak at 245 MiB, 10,000 at 1.2 GiB, in 3.5 minutes on 2 cores), so past
# the measured size the build refuses to start rather than exhaust a CI machine's memory.
MAX_SEEDS = 10_000

# The one pattern a seed's file name must match. The stem becomes document ids
# (``<stem>-<n>``), page file names and URLs, and MkDocs drops pages whose names start
# with a dot, so: ASCII letters, digits, "_" and "-", starting with a letter or digit, and
# short enough that ``<stem>-<n>.md`` stays far below the 255-byte limit of file names.
# Matched whole (``fullmatch``), so no trailing newline slips through as ``$`` would let it.
SEED_NAME_RE = re.compile(segment_pattern(MAX_SEED_STEM) + r"\.txt")
SEED_NAME_RULE = ("seed file names may hold only ASCII letters, digits, '_' and '-', start "
                  "with a letter or digit, and have at most 100 characters before '.txt'")
CORRECTIONS_SUFFIX = ".corrections.yml"
_REGULAR_ONLY = "seeds and corrections files must be regular files in the seeds folder"

# Encodings a seed may declare: text encodings only. codecs.lookup also knows bytes-to-bytes
# codecs (hex, base64, zlib, rot13, uu) and others (punycode, idna) that no seed is in.
TEXT_ENCODINGS = (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
    "utf-32-be", "gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs",
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Seed:
    path: Path
    name: str  # file name, e.g. 000_f73564b879444066.txt
    stem: str
    sha256: str
    text: str  # decoded, line endings as \n
    encoding: str


def _line_of(raw: bytes, offset: int, unit: bytes = b"\n") -> int:
    """1-based line of a byte offset, counting CRLF, CR and LF as the build does.

    >>> _line_of(b"a\\r\\nb\\rc\\nd", 7)
    4
    """
    prefix = raw[:offset]
    if unit == b"\n":
        prefix = prefix.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return prefix.count(unit) + 1


def _declared_path(name: str) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}{CORRECTIONS_SUFFIX}"))


def decode(raw: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode a seed's bytes; return the text and the encoding used (see the module doc).

    >>> decode("会议".encode(), "x.txt")
    ('会议', 'utf-8')
    >>> decode("會議指出".encode("big5"), "x.txt")
    ('會議指出', 'cp950')
    >>> decode("强省".encode("gbk"), "x.txt")  # also valid UTF-8: 'ǿʡ'
    ('强省', 'gb18030')
    >>> decode("会议召开。\\n会议指出。\\n".encode("gbk") + "會議強調。\\n".encode("big5"), "x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: x.txt:3: mixed encodings: this line reads as Big5 but the file as GB18030; save the whole file in one encoding (UTF-8)
    >>> decode(codecs.BOM_UTF16_LE + "会议".encode("utf-16-le"), "x.txt")
    ('会议', 'utf-16-le')
    >>> decode(b"\\x81\\x30", "seeds/x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: seeds/x.txt is neither UTF-8 nor GB18030 (invalid UTF-8 on line 1); declare its encoding in seeds/x.corrections.yml
    """
    if declared:
        return _decode_declared(raw, name, declared), text_encoding(declared)
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                unit = "\n".encode(encoding)
                line = _line_of(raw[len(bom) :], exc.start, unit)
                msg = f"{name}:{line}: starts with a {encoding} byte-order mark but is not valid {encoding}"
                raise SeedError(msg) from exc
    if b"\x00" in raw:
        line = _line_of(raw, raw.index(b"\x00"))
        msg = (f"{name}:{line}: holds NUL bytes: a binary file, or UTF-16 without a byte-order "
               f"mark (declare its encoding in {_declared_path(name)})")
        raise SeedError(msg)
    text = detect.plainly_utf8(raw)
    if text is not None:
        return text, "utf-8"
    reading = _detected(raw, name)
    mixed = detect.line_read_otherwise(raw, reading.encoding, reading)
    if mixed is not None:
        raise SeedError(_mixed_encodings(name, *mixed, f"the file as {reading.family}"))
    return reading.text, reading.encoding


def _mixed_encodings(name: str, line: int, other: detect.Reading, rest: str) -> str:
    return (f"{name}:{line}: mixed encodings: this line reads as {other.family} but {rest}; "
            "save the whole file in one encoding (UTF-8)")


def _detected(raw: bytes, name: str) -> detect.Reading:
    """The decoding detection chooses (see the module doc), or SeedError naming the problem."""
    utf8 = detect.read_as(raw, "utf-8")
    if utf8 is not None and utf8.plausible:
        return utf8
    legacy = sorted((r for r in detect.readings(raw, detect.LEGACY) if r.plausible),
                    key=lambda r: r.bits)
    if utf8 is not None and (not legacy or utf8.bits - legacy[0].bits < detect.MARGIN_BITS):
        return utf8
    if not legacy:
        raise SeedError(_mixed_message(raw, name) or _undetected_message(raw, name))
    if len(legacy) > 1 and legacy[1].bits - legacy[0].bits < detect.MARGIN_BITS:
        msg = _mixed_message(raw, name) or (
            f"{name} reads as {legacy[0].family} and as {legacy[1].family} alike (too little "
            f"text to tell them apart); declare its encoding in {_declared_path(name)}")
        raise SeedError(msg)
    return legacy[0]


def _mixed_message(raw: bytes, name: str) -> str | None:
    """When the file as a whole reads in no encoding, or in two alike: the first line in
    another encoding than the lines before it, if there is one."""
    first = next(detect.lines(raw), None)
    plausible = [r for r in detect.readings(first[1]) if r.plausible] if first else []
    if not plausible:
        return None
    start = min(plausible, key=lambda r: r.bits)
    mixed = detect.line_read_otherwise(raw, start.encoding)
    if mixed is None:
        return None
    return _mixed_encodings(name, *mixed, f"the lines before it as {start.family}")


def _undetected_message(raw: bytes, name: str) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8 = f"invalid UTF-8 on line {_line_of(raw, exc.start)}"
    else:
        utf8 = "its UTF-8 reading is not Chinese text"
    return (f"{name} is neither UTF-8 nor GB18030 ({utf8}); declare its encoding in "
            f"{_declared_path(name)}")


def text_encoding(name: str) -> str:
    """The normalised name of an encoding a seed may declare; SeedError for any other.

    >>> text_encoding("GBK"), text_encoding("utf8"), text_encoding("big5-tw")
    ('gbk', 'utf-8', 'big5')
    >>> text_encoding("hex")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: 'hex' is not a text encoding the archive reads; use one of utf-8, utf-8-sig, utf-16, utf-16-le, utf-16-be, utf-32, utf-32-le, utf-32-be, gb18030, gbk, gb2312, big5, cp950, big5hkscs
    """
    try:
        normalised = codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        normalised = None
    if normalised not in TEXT_ENCODINGS:
        msg = (f"{name!a} is not a text encoding the archive reads; use one of "
               f"{', '.join(TEXT_ENCODINGS)}")
        raise SeedError(msg)
    return normalised


def _decode_declared(raw: bytes, name: str, declared: str) -> str:
    try:
        text_encoding(declared)
    except SeedError as exc:
        # The corrections stage names the line of the key; this is the fallback.
        msg = f"{_declared_path(name)}: encoding: {exc}"
        raise SeedError(msg) from None
    try:
        return raw.decode(declared)
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        msg = f"{name}:{line}: not valid {declared} (declared in {_declared_path(name)})"
        raise SeedError(msg) from exc


def check_text(text: str, name: str) -> None:
    r"""Refuse decoded text holding a character no archive text may hold (see ``text``).

    >>> check_text("a\tb\r\n\f", "x.txt")
    >>> check_text("a\nb\x01", "x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: x.txt:2:2: control character U+0001: a binary file, or text converted with the wrong encoding
    >>> check_text("会议\r\n审\u202e议", "x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: x.txt:2:2: bidirectional control U+202E: it makes text display in another order than it reads; remove it
    """
    found = forbidden_character(text)
    if found is None:
        return
    line, column, description = found
    why = ("it makes text display in another order than it reads; remove it"
           if description.startswith("bidirectional") else
           "a binary file, or text converted with the wrong encoding")
    msg = f"{name}:{line}:{column}: {description}: {why}"
    raise SeedError(msg)


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR become LF; a form feed (page break) becomes a space.

    >>> normalize_newlines("a\r\nb\rc\fd")
    'a\nb\nc d'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", " ")


def declared_encoding(path: Path) -> str | None:
    """The ``encoding:`` a person declared for a seed in its corrections file, or None.

    Ingest owns this key (the rest of the corrections file is the corrections stage's): a
    seed whose encoding cannot be detected is decoded with the encoding declared beside it.
    The file is read by the bounded reader, and the name must be a text encoding
    (``text_encoding``), so a typo or ``hex`` stops the build naming the key's line.
    """
    corrections = path.with_name(f"{path.stem}{CORRECTIONS_SUFFIX}")
    if not corrections.exists() and not corrections.is_symlink():
        return None
    check_corrections_file(path)
    tree = read_yaml(corrections, display_path(corrections), error_class=SeedError)
    value = tree.data.get("encoding") if isinstance(tree.data, dict) else None
    if value is None:
        return None
    if not isinstance(value, str):
        raise tree.error(("encoding",), "must be an encoding name such as gb18030")
    try:
        return text_encoding(value)
    except SeedError as exc:
        raise tree.error(("encoding",), str(exc)) from None


def display_path(path: Path) -> str:
    """A path as a contributor types it: relative to the working folder where possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def safe_text(text: str) -> str:
    r"""Text safe to print in a one-line message: printable ASCII as is, anything else escaped.

    A byte of a file name that is not UTF-8 (``os.fsdecode`` keeps it as a surrogate) is
    shown as the byte, ``\xNN``; control, bidirectional and other non-ASCII characters as
    ``ascii()`` shows them, so a hostile name cannot rewrite the terminal it is printed on.

    >>> safe_text("a b<c>.txt"), safe_text("会\n.txt"), safe_text(os.fsdecode(b"caf\xe9"))
    ('a b<c>.txt', '\\u4f1a\\n.txt', 'caf\\xe9')
    """
    out = []
    for ch in text:
        if " " <= ch <= "~" and ch != "\\":
            out.append(ch)
        elif "\udc80" <= ch <= "\udcff":  # a byte os.fsdecode could not decode
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ascii(ch)[1:-1])
    return "".join(out)


def validate_seed_name(path: Path | str) -> str:
    """The stem of a seed's file name that matches ``SEED_NAME_RE``; SeedError otherwise.

    The message names the path as given, made safe to print (``safe_text``).

    >>> validate_seed_name("seeds/000_f73564b879444066.txt"), validate_seed_name("a-b_c.txt")
    ('000_f73564b879444066', 'a-b_c')
    >>> validate_seed_name("seeds/.x.txt")
    Traceback (most recent call last):
    ...
    policy_archive.ingest.SeedError: seeds/.x.txt: seed file names may hold only ASCII letters, digits, '_' and '-', start with a letter or digit, and have at most 100 characters before '.txt'; rename the file
    """
    name = os.fsdecode(path)
    base = name.rsplit("/", 1)[-1]
    if not SEED_NAME_RE.fullmatch(base):
        msg = f"{safe_text(name)}: {SEED_NAME_RULE}; rename the file"
        raise SeedError(msg)
    return base[: -len(".txt")]


def open_regular_file(folder: Path, path: Path) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file directly inside ``folder``.

    Refused, naming the file: a symbolic link (to a file or a folder, dangling or not), a
    folder, a device or pipe, anything resolving outside ``folder``. The check is made on the
    open file itself (``O_NOFOLLOW``, then ``fstat``), so the file checked is the file read.
    Seeds and their corrections files are read through this.
    """
    if not _directly_inside(folder, path):
        msg = (f"{_shown(path)}: not inside {safe_text(os.fsdecode(folder))}; "
               "seeds are read from there only")
        raise SeedError(msg)
    if path.is_symlink():
        msg = f"{_shown(path)}: is a symbolic link; {_REGULAR_ONLY}"
        raise SeedError(msg)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        msg = f"{_shown(path)}: cannot be read ({exc.strerror})"
        raise SeedError(msg) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        msg = f"{_shown(path)}: is not a regular file; {_REGULAR_ONLY}"
        raise SeedError(msg)
    return os.fdopen(fd, "rb")


_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_BINARY", 0)


def _shown(path: Path) -> str:
    return safe_text(os.fsdecode(path))


def _directly_inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` names an entry of ``folder`` itself.

    A path made from the folder (``folder / name``, as every seed's is) is inside it as
    written; only another spelling is resolved, which costs more than reading a seed.

    >>> _directly_inside(Path("seeds"), Path("seeds/a.txt"))
    True
    >>> _directly_inside(Path("seeds"), Path("seeds/..")), _directly_inside(Path("a"), Path("b/x"))
    (False, False)
    """
    if path.name in {"", ".", ".."}:
        return False
    return path.parent == folder or path.parent.resolve() == folder.resolve()


def check_corrections_file(seed_path: Path) -> None:
    """Refuse a seed's corrections file that exists but is not a regular file of the folder.

    Checked before anything reads it (the declared encoding, the corrections stage), so a
    symbolic link there is an error rather than a file read from elsewhere, or one ignored.
    """
    path = seed_path.with_name(seed_path.name[: -len(".txt")] + CORRECTIONS_SUFFIX)
    if os.path.lexists(path):
        open_regular_file(seed_path.parent, path).close()


def read_seed(path: Path) -> Seed:
    """Read one seed file; refuse one larger than ``MAX_SEED_BYTES`` before reading it."""
    stem = validate_seed_name(path)
    with open_regular_file(path.parent, path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_SEED_BYTES:
            msg = (f"{path} is {size:,} bytes; a seed may hold at most {MAX_SEED_BYTES:,} bytes "
                   f"({MAX_SEED_BYTES // 2**20} MiB): split the source into several seeds")
            raise SeedError(msg)
        raw = handle.read()
    check_corrections_file(path)
    text, encoding = decode(raw, str(path), declared_encoding(path))
    check_text(text, str(path))
    return Seed(
        path=path,
        name=path.name,
        stem=stem,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=normalize_newlines(text),
        encoding=encoding,
    )


def seed_paths(seeds_dir: Path) -> list[Path]:
    """The seed files of a folder (``*.txt``), in name order; at most ``MAX_SEEDS``.

    Every ``*.txt`` entry is a seed: one with a name outside ``SEED_NAME_RE``, or that is
    not a regular file (a symbolic link, a folder), stops the build rather than being
    skipped. Other entries (corrections files, a README) are not seeds.
    """
    if not seeds_dir.is_dir():
        msg = f"{seeds_dir}: no such folder of seeds"
        raise SeedError(msg)
    # Sorted as bytes: a name that is not UTF-8 (held as surrogates) is listed and refused,
    # never a reason for a UnicodeEncodeError.
    paths = sorted((p for p in seeds_dir.iterdir() if p.name.endswith(".txt")),
                   key=lambda p: os.fsencode(p.name))
    if len(paths) > MAX_SEEDS:
        msg = (f"{seeds_dir} holds {len(paths):,} seeds; one build takes at most {MAX_SEEDS:,} "
               "(every document is kept in memory to write the listing and the dataset)")
        raise SeedError(msg)
    for path in paths:
        validate_seed_name(path)
        open_regular_file(seeds_dir, path).close()
    return paths
