"""What a change does to the archive, as Markdown for a pull request (``--summary``).

A pull request that edits a corrections file or a lexicon changes generated pages, and a
reviewer should not have to read raw page diffs to see what that means. This builds the
archive from the working tree (seeds, corrections, data files) in memory and compares it
with the dataset ``docs/data/documents.json`` as it is at a base revision (``git show``) or
in a given file: documents added, removed and changed; each changed field with before and
after; new or dropped collation notes with their reasons; paragraphs changed, as a short
inline diff.

    python -m policy_archive.summary --base origin/main     # CI: against the target branch
    python -m policy_archive.summary --base-file old/documents.json
    python build_archive.py --summary origin/main            # the same, from the build script
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from policy_archive.errors import EXPECTED_ERRORS
from policy_archive.pipeline import build_documents
from policy_archive.registry import load
from policy_archive.render.dataset import document_record

# Record keys shown as their own sections rather than in the field table.
_TEXT_KEYS = ("paragraphs", "paragraphs_original")
_NOTE_KEY = "corrections"
# Long values are cut in the table; the page itself has the full text.
CELL_LIMIT = 120
CONTEXT = 12  # characters shown on each side of a change inside a paragraph
MAX_PARAGRAPH_LINES = 8  # per document, so one big change does not drown the others


class SummaryError(ValueError):
    """The base dataset cannot be read (bad revision, not a dataset)."""


def base_from_git(rev: str, docs: Path = Path("docs")) -> dict[str, Any] | None:
    """The dataset at git revision ``rev``, or None when the revision has no dataset yet."""
    spec = f"{rev}:./{(docs / 'data' / 'documents.json').as_posix()}"
    done = subprocess.run(["git", "show", spec], capture_output=True, check=False)
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        if "does not exist" in err or "exists on disk, but not in" in err:
            return None
        msg = f"git show {spec}: {err or 'failed'}"
        raise SummaryError(msg)
    return _parse_dataset(done.stdout.decode("utf-8"), spec)


def base_from_file(path: Path) -> dict[str, Any] | None:
    """The dataset in a file, or in ``<path>/data/documents.json`` for a docs folder."""
    if path.is_dir():
        path = path / "data" / "documents.json"
    if not path.is_file():
        return None
    return _parse_dataset(path.read_text(encoding="utf-8"), str(path))


def _parse_dataset(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{where}: not JSON: {exc}"
        raise SummaryError(msg) from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        msg = f"{where}: not an archive dataset (no 'documents' list)"
        raise SummaryError(msg)
    return data


def current_records(seeds: Path, docs: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The dataset records the working tree produces, and the build's warnings; with
    ``docs``, ids assigned from its registry of permanent ids, as the build assigns them."""
    result = build_documents(seeds, published=load(docs) if docs is not None else ())
    # Through JSON, so values compare exactly as they would after a build (tuples → lists).
    records = [json.loads(json.dumps(document_record(d), ensure_ascii=False))
               for d in result.documents]
    return records, result.warnings


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ") if text else "—"


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """Fields to compare, nested mappings (source) flattened to source.lines etc."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in _TEXT_KEYS or key == _NOTE_KEY:
            continue
        if isinstance(value, dict):
            for sub, inner in value.items():
                out[f"{key}.{sub}"] = inner
        else:
            out[key] = value
    return out


def inline_diff(before: str, after: str) -> str:
    """One line showing what changed inside a paragraph, with a little context.

    >>> inline_diff("推动各项工作取得实绩实效。", "推动各项工作取得实绩成效。")
    '推动各项工作取得实绩[-实-]{+成+}效。'
    """
    out = []
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            text = before[i1:i2]
            first, last = n == 0, n == len(ops) - 1
            if first and len(text) > CONTEXT:
                text = "…" + text[-CONTEXT:]
            elif last and len(text) > CONTEXT:
                text = text[:CONTEXT] + "…"
            elif not (first or last) and len(text) > 2 * CONTEXT:
                text = f"{text[:CONTEXT]}…{text[-CONTEXT:]}"
            out.append(text)
        else:
            if i2 > i1:
                out.append(f"[-{before[i1:i2]}-]")
            if j2 > j1:
                out.append(f"{{+{after[j1:j2]}+}}")
    return "".join(out)


def paragraph_changes(before: list[str], after: list[str]) -> list[str]:
    """Short lines saying which paragraphs changed (numbers as on the page, #p-N)."""
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            lines.append(f"p-{j1 + k + 1}: {inline_diff(before[i1 + k], after[j1 + k])}")
        for k in range(i1 + pairs, i2):
            lines.append(f"removed p-{k + 1} (before): {_cell(before[k])}")
        for k in range(j1 + pairs, j2):
            lines.append(f"added p-{k + 1}: {_cell(after[k])}")
    if len(lines) > MAX_PARAGRAPH_LINES:
        rest = len(lines) - MAX_PARAGRAPH_LINES
        lines = [*lines[:MAX_PARAGRAPH_LINES], f"… and {rest} more"]
    return lines


def _note_text(note: dict[str, Any]) -> str:
    what = note.get("field") or f"fix ({note.get('fix')})"
    change = f"{_cell(note.get('before'))} → {_cell(note.get('after'))}"
    return f"{what}: {change} — {note.get('reason', '')}"


def _title(record: dict[str, Any]) -> str:
    return f"`{record['id']}` {_cell(record.get('title'))}"


def summarize(base: dict[str, Any] | None, records: list[dict[str, Any]],
              base_label: str, warnings: list[str] = ()) -> str:
    """The Markdown summary of the change from ``base`` to ``records``."""
    old = {r["id"]: r for r in (base or {}).get("documents", [])}
    new = {r["id"]: r for r in records}
    added = [i for i in sorted(new) if i not in old]
    removed = [i for i in sorted(old) if i not in new]
    changed = [i for i in sorted(new) if i in old and old[i] != new[i]]
    out = ["## Archive changes · 档案变更", ""]
    if base is None:
        out += [f"No dataset at `{base_label}`: every document is new.", ""]
    out += [f"Compared with `{base_label}`: {len(old)} → {len(new)} documents; "
            f"{len(added)} added, {len(removed)} removed, {len(changed)} changed, "
            f"{len(new) - len(added) - len(changed)} unchanged.", ""]
    if warnings:
        out += ["**Build warnings:**", "", *[f"- {w}" for w in warnings], ""]
    if added:
        out += ["### Added", ""]
        out += [f"- {_title(new[i])} ({new[i].get('date') or 'no date'})" for i in added]
        out.append("")
    if removed:
        out += ["### Removed", ""]
        out += [f"- {_title(old[i])}" for i in removed]
        out.append("")
    for doc_id in changed:
        out += _document_changes(old[doc_id], new[doc_id])
    if not (added or removed or changed):
        out += ["The archive's documents are unchanged.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _document_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = [f"### Changed: {_title(after)}", ""]
    flat_before, flat_after = _flat(before), _flat(after)
    keys = [k for k in flat_after if flat_before.get(k) != flat_after[k]]
    keys += [k for k in flat_before if k not in flat_after]
    if keys:
        out += ["| field | before | after |", "| --- | --- | --- |"]
        out += [f"| {k} | {_cell(flat_before.get(k))} | {_cell(flat_after.get(k))} |"
                for k in keys]
        out.append("")
    notes_before = before.get(_NOTE_KEY) or []
    notes_after = after.get(_NOTE_KEY) or []
    new_notes = [n for n in notes_after if n not in notes_before]
    gone_notes = [n for n in notes_before if n not in notes_after]
    if new_notes or gone_notes:
        out += ["Collation notes (校勘记):", ""]
        out += [f"- new: {_note_text(n)}" for n in new_notes]
        out += [f"- dropped: {_note_text(n)}" for n in gone_notes]
        out.append("")
    for key in _TEXT_KEYS:
        lines = paragraph_changes(before.get(key) or [], after.get(key) or [])
        if lines:
            label = "Paragraphs" if key == "paragraphs" else "Original-script paragraphs"
            out += [f"{label}:", "", "```text", *lines, "```", ""]
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m policy_archive.summary",
        description="Markdown summary of what the working tree changes in the archive.",
    )
    base = p.add_mutually_exclusive_group(required=True)
    base.add_argument("--base", metavar="REV",
                      help="git revision whose docs/data/documents.json is the 'before'")
    base.add_argument("--base-file", type=Path, metavar="PATH",
                      help="a documents.json (or a docs folder) that is the 'before'")
    p.add_argument("--seeds", type=Path, default=Path("seeds"),
                   help="folder of seeds and corrections files (default: seeds)")
    p.add_argument("--docs", type=Path, default=Path("docs"),
                   help="docs folder, for the dataset path inside the revision (default: docs)")
    return p


def run(base_spec: str | None, base_file: Path | None, seeds: Path, docs: Path) -> str:
    """Build, load the base, and return the summary (errors propagate to the caller)."""
    if base_file is not None:
        base, label = base_from_file(base_file), str(base_file)
    else:
        assert base_spec is not None
        base, label = base_from_git(base_spec, docs), base_spec
    records, warnings = current_records(seeds, docs)
    return summarize(base, records, label, warnings)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        text = run(args.base, args.base_file, args.seeds, args.docs)
    except (*EXPECTED_ERRORS, SummaryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
