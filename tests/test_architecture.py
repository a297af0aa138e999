"""The shape of the code: apps import one way, the story lifecycle is explicit, and each
domain constant has one home. Read from the source with ``ast``, so nothing is imported."""

import ast
import re
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "mango"


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts:
            continue
        yield path, rel


def _absolute(rel: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = ["mango", *rel.parts[:-1]]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> the files that import it (top-level modules count as apps;
    imports inside functions count too)."""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, rel in _modules():
        app = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(rel, node)
                names = (
                    [f"mango.{alias.name}" for alias in node.names]
                    if module == "mango"
                    else [module]
                )
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "mango" and len(parts) > 1 and parts[1] != app:
                    edges[app][parts[1]].append(str(rel))
    return edges


def cycles(edges) -> list[list[str]]:
    found = []

    def walk(start, node, path):
        for nxt in edges.get(node, {}):
            if nxt == start:
                found.append(path)
            elif nxt not in path and nxt > start:
                walk(start, nxt, [*path, nxt])

    for start in sorted(edges):
        walk(start, start, [start])
    return found


def test_apps_import_each_other_one_way():
    edges = app_imports()
    assert edges["lifecycle"]  # the check sees imports at all
    found = cycles(edges)
    detail = [" -> ".join(c) + f" (e.g. {edges[c[0]][c[1 % len(c)]][0]})" for c in found]
    assert found == [], detail


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == [["a", "b", "c"]]


def test_no_signals_or_hooks_drive_the_story_lifecycle():
    # Django's signals, not any class called Signal (lib/spc has one: a chart's signal).
    pattern = re.compile(
        r"post_save|post_delete|pre_save|django\.dispatch|receiver\(|register_suggester"
    )
    hits = [
        f"{rel}:{n}"
        for path, rel in _modules()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


def test_the_framework_free_modules_import_no_django():
    hits = [
        str(rel)
        for path, rel in _modules()
        if rel.parts[0] == "lib" and re.search(r"^\s*(from|import) django", path.read_text(), re.M)
    ]
    assert hits == []


def test_codebook_constants_have_one_home():
    pattern = re.compile(r'^(SCREENING|MANGOMOMENT|DIMENSIONS)\s*=\s*"', re.M)
    homes = [str(rel) for path, rel in _modules() if pattern.search(path.read_text())]
    assert homes == ["research/finals.py"]


def test_only_finals_reads_final_codes_outside_research():
    """Other apps read settled codes through ``research.finals``, never the tables. (Other
    apps may have models of their own with these names: consensus records a Decision.)"""
    settled = {"FinalCode", "Decision"}
    hits = []
    for path, rel in _modules():
        if rel.parts[0] == "research":
            continue
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if (
                isinstance(node, ast.ImportFrom)
                and _absolute(rel, node).startswith("mango.research")
                and settled & {alias.name for alias in node.names}
            ):
                hits.append(str(rel))
        if re.search(
            r"research\.models\.(FinalCode|Decision)\b|\"research\", \"(FinalCode|Decision)\"", text
        ):
            hits.append(str(rel))
    assert hits == []
