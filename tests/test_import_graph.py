"""The import graph between service packages: no package may join an import cycle, and the cycles there are
(issue 19: being taken apart) may only shrink. Function-level imports count too: they hide a cycle, not remove it."""

from __future__ import annotations

import ast
from collections import defaultdict

from service.config import ROOT

SERVICE = ROOT / "service"

# The packages in import cycles today, as one strongly connected group: remove a name when its package leaves the
# cycle (the test says so), never add one. New packages must stay out.
IN_CYCLES_TODAY = {
    "aktindsigt", "cases", "committee", "deadlines", "dokumenter", "inbox", "indsatsvifte", "ledelsesinformation",
    "letters", "notifications", "parter", "process_models", "webapp",
}


def _package_graph() -> dict[str, set[str]]:
    packages = {p.name for p in SERVICE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"migrations"}
    edges: dict[str, set[str]] = defaultdict(set)
    for package in packages:
        for path in (SERVICE / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # every import, at any depth
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "service" and len(parts) > 1 and parts[1] in packages and parts[1] != package:
                        edges[package].add(parts[1])
        edges.setdefault(package, set())
    return edges


def _cyclic(edges: dict[str, set[str]]) -> set[str]:
    """The packages that reach themselves again (Tarjan's strongly connected components of size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[str] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.update(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function():
    assert _cyclic({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {"a", "b", "c"}
    assert _cyclic({"a": {"b"}, "b": set()}) == set()


def test_no_package_joins_an_import_cycle_and_the_old_ones_only_shrink():
    cyclic = _cyclic(_package_graph())
    joined = cyclic - IN_CYCLES_TODAY
    assert not joined, f"nye pakker i en importcyklus: {sorted(joined)}"
    left = IN_CYCLES_TODAY - cyclic
    assert not left, f"ude af cyklerne (fjern dem fra IN_CYCLES_TODAY): {sorted(left)}"


def test_the_engine_knows_no_domain():
    assert _package_graph()["engine"] == set()  # followers are registered from outside (service/wiring.py)
