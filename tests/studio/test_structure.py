"""The studio keeps its shape: it imports only the activity API (and its own modules),
and its modules form layers — models below views below controls, no cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from kiosk.paths import APP_ROOT

STUDIO = APP_ROOT / "kiosk" / "studio"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _studio_graph() -> dict[str, set[str]]:
    return {
        path.stem: {n.rsplit(".", 1)[1] for n in _imports(path) if n.startswith("kiosk.studio.")}
        for path in STUDIO.glob("*.py")
    }


def test_the_studio_imports_only_the_activity_api_and_its_own_modules() -> None:
    allowed = {"pygame", "babel", "__future__"}
    problems = [
        f"{path.name} imports {name}"
        for path in sorted(STUDIO.glob("*.py"))
        for name in _imports(path)
        if name != "kiosk.api"
        and not name.startswith("kiosk.studio.")
        and name.split(".")[0] not in allowed | set(sys.stdlib_module_names)
    ]
    assert problems == []


def test_studio_modules_import_no_cycle_and_models_know_no_screen() -> None:
    graph = _studio_graph()

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += graph.get(name, set())
        return seen

    assert [name for name in graph if name in reaches(name)] == []
    for tool in ("film", "story"):
        below_model = reaches(f"{tool}_model")
        assert not below_model & {tool, f"{tool}_view", "strip", "picker", "stage", "tool"}
        assert tool not in reaches(f"{tool}_view")
