"""The rules that keep Telpa easy to change (DESIGN §2), checked on the source."""

from __future__ import annotations

import ast
import sys
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
