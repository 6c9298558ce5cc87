"""The import graph of policy_archive flows one way: each module imports only its own stage
and earlier ones, and no two modules import each other (directly or round a loop).

The stages, in the order data flows through them; a module belongs to the first entry its
dotted name starts with. Function-level imports count too: a late import is still a
dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "policy_archive"
STAGES = [
    # Shared foundations: character classes, names, the bounded YAML reader, data files,
    # script conversion, the site contract and the document model.
    ("policy_archive.text", "policy_archive.ids", "policy_archive.site_contract",
     "policy_archive.yamlfile", "policy_archive.datafiles", "policy_archive.script",
     "policy_archive.model"),
    ("policy_archive.ingest",),
    ("policy_archive.clean",),
    ("policy_archive.split",),
    ("policy_archive.extract",),
    ("policy_archive.corrections",),
    ("policy_archive.verify", "policy_archive.cache", "policy_archive.seen",
     "policy_archive.registry", "policy_archive.pipeline"),
    ("policy_archive.render",),
    ("policy_archive.errors",),
    ("policy_archive.summary", "policy_archive.cli"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    for number, prefixes in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    msg = f"{module} belongs to no stage: add it to STAGES"
    raise AssertionError(msg)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports (``from a import b`` counts ``a.b``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n for n in names if n in modules}
    found.discard("policy_archive")  # the package itself holds nothing
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imports(path, set(paths)) - {name} for name, path in paths.items()}


def test_every_module_belongs_to_a_stage():
    for module in graph():
        if module != "policy_archive":
            stage_of(module)


def test_no_module_imports_a_later_stage():
    backwards = [
        f"{module} (stage {stage_of(module)}) imports {dep} (stage {stage_of(dep)})"
        for module, deps in sorted(graph().items()) if module != "policy_archive"
        for dep in sorted(deps) if stage_of(dep) > stage_of(module)
    ]
    assert backwards == []


def test_no_import_loops():
    edges = graph()
    done: set[str] = set()
    loops = []

    def visit(module: str, path: list[str]) -> None:
        # Depth first; a module already on the path closes a loop. Each module is explored
        # once, so this is linear in the graph.
        for dep in sorted(edges.get(module, ())):
            if dep in path:
                loops.append(" → ".join([*path[path.index(dep):], dep]))
            elif dep not in done:
                visit(dep, [*path, dep])
        done.add(module)

    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    assert loops == []


def test_the_checks_see_a_backward_import():
    # The checks above would pass on an empty graph: make sure they read real edges.
    edges = graph()
    assert "policy_archive.model" in edges["policy_archive.extract"]
    assert stage_of("policy_archive.render.escape") > stage_of("policy_archive.extract.bodies")
