"""A visit to a creative tool gets a narrow view of the creations: make new ones, list and
open its own session's — nothing of the librarian's review."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.creations import CreationStore, VisitCreations
from kiosk.harness import Harness
from kiosk.paths import APP_ROOT
from tests.studio.tools import open_tool


def test_a_tool_gets_only_make_list_and_open_of_its_own_creations(tmp_path: Path) -> None:
    with Harness(data_folder=tmp_path / "data") as kiosk:
        store = kiosk.app.creations
        assert store is not None
        before = store.new("drawing", "lv")  # made before this child came
        before.save("saved")
        tool = open_tool(kiosk, "draw")
        visit = tool.ctx.creations  # type: ignore[attr-defined]
        assert isinstance(visit, VisitCreations)
        for power in ("list", "for_review", "drafts_for_librarian", "delete", "purge", "get"):
            assert not hasattr(visit, power), power
        mine = visit.new("drawing", "lv")
        mine.save("saved")
        assert [c.id for c in visit.mine()] == [mine.id]
        assert visit.open(mine.id) is mine
        assert visit.open(before.id) is None
        assert visit.drawings_in_session() == [mine]


def test_an_old_visit_sees_nothing_once_the_next_session_began(tmp_path: Path) -> None:
    store = CreationStore(tmp_path / "creations")
    first = store.for_visit("first")
    made = first.new("film", "lt")
    assert first.mine("film") == [made]
    second = store.for_visit("second")
    assert first.mine() == [] and first.open(made.id) is None
    assert second.mine() == []


def test_the_activity_api_does_not_import_the_studio() -> None:
    tree = ast.parse((APP_ROOT / "kiosk" / "api.py").read_text(encoding="utf-8"))
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert [name for name in imported if name.startswith("kiosk.studio")] == []
