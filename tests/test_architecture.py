"""The rules that keep Telpa easy to change (DESIGN §2), checked on the source."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from pathlib import Path

import kiosk.api
from kiosk.activities import discover
from kiosk.paths import APP_ROOT


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_games_import_only_the_activity_api_and_pygame() -> None:
    allowed_roots = {"kiosk.api", "pygame", "games", "__future__"}
    problems = []
    for path in sorted((APP_ROOT / "games").rglob("*.py")):
        for name in _imports(path):
            root = name.split(".")[0]
            if name == "kiosk.api" or root in allowed_roots or root in sys.stdlib_module_names:
                continue
            problems.append(f"{path.relative_to(APP_ROOT)} imports {name}")
    assert problems == []


def test_scenes_never_import_each_other() -> None:
    shared = {"kiosk.scenes.base", "kiosk.scenes.common", "kiosk.scenes.message"}
    problems = []
    for path in sorted((APP_ROOT / "kiosk" / "scenes").glob("*.py")):
        for name in _imports(path):
            if name.startswith("kiosk.scenes.") and name not in shared:
                problems.append(f"{path.name} imports {name}")
    assert problems == []


def test_every_registered_activity_has_its_own_tests() -> None:
    games = APP_ROOT / "tests" / "games"

    def mirrored(module: str) -> Path:
        # Tests mirror the package: kiosk/studio/drawing.py -> tests/studio/test_drawing.py
        *package, name = module.split(".")
        return APP_ROOT / "tests" / Path(*package[1:]) / f"test_{name}.py"

    missing = [
        a.id
        for a in discover()
        if not (games / f"test_{a.id}.py").exists() and not mirrored(a.cls.__module__).exists()
    ]
    assert missing == []


def test_the_api_exports_what_its_docs_promise() -> None:
    for name in kiosk.api.__all__:
        assert hasattr(kiosk.api, name), name
    assert {"Activity", "ActivityInfo", "ActivityContext", "PointerEvent", "KeyEvent"} <= set(
        kiosk.api.__all__
    )


# --- The layering of issue #13, computed from the imports -------------------------------

_PACKAGES = ("kiosk", "games")


def _modules() -> dict[str, Path]:
    """Every module of the program by dotted name (packages by their __init__)."""
    found: dict[str, Path] = {}
    for package in _PACKAGES:
        for path in (APP_ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(APP_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _all_imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The program's modules `module` imports anywhere in its text: at the top, inside
    functions and under TYPE_CHECKING too — a type-only or a lazy import is still a
    dependency, and hiding a cycle behind either is what this test is for."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {module: _all_imports(module, path, known) for module, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_anywhere() -> None:
    assert _cycles(_import_graph()) == []


def _offenders(prefix: str, allowed: Callable[[str], bool]) -> list[str]:
    graph = _import_graph()
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module == prefix or module.startswith(prefix + ".")
        for target in targets
        if not allowed(target)
    )


def test_studio_imports_only_the_activity_api_and_itself() -> None:
    def allowed(target: str) -> bool:
        return target == "kiosk.api" or target.startswith("kiosk.studio") or target == "kiosk"

    assert _offenders("kiosk.studio", allowed) == []


def test_ui_never_imports_usage() -> None:
    assert _offenders("kiosk.ui", lambda t: not t.startswith("kiosk.usage")) == []


def test_office_never_imports_the_shell() -> None:
    shell = ("kiosk.app", "kiosk.shell", "kiosk.scenes", "kiosk.harness", "kiosk.monkey")

    def allowed(target: str) -> bool:
        return not any(target == s or target.startswith(s + ".") for s in shell)

    assert _offenders("kiosk.office", allowed) == []


def test_only_the_usage_package_opens_the_usage_database() -> None:
    """Only kiosk/usage (and the office, for its own database) opens a database."""
    opening = ("create_engine", "sqlite3.connect", "engine_from_config")
    problems = []
    for module, path in _modules().items():
        if module.startswith(("kiosk.usage", "kiosk.office")):
            continue
        text = path.read_text(encoding="utf-8")
        problems += [f"{module} calls {call}" for call in opening if f"{call}(" in text]
    assert problems == []


def test_a_module_over_500_lines_says_why_at_its_top() -> None:
    """Issue #13's rule: a long module is a choice, stated in its docstring."""
    problems = []
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= 500:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if "over 500 lines" not in doc.lower():
            problems.append(
                f"{module}: {text.count(chr(10))} lines, and its docstring says not why"
            )
    assert problems == []
